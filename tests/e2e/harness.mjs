// What the end-to-end test files share: Debian's Chromium driven by playwright-core against
// dist/ served on 127.0.0.1, one recorded browser context per test (checked at its end: no CSP
// violation, no page or console error, no failed request or HTTP error, no request that left
// the origin; a screenshot on failure), and the waits and helpers every file uses.
// app.test.mjs keeps its own variant (it runs every test at two base paths).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const distDir = path.join(repoRoot, 'dist');
export const shots = path.join(repoRoot, 'target', 'e2e');
export const CHROMIUM = '/usr/bin/chromium';
export const WAIT_MS = 30_000;
export const TEST_MS = 240_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy, which it returns. */
export async function waitUntil(what, fn, timeout = WAIT_MS) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last})`);
    await sleep(100);
  }
}

export const hashOf = (page) => decodeURIComponent(new URL(page.url()).hash);

/** Two animation frames: what was rendered is painted. */
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export async function shot(page, name, { fullPage = true } = {}) {
  await fsp.mkdir(shots, { recursive: true });
  await settle(page);
  await page.screenshot({ path: path.join(shots, name), fullPage });
}

// Live bindings: set by `useBrowser`'s hook before the tests run.
/**
 * Writes the page's failed requests to `errors`. A request the page's own next navigation cut
 * short (a reload while the favicon loads) was aborted by the test, not failed: it is excused
 * only when it was aborted and a main-frame navigation began after it did.
 */
export function recordFailedRequests(page, errors) {
  const issued = new WeakMap();
  let sequence = 0;
  let lastNavigation = 0;
  page.on('request', (r) => {
    sequence += 1;
    issued.set(r, sequence);
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) lastNavigation = sequence;
  });
  page.on('requestfailed', (r) => {
    const errorText = r.failure()?.errorText;
    if (errorText === 'net::ERR_ABORTED' && lastNavigation > (issued.get(r) ?? Infinity)) return;
    errors.push(`request failed: ${r.url()} (${errorText})`);
  });
}

export let browser;
export let origin;
let server;

/** Starts the server and the browser before the file's tests, and stops them after. */
export function useBrowser() {
  before(async () => {
    assert.ok(fs.existsSync(path.join(distDir, 'index.html')), `${distDir}/index.html is missing: run trunk build first`);
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
    ({ server, origin } = await startServer(distDir));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
        '--disable-quic',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
}

/**
 * One browser test: a fresh context (`options` add to its settings) with the recorders; `fn`
 * gets `{ page, context, url, origin, assertClean }` and the recorders are checked at its end.
 * `prefix` names its failure screenshot.
 */
export function e2e(prefix, name, options, fn) {
  test(name, { timeout: TEST_MS }, async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', ...options });
    const requests = [];
    const errors = [];
    context.on('request', (r) => requests.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
    });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    recordFailedRequests(page, errors);
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI });
      });
    });
    const assertClean = async (when) => {
      const violations = page.isClosed() ? [] : await page.evaluate(() => window.__cspViolations ?? []);
      assert.deepEqual(violations, [], `${when}: CSP violations`);
      assert.deepEqual(errors, [], `${when}: page errors`);
      const off = requests.filter((u) => !u.startsWith('data:') &&
        !(u.startsWith('blob:') ? u.startsWith(`blob:${origin}/`) : u.startsWith(origin + '/')));
      assert.deepEqual(off, [], `${when}: requests that left the origin ${origin}`);
    };
    try {
      await fn({ page, context, url: origin + '/', origin, assertClean });
      await assertClean('end of test');
    } catch (e) {
      try {
        await fsp.mkdir(shots, { recursive: true });
        await page.screenshot({ path: path.join(shots, `failure-${prefix}-${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
      } catch {
        // the page may be gone; the original error matters
      }
      throw e;
    } finally {
      await context.close();
    }
  });
}

export async function loadDemo(page) {
  await page.getByTestId('demo-button').click();
  await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
  await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
}

/** After a reload: the workspace the browser saved is back (the queue, or the incident). */
export async function waitForRestored(page) {
  await waitUntil('the saved workspace restored', async () =>
    (await page.getByTestId('incident-row').count()) > 0 || (await page.getByTestId('incident-title').count()) > 0);
  await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
  // The restore outruns the page's icon: a test ending now would abort its request.
  await page.waitForLoadState('networkidle');
}

/** Sorts by active alerts (the header's seventh column) and opens the largest incident. */
export async function openLargestIncident(page) {
  const rows = page.getByTestId('incident-row');
  const counts = async () => rows.evaluateAll((els) => els.map((e) => Number(e.children[6].textContent.split('/')[0])));
  await page.locator('[data-testid=queue] th').nth(6).locator('button').click();
  await waitUntil('rows sorted by active alerts, largest first', async () => {
    const c = await counts();
    return c.length > 1 && c[0] >= 2 && c.every((n, i) => i === 0 || c[i - 1] >= n);
  });
  const id = await rows.first().getAttribute('data-incident-id');
  await rows.first().locator('a').first().click();
  await waitUntil(`incident ${id} open`, () => hashOf(page) === `#/incidents/${id}/summary`);
  await page.getByTestId('incident-title').waitFor({ state: 'visible' });
  return id;
}
