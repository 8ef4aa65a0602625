// The incident tabs' own controls: the Evidence and Response tab's filters (verdict and type),
// the Devices tab's process tree, and the Investigations tab grouped by investigation, on the
// demo's largest incident. Screenshots: target/e2e/tabs-*.png.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { e2e, hashOf, loadDemo, openLargestIncident, shot, useBrowser, waitUntil } from './harness.mjs';

useBrowser();

async function openTab(page, id, tab) {
  await page.getByTestId(`incident-tab-${tab}`).click();
  await waitUntil(`tab ${tab}`, () => hashOf(page) === `#/incidents/${id}/${tab}`);
}

describe('incident tabs', () => {
  e2e('tabs', 'evidence filters, process tree, investigations', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const id = await openLargestIncident(page);

    await openTab(page, id, 'evidence');
    const rows = page.getByTestId('evidence-row');
    await rows.first().waitFor({ state: 'visible' });
    const all = await rows.count();
    const verdicts = await rows.evaluateAll((els) => els.map((e) => e.dataset.verdict));
    const kinds = await rows.evaluateAll((els) => els.map((e) => e.dataset.kind));
    assert.ok(new Set(verdicts).size > 1 && new Set(kinds).size > 1, 'a mixed incident');
    // By verdict: exactly the rows with that verdict.
    const verdict = verdicts.find((v) => v !== 'unknown');
    await page.getByTestId('evidence-filter-verdict').selectOption(verdict);
    const want = verdicts.filter((v) => v === verdict).length;
    await waitUntil('rows of one verdict', async () => (await rows.count()) === want);
    assert.ok(want < all);
    assert.deepEqual([...new Set(await rows.evaluateAll((els) => els.map((e) => e.dataset.verdict)))], [verdict]);
    assert.match(await page.getByTestId('evidence-count').innerText(), new RegExp(`^${want} of ${all} shown`));
    // And by type, on top of it.
    const kind = kinds[verdicts.indexOf(verdict)];
    await page.getByTestId('evidence-filter-type').selectOption(kind);
    const both = verdicts.filter((v, i) => v === verdict && kinds[i] === kind).length;
    await waitUntil('rows of one verdict and type', async () => (await rows.count()) === both);
    await shot(page, 'tabs-evidence-filtered.png', { fullPage: false });
    await page.getByTestId('evidence-filter-verdict').selectOption('');
    await page.getByTestId('evidence-filter-type').selectOption('');
    await waitUntil('every row back', async () => (await rows.count()) === all);

    // Devices: each device's processes, parent → child, with the parent the evidence names.
    await openTab(page, id, 'devices');
    const tree = page.getByTestId('process-tree');
    await tree.waitFor({ state: 'visible' });
    const procs = await tree.locator('.proc[data-entity-id]').count();
    assert.ok(procs > 0, 'processes of the evidence');
    assert.ok(await tree.locator('.proc.named-parent + code, .proc.named-parent ~ ul .proc').count() > 0, 'children under a named parent');
    await tree.scrollIntoViewIfNeeded();
    await shot(page, 'tabs-process-tree.png', { fullPage: false });

    // Investigations: one row per investigation, or the statement of which export would have one.
    await openTab(page, id, 'investigations');
    await page.locator('[data-testid=investigation-row], .empty').first().waitFor({ state: 'visible' });
    await shot(page, 'tabs-investigations.png', { fullPage: false });
  });
});
