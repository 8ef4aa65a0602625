// Headless-Chromium timings of the release build (not part of CI's pass/fail).
// Usage: trunk build --release --offline && node scripts/bench-web.mjs [runs] [--file EXPORT]
// With --file, each run loads that export through the file input instead of the demo;
// --load-only stops after the queue shows (for exports whose largest incident is huge).
// Prints, per run: demo load (click → first queue row), opening the largest incident (click →
// title), and the graph tab (click → nodes drawn); then the medians. Figures go to
// docs/benchmarks.md with the machine they came from.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, median } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fileAt = args.indexOf('--file');
const file = fileAt >= 0 ? path.resolve(args[fileAt + 1]) : null;
const loadOnly = args.includes('--load-only');
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && (fileAt < 0 || i !== fileAt + 1)) ?? 5);
const { server, origin } = await startServer(path.join(root, 'dist'));
const browser = await launchChromium();
const timed = async (action, until) => {
  const t0 = performance.now();
  await action();
  await until();
  return Math.round(performance.now() - t0);
};
const rows = { demo: [], open: [], graph: [] };
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // The worker reports its linear memory (its peak: wasm memory never shrinks) after a load or
    // an opened workspace (a workspace file given with --file opens as one).
    page.on('console', (message) => {
      const m = /wasm memory (\d+) bytes after (\w+), heap in use (\d+) bytes, heap peak (\d+) bytes/.exec(message.text());
      const mb = (n) => Math.round(Number(n) / 1048576);
      if (m) console.log(`run ${i + 1}: worker wasm memory after ${m[2]} ${mb(m[1])} MB (heap in use ${mb(m[3])} MB, heap peak ${mb(m[4])} MB)`);
      const t = /load read in (\d+) ms, built in (\d+) ms/.exec(message.text());
      if (t) console.log(`run ${i + 1}: worker read the files in ${t[1]} ms, built the dataset in ${t[2]} ms`);
      const h = /alertweave worker: digests (.*)/.exec(message.text());
      if (h) console.log(`run ${i + 1}: digests ${h[1]}`);
    });
    await page.goto(origin + '/');
    await page.getByTestId('demo-button').waitFor();
    const load = file
      ? () => page.getByTestId('file-input').setInputFiles(file)
      : () => page.getByTestId('demo-button').click();
    rows.demo.push(await timed(load, () => page.getByTestId('incident-row').first().waitFor({ timeout: 600_000 })));
    if (loadOnly) {
      console.log(`run ${i + 1}: ${path.basename(file ?? 'demo')} load ${rows.demo.at(-1)} ms`);
      await context.close();
      continue;
    }
    await page.getByRole('button', { name: /Active alerts/ }).click();
    await page.waitForTimeout(200);
    rows.open.push(await timed(() => page.getByTestId('incident-row').first().locator('a').click(),
      () => page.getByTestId('incident-title').waitFor()));
    rows.graph.push(await timed(() => page.getByTestId('incident-tab-graph').click(),
      () => page.getByTestId('graph-node').first().waitFor()));
    console.log(`run ${i + 1}: ${file ? path.basename(file) : 'demo'} load ${rows.demo.at(-1)} ms, open incident ${rows.open.at(-1)} ms, graph tab ${rows.graph.at(-1)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`median of ${runs}: ${file ? path.basename(file) : 'demo'} load ${median(rows.demo)} ms, open incident ${median(rows.open)} ms, graph tab ${median(rows.graph)} ms`);
