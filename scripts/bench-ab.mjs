// Two or more builds of the page side by side (a benchmark, not part of CI): loads one export
// through the file input of each build in turn, RUNS times, in headless Chromium, and prints
// per build the milliseconds from the file input to the first queue row (min, median, all).
// Alternating the builds keeps this machine's drift (20 % within minutes) out of the comparison.
//
//   node scripts/bench-ab.mjs EXPORT RUNS DIST_A DIST_B [DIST...]
//
// Each DIST is a `trunk build --release --offline --dist DIR` of the revision to compare.
import path from 'node:path';
import { launchChromium, median } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const [file, runs, ...dists] = process.argv.slice(2);
if (!file || !(Number(runs) > 0) || dists.length < 2) {
  console.error('usage: node scripts/bench-ab.mjs EXPORT RUNS DIST_A DIST_B [DIST...]');
  process.exit(2);
}
const servers = [];
for (const dist of dists) servers.push(await startServer(path.resolve(dist)));
const browser = await launchChromium();
const times = dists.map(() => []);
try {
  for (let run = 0; run < Number(runs); run++) {
    for (const [k, { origin }] of servers.entries()) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(origin + '/');
      await page.getByTestId('demo-button').waitFor();
      await page.waitForTimeout(500);
      const t0 = performance.now();
      await page.getByTestId('file-input').setInputFiles(path.resolve(file));
      await page.getByTestId('incident-row').first().waitFor({ timeout: 600_000 });
      times[k].push(Math.round(performance.now() - t0));
      await context.close();
    }
  }
  for (const [k, dist] of dists.entries()) {
    const sorted = [...times[k]].sort((a, b) => a - b);
    console.log(`${dist}: min ${sorted[0]} ms, median ${median(times[k])} ms, all ${times[k].join(' ')}`);
  }
} finally {
  await browser.close();
  for (const { server } of servers) server.close();
}
