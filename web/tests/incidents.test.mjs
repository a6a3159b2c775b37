// Browser test: a member reports an incident and sees its NIS2 clock in
// Danish local time; the national coordinator sees the demo campaign (two
// members hit through the same supplier) on the national page; a member sees
// the guidance addressed to it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });

/** Copenhagen wall-clock parts of an instant. */
function copenhagen(instant) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type) => parts.find((part) => part.type === type).value;
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

describe('Incidents', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a member reports an incident and sees its 24 h and 72 h deadlines in Danish time', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/incidents/new'));
    await page.waitForSelector('[data-testid="inc-form"]', { timeout: TIMEOUT });
    // Nothing filled in: each required field says so.
    await page.click('[data-testid="inc-submit"]');
    await page.waitForSelector('[data-testid="field-error-title"]', { timeout: TIMEOUT });
    assert.ok(await page.$('[data-testid="field-error-description"]'));

    const aware = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
    const wall = copenhagen(aware);
    const title = `Browsertest ${Date.now()}`;
    await page.fill('input[name="title"]', title);
    await page.fill('textarea[name="description"]', 'Krypterede filer på et fildrev.');
    await page.fill('input[name="became_aware_at"]', `${wall.y}-${wall.mo}-${wall.d}T${wall.h}:${wall.mi}`);
    await page.check('input[name="suspected_malicious"]');
    await page.click('[data-testid="inc-submit"]');

    await page.waitForSelector('[data-testid="inc-clock"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('[data-testid="inc-title"]'), title);
    for (const [stage, hours] of [
      ['early_warning', 24],
      ['notification', 72],
    ]) {
      const due = copenhagen(aware + hours * 3_600_000);
      const text = await page.textContent(`[data-testid="due-${stage}"]`);
      // The dashboard's one format, in Danish time (the footer says so), and how soon it is due.
      assert.match(text, new RegExp(`^${Number(due.d)}\\. ${Number(due.mo)}\\. ${due.y} kl\\. ${due.h}\\.${due.mi} \\(om \\d+ (timer|dage)\\)$`), text);
    }
    const early = await page.getAttribute('tr[data-stage="early_warning"]', 'data-state');
    assert.equal(early, 'due');
    assert.match(await page.textContent('tr[data-stage="early_warning"]'), /Afventer/);
    assert.match(await page.textContent('tr[data-stage="final"]'), /Frist afhænger af forløbet/);

    // Submit the early warning; the clock shows it as submitted.
    await page.click('[data-testid="stage-early_warning"] summary');
    await page.click('[data-testid="open-early_warning"]');
    await page.click('[data-testid="send-early_warning"]');
    await page.waitForSelector('tr[data-stage="early_warning"][data-state="submitted"]', { timeout: TIMEOUT });
    assert.deepEqual(page.pageErrors, []);
  });

  test('the coordinator sees the campaign of two members hit through the same supplier', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/incidents/national'));
    const campaign = await page.waitForSelector('[data-testid="inc-campaign"]', { timeout: TIMEOUT });
    const text = await campaign.textContent();
    assert.match(text, /København/);
    assert.match(text, /Odense/);
    assert.match(text, /Leverandør\/system KMD/);
    await page.waitForSelector('[data-testid="inc-timeline"]', { timeout: TIMEOUT });
    const members = await page.getAttribute('[data-testid="inc-map"]', 'data-members');
    assert.match(members, /0101/);
    assert.match(members, /0461/);
    assert.deepEqual(page.pageErrors, []);
  });

  test('a member sees the guidance addressed to it', async () => {
    const odense = await signedInPage(browser, '0461-soc');
    await odense.goto(url('#/incidents'));
    const panel = await odense.waitForSelector('[data-testid="inc-guidance"]', { timeout: TIMEOUT });
    assert.match(await panel.textContent(), /Luk leverandørens fjernadgang midlertidigt/);
    const aarhus = await signedInPage(browser, '0751-soc');
    await aarhus.goto(url('#/incidents'));
    const other = await aarhus.waitForSelector('[data-testid="inc-guidance"]', { timeout: TIMEOUT });
    assert.doesNotMatch(await other.textContent(), /Luk leverandørens fjernadgang/);
  });
});
