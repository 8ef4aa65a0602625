// A large export in a tab (issue 13): loads one file through the file input of the release
// build in headless Chromium and watches the load. A benchmark, not part of CI's pass/fail.
//
//   trunk build --release --offline && node scripts/bench-big-tab.mjs EXPORT
//
// While the file loads, every 250 ms it reads the progress bar and asks the page for the time
// (a round trip through the page's main thread: slow when the page is busy), and every second it
// switches the language and waits for the page to answer, as a user would while waiting.
// Prints the load time, how many distinct progress values were seen and the last one, the slowest
// main-thread round trip and click, the worker's memory, and whether the queue came up. Exits 1
// when the page crashed, the progress bar never moved, or no queue row appeared.
import path from 'node:path';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ? path.resolve(process.argv[2]) : null;
if (!file) {
  console.error('usage: node scripts/bench-big-tab.mjs EXPORT');
  process.exit(2);
}
const mb = (n) => Math.round(Number(n) / 1048576);
const { server, origin } = await startServer(path.join(root, 'dist'));
const browser = await launchChromium();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  let memory = '';
  page.on('console', (message) => {
    const m = /wasm memory (\d+) bytes after (\w+), heap in use (\d+) bytes, heap peak (\d+) bytes/.exec(message.text());
    if (m) memory = `worker wasm memory ${mb(m[1])} MB (heap in use ${mb(m[3])} MB, peak ${mb(m[4])} MB)`;
  });
  await page.goto(origin + '/');
  await page.getByTestId('demo-button').waitFor();
  const started = performance.now();
  await page.getByTestId('file-input').setInputFiles(file);
  const progress = new Set();
  let lastProgress = '';
  let slowestRoundTrip = 0;
  let slowestClick = 0;
  let clicks = 0;
  let done = false;
  let lastClick = 0;
  while (!done && !crashed && performance.now() - started < 1_800_000) {
    const t0 = performance.now();
    const seen = await page.evaluate(() => {
      const bar = document.querySelector('[data-testid="load-progress"] progress');
      return {
        value: bar ? `${bar.value}/${bar.max}` : null,
        text: document.querySelector('[data-testid="load-progress"] span')?.textContent ?? '',
        rows: document.querySelectorAll('[data-testid="incident-row"]').length,
        error: document.querySelector('[role="alert"]')?.textContent ?? '',
      };
    });
    slowestRoundTrip = Math.max(slowestRoundTrip, performance.now() - t0);
    if (seen.value) {
      progress.add(seen.value);
      lastProgress = seen.text;
    }
    if (seen.error) console.log(`page says: ${seen.error}`);
    if (seen.rows > 0) {
      done = true;
      break;
    }
    if (performance.now() - lastClick > 1000) {
      // Switching the language re-renders the whole page: it answers only if the page is free.
      const select = page.getByTestId('lang-switch');
      const before = await page.locator('html').getAttribute('lang');
      const c0 = performance.now();
      await select.selectOption(before === 'nl' ? 'en' : 'nl');
      await page.waitForFunction((b) => document.documentElement.lang !== b, before, { timeout: 60_000 });
      slowestClick = Math.max(slowestClick, performance.now() - c0);
      clicks += 1;
      lastClick = performance.now();
    }
    await page.waitForTimeout(250);
  }
  const seconds = (performance.now() - started) / 1000;
  const size = statSync(file).size;
  await page.waitForTimeout(500);
  console.log(`${path.basename(file)}: ${(size / 1e6).toFixed(0)} MB, ${done ? 'queue shown' : crashed ? 'PAGE CRASHED' : 'NO QUEUE'} after ${seconds.toFixed(1)} s (${(size / 1e6 / seconds).toFixed(1)} MB/s)`);
  console.log(`  progress: ${progress.size} distinct values seen; last: ${lastProgress}`);
  console.log(`  page responsiveness while loading: slowest round trip ${Math.round(slowestRoundTrip)} ms, slowest language switch ${Math.round(slowestClick)} ms (${clicks} switches)`);
  if (memory) console.log(`  ${memory}`);
  failed = crashed || !done || progress.size < 2;
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
