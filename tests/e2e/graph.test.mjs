// The incident Graph tab (issue 5) in the browser: the canvas drawing, selecting a node through
// the accessible list (details, neighbours highlighted) and on the canvas background (cleared),
// hiding an entity type, grouping and expanding, zoom and pan (buttons, wheel, keys, drag),
// playback over time, the dark theme, and a 5,000-node incident.
// The shared harness (harness.mjs): Debian's Chromium, the release build, no request leaves the
// origin. Screenshots: target/e2e/graph-*.png.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { e2e, hashOf, loadDemo, openLargestIncident, settle, shot, shots, useBrowser, waitUntil } from './harness.mjs';
import { graphIncident } from '../../scripts/gen-graph-incident.mjs';

useBrowser();

async function openGraph(page, id) {
  await page.getByTestId('incident-tab-graph').click();
  await waitUntil('the graph tab', () => hashOf(page) === `#/incidents/${id}/graph`);
  const canvas = page.getByTestId('graph');
  await canvas.waitFor({ state: 'visible' });
  await waitUntil('the canvas drawn', async () => (await canvas.getAttribute('data-scale')) !== null);
  await waitUntil('graph nodes listed', async () => (await page.getByTestId('graph-node').count()) >= 2);
  return canvas;
}

const transform = async (canvas) => (await canvas.getAttribute('data-transform')).split(' ').map(Number);
const listIds = (page) => page.getByTestId('graph-node').evaluateAll((els) => els.map((e) => e.dataset.nodeId));

describe('the incident graph', () => {
  e2e('graph', 'select through the list, hide a type, zoom and pan, playback', {}, async ({ page, url }) => {
    await page.goto(url);
    await loadDemo(page);
    const id = await openLargestIncident(page);
    const canvas = await openGraph(page, id);
    const nodes = page.getByTestId('graph-node');
    const total = await nodes.count();
    const drawn = async () => Number(await canvas.getAttribute('data-nodes'));
    // The drawing follows the list in the next animation frame.
    await waitUntil('the list holds every drawn node', async () => (await drawn()) === total);
    await shot(page, 'graph-light.png');

    // Select the device with the most links through its list entry.
    const devices = (await listIds(page)).filter((n) => n.startsWith('entity:'));
    assert.ok(devices.length > 0);
    const entry = page.locator(`[data-testid=graph-node][data-kind=device]`).first();
    const nodeId = await entry.getAttribute('data-node-id');
    await entry.click();
    const details = page.getByTestId('graph-details');
    await details.waitFor({ state: 'visible' });
    assert.equal(await details.getAttribute('data-node-id'), nodeId);
    assert.equal(await entry.getAttribute('aria-pressed'), 'true');
    assert.equal(await canvas.getAttribute('data-selected'), nodeId);
    assert.match(await details.innerText(), /Device/);
    const linked = await details.locator('ul.linked li').count();
    assert.ok(linked >= 1, 'a device of the incident is named by an alert');
    const highlighted = await page.locator('[data-testid=graph-node][data-highlighted]').count();
    assert.equal(highlighted, linked + 1, 'the node and its neighbours are highlighted in the list');
    assert.equal(await page.locator('[data-testid=graph-node].dim').count(), total - highlighted, 'the rest is dimmed');
    await shot(page, 'graph-selected.png');

    // A linked node in the details selects that node.
    const neighbour = details.locator('ul.linked li button').first();
    const firstAt = await waitUntil('the device drawn selected', () => canvas.getAttribute('data-selected-at'));
    await neighbour.click();
    await waitUntil('the neighbour selected', async () => (await canvas.getAttribute('data-selected')) !== nodeId);
    const second = await canvas.getAttribute('data-selected');
    assert.ok(second.startsWith('alert:'), `a device's neighbours are alerts (${second})`);
    // Where the canvas drew it (the drawing follows in the next animation frame).
    const secondAt = await waitUntil('the neighbour drawn selected', async () => {
      const a = await canvas.getAttribute('data-selected-at');
      return a && a !== firstAt && a;
    });
    const at = secondAt.split(' ').map(Number);

    // A click on the canvas background clears the selection (hit-testing finds no node there).
    await canvas.click({ position: { x: 3, y: 3 } });
    await waitUntil('the selection cleared', async () => (await canvas.getAttribute('data-selected')) === '');
    assert.equal(await details.count(), 0);
    // (the drawing follows in the next animation frame)
    await waitUntil('the drawing without a selection', async () => (await canvas.getAttribute('data-selected-at')) === '');

    // A click on the node where it was drawn selects it on the canvas.
    await canvas.click({ position: { x: at[0] + 1, y: at[1] } });
    await waitUntil('selected on the canvas', async () => (await canvas.getAttribute('data-selected')) === second);
    await details.waitFor({ state: 'visible' });
    assert.equal(await page.locator(`[data-testid=graph-node][data-node-id="${second}"]`).getAttribute('aria-pressed'), 'true');

    // Dragging the node moves it (and is not a click: the selection stays).
    const cbox = await canvas.boundingBox();
    await page.mouse.move(cbox.x + at[0] + 1, cbox.y + at[1] + 1);
    await page.mouse.down();
    await page.mouse.move(cbox.x + at[0] + 61, cbox.y + at[1] + 41, { steps: 6 });
    await page.mouse.up();
    await waitUntil('the node dragged', async () => {
      const [x, y] = (await canvas.getAttribute('data-selected-at')).split(' ').map(Number);
      return Math.abs(x - at[0] - 60) < 2 && Math.abs(y - at[1] - 40) < 2;
    });
    assert.equal(await canvas.getAttribute('data-selected'), second);
    await shot(page, 'graph-dragged.png');
    await page.keyboard.press('Escape');
    await waitUntil('Esc clears', async () => (await canvas.getAttribute('data-selected')) === '');

    // Hide the users: they leave the list and the drawing; showing them brings them back.
    const users = await page.locator('[data-testid=graph-node][data-kind=user]').count();
    assert.ok(users > 0, 'the largest demo incident names users');
    await page.locator('[data-testid=graph-kind][data-kind=user]').uncheck();
    await waitUntil('users hidden', async () => (await page.locator('[data-testid=graph-node][data-kind=user]').count()) === 0);
    assert.equal(await nodes.count(), total - users);
    await waitUntil('users gone from the drawing', async () => (await drawn()) === total - users);
    await page.locator('[data-testid=graph-kind][data-kind=user]').check();
    await waitUntil('users back', async () => (await nodes.count()) === total);

    // Zoom with the buttons, the wheel (around the pointer) and the keys; pan by dragging the
    // background and with the arrow keys; fit brings back the first view.
    const fitted = await transform(canvas);
    await page.getByTestId('graph-zoom-in').click();
    await waitUntil('zoomed in', async () => Math.abs((await transform(canvas))[0] - fitted[0] * 1.25) < 0.002);
    await page.getByTestId('graph-zoom-out').click();
    await waitUntil('zoomed back', async () => Math.abs((await transform(canvas))[0] - fitted[0]) < 0.002);
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + 100, box.y + 100);
    await page.mouse.wheel(0, -400);
    await waitUntil('wheel zoom', async () => (await transform(canvas))[0] > fitted[0] * 1.3);
    {
      // The world point under the pointer stays put: (100 - tx) / s is unchanged.
      const [s, tx, ty] = await transform(canvas);
      const before = [(100 - fitted[1]) / fitted[0], (100 - fitted[2]) / fitted[0]];
      const after = [(100 - tx) / s, (100 - ty) / s];
      assert.ok(Math.abs(before[0] - after[0]) < 1 && Math.abs(before[1] - after[1]) < 1, `${before} vs ${after}`);
    }
    await page.getByTestId('graph-fit').click();
    await waitUntil('fit', async () => (await transform(canvas)).every((v, i) => Math.abs(v - fitted[i]) < 0.01));
    await page.mouse.move(box.x + 4, box.y + 4);
    await page.mouse.down();
    await page.mouse.move(box.x + 60, box.y + 40, { steps: 5 });
    await page.mouse.up();
    await waitUntil('panned by the drag', async () => {
      const [s, tx, ty] = await transform(canvas);
      return s === fitted[0] && Math.abs(tx - fitted[1] - 56) < 1 && Math.abs(ty - fitted[2] - 36) < 1;
    });
    assert.equal(await canvas.getAttribute('data-selected'), '', 'a drag is not a click');
    await canvas.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('+');
    await waitUntil('keys pan and zoom', async () => (await transform(canvas))[0] > fitted[0] * 1.2);
    await page.keyboard.press('0');
    await waitUntil('0 fits', async () => (await transform(canvas)).every((v, i) => Math.abs(v - fitted[i]) < 0.01));

    // Playback: the slider reveals alerts (and their entities) in order of first activity.
    const slider = page.getByTestId('graph-playback');
    const max = Number(await slider.getAttribute('max'));
    assert.ok(max >= 2);
    const counts = [];
    for (const step of [0, 1, Math.ceil(max / 2), max]) {
      await slider.fill(String(step));
      await waitUntil(`step ${step}`, async () => (await page.getByTestId('graph-playback-status').innerText()).startsWith(`${step} of`));
      await settle(page);
      counts.push(await nodes.count());
    }
    assert.equal(counts[0], 0, 'step 0 shows nothing');
    assert.ok(counts[1] >= 1 && counts[1] < counts[2] && counts[2] < counts[3], `${counts}`);
    assert.equal(counts[3], total);
    await slider.fill('1');
    await page.getByTestId('graph-play').click();
    const seen = [];
    await waitUntil('the playback runs to the end', async () => {
      seen.push(await nodes.count());
      if (seen.length === 3) await shot(page, 'graph-playback.png');
      return (await page.getByTestId('graph-play').getAttribute('aria-pressed')) === 'false';
    }, 60_000);
    assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]), `nodes only appear: ${seen}`);
    assert.ok(new Set(seen).size >= 3, `progressively: ${seen}`);
    assert.equal(await nodes.count(), total);
  });

  e2e('graph', 'dark theme and Dutch', {}, async ({ page, url }) => {
    await page.goto(url);
    await page.getByTestId('theme-switch').selectOption('dark');
    await loadDemo(page);
    const id = await openLargestIncident(page);
    const canvas = await openGraph(page, id);
    await page.locator('[data-testid=graph-node][data-kind=alert]').first().click();
    await page.getByTestId('graph-details').waitFor({ state: 'visible' });
    await settle(page);
    // The canvas drew with the dark palette: its background is the panel's, and some drawn pixel
    // is light (a label or a ring), none of the light theme's white panel.
    const { dark, drawn } = await canvas.evaluate((el) => {
      const bg = getComputedStyle(el).backgroundColor.match(/\d+/g).map(Number);
      const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) drawn++;
      return { dark: bg[0] + bg[1] + bg[2] < 150, drawn };
    });
    assert.ok(dark, 'the canvas sits on the dark panel');
    assert.ok(drawn > 100, 'something was drawn');
    await shot(page, 'graph-dark.png');
    await page.getByTestId('lang-switch').selectOption('nl');
    await waitUntil('Dutch legend', async () => /Legenda/.test(await page.locator('.graph-legend').innerText()));
    assert.match(await page.getByTestId('graph-details').innerText(), /Waarschuwing/);
    await shot(page, 'graph-dark-nl.png');
  });

  e2e('graph', 'a 5,000-node incident: grouped, expanded, selected', {}, async ({ page, url }) => {
    await fsp.mkdir(shots, { recursive: true });
    const file = path.join(shots, 'graph-5000-nodes.json');
    await fsp.writeFile(file, graphIncident());
    // One incident from the export's own incident ids (the correlation would split it).
    await page.addInitScript(() => localStorage.setItem('alertweave.correlation-settings',
      JSON.stringify({ settings: {}, grouping: 'source_incidents' })));
    await page.goto(url);
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible', timeout: 120_000 });
    await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
    const id = await page.getByTestId('incident-row').first().getAttribute('data-incident-id');
    await page.goto(`${url}#/incidents/${id}/graph`);
    const canvas = await openGraph(page, id);
    // Every entity kind is past the grouping threshold: one group node each, its entities
    // listed under it.
    const groups = page.getByTestId('graph-group');
    const kinds = await groups.count();
    assert.ok(kinds >= 3);
    assert.equal(await page.locator('[data-testid=graph-node][data-node-id^="group:"]').count(), kinds);
    const everyNode = await page.locator('[data-testid=graph-node]:not([data-node-id^="group:"])').count();
    assert.ok(everyNode >= 4_500, `the list names every node of the incident (${everyNode})`);
    await waitUntil('the groups drawn', async () => Number(await canvas.getAttribute('data-nodes')) < 2_100);
    await shot(page, 'graph-5000-grouped.png', { fullPage: false });
    // Selecting a group offers to expand it.
    await page.locator('[data-testid=graph-node][data-node-id="group:device"]').click();
    await page.getByTestId('graph-expand').click();
    await waitUntil('devices expanded', async () =>
      (await page.locator('[data-testid=graph-node][data-group=device]').count()) === 0);
    // Picking a grouped entity in the list expands its kind and selects it.
    const ip = page.locator('[data-testid=graph-node][data-group=ip]').first();
    const ipId = await ip.getAttribute('data-node-id');
    await ip.click();
    await waitUntil('the IP address selected', async () => (await canvas.getAttribute('data-selected')) === ipId);
    assert.equal(await page.locator('[data-testid=graph-node][data-group=ip]').count(), 0);
    assert.equal(await page.getByTestId('graph-details').getAttribute('data-node-id'), ipId);
    for (let i = 0; i < kinds; i++) {
      const toggle = groups.nth(i);
      if ((await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click();
    }
    await waitUntil('every group expanded', async () =>
      (await page.locator('[data-testid=graph-node][data-node-id^="group:"]').count()) === 0, 60_000);
    const total = await page.getByTestId('graph-node').count();
    assert.equal(total, everyNode);
    await waitUntil('every node drawn', async () => Number(await canvas.getAttribute('data-nodes')) === total);
    await shot(page, 'graph-5000-expanded.png', { fullPage: false });
    const alert = page.locator('[data-testid=graph-node][data-kind=alert]').first();
    await alert.click();
    await waitUntil('selected', async () => (await canvas.getAttribute('data-selected')) === (await alert.getAttribute('data-node-id')));
    assert.ok((await page.locator('[data-testid=graph-node][data-highlighted]').count()) >= 4);
    await page.getByTestId('graph-zoom-in').click();
    await page.getByTestId('graph-zoom-in').click();
    await page.getByTestId('graph-zoom-in').click();
    await shot(page, 'graph-5000-zoomed.png', { fullPage: false });
  });
});
