// Browser test: vulnerability exposure. The coordinator sees the national
// list (seeded demo inventories and feeds); Copenhagen sees only its own
// exposures, marks one as not applicable with a reason, and the decision is
// still there after a reload.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, launch, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });

describe('Vulnerability exposure', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the coordinator sees the national exposure list by priority, with the why per member', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/vulnerabilities'));
    const zyxel = await page.waitForSelector('[data-testid="vuln-table"] tr[data-cve="CVE-2023-28771"]', {
      timeout: TIMEOUT,
    });
    const members = await zyxel.$eval('[data-testid="vuln-members"]', (el) => el.textContent);
    assert.match(members, /Energinet/);
    assert.match(members, /Fjernvarme Fyn/);
    assert.match(members, /Aarhus/);
    assert.doesNotMatch(members, /HOFOR/, 'HOFOR runs the fixed firmware');
    assert.doesNotMatch(members, /VandCenter/, 'a firmware image on a TFTP server is not a firewall');
    assert.ok(await zyxel.$('[data-testid="kev-badge"]'), 'KEV badge');
    const rows = await page.$$eval('[data-testid="vuln-table"] tbody tr', (trs) => trs.map((tr) => tr.dataset.cve));
    assert.ok(rows.length >= 4, rows.join(','));
    assert.notEqual(rows.at(-1), 'CVE-2023-28771', 'the list is in priority order, not by id');

    await page.fill('[data-testid="vuln-search"]', 'CVE-2023-28771');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="vuln-table"] tbody tr').length === 1,
      null,
      { timeout: TIMEOUT },
    );
    await page.click('[data-testid="vuln-table"] tr[data-cve="CVE-2023-28771"] a');
    const block = await page.waitForSelector('[data-testid="vuln-cve"] section[data-member="ENERGINET"]', {
      timeout: TIMEOUT,
    });
    const text = await block.textContent();
    assert.match(text, /atp500_firmware/);
    assert.match(text, /5\.36/, 'the version range is shown');
    const review = await page.textContent('[data-testid="vuln-review"]');
    assert.match(review, /BIOFOS/, 'the firewall without a recorded firmware version needs review');
    assert.deepEqual(page.pageErrors, []);
  });

  // "Are we exposed to Zyxel?" must never get a false all-clear: the search
  // reads vendor and product, and an empty answer says why it is empty.
  for (const [member, expectExposed] of [
    ['0751-soc', true],
    ['0101-soc', false],
    ['0461-soc', false],
  ]) {
    test(`the Zyxel question for ${member} is answered by vendor and product`, async () => {
      const answer = await api(member, 'GET', '/api/v1/exposure?q=zyxel');
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.items.length > 0, expectExposed, answer.text);
      const page = await signedInPage(browser, member);
      await page.goto(url('#/vulnerabilities'));
      await page.waitForSelector('[data-testid="vuln-search"]', { timeout: TIMEOUT });
      await page.fill('[data-testid="vuln-search"]', 'Zyxel');
      if (expectExposed) {
        const row = await page.waitForSelector('[data-testid="vuln-table"] tr[data-cve="CVE-2023-28771"]', {
          timeout: TIMEOUT,
        });
        assert.match(await row.$eval('[data-testid="vuln-products"]', (el) => el.textContent), /Zyxel usg flex/i);
        const shown = await page.$$eval('[data-testid="vuln-table"] tbody tr', (trs) => trs.map((tr) => tr.dataset.cve));
        assert.deepEqual(shown.sort(), answer.body.items.map((item) => item.cve).sort());
      } else {
        const empty = await page.waitForSelector(`[data-testid="vuln-empty"][data-reason="${answer.body.empty_reason}"]`, {
          timeout: TIMEOUT,
        });
        const text = await empty.textContent();
        assert.doesNotMatch(text, /^Ingen eksponeringer\.?$/, 'not a bare all-clear');
        assert.ok(await empty.$('a[href^="#/vulnerabilities/assets/"]'), 'the way to the asset list');
      }
      assert.deepEqual(page.pageErrors, []);
      await page.close();
    });
  }

  test('a member sees its own exposures and marks one not applicable, which persists', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/vulnerabilities'));
    await page.waitForSelector('[data-testid="vuln-table"]', { timeout: TIMEOUT });
    const members = await page.$$eval('[data-testid="vuln-members"]', (cells) => cells.map((c) => c.textContent));
    assert.ok(members.length > 0);
    for (const cell of members) assert.match(cell, /^København/, 'only its own organisation: ' + cell);
    assert.equal(new Set(members).size, 1, members.join(' | '));

    await page.click('[data-testid="my-assets"]');
    const row = '[data-testid="vuln-findings"] tr[data-cve="CVE-2023-4966"][data-asset="adc-1/netscaler"]';
    await page.waitForSelector(`${row}[data-status="open"]`, { timeout: TIMEOUT });
    const blind = await page.textContent('[data-testid="vuln-blind-spots"]');
    assert.match(blind, /byg-1\/bms/);

    const reason = 'Gateway-funktionen er slået fra på denne NetScaler';
    await page.click(`${row} [data-testid="decision-na"]`);
    await page.fill(`${row} [data-testid="decision-reason"]`, reason);
    await page.click(`${row} [data-testid="decision-save"]`);
    await page.waitForSelector(`${row}[data-status="not_applicable"]`, { timeout: TIMEOUT });

    await page.reload();
    const decided = await page.waitForSelector(`${row}[data-status="not_applicable"]`, { timeout: TIMEOUT });
    assert.equal(await decided.$eval('[data-testid="decision-text"]', (el) => el.textContent), reason);
    assert.deepEqual(page.pageErrors, []);
  });
});
