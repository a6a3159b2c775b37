// Browser test: outside reports routed to members (#/notices, issue 15).
// Copenhagen registers two documentation networks; the coordinator posts a
// small Shadowserver scan_rdp report through the API. Copenhagen sees the
// notice as TLP:AMBER with what AMBER allows, opens it with the keyboard, sees
// its rows (address, port, the network that matched), acknowledges it and
// then says "not ours" with a comment, and filters by status; the history
// per report type has a month. Odense is refused Copenhagen's notices and
// does not find Copenhagen's notice under its own code. The coordinator
// loads a report through the form (the summary names the rejected line and
// the members reached), and sees the loads, the blind spot of an address
// nobody registered and the disputed notice. Danish without English words,
// English in English, and the accessibility checks of support.mjs. The rows
// carry this run's time, so they are new whatever the demo already holds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const PREFIX = '198.51.100.0/24';
const PREFIX_V6 = '2001:db8:101::/48';
// The demo registers 192.0.2.0/27 to 192.0.2.159 and the register test
// 192.0.2.0/25 and 192.0.2.128/26; 192.0.2.192/26 stays nobody's.
const UNREGISTERED = '192.0.2.0/24';
const ENGLISH =
  /\b(the|and|with|only|reports?|rows?|received|source|severity|open|acknowledged|resolved|not ours|blind spots?|history|sent|loaded|members?)\b/i;
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;

/** A Shadowserver scan_rdp file: two rows in Copenhagen's networks, one nobody registered, one bad address. */
function report(stamp) {
  return [
    'timestamp,ip,protocol,port,hostname,tag,asn,geo,region,city',
    `${stamp},198.51.100.10,tcp,3389,,rdp,64496,DK,Hovedstaden,København`,
    `${stamp},2001:db8:101::10,tcp,3389,,rdp,64496,DK,Hovedstaden,København`,
    `${stamp},192.0.2.237,tcp,3389,,rdp,,DK,,`,
    `${stamp},ikke-en-adresse,tcp,3389,,rdp,,DK,,`,
  ].join('\n');
}

/** This run's time as Shadowserver writes it, a given number of seconds apart. */
function stamp(offsetSeconds) {
  return new Date(Date.now() - offsetSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * Makes `address` route to Copenhagen alone, whatever else is registered: a
 * conflict over `prefix` is decided for Copenhagen, a nesting approved.
 */
async function routeToCopenhagen(prefix, address) {
  const route = await api('cfcs-analyst', 'GET', `api/v1/register/route?address=${encodeURIComponent(address)}`);
  assert.equal(route.status, 200, route.text);
  if (route.body.match?.owners.length === 1 && route.body.match.owners[0] === '0101') return;
  const conflicts = (await api('cfcs-analyst', 'GET', 'api/v1/register/conflicts')).body;
  if (conflicts.open.some((conflict) => conflict.key === prefix)) {
    const resolved = await api('cfcs-analyst', 'POST', 'api/v1/register/conflicts/resolve', {
      kind: 'prefix',
      key: prefix,
      owner: '0101',
      reason: 'Browsertest: Københavns net',
    });
    assert.equal(resolved.status, 200, resolved.text);
  }
  if (conflicts.nested.some((nested) => nested.inner === prefix && !nested.approved.includes('0101'))) {
    const approved = await api('cfcs-analyst', 'POST', 'api/v1/register/nested/approve', {
      prefix,
      owner: '0101',
      reason: 'Browsertest: Københavns net',
    });
    assert.equal(approved.status, 200, approved.text);
  }
  const again = await api('cfcs-analyst', 'GET', `api/v1/register/route?address=${encodeURIComponent(address)}`);
  assert.deepEqual(again.body.match?.owners, ['0101'], again.text);
}

describe('Notices', { skip: SKIP }, () => {
  let browser;
  let notice;
  before(async () => {
    browser = await launch();
    const registered = await api('0101-soc', 'PUT', 'api/v1/register/members/0101', { prefixes: [PREFIX, PREFIX_V6] });
    assert.equal(registered.status, 200, registered.text);
    await routeToCopenhagen(PREFIX, '198.51.100.10');
    await routeToCopenhagen(PREFIX_V6, '2001:db8:101::10');
    const ingest = await api(
      'cfcs-analyst',
      'POST',
      'api/v1/notices/reports?format=shadowserver:scan_rdp&source=Test&origin=browsertest-scan_rdp.csv',
      report(stamp(0)),
      { contentType: 'text/csv' },
    );
    assert.equal(ingest.status, 201, ingest.text);
    assert.equal(ingest.body.members['0101'], 2, ingest.text);
    const list = await api('0101-soc', 'GET', 'api/v1/notices/members/0101');
    notice = list.body.notices.find((entry) => entry.ingest === ingest.body.id).id;
  });
  after(async () => {
    await browser?.close();
  });

  test('Copenhagen sees the notice as TLP:AMBER and opens it with the keyboard to its rows', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/notices'));
    const row = await page.waitForSelector(`[data-testid="notices-table"] tr[data-id="${notice}"]`, { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Henvendelser udefra: København');
    assert.match(await page.textContent('[data-testid="notices-tlp"]'), /TLP:AMBER.*leverandører.*ikke videre/);
    const text = await row.textContent();
    assert.match(text, /Åbent fjernskrivebord \(RDP\)/);
    assert.match(text, /Test/);
    assert.match(text, /Åben/);
    // The history has the report type with at least one month.
    await page.waitForSelector('[data-testid="notices-history"] [data-type="scan_rdp"] tbody tr', { timeout: TIMEOUT });

    let words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.focus(`[data-testid="notices-table"] tr[data-id="${notice}"] [data-testid="notices-open"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="notices-notice"][data-id="${notice}"] [data-testid="notices-row-table"]`, {
      timeout: TIMEOUT,
    });
    assert.equal(await page.textContent('h1'), 'Henvendelse: Åbent fjernskrivebord (RDP)');
    const v4 = await page.textContent('[data-testid="notices-row-table"] tr[data-address="198.51.100.10"]');
    assert.match(v4, /3389/);
    assert.match(v4, /netværk 198\.51\.100\.0\/24/);
    const v6 = await page.textContent('[data-testid="notices-row-table"] tr[data-address="2001:db8:101::10"]');
    assert.match(v6, /netværk 2001:db8:101::\/48/);
    assert.equal(await page.$('[data-testid="notices-row-table"] tr[data-address="192.0.2.237"]'), null);
    words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen acknowledges the notice, then says it is not theirs with a comment, and filters by status', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url(`#/notices/0101/${notice}`));
    await page.waitForSelector('[data-testid="notices-set-acknowledged"]', { timeout: TIMEOUT });
    await page.focus('[data-testid="notices-set-acknowledged"]');
    await page.keyboard.press('Enter');
    const saved = await page.waitForSelector('[data-testid="notices-status-saved"]', { timeout: TIMEOUT });
    assert.match(await saved.textContent(), /Status er nu: Kvitteret/);
    await page.waitForSelector('[data-testid="notices-status"] [data-status="acknowledged"]', { timeout: TIMEOUT });

    await page.fill('[data-testid="notices-comment"]', 'Adressen er flyttet til en leverandør');
    await page.click('[data-testid="notices-set-not_ours"]');
    await page.waitForSelector('[data-testid="notices-status"] [data-status="not_ours"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="notices-status-history"]'), /Ikke vores.*Adressen er flyttet til en leverandør/);
    // The rows stay as loaded after a change of status.
    await page.waitForSelector('[data-testid="notices-row-table"] tr[data-address="198.51.100.10"]', { timeout: TIMEOUT });

    await page.goto(url('#/notices'));
    await page.waitForSelector(`[data-testid="notices-table"] tr[data-id="${notice}"]`, { timeout: TIMEOUT });
    await page.selectOption('[data-testid="notices-status-filter"]', 'not_ours');
    await page.waitForFunction(() => window.location.hash === '#/notices?status=not_ours', undefined, { timeout: TIMEOUT });
    await page.waitForSelector(`[data-testid="notices-table"] tr[data-id="${notice}"][data-status="not_ours"]`, { timeout: TIMEOUT });
    const statuses = await page.$$eval('[data-testid="notices-table"] tbody tr', (rows) => rows.map((row) => row.dataset.status));
    assert.ok(statuses.every((status) => status === 'not_ours'), statuses.join(','));
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('in English the notice is in English', async () => {
    const page = await signedInPage(browser, '0101-soc', { lang: 'en' });
    await page.goto(url(`#/notices/0101/${notice}`));
    await page.waitForSelector('[data-testid="notices-row-table"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Report: Open remote desktop (RDP)');
    assert.match(await page.textContent('[data-testid="notices-tlp"]'), /TLP:AMBER.*suppliers.*not beyond/);
    assert.match(await page.textContent('[data-testid="notices-row-table"]'), /network 198\.51\.100\.0\/24/);
    assert.doesNotMatch(await prose(page), RAW_CODE);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Odense is refused Copenhagen’s notices, and does not find Copenhagen’s notice under its own code', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/notices/0101'));
    const refusal = await page.waitForSelector('[data-testid="notices-refused"]', { timeout: TIMEOUT });
    assert.match(await refusal.textContent(), /Du har ikke adgang/);
    assert.equal(await page.$('[data-testid="notices-table"]'), null);
    assert.doesNotMatch(await page.textContent('main'), /198\.51\.100/);
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.goto(url(`#/notices/0461/${notice}`));
    await page.waitForSelector('[data-testid="notices-unknown"]', { timeout: TIMEOUT });
    assert.equal(await page.$('[data-testid="notices-row-table"]'), null);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('the coordinator loads a report through the form and sees the loads, the blind spot and the disputed notice', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/notices'));
    await page.waitForSelector('[data-testid="notices-upload"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Henvendelser udefra i hele fællesskabet');

    // A missing report type is said next to its field; nothing is sent.
    const origin = `browsertest-${Date.now()}.csv`;
    await page.setInputFiles('[data-testid="notices-file"]', {
      name: origin,
      mimeType: 'text/csv',
      buffer: Buffer.from(report(stamp(60))),
    });
    await page.selectOption('[data-testid="notices-format"]', 'shadowserver');
    await page.fill('[data-testid="notices-source-input"]', 'Test');
    await page.click('[data-testid="notices-upload-submit"]');
    assert.match(await page.textContent('[data-testid="notices-upload"] [role="alert"]'), /Skriv rapporttypen/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'notices-report-type');
    await page.keyboard.type('scan_rdp');
    await page.selectOption('[data-testid="notices-severity"]', 'high');
    await page.click('[data-testid="notices-upload-submit"]');

    const summary = await page.waitForSelector('[data-testid="notices-ingest-summary"]', { timeout: TIMEOUT });
    assert.match(await summary.textContent(), new RegExp(`Rapporten ${origin.replace(/\./g, '\\.')} er indlæst\\. Rækker sendt: 2\\. Medlemmer ramt: 1\\.`));
    assert.equal(await page.textContent('[data-figure="rejected"] dd'), '1');
    assert.match(await page.textContent('[data-testid="notices-ingest-problems"] tbody'), /5.*ip.*Afvist/);
    assert.match(await page.textContent('[data-testid="notices-ingest-members"] tr[data-code="0101"]'), /København\s*2/);

    await page.waitForSelector(`[data-testid="notices-ingests"] tr >> text=${origin}`, { timeout: TIMEOUT });
    const blind = await page.waitForSelector(`[data-testid="notices-blind-table"] tr[data-key="${UNREGISTERED}"]`, { timeout: TIMEOUT });
    assert.equal(await blind.getAttribute('data-reason'), 'unregistered');
    assert.match(await blind.textContent(), /Ikke registreret/);
    assert.match(await blind.textContent(), /192\.0\.2\.237/);
    const disputed = await page.waitForSelector(`[data-testid="notices-disputed-table"] tr[data-id="${notice}"]`, { timeout: TIMEOUT });
    assert.match(await disputed.textContent(), /København.*Adressen er flyttet til en leverandør/);

    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    // A member's notices, read-only for the coordinator.
    await page.goto(url(`#/notices/0101/${notice}`));
    await page.waitForSelector('[data-testid="notices-row-table"]', { timeout: TIMEOUT });
    assert.equal(await page.$('[data-testid="notices-set-resolved"]'), null);
    assert.match(await page.textContent('[data-testid="notices-status-section"]'), /Kun medlemmets egne medarbejdere/);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
