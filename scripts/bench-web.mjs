// Headless-Chromium timings of the release build (not part of CI's pass/fail).
// Usage: trunk build --release --offline && node scripts/bench-web.mjs [runs]
// Prints, per run: demo load (click → first queue row), opening the largest incident (click →
// title), and the graph tab (click → nodes drawn); then the medians. Figures go to
// docs/benchmarks.md with the machine they came from.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const { server, origin } = await startServer(path.join(root, 'dist'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-quic'],
});
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
    await page.goto(origin + '/');
    await page.getByTestId('demo-button').waitFor();
    rows.demo.push(await timed(() => page.getByTestId('demo-button').click(),
      () => page.getByTestId('incident-row').first().waitFor()));
    await page.getByRole('button', { name: /Active alerts/ }).click();
    await page.waitForTimeout(200);
    rows.open.push(await timed(() => page.getByTestId('incident-row').first().locator('a').click(),
      () => page.getByTestId('incident-title').waitFor()));
    rows.graph.push(await timed(() => page.getByTestId('incident-tab-graph').click(),
      () => page.getByTestId('graph-node').first().waitFor()));
    console.log(`run ${i + 1}: demo load ${rows.demo.at(-1)} ms, open incident ${rows.open.at(-1)} ms, graph tab ${rows.graph.at(-1)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`median of ${runs}: demo load ${median(rows.demo)} ms, open incident ${median(rows.open)} ms, graph tab ${median(rows.graph)} ms`);
