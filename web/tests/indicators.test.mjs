// Browser test: the shared-indicator view. Aarhus publishes an indicator over
// TAXII, Copenhagen sees it, reports it as a false positive for all, and
// Aarhus (the producer) sees the report and accepts it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BASE, launch, signedInPage, skipReason, TIMEOUT, token, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const TAXII = 'application/taxii+json;version=2.1';
const NATIONAL = '9441b7ab-2adf-5ef8-a96b-80b8bafbb85e';

async function publish(member, object) {
  const response = await fetch(new URL(`taxii2/dannevirke/collections/${NATIONAL}/objects/`, BASE), {
    method: 'POST',
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${token(member)}` },
    body: JSON.stringify({ objects: [object] }),
  });
  const text = await response.text();
  assert.equal(response.status, 202, text);
  const status = JSON.parse(text);
  assert.equal(status.success_count, 1, JSON.stringify(status));
}

describe('Shared indicators', { skip: SKIP }, () => {
  let browser;
  const id = `indicator--${randomUUID()}`;
  const name = `Browser test C2 ${id.slice(-6)}`;

  before(async () => {
    browser = await launch();
    const now = new Date().toISOString();
    await publish('0751-soc', {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: now,
      modified: now,
      name,
      pattern: "[ipv4-addr:value = '198.51.100.77']",
      pattern_type: 'stix',
      valid_from: now,
      confidence: 90,
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  test('a member finds the indicator, opens it and proposes it as a false positive for all', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/indicators'));
    await page.fill('[data-testid="indicator-search"]', name);
    const row = await page.waitForSelector(`[data-testid="indicator-table"] tr[data-id="${id}"]`, { timeout: TIMEOUT });
    assert.match(await row.textContent(), /Aarhus/);
    assert.match(await row.textContent(), /TLP:GREEN/);
    assert.equal(await row.getAttribute('data-status'), 'active');
    await page.click(`[data-testid="indicator-table"] tr[data-id="${id}"] a`);
    await page.waitForSelector('[data-testid="indicator-name"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('[data-testid="indicator-name"]'), name);
    assert.match(await page.textContent('[data-testid="indicator-confidence"]'), /90 af 90/);
    await page.fill('[data-testid="fp-form"] textarea', 'Adressen tilhører vores CDN');
    await page.click('[data-testid="fp-form"] button:has-text("Foreslå for alle")');
    await page.waitForSelector('[data-testid="fp-reports"] li', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="fp-reports"]'), /København.*forslag for alle.*CDN/s);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('the producer sees the proposal and accepts it, in English', async () => {
    const page = await signedInPage(browser, '0751-soc', { lang: 'en' });
    await page.goto(url(`#/indicators/${id}`));
    await page.waitForSelector('[data-testid="fp-reports"] li', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="fp-reports"]'), /proposed for all/);
    await page.fill('[data-testid="fp-form"] textarea', 'Confirmed: a CDN');
    await page.click('[data-testid="fp-accept"]');
    await page.waitForSelector('.ind-verdict', { timeout: TIMEOUT });
    assert.match(await page.textContent('.ind-verdict'), /Aarhus/);
    await page.goto(url('#/indicators?status=false_positive'));
    await page.waitForSelector(`[data-testid="indicator-table"] tr[data-id="${id}"]`, { timeout: TIMEOUT });
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
