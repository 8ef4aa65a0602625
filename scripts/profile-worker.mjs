// Where the worker spends a load (issue 13; a profiling aid, not part of CI): loads one export
// through the file input of the release build in headless Chromium with V8's sampling profiler
// attached to the worker, and prints the functions with the most self time. WebAssembly
// functions are named only when the build keeps its name section (see docs/benchmarks.md).
//
//   trunk build --release --offline && node scripts/profile-worker.mjs EXPORT [TOP]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './bench-common.mjs';
import { startServer } from '../tests/e2e/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ? path.resolve(process.argv[2]) : null;
const top = Number(process.argv[3] ?? 40);
if (!file) {
  console.error('usage: node scripts/profile-worker.mjs EXPORT [TOP]');
  process.exit(2);
}
const { server, origin } = await startServer(path.join(root, 'dist'));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  let nextId = 1;
  const pending = new Map();
  let worker = null;
  const send = (method, params = {}) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId: worker, message: JSON.stringify({ id, method, params }) });
  });
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const m = JSON.parse(message);
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m.result ?? m.error);
      pending.delete(m.id);
    }
  });
  const attached = new Promise((resolve) => {
    cdp.on('Target.attachedToTarget', async ({ sessionId, targetInfo }) => {
      if (targetInfo.type !== 'worker' || worker) return;
      worker = sessionId;
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 200 });
      await send('Profiler.start');
      await send('Runtime.runIfWaitingForDebugger');
      resolve();
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await page.goto(origin + '/');
  await page.getByTestId('demo-button').waitFor();
  const t0 = performance.now();
  await page.getByTestId('file-input').setInputFiles(file);
  await attached;
  await page.getByTestId('incident-row').first().waitFor({ timeout: 600_000 });
  const loaded = Math.round(performance.now() - t0);
  const { profile } = await send('Profiler.stop');
  // Self time per function: samples landing on each node, summed by name.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const self = new Map();
  let total = 0;
  for (const [id, n] of counts) {
    const f = byId.get(id).callFrame;
    const name = f.functionName || `(anonymous ${f.url.split('/').pop()}:${f.lineNumber})`;
    self.set(name, (self.get(name) ?? 0) + n);
    total += n;
  }
  console.log(`${path.basename(file)}: queue shown after ${loaded} ms; ${total} worker samples`);
  for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(100 * n / total).toFixed(1).padStart(5)} %  ${name.slice(0, 150)}`);
  }
} finally {
  await browser.close();
  server.close();
}
