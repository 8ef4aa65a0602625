// Headless-Chromium timings of the Graph tab at about 5,000 nodes (not part of CI's pass/fail).
// Usage: trunk build --release --offline && node scripts/bench-graph.mjs [runs]
// Makes the one-incident export of scripts/gen-graph-incident.mjs (2,000 alerts sharing ~2,900
// entities), then per run, in a fresh page: loads it grouped by the export's own incident ids, opens the
// incident's Graph tab (the worker's answer time, layout included, from its console line; and
// navigation → canvas drawn), expands every grouped kind (→ ~5,000 nodes drawn and listed), and
// records frame times while the pointer drags the background (pan) and the wheel zooms: the
// interval between animation frames, and the canvas's own drawing time per frame (its
// `data-draw-ms`). Figures go to docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, median } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { graphIncident } from './gen-graph-incident.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 3);
const file = path.join(os.tmpdir(), 'alertweave-graph-5000.json');
fs.writeFileSync(file, graphIncident());
const { server, origin } = await startServer(path.join(root, 'dist'));
const browser = await launchChromium();
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const round = (x) => Math.round(x * 10) / 10;
const rows = { worker: [], open: [], expand: [], select: [], pan: [], panDraw: [], zoom: [], zoomDraw: [] };

/** In the page: records animation-frame intervals and the canvas's drawing times until stopped. */
const startFrames = (page) => page.evaluate(() => {
  const canvas = document.querySelector('[data-testid=graph]');
  window.__frames = { intervals: [], draws: [], run: true };
  let last = performance.now();
  let lastDraw = canvas.getAttribute('data-draw-ms');
  const loop = (t) => {
    if (!window.__frames.run) return;
    window.__frames.intervals.push(t - last);
    last = t;
    const d = canvas.getAttribute('data-draw-ms');
    if (d !== lastDraw) window.__frames.draws.push(Number(d));
    lastDraw = d;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(loop); });
});
const stopFrames = (page) => page.evaluate(() => {
  window.__frames.run = false;
  return window.__frames;
});

try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(() => localStorage.setItem('alertweave.correlation-settings',
    JSON.stringify({ settings: {}, grouping: 'source_incidents' })));
  for (let run = 0; run < runs; run++) {
    // A fresh page per run: a new worker, so the incident (and its layout) is computed anew.
    const page = await context.newPage();
    const workerTimes = [];
    page.on('console', (m) => {
      const t = /incident answered in (\d+) ms \((\d+) bytes\)/.exec(m.text());
      if (t) workerTimes.push([Number(t[1]), Number(t[2])]);
    });
    await page.goto(origin + '/');
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId('incident-row').first().waitFor({ timeout: 600_000 });
    const id = await page.getByTestId('incident-row').first().getAttribute('data-incident-id');
    const t0 = Date.now();
    await page.goto(`${origin}/#/incidents/${id}/graph`);
    const canvas = page.getByTestId('graph');
    await page.waitForFunction(() => document.querySelector('[data-testid=graph]')?.hasAttribute('data-scale'), null, { timeout: 600_000 });
    rows.open.push(Date.now() - t0);
    const [ms, bytes] = workerTimes.at(-1) ?? [NaN, NaN];
    rows.worker.push(ms);
    const t1 = Date.now();
    const groups = page.getByTestId('graph-group');
    for (let i = 0; i < await groups.count(); i++) {
      if ((await groups.nth(i).getAttribute('aria-pressed')) === 'true') await groups.nth(i).click();
    }
    await page.waitForFunction(() => !document.querySelector('[data-testid=graph-node][data-node-id^="group:"]'));
    rows.expand.push(Date.now() - t1);
    await page.waitForTimeout(300);
    const nodes = Number(await canvas.getAttribute('data-nodes'));
    const box = await canvas.boundingBox();

    // Select through the list: click → the frame that draws the selection (Yew re-renders the
    // 5,000-entry list and the details; the canvas redraws dimmed with the neighbours lit).
    for (const nth of [10, 500, 1500]) {
      rows.select.push(await page.evaluate(async (nth) => {
        const entry = document.querySelectorAll('[data-testid=graph-node][data-kind=alert]')[nth];
        const canvas = document.querySelector('[data-testid=graph]');
        const start = performance.now();
        entry.click();
        for (;;) {
          await new Promise((r) => requestAnimationFrame(r));
          if (canvas.getAttribute('data-selected') === entry.dataset.nodeId && canvas.getAttribute('data-selected-at')) {
            return performance.now() - start;
          }
        }
      }, nth));
    }
    await page.getByTestId('graph-clear').click();

    // Pan: drag the background from a corner, 120 pointer moves.
    await startFrames(page);
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.mouse.down();
    for (let i = 1; i <= 120; i++) await page.mouse.move(box.x + 5 + i * 4, box.y + 5 + i * 2);
    await page.mouse.up();
    let f = await stopFrames(page);
    rows.pan.push(...f.intervals.slice(2));
    rows.panDraw.push(...f.draws);

    // Zoom: 60 wheel steps in, 60 out, around the middle.
    await page.getByTestId('graph-fit').click();
    await page.waitForTimeout(200);
    await startFrames(page);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 120; i++) await page.mouse.wheel(0, i < 60 ? -60 : 60);
    f = await stopFrames(page);
    rows.zoom.push(...f.intervals.slice(2));
    rows.zoomDraw.push(...f.draws);
    console.log(`run ${run + 1}: ${nodes} nodes; worker incident answer ${ms} ms (${Math.round(bytes / 1024)} KiB); ` +
      `open graph tab → drawn ${rows.open.at(-1)} ms; expand all groups ${rows.expand.at(-1)} ms; ` +
      `select ${rows.select.slice(-3).map(Math.round).join(', ')} ms`);
    await page.close();
  }
  const line = (name, xs) => console.log(`${name}: median ${round(median(xs))} ms, p95 ${round(p95(xs))} ms, max ${round(Math.max(...xs))} ms (${xs.length} frames)`);
  console.log(`median of ${runs}: worker ${median(rows.worker)} ms, open ${median(rows.open)} ms, expand ${median(rows.expand)} ms, select ${Math.round(median(rows.select))} ms`);
  line('pan: frame interval', rows.pan);
  line('pan: canvas draw', rows.panDraw);
  line('zoom: frame interval', rows.zoom);
  line('zoom: canvas draw', rows.zoomDraw);
} finally {
  await browser.close();
  server.close();
}
