// Browser test: domains measured from outside (#/posture, issue 17). The demo
// seeds a measurement of every member's illustrative domain and, for
// Copenhagen, a DMARC regression. The coordinator sees the national shares
// (at least five members measured, so not hidden), opens a member through the
// picker and reads its results and a domain's history; Odense sees its own
// results, asks for a measurement and is told to wait when it asks again at
// once; Copenhagen sees its regression. Danish without English words (the
// hub's reasons are marked lang="en"), English in English, and the
// accessibility checks of support.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const ENGLISH = /\b(the|and|with|only|measured|check|result|reason|domain|history|members?|pass|fail|warning)\b/i;
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;

// Odense's illustrative demo domain, which the demo measured. Another test
// may have emptied Odense's registration; it is registered and approved
// again here, and its stored measurement shows once more.
const ODENSE_DOMAIN = 'odense.example';

/** Odense's registration with its demo domain proven, whatever ran before. */
async function proveOdenseDomain() {
  const current = await api('0461-soc', 'GET', 'api/v1/register/members/0461');
  assert.equal(current.status, 200, current.text);
  const domains = current.body.domains.map((domain) => domain.name);
  if (!domains.includes(ODENSE_DOMAIN)) {
    const saved = await api('0461-soc', 'PUT', 'api/v1/register/members/0461', {
      domains: [...domains, ODENSE_DOMAIN],
      prefixes: current.body.prefixes,
      asns: current.body.asns,
      urls: current.body.urls,
    });
    assert.equal(saved.status, 200, saved.text);
  }
  const proof = current.body.domains.find((domain) => domain.name === ODENSE_DOMAIN);
  if (!proof || !['proven', 'approved'].includes(proof.status)) {
    const approved = await api('cfcs-analyst', 'POST', `api/v1/register/members/0461/domains/${ODENSE_DOMAIN}/approve`, {
      reason: 'Browsertest: Odenses demodomæne',
    });
    assert.equal(approved.status, 200, approved.text);
  }
}

describe('Posture', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
    await proveOdenseDomain();
  });
  after(async () => {
    await browser?.close();
  });

  test('the coordinator sees the national shares and opens a member’s results and history', async () => {
    const national = await api('cfcs-analyst', 'GET', 'api/v1/posture/national');
    assert.equal(national.status, 200, national.text);
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/posture'));
    await page.waitForSelector('[data-testid="posture-national-table"] tr[data-check="dmarc"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Målt udefra');
    const dmarc = national.body.checks.find((row) => row.check === 'dmarc');
    assert.ok(dmarc.members >= 5 && !dmarc.hidden, national.text);
    const row = await page.textContent('[data-testid="posture-national-table"] tr[data-check="dmarc"]');
    assert.match(row, new RegExp(`DMARC.*${dmarc.members.toLocaleString('da-DK')}.*${dmarc.passing.toLocaleString('da-DK')}`));
    let words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.selectOption('[data-testid="posture-picker"] select', '0851');
    await page.click('[data-testid="posture-picker"] button');
    await page.waitForSelector('[data-testid="posture-member"][data-code="0851"] [data-testid="posture-table"] tbody tr', {
      timeout: TIMEOUT,
    });
    assert.match(await page.textContent('h1'), /^Målt udefra: Aalborg/);
    const checks = await page.$$eval('[data-testid="posture-table"] tbody tr', (rows) => rows.map((r) => r.dataset.check));
    assert.deepEqual([...checks].sort(), ['dmarc', 'dnssec', 'hsts', 'https_redirect', 'security_txt', 'spf', 'tls_rpt', 'web_tls']);
    const domain = await page.getAttribute('[data-testid="posture-table"] tbody tr', 'data-domain');
    await page.selectOption('[data-testid="posture-history-domain"]', domain);
    await page.waitForSelector('[data-testid="posture-history"] tbody tr', { timeout: TIMEOUT });
    words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Odense sees its own results, asks for a measurement, and is told to wait when it asks again', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/posture'));
    await page.waitForSelector(
      `[data-testid="posture-member"][data-code="0461"] [data-testid="posture-table"] tr[data-domain="${ODENSE_DOMAIN}"]`,
      { timeout: TIMEOUT },
    );
    const statuses = await page.$$eval('[data-testid="posture-table"] tbody tr', (rows) => rows.map((r) => r.dataset.status));
    assert.ok(statuses.every((status) => ['pass', 'warn', 'fail', 'error'].includes(status)), String(statuses));
    const first = await page.textContent('[data-testid="posture-table"] tbody tr');
    assert.match(first, /Opfyldt|Advarsel|Ikke opfyldt|Kunne ikke måles/);
    await page.click('[data-testid="posture-scan"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="posture-scan-message"]')?.textContent?.includes('kø'),
      null,
      { timeout: TIMEOUT },
    );
    await page.click('[data-testid="posture-scan"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="posture-scan-message"]')?.textContent?.includes('ti minutter'),
      null,
      { timeout: TIMEOUT },
    );
    // Another member's page is refused, and says so.
    await page.goto(url('#/posture/0751'));
    await page.waitForSelector('[data-testid="posture-refused"]', { timeout: TIMEOUT });
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen sees its DMARC regression, in English too', async () => {
    const page = await signedInPage(browser, '0101-soc', { lang: 'en' });
    await page.goto(url('#/posture'));
    await page.waitForSelector('[data-testid="posture-regressions"] tbody tr', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Measured from outside: København');
    const regression = await page.textContent('[data-testid="posture-regressions"] tbody tr');
    assert.match(regression, /DMARC/);
    assert.match(regression, /Met.*→.*Not met/);
    assert.doesNotMatch(await prose(page), /Målt|Opfyldt|Forværring/);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
