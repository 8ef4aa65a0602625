// Accessibility: axe-core (npm, run inside the page) checks the landing page, the queue, every
// incident tab, the settings panel and the management controls, in the light and the dark theme
// and in Dutch. Any violation axe rates serious or critical fails the test, listed with its
// rule, its help text and the elements concerned; minor and moderate ones are printed.
//
// axe is evaluated through the DevTools protocol (page.evaluate), not a <script> tag: the page's
// CSP forbids inline scripts, and the test must not weaken it.
//
// Run: `trunk build --release --offline && node --test tests/e2e/a11y.test.mjs`.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  e2e, loadDemo, openLargestIncident, repoRoot, settle, shot, useBrowser, waitUntil, hashOf,
} from './harness.mjs';

useBrowser();

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TABS = ['summary', 'alerts', 'devices', 'users', 'mailboxes', 'investigations', 'evidence', 'graph'];

/** Runs axe on the page as it is; returns the serious and critical violations, described. */
async function audit(page, where) {
  await settle(page);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE);
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 3).join(' ')}`),
      count: v.nodes.length,
    }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.filter((x) => !serious.includes(x))) {
    console.log(`a11y ${where}: ${v.impact} ${v.id} (${v.count}): ${v.help}`);
  }
  return serious.map((v) => `${where}: ${v.impact} ${v.id} ×${v.count}: ${v.help}\n    ${v.nodes.join('\n    ')}`);
}

async function openTab(page, id, tab) {
  await page.getByTestId(`incident-tab-${tab}`).click();
  await waitUntil(`tab ${tab}`, () => hashOf(page) === `#/incidents/${id}/${tab}`);
  await page.getByTestId('incident-title').waitFor({ state: 'visible' });
  await settle(page);
}

async function auditEverything(page, label) {
  const found = [];
  found.push(...(await audit(page, `${label} landing`)));
  await loadDemo(page);
  found.push(...(await audit(page, `${label} queue`)));
  await page.getByTestId('settings-open').click();
  await page.getByTestId('settings-panel').waitFor({ state: 'visible' });
  found.push(...(await audit(page, `${label} settings panel`)));
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-panel').waitFor({ state: 'hidden' }).catch(() => {});
  const id = await openLargestIncident(page);
  for (const tab of TABS) {
    await openTab(page, id, tab);
    found.push(...(await audit(page, `${label} incident ${tab} tab`)));
  }
  return found;
}

describe('accessibility (axe-core)', () => {
  e2e('a11y', 'no serious or critical violations in the light theme, in English', { colorScheme: 'light' }, async ({ page, url }) => {
    await page.goto(url);
    const found = await auditEverything(page, 'light/en');
    await shot(page, 'a11y-light-graph.png');
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });

  e2e('a11y', 'no serious or critical violations in the dark theme, in Dutch', { colorScheme: 'dark', locale: 'nl-NL' }, async ({ page, url }) => {
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    const found = await auditEverything(page, 'dark/nl');
    await shot(page, 'a11y-dark-graph.png');
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });
});
