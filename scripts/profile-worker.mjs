// Where the workers spend a load (issue 13; a profiling aid, not part of CI): loads one export
// through the file input of the release build in headless Chromium with V8's sampling profiler
// attached to each worker (the loading worker and the hasher beside it), and prints, per
// worker, the functions with the most self time and the most inclusive time. WebAssembly
// functions are named only when the build keeps its name section: build a copy with the
// worker's link in index.html set to `data-wasm-opt="0" data-keep-debug` into another folder
// (`trunk build --release --offline --dist /tmp/dist-prof`) and pass it with --dist.
// In the loading worker, `(idle)` is mostly time blocked in `FileReaderSync`, and the
// anonymous function under `handleError` is `readAsArrayBuffer` itself.
//
//   node scripts/profile-worker.mjs EXPORT [--top N] [--dist DIR] [--json PREFIX]
//
// --json writes each worker's raw profile to PREFIX-<n>.json (for other cuts of the samples).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const file = args[0] && !args[0].startsWith('--') ? path.resolve(args[0]) : null;
const top = Number(option('--top', 40));
const dist = path.resolve(option('--dist', path.join(root, 'dist')));
const json = option('--json', null);
if (!file) {
  console.error('usage: node scripts/profile-worker.mjs EXPORT [--top N] [--dist DIR] [--json PREFIX]');
  process.exit(2);
}

/** Self and inclusive milliseconds per function name of one CPU profile. */
function byFunction(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()})`;
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    total += ms;
    self.set(name(byId.get(id)), (self.get(name(byId.get(id))) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const key = name(byId.get(at));
      if (!seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
      }
    }
  });
  return { self, inclusive, total };
}

const { server, origin } = await startServer(dist);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(origin + '/');
  await page.getByTestId('demo-button').waitFor();
  await page.waitForTimeout(800);
  // The workers exist once the page is up; attach to each through the browser's session.
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const workers = targetInfos.filter((t) => t.type === 'worker');
  let nextId = 1;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const m = JSON.parse(message);
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m.result ?? m.error);
      pending.delete(m.id);
    }
  });
  const send = (sessionId, method, params = {}) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  const sessions = [];
  for (const w of workers) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false });
    await send(sessionId, 'Profiler.enable');
    await send(sessionId, 'Profiler.setSamplingInterval', { interval: 500 });
    await send(sessionId, 'Profiler.start');
    sessions.push(sessionId);
  }
  const t0 = performance.now();
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('incident-row').first().waitFor({ timeout: 600_000 });
  console.log(`${path.basename(file)}: queue shown after ${Math.round(performance.now() - t0)} ms; ${sessions.length} workers`);
  for (const [n, sessionId] of sessions.entries()) {
    const { profile } = await send(sessionId, 'Profiler.stop');
    if (json) fs.writeFileSync(`${json}-${n + 1}.json`, JSON.stringify(profile));
    const { self, inclusive, total } = byFunction(profile);
    const busy = total - (self.get('(idle)') ?? 0);
    console.log(`\nworker ${n + 1}: ${Math.round(total)} ms sampled, ${Math.round(busy)} ms not idle`);
    for (const [title, table] of [['self', self], ['inclusive', inclusive]]) {
      console.log(`  ${title} ms`);
      for (const [name, ms] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`${Math.round(ms).toString().padStart(8)}  ${name.slice(0, 150)}`);
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}
