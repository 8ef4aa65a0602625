// Issues 5 and 6 in the browser: merging incidents (and undoing it), moving an alert to a new
// incident, splitting, an alert's own status and classification, the severity override, the
// queue's selection and bulk actions, and pseudonymized report downloads.
// The shared harness (harness.mjs): Debian's Chromium, the release build, no request leaves the origin.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { e2e, hashOf, loadDemo, openLargestIncident, settle, shot, shots, useBrowser, waitForRestored, waitUntil } from './harness.mjs';

useBrowser();

const rows = (page) => page.getByTestId('incident-row');
const queueCount = async (page) => Number((await page.getByTestId('queue-count').innerText()).replace(/[^\d].*$/, ''));
const alertRows = (page) => page.getByTestId('alert-row');

/** The queue sorted by active alerts, largest first: the first `n` rows' ids and alert counts. */
async function largest(page, n) {
  await page.locator('th[data-col=active] button').click();
  return waitUntil('rows sorted by active alerts, largest first', async () => {
    const found = await rows(page).evaluateAll((els) => els.map((e) => ({
      id: e.dataset.incidentId,
      alerts: Number(e.querySelector('td[data-col=active]').textContent.split('/')[1]),
      active: Number(e.querySelector('td[data-col=active]').textContent.split('/')[0]),
    })));
    return found.length >= n && found[0].active >= 2 && found.every((r, i) => i === 0 || found[i - 1].active >= r.active)
      ? found.slice(0, n) : null;
  });
}

async function openIncident(page, url, id, tab = 'summary') {
  await page.goto(url + `#/incidents/${id}/${tab}`);
  await page.getByTestId('incident-title').waitFor({ state: 'visible' });
}

async function countAlerts(page, url, id) {
  await openIncident(page, url, id, 'alerts');
  await alertRows(page).first().waitFor({ state: 'visible' });
  return alertRows(page).count();
}

describe('merge, move, split and bulk actions', () => {
  e2e('bulk', 'merge two incidents from the incident page, then undo: both come back as they were', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const total = await queueCount(page);
    const [a, b] = await largest(page, 2);
    await openIncident(page, url, a.id);

    // Find the other incident by its id in the "Merge with…" picker.
    await page.getByTestId('merge-open').locator('summary').click();
    await page.getByTestId('merge-search').fill(b.id);
    await page.getByTestId('merge-find').click();
    const candidate = page.locator(`[data-testid=merge-candidate][data-incident-id="${b.id}"]`);
    await candidate.waitFor({ state: 'visible' });
    await candidate.check();
    await shot(page, 'bulk-merge-picker.png', { fullPage: false });
    await page.getByTestId('merge-confirm').click();

    // The page follows the merged incident (its id is the one of the earlier anchor).
    // The address follows once the view is drawn: wait until both name the same incident.
    const merged = await waitUntil('the merged incident shown', async () => {
      const m = /^#\/incidents\/([^/]+)\/summary$/.exec(hashOf(page));
      const activity = await page.getByTestId('activity').innerText().catch(() => '');
      const shown = await page.locator('section.incident').getAttribute('data-incident-id').catch(() => null);
      return m && m[1] === shown && /merged/i.test(activity) ? m[1] : null;
    });
    assert.ok(merged === a.id || merged === b.id, `merged into ${merged}`);
    assert.match(await page.getByTestId('receipts').innerText(), /merged by hand|manual-merge/i);
    await page.getByTestId('incident-tab-alerts').click();
    await waitUntil('every alert of both in one incident', async () => (await alertRows(page).count()) === a.alerts + b.alerts);
    await page.goto(url + '#/incidents');
    await waitUntil('one incident fewer in the queue', async () => (await queueCount(page)) === total - 1);

    // Undo (from the merged incident): both incidents are back, with their ids and alerts.
    await openIncident(page, url, merged);
    await page.getByTestId('undo').click();
    await waitUntil('the merge undone', async () => /undone/.test(await page.getByTestId('activity').innerText()));
    await page.goto(url + '#/incidents');
    await waitUntil('both incidents back in the queue', async () => (await queueCount(page)) === total);
    assert.equal(await countAlerts(page, url, a.id), a.alerts);
    assert.equal(await countAlerts(page, url, b.id), b.alerts);
  });

  e2e('bulk', 'alert status and classification, move to a new incident, split, severity override', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const total = await queueCount(page);
    const id = await openLargestIncident(page);
    await page.getByTestId('incident-tab-alerts').click();
    const n = await waitUntil('alert rows', async () => alertRows(page).count());
    assert.ok(n >= 5, `the largest incident has ${n} alerts`);

    // An alert's own status and classification, in its detail panel.
    const first = alertRows(page).first();
    const firstId = await first.getAttribute('data-alert-id');
    await first.locator('summary').click();
    await first.getByTestId('alert-status').selectOption('resolved');
    const row = page.locator(`[data-testid=alert-row][data-alert-id="${firstId}"]`);
    await waitUntil('the alert resolved', async () => (await row.locator('td').nth(3).innerText()) === 'Resolved');
    await row.getByTestId('alert-classification').selectOption('falsePositive');
    await waitUntil('determinations for a false positive', async () => !(await row.getByTestId('alert-determination').isDisabled()));
    await row.getByTestId('alert-determination').selectOption('notMalicious');
    await waitUntil('the determination kept', async () => (await row.getByTestId('alert-determination').inputValue()) === 'notMalicious');
    assert.equal(await row.getByTestId('alert-classification').inputValue(), 'falsePositive');
    assert.equal(hashOf(page), `#/incidents/${id}/alerts`);
    await shot(page, 'bulk-alert-manage.png');

    // Move one alert to an incident that shares entities with this one (the picker offers
    // those first, with a new incident as the default).
    const lastButOne = alertRows(page).nth(n - 2);
    await lastButOne.locator('summary').click();
    const target = lastButOne.getByTestId('move-target');
    assert.equal(await target.inputValue(), '', 'a new incident is the default target');
    await waitUntil('incidents offered', async () => (await target.locator('option').count()) > 1);
    const targetId = await target.locator('option').nth(1).getAttribute('data-incident-id');
    await target.selectOption({ index: 1 });
    await lastButOne.getByTestId('move-confirm').click();
    await waitUntil('the alert moved to the other incident', async () => (await alertRows(page).count()) === n - 1);
    assert.ok(targetId && targetId !== id);

    // Move the last alert to a new incident: this incident keeps the rest.
    const last = alertRows(page).last();
    const movedId = await last.getAttribute('data-alert-id');
    await last.locator('summary').click();
    await last.getByTestId('move-confirm').click();
    await waitUntil('the alert moved out', async () => (await alertRows(page).count()) === n - 2);
    assert.equal(await page.locator(`[data-testid=alert-row][data-alert-id="${movedId}"]`).count(), 0);
    assert.equal(hashOf(page), `#/incidents/${id}/alerts`, 'the page stays with the rest');

    // Split two alerts (not the first) off into a new incident.
    const picks = page.getByTestId('alert-select');
    await picks.nth(1).check();
    await picks.nth(2).check();
    assert.match(await page.getByTestId('split-bar').innerText(), /2 selected/);
    await shot(page, 'bulk-split-ticked.png', { fullPage: false });
    await page.getByTestId('split-selected').click();
    await waitUntil('two alerts split off', async () => (await alertRows(page).count()) === n - 4);
    await page.getByTestId('incident-tab-summary').click();
    const activity = await page.getByTestId('activity').innerText();
    assert.match(activity, /moved to the incident of/);
    assert.match(activity, /moved to a new incident/);
    assert.match(activity, /2 alerts split into a new incident/);

    // Severity override, and back to the alerts' severity.
    const before = await page.locator('.incident-head .severity').innerText();
    const severity = before === 'Low' ? 'informational' : 'low';
    await page.getByTestId('incident-severity').selectOption(severity);
    await waitUntil('the severity overridden', async () =>
      (await page.locator('.incident-head .severity').innerText()).toLowerCase() === severity);
    await page.getByTestId('incident-severity').selectOption('');
    await waitUntil('the severity from the alerts', async () => (await page.locator('.incident-head .severity').innerText()) === before);

    // The queue has the two new incidents.
    await page.goto(url + '#/incidents');
    await waitUntil('two more incidents in the queue', async () => (await queueCount(page)) === total + 2);
  });

  e2e('bulk', 'queue: tick rows, bulk status, assignment, tag, resolve with a note and merge; ticks survive scrolling', {}, async ({ page, url }) => {
    // The assignment and tag columns shown, so the rows can show the changes.
    await page.addInitScript(() => localStorage.setItem('alertweave.queue.columns', 'name,id,severity,status,tags,assigned,active,last'));
    await page.goto(url);
    await loadDemo(page);
    const total = await queueCount(page);
    const ids = await rows(page).evaluateAll((els) => els.slice(0, 3).map((e) => e.dataset.incidentId));
    for (const id of ids) {
      await page.locator(`[data-testid=incident-row][data-incident-id="${id}"] [data-testid=incident-select]`).check();
    }
    assert.equal(await page.getByTestId('bulk-count').innerText(), '3 selected');
    const row = (id) => page.locator(`[data-testid=incident-row][data-incident-id="${id}"]`);
    const cell = (id, col) => row(id).locator(`td[data-col=${col}]`).innerText();

    await page.getByTestId('bulk-status').selectOption('in_progress');
    await waitUntil('three rows in progress', async () => {
      for (const id of ids) if ((await cell(id, 'status')) !== 'In progress') return false;
      return true;
    });
    await page.getByTestId('bulk-assign').fill('ana@soc.example');
    await page.getByTestId('bulk-assign-save').click();
    await page.getByTestId('bulk-tag').fill('wave-1');
    await page.getByTestId('bulk-tag-add').click();
    await waitUntil('three rows assigned and tagged', async () => {
      for (const id of ids) {
        if ((await cell(id, 'assigned')) !== 'ana@soc.example' || !(await cell(id, 'tags')).includes('wave-1')) return false;
      }
      return true;
    });
    await shot(page, 'bulk-queue.png', { fullPage: false });

    // The ticks are kept by id: scrolled out of the rendered window and back, still ticked.
    const scroller = page.getByTestId('queue-scroll');
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await waitUntil('the first rows scrolled out', async () => (await row(ids[0]).count()) === 0);
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    await waitUntil('the ticked rows back, still ticked', async () => {
      for (const id of ids) if (!(await row(id).getByTestId('incident-select').isChecked().catch(() => false))) return false;
      return true;
    });

    // Resolving asks for a note, then resolves the incidents and their alerts.
    await page.getByTestId('bulk-status').selectOption('resolved');
    await page.getByTestId('bulk-resolve-note').waitFor({ state: 'visible' });
    assert.ok(await page.getByTestId('bulk-resolve-confirm').isDisabled(), 'no resolution without a note');
    await page.getByTestId('bulk-resolve-note').fill('Benign admin activity, confirmed with IT.');
    await page.getByTestId('bulk-resolve-confirm').click();
    await waitUntil('three rows resolved, no active alerts', async () => {
      for (const id of ids) {
        if ((await cell(id, 'status')) !== 'Resolved' || !(await cell(id, 'active')).startsWith('0/')) return false;
      }
      return true;
    });

    // A new search clears the ticks; "select all" ticks every incident of the view.
    await page.goto(url + '#/incidents?tag=wave-1');
    await waitUntil('the tagged view', async () => (await queueCount(page)) === 3);
    assert.equal(await page.getByTestId('bulk-count').innerText(), '0 selected');
    await page.getByTestId('bulk-select-all').click();
    await waitUntil('all three ticked', async () => (await page.getByTestId('bulk-count').innerText()) === '3 selected');
    await page.getByTestId('bulk-clear').click();
    assert.equal(await page.getByTestId('bulk-count').innerText(), '0 selected');
    await page.getByTestId('bulk-select-all').click();
    await waitUntil('all three ticked again', async () => (await page.getByTestId('bulk-count').innerText()) === '3 selected');
    await shot(page, 'bulk-select-all.png', { fullPage: false });
    await page.goto(url + '#/incidents');

    // Merge two ticked incidents: one incident fewer, the tick on the merged one.
    await waitUntil('the whole queue', async () => (await queueCount(page)) === total);
    assert.equal(await page.getByTestId('bulk-count').innerText(), '0 selected', 'another filter: ticks cleared');
    await row(ids[0]).getByTestId('incident-select').check();
    await row(ids[1]).getByTestId('incident-select').check();
    await page.getByTestId('bulk-merge').click();
    await waitUntil('one incident fewer', async () => (await queueCount(page)) === total - 1);
    assert.equal(await page.getByTestId('bulk-count').innerText(), '1 selected');
  });

  e2e('bulk', 'reports: one that matches the incident, and a pseudonymized one that names no one', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const id = await openLargestIncident(page);
    const title = await page.getByTestId('incident-title').innerText();
    await page.getByTestId('incident-tab-alerts').click();
    const n = await waitUntil('alert rows', async () => alertRows(page).count());
    // The people and machines the incident names (built-in accounts name no one).
    const names = [];
    for (const tab of ['users', 'devices']) {
      await page.getByTestId(`incident-tab-${tab}`).click();
      // The previous tab's rows carry the same hook: wait for this tab's.
      await waitUntil(`the ${tab} tab`, async () => hashOf(page).endsWith(`/${tab}`) &&
        (await page.getByTestId(`incident-tab-${tab}`).getAttribute('aria-selected')) === 'true');
      await page.getByTestId('entity-row').first().waitFor({ state: 'visible' });
      names.push(...await page.getByTestId('entity-row').evaluateAll((els) =>
        els.map((e) => e.querySelector('td.name').firstChild.textContent.trim())));
    }
    // `DOMAIN\name` is also written as the name alone (and Markdown doubles the backslash).
    const personal = [...new Set(names.flatMap((x) => [x, x.split('\\').pop()]))]
      .filter((x) => x.length >= 4 && !/AUTHORITY|^SYSTEM$|LOCAL SERVICE|NETWORK SERVICE/i.test(x));
    assert.ok(personal.length >= 2, `names: ${names}`);
    await page.getByTestId('incident-tab-summary').click();

    const download = async (hook, name) => {
      const link = page.getByTestId(hook);
      await link.waitFor({ state: 'visible' });
      const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const file = path.join(shots, name);
      await d.saveAs(file);
      return fsp.readFile(file, 'utf8');
    };

    // Plain: the incident's title, id, alert count and names.
    assert.equal(await page.getByTestId('pseudonymize').isChecked(), false, 'off by default');
    await page.getByTestId('report-make').click();
    const plainHtml = await download('report-download', 'bulk-report.html');
    const escaped = title.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    assert.ok(plainHtml.includes(`<title>`) && plainHtml.includes(escaped), 'the title');
    const plain = await download('report-download-md', 'bulk-report.md');
    assert.ok(plain.includes(id), 'the id');
    assert.ok(plain.includes(`Alerts (${n})`), `the alert count ${n}`);
    assert.ok(personal.some((x) => plain.includes(x)), `the plain report names people and hosts (${personal})`);

    // Pseudonymized: the report already made is made again; it names no one, says so, and
    // carries aliases.
    await page.getByTestId('pseudonymize').check();
    const html = await waitUntil('the pseudonymized report', async () => {
      const text = await download('report-download', 'bulk-report-pseudonymized.html');
      return text.includes('Pseudonymized') ? text : null;
    });
    const md = await download('report-download-md', 'bulk-report-pseudonymized.md');
    for (const text of [html, md]) {
      for (const x of personal) assert.ok(!text.toLowerCase().includes(x.toLowerCase()), `${x} in a pseudonymized report`);
      assert.match(text, /\b(user|host)-[0-9a-f]{8}\b/, 'aliases');
      assert.ok(text.includes(`Alerts (${n})`) || text.includes(`${n}`), 'still every alert');
    }
    await page.getByTestId('iocs-make').click();
    const csv = await download('iocs-download-csv', 'bulk-iocs-pseudonymized.csv');
    for (const x of personal) assert.ok(!csv.toLowerCase().includes(x.toLowerCase()), `${x} in pseudonymized indicators`);

    // The same key later: the same aliases (the key is kept in this browser).
    const aliases = (text) => [...new Set(text.match(/\b(user|host)-[0-9a-f]{8}\b/g))].sort();
    await page.reload();
    // The autosave brings the workspace and the open incident back.
    await waitForRestored(page);
    await page.getByTestId('incident-title').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('incident-title').innerText(), title);
    assert.equal(await page.getByTestId('pseudonymize').isChecked(), true, 'the choice is kept');
    await page.getByTestId('report-make').click();
    const again = await download('report-download-md', 'bulk-report-pseudonymized-again.md');
    assert.deepEqual(aliases(again), aliases(md), 'stable aliases');
    await settle(page);
    await shot(page, 'bulk-pseudonymize.png', { fullPage: false });
  });
});
