// Browser test: Overblik, the home page of a signed-in person (#/). A member
// and the coordinator each see their sections filled from the demo data (the
// figures compared with the API's own answers); a sensor gets an explanation;
// an anonymous visitor keeps the map, and a reload never flashes it at a
// signed-in person. Six questions a user asks are answered from the home page
// in at most two clicks, counted: are we exposed to Zyxel (a member that is,
// one that is not), our NIS2 deadline, how we compare, who saw our indicator,
// who is under attack now and where 50 M kr lower risk most. No page errors,
// no failed requests, no sideways scrolling at 390 px, and the accessibility
// checks of support.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { accessibilityProblems, api, BASE, launch, skipReason, TIMEOUT, token, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const LONG = 4 * TIMEOUT;
const TAXII = 'application/taxii+json;version=2.1';
const NATIONAL = '9441b7ab-2adf-5ef8-a96b-80b8bafbb85e';
const DOMAIN = 'login-mitid-support.example';
const MEMBERS = ['0101-soc', '0751-soc', '0461-soc'];
const LIVE_MS = 24 * 3600 * 1000;

function demoIndicators() {
  return readFileSync(new URL('../../data/demo/feed/indicators.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

async function post(member, objects) {
  const response = await fetch(new URL(`taxii2/dannevirke/collections/${NATIONAL}/objects/`, BASE), {
    method: 'POST',
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${token(member)}` },
    body: JSON.stringify({ objects }),
  });
  assert.equal(response.status, 202, await response.text());
}

async function get(member, path) {
  const answer = await api(member, 'GET', path);
  assert.equal(answer.status, 200, `${path}: ${answer.text}`);
  return answer.body;
}

/** A page signed in as `member` and opened on #/, recording page errors and failed requests, and counting clicks. */
async function home(browser, member, { lang = 'da', width = 1366 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  await context.addInitScript((l) => window.localStorage.setItem('dannevirke.lang', l), lang);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error}`));
  page.on('requestfailed', (request) => {
    // A load left behind by a navigation is aborted on purpose.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') page.problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url(`#/login/${encodeURIComponent(token(member))}`));
  await page.waitForSelector('[data-testid="login-done"]');
  await page.goto(url('#/'));
  await page.waitForSelector('[data-testid="home"][data-role]');
  page.clicks = 0;
  page.clickOn = async (selector) => {
    page.clicks += 1;
    await page.click(selector);
  };
  return page;
}

/** Waits until no section is loading any more. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('main .loading, main [aria-busy="true"]'), null, { timeout: LONG });
  await page.waitForLoadState('networkidle');
}

const da1 = (value) => value.toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const daDay = (iso) => {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'numeric', year: 'numeric' })
    .formatToParts(new Date(iso));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return `${get('day')}. ${get('month')}. ${get('year')}`;
};

/** The inventory's Zyxel assets and the open findings on them, from the API. */
async function zyxel(member) {
  const code = member.slice(0, 4);
  const inventory = await get(member, `api/v1/assets/${code}`);
  const exposure = await get(member, `api/v1/exposure/members/${code}`);
  const assets = inventory.assets.filter((asset) => /^cpe:2\.3:[aho]:zyxel:/.test(asset.cpe ?? '')).map((asset) => asset.asset_id);
  const findings = exposure.findings.filter((finding) => finding.status === 'open' && assets.includes(finding.asset_id));
  return { code, assets, findings };
}

describe('Overblik', { skip: SKIP }, () => {
  let browser;
  let phishing;
  before(async () => {
    browser = await launch();
    // Aarhus shares the demo's indicators (already there on a demo database: nothing new is stored);
    // Copenhagen's sensor sights the phishing domain now.
    const indicators = demoIndicators();
    phishing = indicators.find((indicator) => indicator.pattern.includes(DOMAIN)).id;
    await post('0751-soc', indicators);
    const now = new Date().toISOString();
    await post('0101-sensor', [
      {
        type: 'sighting',
        spec_version: '2.1',
        id: `sighting--${randomUUID()}`,
        created: now,
        modified: now,
        sighting_of_ref: phishing,
        count: 2,
        first_seen: now,
        last_seen: now,
      },
    ]);
  });
  after(async () => {
    await browser?.close();
  });

  test("Copenhagen's Overblik shows every section with the API's figures, at 390 px too", async () => {
    const page = await home(browser, '0101-soc');
    await settled(page);
    assert.equal(await page.textContent('h1'), 'Overblik: København');
    for (const id of ['deadlines', 'exposure', 'indicators', 'duty', 'guidance', 'baseline', 'feeds']) {
      assert.ok(await page.$(`[data-testid="home-${id}"] h2`), `section ${id}`);
    }

    const timeline = await get('0101-soc', 'api/v1/incidents/timeline');
    const due = timeline.items.filter((item) => item.next_due);
    assert.equal(await page.locator('[data-testid="home-deadlines"] li[data-incident]').count(), due.length);

    const exposure = await get('0101-soc', 'api/v1/exposure/members/0101');
    const open = exposure.findings.filter((finding) => finding.status === 'open');
    assert.equal(await page.locator('[data-testid="home-findings"] li').count(), open.length);
    // Vendor and product, not only the CVE: the first finding names its vendor from the matched CPE.
    const first = open[0];
    const vendor = first.matched.split(':')[3];
    const item = await page.textContent(`[data-testid="home-findings"] li[data-cve="${first.cve}"][data-asset="${first.asset_id}"]`);
    assert.match(item.toLowerCase(), new RegExp(vendor));
    // A finding past its due date says so on the home page too.
    const today = new Date().toISOString().slice(0, 10);
    for (const finding of open.filter((f) => f.due && f.due < today)) {
      const li = `[data-testid="home-findings"] li[data-cve="${finding.cve}"][data-asset="${finding.asset_id}"]`;
      assert.ok(await page.$(`${li} [data-overdue="true"]`), `${finding.cve} due ${finding.due} is not shown as overdue`);
    }
    const inventory = await get('0101-soc', 'api/v1/assets/0101');
    assert.match(await page.textContent('[data-testid="home-blind-assets"]'), new RegExp(`^${inventory.blind_spots.length} aktiv(er)? uden`));

    const notifications = await get('0101-soc', 'api/v1/duty/members/0101/notifications');
    const openNotes = notifications.notifications.filter((n) => n.state && n.state.acknowledged === undefined).length;
    if (openNotes === 0) assert.ok(await page.$('[data-testid="home-duty-none"]'));
    else assert.equal(await page.textContent('[data-testid="home-duty-count"]'), `${openNotes} ${openNotes === 1 ? 'åben varsling' : 'åbne varslinger'}`);

    const guidance = await get('0101-soc', 'api/v1/guidance');
    assert.equal(await page.locator('[data-testid="home-guidance"] li').count(), Math.min(5, guidance.items.length));

    const feeds = await get('0101-soc', 'api/v1/vulnerabilities/feeds');
    assert.equal(await page.locator('[data-testid="home-feeds"] li[data-feed]').count(), feeds.sources.length);
    for (const source of feeds.sources) {
      assert.match(await page.textContent(`[data-testid="home-feeds"] li[data-feed="${source.kind}"]`), new RegExp(daDay(source.source_date).replace(/\./g, '\\.')));
    }

    // The phishing domain Copenhagen's sensor sighted is among the indicators seen at home, counted in Danish.
    const seen = await page.textContent(`[data-testid="home-athome"] li[data-indicator="${phishing}"]`);
    assert.match(seen, /\d+ observation(er)?/);

    assert.deepEqual(await accessibilityProblems(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("the coordinator's Overblik: who is under attack (map, legend, list), campaigns, deadlines, blind spots", async () => {
    const page = await home(browser, 'cfcs-analyst');
    await settled(page);
    assert.equal(await page.textContent('h1'), 'Overblik: hele landet');
    assert.equal(await page.locator('[data-testid="home-attack-map"] svg path').count(), 98);
    assert.equal(await page.locator('[data-testid="home-attack-legend"] li').count(), 4);

    const campaigns = await get('cfcs-analyst', 'api/v1/campaigns');
    assert.equal(await page.locator('[data-testid="home-campaigns"] li[data-campaign]').count(), campaigns.items.length);
    const timeline = await get('cfcs-analyst', 'api/v1/incidents/timeline');
    assert.equal(
      await page.locator('[data-testid="home-deadlines"] li[data-incident]').count(),
      timeline.items.filter((item) => item.next_due).length,
    );
    const protection = await get('cfcs-analyst', 'api/v1/protection/national');
    assert.match(await page.textContent('[data-blind="protection"]'), new RegExp(`${protection.totals.not_connected} medlem(mer)? af ${protection.totals.members}`));
    const coverage = await get('cfcs-analyst', 'api/v1/register/coverage');
    assert.match(await page.textContent('[data-blind="register"]'), new RegExp(`${coverage.organisations - coverage.with_proven_domain} medlem(mer)? af`));

    assert.deepEqual(await accessibilityProblems(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a sensor token gets an explanation; an anonymous visitor keeps the map; a reload never flashes it', async () => {
    const sensor = await home(browser, '0101-sensor');
    assert.match(await sensor.textContent('[data-testid="home"]'), /sensor/);
    assert.ok(await sensor.$('[data-testid="home"] a[href="#/map"]'));
    await sensor.context().close();

    const context = await browser.newContext();
    const anonymous = await context.newPage();
    await anonymous.goto(url('#/'));
    await anonymous.waitForSelector('[data-testid="dk-map"] svg path');
    assert.equal(await anonymous.$('[data-testid="home"]'), null);
    await context.close();

    const page = await home(browser, '0461-soc');
    await page.evaluate(() => {
      window.sessionStorage.setItem('flash-check', 'on');
    });
    await page.addInitScript(() => {
      if (window.sessionStorage.getItem('flash-check') !== 'on') return;
      window.__sawMap = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="overview"]')) window.__sawMap = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.reload();
    await page.waitForSelector('[data-testid="home"][data-role="member"]');
    assert.equal(await page.evaluate(() => window.__sawMap), false, 'the map was shown to a signed-in member on reload');
    // The map stays one click away.
    await page.click('nav a[href="#/map"]');
    await page.waitForSelector('[data-testid="dk-map"] svg path');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a reload of a page that needs sign-in never shows "sign in" to a signed-in person', async () => {
    const page = await home(browser, '0461-soc');
    await page.evaluate(() => window.sessionStorage.setItem('prompt-check', 'on'));
    await page.addInitScript(() => {
      if (window.sessionStorage.getItem('prompt-check') !== 'on') return;
      window.__sawPrompt = false;
      new MutationObserver(() => {
        if (document.querySelector('main a[href="#/login"]')) window.__sawPrompt = true;
      }).observe(document, { childList: true, subtree: true });
    });
    for (const route of ['#/duty', '#/contacts', '#/vulnerabilities']) {
      await page.goto(url(route));
      await page.reload();
      await page.waitForFunction(() => !document.querySelector('[data-testid="session-restoring"]') && document.querySelector('main h1'));
      assert.equal(await page.evaluate(() => window.__sawPrompt), false, `${route}: "sign in" shown during the restore`);
      assert.equal(await page.$('main a[href="#/login"]'), null, `${route}: still asks to sign in`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Q1 "are we exposed to Zyxel?" — yes for one member, no for another, in at most two clicks', async () => {
    const answers = await Promise.all(MEMBERS.map(zyxel));
    const exposed = answers.find((answer) => answer.findings.length > 0);
    const safe = answers.find((answer) => answer.assets.length > 0 && answer.findings.length === 0);
    assert.ok(exposed && safe, 'the demo has a member exposed to Zyxel and one with Zyxel that is not');

    const yes = await home(browser, `${exposed.code}-soc`);
    const row = yes.locator('[data-testid="home-vendors"] tr[data-vendor="zyxel"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-open'), String(exposed.findings.length));
    const finding = exposed.findings[0];
    await yes.clickOn(`[data-testid="home-findings"] li[data-cve="${finding.cve}"][data-asset="${finding.asset_id}"] a`);
    await yes.waitForSelector(`[data-testid="vuln-cve"][data-cve="${finding.cve}"]`);
    assert.ok(yes.clicks <= 2, `${yes.clicks} clicks`);
    assert.deepEqual(yes.problems, []);
    await yes.context().close();

    const no = await home(browser, `${safe.code}-soc`);
    const safeRow = no.locator('[data-testid="home-vendors"] tr[data-vendor="zyxel"]');
    await safeRow.waitFor();
    assert.equal(await safeRow.getAttribute('data-open'), '0');
    assert.match(await safeRow.textContent(), /Ingen kendte sårbarheder/);
    assert.equal(no.clicks, 0);
    assert.deepEqual(no.problems, []);
    await no.context().close();
  });

  test('Q2 "our NIS2 deadline" — the next stage and its countdown, one click to the incident', async () => {
    const timeline = await get('0101-soc', 'api/v1/incidents/timeline');
    const next = timeline.items.filter((item) => item.next_due).sort((a, b) => a.next_due.due.utc.localeCompare(b.next_due.due.utc))[0];
    assert.ok(next, 'Copenhagen has an open incident with a deadline in the demo');
    const page = await home(browser, '0101-soc');
    const item = page.locator(`[data-testid="home-deadlines"] li[data-incident="${next.id}"]`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-stage'), next.next_due.stage);
    assert.match(await item.textContent(), next.next_due.overdue ? /Overskredet for/ : /tilbage/);
    await page.clickOn(`[data-testid="home-deadlines"] li[data-incident="${next.id}"] a`);
    assert.equal(await page.textContent('[data-testid="inc-title"]'), next.title);
    assert.ok(page.clicks <= 2, `${page.clicks} clicks`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Q3 "how do we compare" — own score and the medians, one click to the whole comparison', async () => {
    const baseline = await get('0101-soc', 'api/v1/baseline/members/0101');
    const page = await home(browser, '0101-soc');
    await page.waitForSelector('[data-testid="home-comparison"]');
    assert.equal(await page.textContent('[data-fact="own"] dd'), da1(baseline.comparison.own));
    assert.equal(await page.textContent('[data-fact="national"] dd'), da1(baseline.comparison.national_median));
    await page.clickOn('[data-testid="home-baseline"] a');
    await page.waitForSelector('[data-testid="baseline-comparison"]', { timeout: LONG });
    assert.ok(page.clicks <= 2, `${page.clicks} clicks`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Q4 "who saw our indicator" — Aarhus sees who sighted what it shared, one click to the indicator', async () => {
    const detail = await get('0751-soc', `api/v1/indicators/${phishing}`);
    const others = detail.sightings.visible.filter((s) => s.organisation?.code !== '0751');
    assert.ok(others.length > 0);
    const page = await home(browser, '0751-soc');
    const item = page.locator(`[data-testid="home-shared"] li[data-indicator="${phishing}"]`);
    await item.waitFor({ timeout: LONG });
    const seenBy = await item.locator('[data-testid="home-seen-by"]').textContent();
    for (const sighting of others) {
      assert.match(seenBy, sighting.organisation ? new RegExp(sighting.organisation.name) : /ikke er navngivet/);
    }
    await page.clickOn(`[data-testid="home-shared"] li[data-indicator="${phishing}"] a`);
    await page.waitForSelector('[data-testid="indicator-sightings"]');
    assert.ok(page.clicks <= 2, `${page.clicks} clicks`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Q5 "who is under attack now" — the coordinator sees members with open incidents and live sightings', async () => {
    const timeline = await get('cfcs-analyst', 'api/v1/incidents/timeline');
    const expected = new Set(timeline.items.map((item) => item.org.code));
    const detail = await get('cfcs-analyst', `api/v1/indicators/${phishing}`);
    for (const s of detail.sightings.visible) {
      if (s.organisation && Date.now() - Date.parse(s.last_seen) < LIVE_MS) expected.add(s.organisation.code);
    }
    const page = await home(browser, 'cfcs-analyst');
    await page.waitForSelector('[data-testid="home-attack-list"] tbody tr', { timeout: LONG });
    const shown = new Set(await page.$$eval('[data-testid="home-attack-list"] tbody tr', (rows) => rows.map((r) => r.dataset.code)));
    for (const code of expected) assert.ok(shown.has(code), `${code} is listed`);
    // Copenhagen's sensor sighted the phishing domain now: it is on the map as such, in words too.
    assert.match(await page.getAttribute('[data-testid="home-attack-list"] tr[data-code="0101"]', 'data-state'), /both|sighting/);
    assert.match(await page.getAttribute('[data-testid="home-attack-map"] path.dk-m-0101', 'class'), /home-attack-(both|sighting)/);
    const incident = timeline.items[0];
    await page.clickOn(`[data-testid="home-attack-list"] tr[data-code="${incident.org.code}"] td a[href^="#/incidents"]`);
    await page.waitForSelector('h1');
    assert.ok(page.clicks <= 2, `${page.clicks} clicks`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Q6 "where do 50 M kr lower risk most" — the plan in two clicks', async () => {
    const page = await home(browser, 'cfcs-analyst');
    await page.clickOn('[data-testid="home-plan-link"]');
    assert.equal(await page.inputValue('[data-testid="plan-budget"]'), '50000000');
    await page.clickOn('[data-testid="plan-run"]');
    await page.waitForSelector('[data-testid="plan-list"] tbody tr', { timeout: LONG });
    assert.ok((await page.locator('[data-testid="plan-list"] tbody tr').count()) > 0);
    assert.ok(page.clicks <= 2, `${page.clicks} clicks`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
