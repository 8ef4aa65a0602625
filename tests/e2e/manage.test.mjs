// Issue 6 in the browser: managing an incident (rename, assign, status with a resolution note,
// classification and determination, tags, comments, undo) and its report download.
// The same setup as i18n.test.mjs: Debian's Chromium, the release build, no request leaves the origin.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const distDir = path.join(repoRoot, 'dist');
const shots = path.join(repoRoot, 'target', 'e2e');
const CHROMIUM = '/usr/bin/chromium';
const WAIT_MS = 30_000;
const TEST_MS = 240_000;

// The Dutch tab names (shared/design/GLOSSARY-nl.md).
// English interface phrases that must not show once the interface is Dutch. Data such as alert
// titles is not translated, so the whole text is only searched for phrases no title uses ...
// ... and the interface's labels (badges, chips, column heads, the status column) for the
// words titles do use.


const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what, fn, timeout = WAIT_MS) {
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

const hashOf = (page) => decodeURIComponent(new URL(page.url()).hash);

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function shot(page, name, { fullPage = true } = {}) {
  await fsp.mkdir(shots, { recursive: true });
  await settle(page);
  await page.screenshot({ path: path.join(shots, name), fullPage });
}

let browser;
let server;
let origin;

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

/** One browser test: a fresh context with the recorders, checked at the end. */
function e2e(name, options, fn) {
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
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
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
      await fn({ page, url: origin + '/', assertClean });
      await assertClean('end of test');
    } catch (e) {
      try {
        await fsp.mkdir(shots, { recursive: true });
        await page.screenshot({ path: path.join(shots, `failure-manage-${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
      } catch {
        // the page may be gone; the original error matters
      }
      throw e;
    } finally {
      await context.close();
    }
  });
}

async function loadDemo(page) {
  await page.getByTestId('demo-button').click();
  await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
  await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
}

/** Sorts by active alerts (the header's third-from-last sort button) and opens the largest. */
async function openLargestIncident(page) {
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


describe('managing an incident', () => {
  e2e('rename, assign, classify, tag, comment, resolve, undo, and the report', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const id = await openLargestIncident(page);
    const title = page.getByTestId('incident-title');
    const panel = page.getByTestId('manage');
    await panel.waitFor({ state: 'visible' });

    // Rename.
    await page.getByTestId('incident-rename').fill('Ransomware at Kestrel Ridge');
    await page.getByTestId('incident-rename-save').click();
    await waitUntil('the new title', async () => (await title.innerText()) === 'Ransomware at Kestrel Ridge');
    assert.equal(hashOf(page), `#/incidents/${id}/summary`, 'the incident keeps its id');

    // Assign, classify and determine, tag, comment.
    await page.getByTestId('incident-assign').fill('ana@soc.example');
    await page.getByTestId('incident-assign-save').click();
    await page.getByTestId('incident-classification').selectOption('truePositive');
    await waitUntil('determinations for a true positive', async () =>
      !(await page.getByTestId('incident-determination').isDisabled()));
    await page.getByTestId('incident-determination').selectOption('multiStagedAttack');
    await page.getByTestId('incident-tags').fill('customer-x');
    await page.getByTestId('incident-tags').press('Enter');
    await waitUntil('the tag shown', async () => (await page.getByTestId('incident-tag').count()) === 1);
    await page.getByTestId('comment-input').fill('Isolated FS01 and APP02 at 09:10.');
    await page.getByTestId('comment-submit').click();
    await waitUntil('the comment shown', async () => (await page.getByTestId('comment').count()) === 1);
    assert.match(await page.getByTestId('comment').first().innerText(), /Isolated FS01 and APP02/);
    assert.equal(await page.getByTestId('incident-classification').inputValue(), 'truePositive');
    assert.equal(await page.getByTestId('incident-determination').inputValue(), 'multiStagedAttack');
    assert.equal(await page.getByTestId('incident-assign').inputValue(), 'ana@soc.example');

    // Resolving asks for a note first.
    await page.getByTestId('incident-status').selectOption('resolved');
    await page.getByTestId('resolve-note').waitFor({ state: 'visible' });
    assert.ok(await page.getByTestId('resolve-confirm').isDisabled(), 'no resolution without a note');
    await page.getByTestId('resolve-note').fill('Contained and reimaged.');
    await page.getByTestId('resolve-confirm').click();
    await waitUntil('the incident resolved', async () =>
      /Resolved/.test(await page.locator('.incident-head .status').innerText()));
    const activity = page.getByTestId('activity').locator('li');
    assert.equal(await activity.count(), 7, 'every change in the activity log');
    await shot(page, 'manage-incident.png');

    // Undo the resolution: the status returns, the log says so.
    await page.getByTestId('undo').click();
    await waitUntil('the resolution undone', async () =>
      !/Resolved/.test(await page.locator('.incident-head .status').innerText()));
    assert.match(await activity.first().innerText(), /undone/);

    // The queue finds the incident by its new name.
    await page.goto(url + '#/incidents');
    await page.getByTestId('queue-search').fill('Kestrel Ridge');
    await waitUntil('the renamed incident in the queue', async () =>
      (await page.getByTestId('incident-row').allInnerTexts()).some((t) => t.includes('Ransomware at Kestrel Ridge')));

    // The report: made in the worker, downloaded, and it is this incident's.
    await page.goto(url + `#/incidents/${id}/summary`);
    await page.getByTestId('report-make').click();
    const link = page.getByTestId('report-download');
    await link.waitFor({ state: 'visible' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = path.join(shots, 'report-download.html');
    await download.saveAs(file);
    const html = await fsp.readFile(file, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    for (const text of ['Ransomware at Kestrel Ridge', id, 'Isolated FS01 and APP02 at 09:10.', 'ana@soc.example', 'truePositive']) {
      assert.ok(html.includes(text), `the report lacks ${text}`);
    }
    // Indicators: CSV and a STIX 2.1 bundle, made in the worker.
    await page.getByTestId('iocs-make').click();
    const csvLink = page.getByTestId('iocs-download-csv');
    await csvLink.waitFor({ state: 'visible' });
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    const csvFile = path.join(shots, 'iocs.csv');
    await csvDownload.saveAs(csvFile);
    const csv = await fsp.readFile(csvFile, 'utf8');
    assert.ok(csv.startsWith('type,value,name,verdict,scope,first_seen,last_seen,alerts,incident_id\r\n'), csv.slice(0, 120));
    assert.match(csv, /^sha256,[0-9a-f]{64},/m);
    const [stixDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('iocs-download-stix').click()]);
    const stixFile = path.join(shots, 'iocs.stix.json');
    await stixDownload.saveAs(stixFile);
    const bundle = JSON.parse(await fsp.readFile(stixFile, 'utf8'));
    assert.equal(bundle.type, 'bundle');
    assert.ok(bundle.objects.some((o) => o.type === 'indicator' && o.pattern.startsWith("[file:hashes.'SHA-256'")));

    const report = await browser.newPage();
    await report.goto('file://' + file);
    await report.screenshot({ path: path.join(shots, 'report-opened.png') });
    await report.close();
  });

  e2e('the queue exports the view as CSV and JSON', {}, async ({ page, url }) => {
    await page.goto(url + '#/incidents?severity=high');
    await loadDemo(page);
    const count = async () => Number((await page.getByTestId('queue-count').innerText()).replace(/\D.*$/, ''));
    const n = await waitUntil('a filtered queue', async () => {
      const c = await count();
      return c > 0 && c < 100 ? c : 0;
    });
    await page.getByTestId('queue-export').locator('summary').click();
    await page.getByTestId('queue-export-prepare').click();
    const link = page.getByTestId('queue-export-csv');
    await link.waitFor({ state: 'visible' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = path.join(shots, 'queue-export.csv');
    await download.saveAs(file);
    const lines = (await fsp.readFile(file, 'utf8')).trim().split('\r\n');
    assert.ok(lines[0].startsWith('incident_id,incident_name,severity,status'), lines[0]);
    assert.equal(lines.length - 1, n, 'one line per incident of the view');
    assert.ok(lines.slice(1).every((l) => l.includes(',high,')), 'only the view\'s incidents');
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('queue-export-json').click()]);
    const rows = JSON.parse(await fsp.readFile(await json.path(), 'utf8'));
    assert.equal(rows.length, n);
    await shot(page, 'queue-export.png', { fullPage: false });
  });
});
