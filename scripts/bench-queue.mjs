// Headless-Chromium timings of the incident queue at scale (not part of CI's pass/fail).
// Usage: trunk build --release --offline &&
//        cargo run --release --bin gen-demo -- --sites 500 --out /tmp/big.json &&
//        node scripts/bench-queue.mjs /tmp/big.json [runs]
// Loads the export through the file input, then measures inside the page (performance.now, from
// the click to the animation frame that shows the answer): filter and sort changes, a jump to
// the middle of the queue, and smooth scrolling (frame times while the rows' scroller moves
// 600 px a frame, and how many rows the DOM holds). Figures go to docs/benchmarks.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, median } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] && path.resolve(process.argv[2]);
const runs = Number(process.argv[3] ?? 5);
if (!file) {
  console.error('usage: node scripts/bench-queue.mjs EXPORT.json [runs]');
  process.exit(2);
}
const { server, origin } = await startServer(path.join(root, 'dist'));
const browser = await launchChromium();
const max = (xs) => Math.max(...xs);
try {
  // bypassCSP: the measuring code is handed to the page as text (new Function); the app's own
  // CSP forbids that, rightly.
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })).newPage();
  await page.goto(origin + '/');
  await page.getByTestId('demo-button').waitFor();
  const t0 = Date.now();
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('incident-row').first().waitFor({ timeout: 900_000 });
  console.log(`load ${path.basename(file)}: ${Date.now() - t0} ms to the first row; ${await page.getByTestId('queue-count').innerText()}`);
  await page.waitForTimeout(500);

  /** In the page: runs `act`, then waits for the frame where `done` holds; returns ms. */
  const timed = (act, done) => page.evaluate(async ([act, done]) => {
    const f = (src) => new Function(src);
    const before = document.querySelector('[data-testid=queue-count]').textContent
      + '|' + (document.querySelector('[data-testid=incident-row]')?.dataset.incidentId ?? '');
    window.__before = before;
    const start = performance.now();
    f(act)();
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (f(done)()) return performance.now() - start;
      if (performance.now() - start > 60_000) return NaN;
    }
  }, [act, done]);
  const changed = `const now = document.querySelector('[data-testid=queue-count]').textContent
    + '|' + (document.querySelector('[data-testid=incident-row]')?.dataset.incidentId ?? '');
    return now !== window.__before && !document.querySelector('tr.placeholder');`;
  const click = (sel) => `document.querySelector('${sel}').click()`;
  const steps = [
    ['severity High (count click)', click('[data-testid=queue-severity-high]')],
    ['severity High off', click('[data-testid=queue-severity-high]')],
    ['sort by name', click('th[data-col=name] button')],
    ['sort by last activity', click('th[data-col=last] button')],
    ['time: last day', `const s = document.querySelector('[data-testid=queue-filter-time]'); s.value = '1d'; s.dispatchEvent(new Event('change', { bubbles: true }))`],
    ['time: any', `const s = document.querySelector('[data-testid=queue-filter-time]'); s.value = 'all'; s.dispatchEvent(new Event('change', { bubbles: true }))`],
    ['search "ws-12"', `const i = document.querySelector('[data-testid=queue-search]'); i.value = 'ws-12'; i.dispatchEvent(new InputEvent('input', { bubbles: true }))`],
    ['search cleared', `const i = document.querySelector('[data-testid=queue-search]'); i.value = ''; i.dispatchEvent(new InputEvent('input', { bubbles: true }))`],
  ];
  const results = Object.fromEntries(steps.map(([name]) => [name, []]));
  const jumps = [];
  const scrolls = [];
  for (let run = 0; run < runs; run++) {
    for (const [name, act] of steps) results[name].push(await timed(act, changed));
    // A jump to the middle: until no row there waits for the worker.
    jumps.push(await timed(
      `const el = document.querySelector('[data-testid=queue-scroll]'); el.scrollTop = el.scrollHeight / 2;`,
      `const rows = document.querySelectorAll('[data-testid=incident-row]');
       return rows.length > 0 && !document.querySelector('tr.placeholder') && Number(rows[0].dataset.position) > 1000;`));
    // Smooth scrolling: 600 px a frame for 150 frames.
    scrolls.push(await page.evaluate(async () => {
      const el = document.querySelector('[data-testid=queue-scroll]');
      el.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(r));
      const frames = [];
      let blank = 0;
      let domRows = 0;
      let last = performance.now();
      for (let i = 0; i < 150; i++) {
        el.scrollTop += 600;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        blank += document.querySelectorAll('tr.placeholder').length > 0 ? 1 : 0;
        domRows = Math.max(domRows, document.querySelectorAll('table.queue tbody tr').length);
      }
      frames.sort((a, b) => a - b);
      return { median: frames[75], p95: frames[142], max: frames[149], blank, domRows };
    }));
  }
  for (const [name] of steps) {
    const xs = results[name].map(Math.round);
    console.log(`${name}: median ${median(xs)} ms, max ${max(xs)} ms (${xs.join(', ')})`);
  }
  console.log(`jump to the middle: median ${Math.round(median(jumps))} ms (${jumps.map(Math.round).join(', ')})`);
  for (const s of scrolls) {
    console.log(`scroll 600 px/frame: frame median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms; frames with rows still loading ${s.blank}/150; DOM rows at most ${s.domRows}`);
  }
} finally {
  await browser.close();
  server.close();
}
