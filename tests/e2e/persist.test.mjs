// Issue 6 in the browser: the autosave (IndexedDB) brings the data, the settings and every change
// back after a reload; the workspace file goes out encrypted and comes back in after "clear all
// data", and a wrong passphrase, a missing one or a changed file is a clear error that changes
// nothing. The shared harness (harness.mjs): Debian's Chromium, the release build, no request
// leaves the origin.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  e2e, hashOf, loadDemo, openLargestIncident, repoRoot, shot, shots, useBrowser, waitForRestored, waitUntil,
} from './harness.mjs';

useBrowser();

const PASSPHRASE = 'correct horse battery staple';
const SAMPLE = path.resolve(repoRoot, '../shared/samples/msgraph-alerts-v2/alert-sample.log');
const TITLE = 'Ransomware at Kestrel Ridge (kept)';
const COMMENT = 'Isolated FS01 before the reload.';

const queueCount = async (page) => Number((await page.getByTestId('queue-count').innerText()).replace(/\D.*$/, ''));

/** What the app keeps in this browser: records per IndexedDB store, and its localStorage keys. */
async function kept(page) {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    const stores = {};
    if (names.includes('alertweave')) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open('alertweave');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const name of db.objectStoreNames) {
        stores[name] = await new Promise((resolve) => {
          const count = db.transaction(name).objectStore(name).count();
          count.onsuccess = () => resolve(count.result);
        });
      }
      db.close();
    }
    const local = Object.keys(localStorage).filter((k) => k.startsWith('alertweave.'));
    return { databases: names, stores, local };
  });
}

async function openMenu(page) {
  const menu = page.getByTestId('workspace-menu');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
  await page.getByTestId('workspace-passphrase').waitFor({ state: 'visible' });
}

/** Exports the workspace and returns the saved file's path and the menu's status text. */
async function exportWorkspace(page, passphrase, name) {
  await openMenu(page);
  await page.getByTestId('workspace-passphrase').fill(passphrase);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('workspace-export').click()]);
  assert.match(download.suggestedFilename(), /^alertweave-\d{4}-\d\d-\d\d-\d{4}\.awspace$/);
  const file = path.join(shots, name);
  await download.saveAs(file);
  const status = page.getByTestId('workspace-status');
  await waitUntil('the export reported', async () => (await status.getAttribute('data-state')) === 'done');
  return { file, status: await status.innerText() };
}

async function importWorkspace(page, file, passphrase) {
  await openMenu(page);
  await page.getByTestId('workspace-passphrase').fill(passphrase);
  await page.getByTestId('workspace-import').setInputFiles(file);
  const status = page.getByTestId('workspace-status');
  await waitUntil('the import answered', async () => ['done', 'error'].includes(await status.getAttribute('data-state')));
  return { state: await status.getAttribute('data-state'), text: await status.innerText() };
}

describe('the workspace kept in the browser and handed over', () => {
  e2e('persist', 'autosave across reloads, encrypted export, clear all data, import', {}, async ({ page, url, assertClean }) => {
    await page.goto(url);
    await loadDemo(page);
    const autosave = page.getByTestId('autosave-status');
    await waitUntil('the demo saved', async () => (await autosave.getAttribute('data-state')) === 'saved');
    assert.deepEqual((await kept(page)).stores, { edits: 0, files: 1, meta: 1 });
    const n0 = await queueCount(page);

    // Settings: the export's own incidents.
    await page.getByTestId('settings-open').click();
    await page.getByTestId('settings-grouping-source').check();
    await page.getByTestId('settings-apply').click();
    await page.getByTestId('settings-result').waitFor({ state: 'visible' });
    await waitUntil('the queue regrouped', async () => (await queueCount(page)) !== n0);
    const grouped = await queueCount(page);
    await page.getByTestId('settings-close').click();

    // Two changes on the largest incident, each appended as its own record.
    const id = await openLargestIncident(page);
    await page.getByTestId('incident-rename').fill(TITLE);
    await page.getByTestId('incident-rename-save').click();
    await waitUntil('the new title', async () => (await page.getByTestId('incident-title').innerText()) === TITLE);
    await waitUntil('the rename saved', async () => (await kept(page)).stores.edits === 1);
    await page.getByTestId('comment-input').fill(COMMENT);
    await page.getByTestId('comment-submit').click();
    await waitUntil('the comment shown', async () => (await page.getByTestId('comment').count()) === 1);

    // A reload right after the change loses nothing: data, route, both changes, settings.
    await assertClean('before reload');
    await page.reload();
    await waitUntil('the incident back after the reload', async () =>
      (await page.getByTestId('incident-title').innerText().catch(() => '')) === TITLE);
    assert.equal(hashOf(page), `#/incidents/${id}/summary`);
    await page.getByTestId('comment').first().waitFor({ state: 'visible' });
    assert.match(await page.getByTestId('comment').first().innerText(), /Isolated FS01 before the reload/);
    await waitUntil('saved', async () => (await autosave.getAttribute('data-state')) === 'saved');
    assert.deepEqual((await kept(page)).stores, { edits: 2, files: 1, meta: 1 });
    await shot(page, 'persist-restored.png', { fullPage: false });

    // Export: unencrypted, then with a passphrase (Argon2id in the worker: the difference).
    const plain = await exportWorkspace(page, '', 'workspace-plain.awspace');
    const sealed = await exportWorkspace(page, PASSPHRASE, 'workspace.awspace');
    console.log(`workspace export: ${plain.status} | ${sealed.status}`);
    assert.match(sealed.status, /encrypted/);
    const bytes = await fsp.readFile(sealed.file);
    assert.equal(bytes.subarray(0, 8).toString('latin1'), 'AWSPACE\n');
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8'));
    assert.equal(header.encryption.kdf, 'argon2id');
    assert.equal(header.encryption.cipher, 'chacha20poly1305-stream-be32');
    assert.equal(header.encryption.salt.length, 32);
    assert.ok(!bytes.includes(Buffer.from(TITLE)), 'the title is not readable in the encrypted file');
    assert.ok((await fsp.readFile(plain.file)).includes(Buffer.from(TITLE)), 'the plain file carries the change log');
    await shot(page, 'persist-exported.png', { fullPage: false });

    // Clear all data: a confirmation first, then nothing is left, even after another reload.
    await openMenu(page);
    await page.getByTestId('clear-data').click();
    await page.getByTestId('clear-data-confirm').waitFor({ state: 'visible' });
    await shot(page, 'persist-clear-confirm.png', { fullPage: false });
    await assertClean('before clearing');
    await page.getByTestId('clear-data-confirm').click();
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    assert.equal(hashOf(page), '', 'the page at its start');
    const left = await kept(page);
    assert.deepEqual(left.local, [], 'no preference kept');
    // The page's start may open the database anew, empty.
    assert.ok(Object.values(left.stores).every((n) => n === 0), `nothing left: ${JSON.stringify(left.stores)}`);
    // The page reloaded itself: its worker and icon finish loading before the next reload.
    await page.waitForLoadState('networkidle');
    await page.reload();
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getByTestId('incident-row').count(), 0);
    assert.equal(await page.getByTestId('autosave-status').count(), 0, 'nothing saved, nothing said');

    // A wrong passphrase, none, a changed byte, a cut-off file: a clear error, nothing loaded.
    let answer = await importWorkspace(page, sealed.file, 'not the passphrase');
    assert.equal(answer.state, 'error');
    assert.match(answer.text, /Wrong passphrase: the workspace was not opened/);
    assert.equal(await page.getByTestId('incident-row').count(), 0);
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    await shot(page, 'persist-wrong-passphrase.png', { fullPage: false });
    answer = await importWorkspace(page, sealed.file, '');
    assert.match(answer.text, /This workspace is encrypted: type its passphrase/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'workspace-passphrase');
    const changed = Buffer.from(bytes);
    changed[changed.length - 100] ^= 0x20;
    answer = await importWorkspace(page, { name: 'changed.awspace', mimeType: 'application/octet-stream', buffer: changed }, PASSPHRASE);
    assert.match(answer.text, /changed or damaged \(block \d+ does not authenticate\)/);
    answer = await importWorkspace(page, { name: 'cut.awspace', mimeType: 'application/octet-stream', buffer: bytes.subarray(0, bytes.length - 5000) }, PASSPHRASE);
    assert.match(answer.text, /cut off/);
    assert.equal(await page.getByTestId('incident-row').count(), 0);

    // The right passphrase: everything back, and saved again.
    const t0 = Date.now();
    answer = await importWorkspace(page, sealed.file, PASSPHRASE);
    console.log(`workspace import (encrypted, ${bytes.length} bytes): ${Date.now() - t0} ms from choosing the file to the answer`);
    assert.equal(answer.state, 'done', answer.text);
    assert.match(answer.text, /Workspace opened: 1 file, 2 changes/);
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
    await waitUntil(`the workspace's grouping: ${grouped} incidents`, async () => (await queueCount(page)) === grouped);
    await shot(page, 'persist-imported.png', { fullPage: false });
    await page.getByTestId('settings-open').click();
    assert.ok(await page.getByTestId('settings-grouping-source').isChecked(), 'the settings came with the workspace');
    // Each address change has Chromium ask for the icon again: let it finish first.
    await page.waitForLoadState('networkidle');
    await page.goto(url + `#/incidents/${id}/summary`);
    await page.waitForLoadState('networkidle');
    await waitUntil('the renamed incident', async () => (await page.getByTestId('incident-title').innerText()) === TITLE);
    assert.match(await page.getByTestId('comment').first().innerText(), /Isolated FS01 before the reload/);
    await waitUntil('the import saved', async () => {
      const k = await kept(page);
      return k.stores.edits === 2 && k.stores.files === 1 && (await autosave.getAttribute('data-state')) === 'saved';
    });
    await assertClean('before the last reload');
    await page.reload();
    await waitUntil('the imported workspace after a reload', async () =>
      (await page.getByTestId('incident-title').innerText().catch(() => '')) === TITLE);
  });

  e2e('persist', 'files added to a workspace keep its changes, and come back after a reload', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const autosave = page.getByTestId('autosave-status');
    await waitUntil('the demo saved', async () => (await autosave.getAttribute('data-state')) === 'saved');
    const id = await openLargestIncident(page);
    await page.getByTestId('incident-rename').fill(TITLE);
    await page.getByTestId('incident-rename-save').click();
    await waitUntil('the new title', async () => (await page.getByTestId('incident-title').innerText()) === TITLE);
    await waitUntil('the rename saved', async () => (await kept(page)).stores.edits === 1);
    await page.keyboard.press('Escape');
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
    const n0 = await queueCount(page);

    // The queue's picker adds: a real Graph alerts sample of another tenant joins the demo.
    await page.getByTestId('file-input').setInputFiles(SAMPLE);
    await waitUntil('the sample added to the queue', async () => (await queueCount(page)) > n0);
    await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
    const n1 = await queueCount(page);
    await waitUntil('the added file saved beside the demo', async () => {
      const stores = (await kept(page)).stores;
      return stores.files === 2 && stores.edits === 1;
    });
    assert.match(await page.getByTestId('completeness-report').innerText(), /^2 files\b/, 'the demo and the sample');
    await page.goto(`${url}#/incidents/${id}/summary`);
    await waitUntil('the rename survived the added file', async () =>
      (await page.getByTestId('incident-title').innerText().catch(() => '')) === TITLE);

    // After a reload: both files and the change.
    await page.reload();
    await waitUntil('the renamed incident back', async () =>
      (await page.getByTestId('incident-title').innerText().catch(() => '')) === TITLE);
    await page.keyboard.press('Escape');
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
    assert.equal(await queueCount(page), n1, 'both files restored');
    await waitForRestored(page);
  });

  e2e('persist', 'a workspace file chosen with the export files opens as a workspace', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const n = await queueCount(page);
    const { file } = await exportWorkspace(page, PASSPHRASE, 'workspace-picker.awspace');
    await page.getByTestId('clear-data').click();
    await page.getByTestId('clear-data-confirm').click();
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });

    // Chosen on the landing page without a passphrase: the menu opens and asks for it.
    await page.getByTestId('file-input').setInputFiles(file);
    const status = page.getByTestId('workspace-status');
    await waitUntil('the passphrase asked for', async () => (await status.getAttribute('data-state').catch(() => null)) === 'error');
    assert.equal(await page.getByTestId('workspace-menu').evaluate((d) => d.open), true, 'the menu is open');
    assert.equal(await page.getByTestId('workspace-passphrase').evaluate((e) => e === document.activeElement), true, 'the passphrase field has the focus');
    assert.equal(await page.getByTestId('incident-row').count(), 0, 'nothing loaded, and no unknown-format problem');
    await shot(page, 'persist-picker-needs-passphrase.png', { fullPage: false });

    // With the passphrase typed, the same picker opens it.
    await page.getByTestId('workspace-passphrase').fill(PASSPHRASE);
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
    assert.equal(await queueCount(page), n);
    await waitForRestored(page);
  });

  e2e('persist', 'two tabs: once one saves, the other stops writing and says so', {}, async ({ page, context, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const status = (p) => p.getByTestId('autosave-status');
    await waitUntil('saved', async () => (await status(page).getAttribute('data-state')) === 'saved');
    const other = await context.newPage();
    await other.goto(url);
    await waitForRestored(other);
    await waitUntil('the other tab restored', async () => (await status(other).getAttribute('data-state')) === 'saved');

    // A change in the first tab: the second one no longer writes.
    const id = await openLargestIncident(page);
    await page.getByTestId('incident-rename').fill('Renamed in the first tab');
    await page.getByTestId('incident-rename-save').click();
    await waitUntil('the other tab superseded', async () => (await status(other).getAttribute('data-state')) === 'superseded');
    assert.match(await status(other).getAttribute('title'), /Another tab saved this workspace since/);
    await shot(other, 'persist-superseded.png', { fullPage: false });
    await other.goto(url + `#/incidents/${id}/summary`);
    await other.getByTestId('comment-input').fill('Not kept: written in the second tab.');
    await other.getByTestId('comment-submit').click();
    await other.getByTestId('comment').first().waitFor({ state: 'visible' });
    await other.waitForLoadState('networkidle');
    const edits = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('alertweave');
      open.onsuccess = () => {
        const count = open.result.transaction('edits').objectStore('edits').count();
        count.onsuccess = () => { resolve(count.result); open.result.close(); };
      };
    }));
    assert.equal(edits, 1, 'only the first tab\'s change is saved');

    // Reloaded, the second tab shows what was saved.
    await other.reload();
    await waitUntil('the saved rename', async () =>
      (await other.getByTestId('incident-title').innerText().catch(() => '')) === 'Renamed in the first tab');
    assert.equal(await other.getByTestId('comment').count(), 0);
    await other.waitForLoadState('networkidle');
    await other.close();
  });

  e2e('persist', 'the Workspace menu in Dutch, on the landing page', { locale: 'nl-NL' }, async ({ page, url }) => {
    await page.goto(url + '#/incidents/aw-0123456789abcdef/summary');
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    // Once the browser said it holds nothing.
    await waitUntil('the notice', async () => /Laad de gegevens opnieuw om incident aw-0123456789abcdef te openen: in deze browser is niets opgeslagen/
      .test(await page.locator('main').innerText()));
    await openMenu(page);
    assert.ok(await page.getByTestId('workspace-export').isDisabled(), 'nothing to export before a load');
    assert.equal(await page.getByTestId('workspace-menu').locator('summary').innerText(), 'Werkruimte');
    assert.equal(await page.getByTestId('clear-data').innerText(), 'Alle gegevens uit deze browser wissen');
    await page.getByTestId('workspace-import').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const status = page.getByTestId('workspace-status');
    await waitUntil('the refusal', async () => (await status.getAttribute('data-state')) === 'error');
    assert.match(await status.innerText(), /Dit is geen Alertweave-werkruimtebestand/);
    await shot(page, 'persist-menu-nl.png', { fullPage: false });
  });
});
