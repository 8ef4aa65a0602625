// Issue 12: a password spray from one address (one alert per targeted account) beside a proxy
// present on every day opens as one incident that reads like Defender's: its title, the source
// highlighted, the targets listed with the one that shows compromise afterwards first, and the
// campaign told in words in English and in Dutch. Screenshots: target/e2e/campaign-*.png.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { e2e, hashOf, shot, useBrowser, waitUntil } from './harness.mjs';

useBrowser();

const iso = (base, minutes) => new Date(base.getTime() + minutes * 60_000).toISOString();

function user(n) {
  return {
    '@odata.type': '#microsoft.graph.security.userEvidence', verdict: 'suspicious', roles: [],
    userAccount: { accountName: `user${n}`, domainName: 'contoso.example', userPrincipalName: `user${n}@contoso.example`, azureAdUserId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` },
  };
}
const ip = (address) => ({ '@odata.type': '#microsoft.graph.security.ipEvidence', verdict: 'unknown', roles: [], ipAddress: address });

function alert(id, title, start, evidence, severity = 'high') {
  return {
    '@odata.type': '#microsoft.graph.security.alert', id, providerAlertId: id, title, severity,
    status: 'new', category: 'CredentialAccess', serviceSource: 'azureAdIdentityProtection',
    createdDateTime: start, firstActivityDateTime: start, lastActivityDateTime: start, evidence,
  };
}

/** 30 days of sign-ins through the proxy, a 40-account spray on day 12, and a token replay. */
function sprayExport() {
  const base = new Date('2026-05-04T00:00:00Z');
  const alerts = [];
  for (let i = 0; i < 90; i++) {
    alerts.push(alert(`bg${i}`, 'Unfamiliar sign-in properties', iso(base, i * 480 + 37),
      [user(1000 + i), ip('198.51.100.20')], 'medium'));
  }
  for (let i = 0; i < 40; i++) {
    alerts.push(alert(`sp${i}`, 'Password spray', iso(base, 12 * 1440 + 540 + i * 4), [user(2000 + i), ip('203.0.113.77')]));
  }
  alerts.push(alert('tok', 'Anomalous Token', iso(base, 12 * 1440 + 540 + 200), [user(2003), ip('203.0.113.77')], 'medium'));
  return JSON.stringify({ value: alerts });
}

describe('campaign', () => {
  e2e('campaign', 'a spray is one incident told as a campaign, in English and Dutch', {}, async ({ page, url }) => {
    await page.goto(url);
    await page.getByTestId('file-input').setInputFiles({ name: 'spray.json', mimeType: 'application/json', buffer: Buffer.from(sprayExport()) });
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
    await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
    // 90 proxy sign-ins alone, and one incident for the spray and its follow-on.
    await waitUntil('91 incidents', async () => /\b91\b/.test(await page.getByTestId('queue-count').innerText()));
    await page.getByTestId('queue-search').fill('Password spray attack');
    const row = page.getByTestId('incident-row');
    await waitUntil('the campaign incident alone in the queue', async () => (await row.count()) === 1);
    const id = await row.first().getAttribute('data-incident-id');
    await row.first().locator('a').first().click();
    await waitUntil(`incident ${id} open`, () => hashOf(page) === `#/incidents/${id}/summary`);
    assert.equal(await page.getByTestId('incident-title').innerText(), 'Password spray attack involving multiple users');

    const sentence = page.getByTestId('campaign-sentence');
    await sentence.waitFor({ state: 'visible' });
    assert.match(await sentence.innerText(),
      /IP address 203\.0\.113\.77: 40 “Password spray” alerts against 40 accounts within 2 h 36 min: one campaign/);
    const targets = page.locator('.campaign-targets li');
    assert.equal(await targets.count(), 40);
    // Forty targets start folded; the analyst opens the list.
    assert.match(await page.locator('.campaign details summary').innerText(), /^Targets \(40\)$/);
    await page.locator('.campaign details summary').click();
    // The account used afterwards is listed first, with what followed.
    assert.match(await targets.first().innerText(), /user2003.*then: Anomalous Token/);
    const receipts = await page.getByTestId('receipts').innerText();
    assert.match(receipts, /one campaign from IP address 203\.0\.113\.77/);
    await page.getByTestId('campaigns').scrollIntoViewIfNeeded();
    await shot(page, 'campaign-summary-en.png', { fullPage: false });

    await page.getByTestId('lang-switch').selectOption('nl');
    await waitUntil('the campaign in Dutch', async () =>
      /IP-adres 203\.0\.113\.77: 40 waarschuwingen “Password spray” tegen 40 accounts binnen 2 u 36 min: één campagne/
        .test(await sentence.innerText()));
    assert.match(await targets.first().innerText(), /daarna: Anomalous Token/);
    await shot(page, 'campaign-summary-nl.png', { fullPage: false });
  });

  e2e('campaign', 'the settings panel turns campaigns off, and the spray shreds again', {}, async ({ page, url }) => {
    await page.goto(url);
    await page.getByTestId('file-input').setInputFiles({ name: 'spray.json', mimeType: 'application/json', buffer: Buffer.from(sprayExport()) });
    await page.getByTestId('incident-row').first().waitFor({ state: 'visible' });
    await page.getByTestId('load-progress').waitFor({ state: 'hidden' });
    await page.getByTestId('settings-open').click();
    const panel = page.getByTestId('settings-panel');
    await panel.waitFor({ state: 'visible' });
    const minAlerts = page.getByTestId('settings-burst-min-alerts');
    assert.equal(await minAlerts.inputValue(), '5');
    assert.equal(await page.getByTestId('settings-background-days').inputValue(), '14');
    assert.equal(await page.getByTestId('settings-burst-window-hours').inputValue(), '3');
    // A window of 0 hours is refused; campaigns off (0 alerts) is listed as a pending change.
    await page.getByTestId('settings-burst-window-hours').fill('0');
    await waitUntil('the window marked invalid', async () =>
      (await page.getByTestId('settings-burst-window-hours').getAttribute('aria-invalid')) === 'true');
    assert.match(await panel.locator('.field-error').first().innerText(), /number above 0/);
    await page.getByTestId('settings-burst-window-hours').fill('3');
    await minAlerts.fill('0');
    await waitUntil('the pending change listed', async () =>
      /Campaign, minimum alerts: 5 → 0/.test(await page.getByTestId('settings-pending').innerText()));
    await minAlerts.scrollIntoViewIfNeeded();
    await shot(page, 'campaign-settings.png', { fullPage: false });
    await page.getByTestId('settings-apply').click();
    // Without campaigns the spray's address fans out: one incident per account again.
    await waitUntil('the queue regrouped', async () => /\b1(29|30|31)\b/.test(await page.getByTestId('queue-count').innerText()));
  });
});
