// End-to-end test of the language switch, the light and dark themes and the incident page's print
// stylesheet, in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
//
// Run: `trunk build --release --offline && node --test tests/e2e/` (scripts/test.sh does both).
// Like app.test.mjs it serves dist/ itself on 127.0.0.1 and checks, at the end of each test, that
// no request left the origin, no CSP violation fired and no error was logged.
//
// Screenshots: target/e2e/i18n-*.png (Dutch), theme-*.png (dark), print-*.png (print media) and
// target/e2e/print-incident.pdf (the incident page printed to PDF; print-pdf-*.png pages too
// when poppler's pdftoppm is installed).

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  e2e, hashOf, loadDemo, openLargestIncident, shot, shots, useBrowser, waitUntil,
} from './harness.mjs';

useBrowser();

const TABS = ['summary', 'alerts', 'devices', 'users', 'mailboxes', 'investigations', 'evidence', 'graph'];

// The Dutch tab names (shared/design/GLOSSARY-nl.md).
const DUTCH_TABS = {
  summary: 'Overzicht',
  alerts: 'Waarschuwingen',
  devices: 'Apparaten',
  users: 'Gebruikers',
  mailboxes: 'Postvakken',
  investigations: 'Onderzoeken',
  evidence: 'Bewijs en antwoord',
  graph: 'Graph',
};

// English interface phrases that must not show once the interface is Dutch. Data such as alert
// titles is not translated, so the whole text is only searched for phrases no title uses ...
const ENGLISH_UI = [
  'Severity', 'First activity', 'Last activity', 'Impacted assets', 'Service sources', 'Attack story',
  'Evidence by verdict', 'Why these alerts are together', 'Related, not joined', 'Detection source',
  'Joined by', 'First seen', 'Last seen', 'Identifiers', 'Remediation status', 'Legend', 'Nodes',
  'Investigation state', 'Other incidents', 'at overlapping times', 'not joined', 'Times in',
  'Add files', 'Correlation settings', 'Noisy entities', 'Time window', 'Never link',
  'Reset to defaults', 'too prevalent', 'first alert', 'Alert id',
];
// ... and the interface's labels (badges, chips, column heads, the status column) for the
// words titles do use.
const ENGLISH_LABELS = [
  'Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical', 'New', 'In progress', 'Resolved',
  'Malicious', 'Suspicious', 'No threats found', 'Initial access', 'Lateral movement', 'Credential access',
  'Execution', 'Persistence', 'Discovery', 'Collection', 'Exfiltration', 'Defense evasion',
  'Privilege escalation', 'Suspicious activity', 'Unwanted software',
];
const LABELS = '.severity, .verdict, .chip, th, .facts .status, .legend-item, [data-testid=queue] td:nth-child(4), [data-testid=queue] td:nth-child(5), [data-testid=alert-row] td:nth-child(4), [data-testid=alert-row] td:nth-child(5)';

const DUTCH_DATE = /\b\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}\b/;

async function openTab(page, id, tab) {
  await page.getByTestId(`incident-tab-${tab}`).click();
  await waitUntil(`hash for ${tab}`, () => hashOf(page) === `#/incidents/${id}/${tab}`);
  await waitUntil(`the ${tab} tab selected`, async () =>
    (await page.getByTestId(`incident-tab-${tab}`).getAttribute('aria-selected')) === 'true');
  const panel = page.getByTestId('tab-panel');
  await waitUntil(`text in the ${tab} panel`, async () => (await panel.innerText()).trim().length > 0);
  if (tab === 'graph') {
    await page.getByTestId('graph').waitFor({ state: 'visible' });
  }
  return panel;
}

function assertNoEnglish(text, where) {
  // Whole words only: Dutch "Legenda" contains "Legend".
  const escape = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = ENGLISH_UI.filter((w) => new RegExp(`(^|[^\\p{L}])${escape(w)}($|[^\\p{L}])`, 'u').test(text));
  assert.deepEqual(found, [], `English interface words on ${where}:\n${text.slice(0, 2000)}`);
}

/** No English label in the page's badges, chips, column heads and status cells. */
async function assertNoEnglishLabels(page, where) {
  const labels = (await page.locator(LABELS).allInnerTexts()).map((t) => t.trim());
  const found = labels.filter((l) => ENGLISH_LABELS.includes(l));
  assert.deepEqual([...new Set(found)], [], `English labels on ${where}`);
}

/** The relative luminance (0 black … 1 white) of an element's computed background colour. */
async function backgroundLuminance(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = getComputedStyle(el).backgroundColor.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lin = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  });
}

describe('language', () => {
  e2e('i18n', 'the browser language decides the default: nl-NL opens in Dutch', { locale: 'nl-NL' }, async ({ page, url }) => {
    await page.goto(url);
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('demo-button').innerText(), 'Demogegevens laden');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
    assert.equal(await page.getByTestId('lang-switch').inputValue(), 'nl');
  });

  e2e('i18n', 'switch to Dutch: queue, every incident tab, settings; kept after a reload', {}, async ({ page, url, assertClean }) => {
    await page.goto(url);
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.getByTestId('demo-button').innerText(), 'Load demo data');

    await page.getByTestId('lang-switch').selectOption('nl');
    await waitUntil('the landing in Dutch', async () => (await page.getByTestId('demo-button').innerText()) === 'Demogegevens laden');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
    assert.match(await page.locator('h1').first().innerText(), /Waarschuwingsexports openen/);
    await shot(page, 'i18n-landing.png');

    await loadDemo(page);
    const count = await page.getByTestId('queue-count').innerText();
    assert.match(count, /^\d+ incidenten$/, count);
    const head = await page.locator('[data-testid=queue] thead').innerText();
    for (const word of ['Incidentnaam', 'Ernst', 'Categorieën', 'Betrokken assets', 'Actieve waarschuwingen', 'Laatste activiteit']) {
      assert.ok(head.includes(word), `queue header lacks ${word}: ${head}`);
    }
    const queueText = await page.locator('main').innerText();
    assertNoEnglish(queueText, 'the queue');
    await assertNoEnglishLabels(page, 'the queue');
    assert.match(queueText, DUTCH_DATE);
    assert.match(queueText, /\b(Nieuw|Wordt uitgevoerd|Opgelost)\b/);
    assert.match(queueText, /\b(Hoog|Gemiddeld|Laag|Informatief)\b/);
    await shot(page, 'i18n-queue.png', { fullPage: false });

    await page.getByTestId('settings-open').click();
    const panel = page.getByTestId('settings-panel');
    await panel.waitFor({ state: 'visible' });
    await waitUntil('the settings form', async () => (await panel.locator('input[type=number]').count()) > 0);
    const settingsText = await panel.innerText();
    assert.match(settingsText, /Correlatie-instellingen/);
    assert.match(settingsText, /Veelvoorkomende entiteiten/);
    assert.match(settingsText, /Nooit koppelen/);
    assertNoEnglish(settingsText, 'the settings panel');
    await shot(page, 'i18n-settings.png', { fullPage: false });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    const id = await openLargestIncident(page);
    for (const tab of TABS) {
      assert.equal((await page.getByTestId(`incident-tab-${tab}`).innerText()).trim(), DUTCH_TABS[tab]);
    }
    const facts = await page.locator('.incident-head').innerText();
    assert.match(facts, /Eerste activiteit: \d{2}-\d{2}-\d{4}/);
    assert.match(facts, /Betrokken assets/);
    assertNoEnglish(facts, 'the incident header');
    await assertNoEnglishLabels(page, 'the incident header');
    for (const tab of TABS) {
      const panelText = await (await openTab(page, id, tab)).innerText();
      assertNoEnglish(panelText, `the ${tab} tab`);
      await assertNoEnglishLabels(page, `the ${tab} tab`);
      if (tab === 'summary') {
        for (const heading of ['Aanvalsverhaal', 'Bereik', 'Bewijs per oordeel', 'Waarom deze waarschuwingen bij elkaar horen']) {
          assert.ok(panelText.includes(heading), `summary lacks ${heading}`);
        }
        assert.match(panelText, /delen .*(uit elkaar|op overlappende tijden)/);
      }
      if (tab === 'alerts') assert.match(panelText, /Detectiebron/);
      if (tab === 'devices') assert.match(panelText, /Identificatoren/);
      if (tab === 'evidence') assert.match(panelText, /Herstelstatus/);
      if (tab === 'graph') {
        assert.match(panelText, /Legenda/);
        assert.match(panelText, /Knooppunten/);
        assert.match(await page.getByTestId('graph').getAttribute('aria-label'), /knooppunten, \d+ verbindingen/);
      }
      await shot(page, `i18n-tab-${tab}.png`);
    }

    await assertClean('before reload');
    await page.reload();
    // The autosave brings the incident back, in Dutch.
    await page.getByTestId('incident-title').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
    assert.equal(await page.getByTestId('lang-switch').inputValue(), 'nl');
    assert.equal((await page.getByTestId('incident-tab-summary').innerText()).trim(), 'Overzicht');
    assert.equal(await page.getByTestId('workspace-menu').locator('summary').innerText(), 'Werkruimte');

    // And back to English.
    await page.getByTestId('lang-switch').selectOption('en');
    await waitUntil('English again', async () => (await page.getByTestId('incident-tab-summary').innerText()).trim() === 'Summary');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
});

describe('theme', () => {
  e2e('i18n', 'the system dark preference is followed until a theme is chosen', { colorScheme: 'dark' }, async ({ page, url }) => {
    await page.goto(url);
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('theme-switch').inputValue(), 'system');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme ?? null), null);
    assert.ok((await backgroundLuminance(page, 'html')) < 0.05, 'dark background under a dark system');
    await page.getByTestId('theme-switch').selectOption('light');
    await waitUntil('the light theme', async () => (await backgroundLuminance(page, 'html')) > 0.8);
  });

  e2e('i18n', 'switch to dark: queue, settings, every tab, graph; kept after a reload', {}, async ({ page, url, assertClean }) => {
    await page.goto(url);
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    assert.ok((await backgroundLuminance(page, 'html')) > 0.8, 'light by default under a light system');
    await page.getByTestId('theme-switch').selectOption('dark');
    await waitUntil('data-theme=dark', async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark');
    assert.ok((await backgroundLuminance(page, 'html')) < 0.05, 'the dark background');
    await shot(page, 'theme-dark-landing.png', { fullPage: false });

    await loadDemo(page);
    assert.ok((await backgroundLuminance(page, '.table-wrap')) < 0.05, 'dark table panels');
    await shot(page, 'theme-dark-queue.png', { fullPage: false });
    await page.getByTestId('settings-open').click();
    await page.getByTestId('settings-panel').waitFor({ state: 'visible' });
    assert.ok((await backgroundLuminance(page, '[data-testid=settings-panel]')) < 0.05, 'a dark settings panel');
    await shot(page, 'theme-dark-settings.png', { fullPage: false });
    await page.keyboard.press('Escape');

    const id = await openLargestIncident(page);
    for (const tab of TABS) {
      await openTab(page, id, tab);
      if (tab === 'graph') {
        const node = page.getByTestId('graph-node').first();
        await node.click();
        await page.locator('.node-detail').waitFor({ state: 'visible' });
      }
      await shot(page, `theme-dark-tab-${tab}.png`);
    }

    await assertClean('before reload');
    await page.reload();
    await page.getByTestId('incident-title').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.getByTestId('theme-switch').inputValue(), 'dark');
    assert.ok((await backgroundLuminance(page, 'html')) < 0.05, 'still dark after the reload');
  });
});

describe('print', () => {
  e2e('i18n', 'the incident page prints as a light document without controls', {}, async ({ page, url }) => {
    await page.goto(url);
    await page.getByTestId('demo-button').waitFor({ state: 'visible' });
    // Dark on screen: print must still be light.
    await page.getByTestId('theme-switch').selectOption('dark');
    await loadDemo(page);
    const id = await openLargestIncident(page);
    await page.getByTestId('receipts').locator('li').first().waitFor({ state: 'visible' });

    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.topbar', '[data-testid=incident-tab-summary]', '.back']) {
      assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is hidden in print`);
    }
    assert.ok(await page.getByTestId('incident-title').isVisible(), 'the title prints');
    assert.ok(await page.getByTestId('receipts').isVisible(), 'the receipts print');
    assert.ok((await backgroundLuminance(page, 'html')) > 0.9, 'a white page in print');
    const textColour = await page.getByTestId('incident-title').evaluate((el) => getComputedStyle(el).color);
    assert.match(textColour, /^rgb\((\d|[1-5]\d), (\d|[1-5]\d), (\d|[1-5]\d)\)$/, `dark text in print: ${textColour}`);
    await shot(page, 'print-summary.png');
    // The tabs are hidden in print: pick the tab on screen, look at it printed.
    await page.emulateMedia({ media: 'screen' });
    await openTab(page, id, 'alerts');
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'print-alerts.png');
    await page.emulateMedia({ media: 'screen' });
    await openTab(page, id, 'summary');
    await page.getByTestId('receipts').locator('li').first().waitFor({ state: 'visible' });
    // No emulation: page.pdf() prints with the print stylesheet, as the browser's Print does.
    await page.emulateMedia({ media: null });

    const pdf = path.join(shots, 'print-incident.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const bytes = await fsp.readFile(pdf);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 1, `the PDF has ${pages} pages`);
    console.log(`print-incident.pdf: ${pages} page(s), ${bytes.length} bytes`);
    // The pages as images, when poppler-utils is installed (it is not required).
    try {
      execFileSync('pdftoppm', ['-png', '-r', '60', '-l', '3', pdf, path.join(shots, 'print-pdf')], { stdio: 'ignore' });
    } catch {
      console.log('pdftoppm not installed: no PNG of the PDF pages');
    }
  });
});
