// End-to-end tests of the incident queue (issue 5): filters, sort and the address, columns,
// saved filter sets, time presets, the histogram, keyboard navigation and virtualized rows.
//
// Run: `trunk build --release --offline && node --test tests/e2e/` (scripts/test.sh does both).
// The same setup as app.test.mjs: Debian's Chromium, dist/ served on 127.0.0.1, every test
// checks at its end that no CSP violation, page error or console error happened and that no
// request left the origin. Screenshots: target/e2e/queue-*.png.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { e2e, hashOf, loadDemo, origin, shot, useBrowser, waitForRestored, waitUntil } from './harness.mjs';

useBrowser();


async function queueCount(page) {
  const nums = (await page.getByTestId('queue-count').innerText()).replace(/(\d)[,.\u00a0\u202f ](?=\d{3}\b)/g, '$1').match(/\d+/g);
  return nums.map(Number);
}

const rowIds = (page) => page.getByTestId('incident-row').evaluateAll((els) => els.map((e) => e.dataset.incidentId));
const cellTexts = (page, col) =>
  page.getByTestId('incident-row').evaluateAll((els, col) => els.map((e) => e.querySelector(`[data-col=${col}]`)?.textContent.trim()), col);

/** Ticks one value in a filter's menu and closes the menu. */
async function pick(page, filter, value) {
  const menu = page.getByTestId(`queue-filter-${filter}`);
  await menu.locator('summary').click();
  await menu.locator(`input[data-value="${value}"]`).check();
  await menu.locator('summary').click();
}

describe('incident queue', () => {
  e2e('queue', 'filters by severity and status live in the address and survive a reload and a copied link', {}, async ({ page, context }) => {
    await page.goto(origin + '/');
    await loadDemo(page);
    const [total] = await queueCount(page);
    await pick(page, 'severity', 'high');
    await waitUntil('severity in the hash', () => hashOf(page).includes('severity=high'));
    await pick(page, 'status', 'new');
    await waitUntil('status in the hash', () => hashOf(page) === '#/incidents?status=new&severity=high');
    const [shown] = await waitUntil('a filtered count', async () => {
      const n = await queueCount(page);
      return n.length === 2 && n;
    });
    assert.ok(shown > 0 && shown < total, `${shown} of ${total}`);
    await waitUntil('only new, high rows', async () => {
      const sev = await cellTexts(page, 'severity');
      const status = await cellTexts(page, 'status');
      return sev.length > 0 && sev.every((s) => s === 'High') && status.every((s) => s === 'New');
    });
    const ids = await rowIds(page);
    await page.getByTestId('queue-severity-high').waitFor();
    assert.equal(await page.getByTestId('queue-severity-high').getAttribute('aria-pressed'), 'true');
    await shot(page, 'queue-filtered.png', { fullPage: false });

    // Reload: the autosave brings the data back, and the address the view.
    await page.reload();
    await waitForRestored(page);
    assert.equal(hashOf(page), '#/incidents?status=new&severity=high');
    await waitUntil('the same rows after a reload', async () => JSON.stringify(await rowIds(page)) === JSON.stringify(ids));
    assert.match(await page.getByTestId('queue-filter-severity').locator('summary').innerText(), /Severity: High/);

    // The link in another tab of this browser: the autosave opens the data there too.
    const other = await context.newPage();
    await other.goto(page.url());
    await waitForRestored(other);
    await waitUntil('the same rows from a copied link', async () => JSON.stringify(await rowIds(other)) === JSON.stringify(ids));
    await other.close();

    // Clicking a severity count toggles it; clear removes every filter.
    await page.getByTestId('queue-severity-medium').click();
    await waitUntil('severity high and medium', () => hashOf(page).includes('severity=high,medium'));
    await page.getByTestId('queue-clear-filters').click();
    await waitUntil('no filter in the hash', () => hashOf(page) === '#/incidents');
    await waitUntil(`all ${total} incidents again`, async () =>
      JSON.stringify(await queueCount(page)) === JSON.stringify([total]));
  });

  e2e('queue', 'sorting by a column, both ways, in the address', {}, async ({ page }) => {
    await page.goto(origin + '/#/incidents');
    await loadDemo(page);
    await page.locator('th[data-col=name] button').click();
    await waitUntil('sort=name', () => hashOf(page) === '#/incidents?sort=name');
    const sorted = (xs, dir) => xs.every((x, i) => i === 0 || dir * xs[i - 1].localeCompare(x, 'en', { sensitivity: 'base' }) <= 0);
    await waitUntil('names A→Z', async () => sorted(await cellTexts(page, 'name'), 1));
    assert.equal(await page.locator('th[data-col=name]').getAttribute('aria-sort'), 'ascending');
    await page.locator('th[data-col=name] button').click();
    await waitUntil('sort=-name', () => hashOf(page) === '#/incidents?sort=-name');
    await waitUntil('names Z→A', async () => sorted(await cellTexts(page, 'name'), -1));
    // Back to the default view through the address bar.
    await page.goto(origin + '/#/incidents?sort=-active');
    await waitUntil('active alerts, most first', async () => {
      const n = (await cellTexts(page, 'active')).map((t) => Number(t.split('/')[0]));
      return n.length > 1 && n[0] >= 2 && n.every((x, i) => i === 0 || n[i - 1] >= x);
    });
  });

  e2e('queue', 'columns are chosen and reordered, and kept across a reload', {}, async ({ page }) => {
    await page.goto(origin + '/');
    await loadDemo(page);
    const headers = () => page.locator('table.queue thead th').evaluateAll((els) => els.map((e) => e.dataset.col));
    const before = await headers();
    assert.ok(!before.includes('tags') && before.includes('severity'), before.join());
    const menu = page.getByTestId('queue-columns');
    await menu.locator('summary').click();
    await page.getByTestId('queue-column-tags').check();
    await page.getByTestId('queue-column-status').uncheck();
    await page.getByTestId('queue-column-up-severity').click();
    await shot(page, 'queue-columns.png', { fullPage: false });
    await menu.locator('summary').click();
    const after = await headers();
    assert.ok(after.includes('tags') && !after.includes('status'), after.join());
    assert.ok(after.indexOf('severity') < after.indexOf('id'), after.join());
    // Every row has one cell per column.
    const cells = await page.getByTestId('incident-row').first().locator('td').count();
    assert.equal(cells, after.length);
    await page.reload();
    await waitForRestored(page);
    assert.deepEqual(await headers(), after);
    await menu.locator('summary').click();
    await page.getByTestId('queue-columns-reset').click();
    assert.deepEqual(await headers(), before);
  });

  e2e('queue', 'keyboard: / searches, j and k move, Enter opens, Esc returns with the filters', {}, async ({ page }) => {
    await page.goto(origin + '/#/incidents?severity=medium');
    await loadDemo(page);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'queue-search');
    await page.keyboard.press('Escape'); // leaves the search box
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const selected = page.locator('[data-testid=incident-row].selected');
    await waitUntil('the second row chosen', async () => (await selected.getAttribute('data-position')) === '1');
    const id = await selected.getAttribute('data-incident-id');
    assert.equal(id, (await rowIds(page))[1]);
    await shot(page, 'queue-keyboard.png', { fullPage: false });
    await page.keyboard.press('Enter');
    await waitUntil(`the incident ${id}`, () => hashOf(page) === `#/incidents/${id}/summary`);
    await page.getByTestId('incident-title').waitFor();
    assert.equal(await page.locator('a.back').getAttribute('href'), '#/incidents?severity=medium');
    await page.keyboard.press('Escape');
    await waitUntil('back on the filtered queue', () => hashOf(page) === '#/incidents?severity=medium');
    await waitUntil('the chosen row kept', async () => (await selected.getAttribute('data-incident-id')) === id);
  });

  e2e('queue', 'time presets count back from the data, the histogram follows, saved filter sets reapply', {}, async ({ page }) => {
    await page.goto(origin + '/');
    await loadDemo(page);
    const [total] = await queueCount(page);
    const histogram = page.getByTestId('queue-histogram');
    await histogram.waitFor();
    const bars = () => histogram.locator('rect:not(.hit)').count();
    assert.ok((await bars()) > 5, 'histogram bars');
    // The demo's data ended long before today: a wall-clock "last week" would be empty.
    await page.getByTestId('queue-filter-time').selectOption('1w');
    await waitUntil('time=1w', () => hashOf(page) === '#/incidents?time=1w');
    const [week] = await waitUntil('a week of incidents', async () => {
      const n = await queueCount(page);
      return n.length === 2 && n;
    });
    assert.ok(week > 0 && week < total, `${week} of ${total}`);
    assert.ok((await bars()) > 0);
    await shot(page, 'queue-time.png', { fullPage: false });

    // Save it with a severity, clear, reapply.
    await page.getByTestId('queue-severity-medium').click();
    await waitUntil('severity=medium', () => hashOf(page).includes('severity=medium'));
    const saved = page.getByTestId('queue-saved');
    await saved.locator('summary').click();
    await page.getByTestId('queue-save-name').fill('Medium, last week');
    await page.getByTestId('queue-save').click();
    await waitUntil('one saved set', async () => (await page.getByTestId('queue-saved-item').count()) === 1);
    await shot(page, 'queue-saved.png', { fullPage: false });
    await saved.locator('summary').click();
    await page.getByTestId('queue-clear-filters').click();
    await waitUntil('no filter', () => hashOf(page) === '#/incidents');
    await page.reload();
    await waitForRestored(page);
    await saved.locator('summary').click();
    await page.getByTestId('queue-saved-item').locator('button.apply').click();
    await waitUntil('the saved view', () => hashOf(page) === '#/incidents?severity=medium&time=1w');
    // The count follows when the worker answers, a moment after the address.
    const again = await waitUntil(`the saved view's count (at most ${week})`, async () => {
      const [c] = await queueCount(page);
      return c > 0 && c <= week ? c : 0;
    });
    assert.ok(again > 0 && again <= week);

    // A custom range: the histogram's bar narrows the range to it.
    await histogram.locator('g.bar').last().click();
    await waitUntil('a custom range', () => /from=.*&to=/.test(hashOf(page)));
    assert.equal(await page.getByTestId('queue-filter-time').inputValue(), 'custom');
  });

  e2e('queue', 'only the rows in view are in the DOM, scrolling shows the rest', {}, async ({ page }) => {
    await page.goto(origin + '/');
    await loadDemo(page);
    const [total] = await queueCount(page);
    const rendered = await page.getByTestId('incident-row').count();
    assert.ok(rendered < total && rendered >= 10, `${rendered} rows in the DOM for ${total}`);
    await page.getByTestId('queue-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await waitUntil('the last row', async () =>
      (await page.getByTestId('incident-row').evaluateAll((els) => els.map((e) => Number(e.dataset.position)))).includes(total - 1));
    assert.ok((await page.getByTestId('incident-row').count()) < total);
    // The entity filter: by name and kind.
    const asset = await page.locator('[data-testid=incident-row] [data-col=assets] .asset').first().innerText();
    const name = asset.replace(/^(device|user|mailbox|app)\s*/i, '').split(',')[0].trim();
    const entity = page.getByTestId('queue-filter-entity');
    await entity.locator('summary').click();
    await page.getByTestId('queue-filter-entity-input').fill(name);
    await page.getByTestId('queue-filter-entity-input').press('Enter');
    await waitUntil('entity in the hash', () => hashOf(page).includes(`entity=${name}`));
    // The count changes when the worker's answer arrives, a moment after the address.
    const n = await waitUntil(`fewer incidents than ${total} for ${name}`, async () => {
      const [c] = await queueCount(page);
      return c < total ? c : 0;
    });
    assert.ok(n >= 1 && n < total, `${n} incidents name ${name}`);
  });
});
