// Issue 6 in the browser: managing an incident (rename, assign, status with a resolution note,
// classification and determination, tags, comments, undo) and its report download.
// The shared harness (harness.mjs): Debian's Chromium, the release build, no request leaves the origin.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { browser, e2e, hashOf, loadDemo, openLargestIncident, shot, shots, useBrowser, waitUntil } from './harness.mjs';

useBrowser();

describe('managing an incident', () => {
  e2e('manage', 'rename, assign, classify, tag, comment, resolve, undo, and the report', {}, async ({ page, url }) => {
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

  e2e('manage', 'the queue exports the view as CSV and JSON', {}, async ({ page, url }) => {
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
