// Browser test: the small charts. A member sees its score among comparable
// members (only the groups the hub publishes), an indicator's confidence over
// its life with today marked, and its sightings per day — each chart with a
// text alternative that states the API's numbers, no axe violation, and no
// sideways scrolling at 390 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { api, BASE, launch, skipReason, TIMEOUT, token, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAXII = 'application/taxii+json;version=2.1';
const NATIONAL = '9441b7ab-2adf-5ef8-a96b-80b8bafbb85e';
const DAY = 86_400_000;

const one = (n) => new Intl.NumberFormat('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
const whole = (n) => new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 }).format(n);
/** "7. 12. 2026": the day in Denmark, as the dashboard writes it in Danish. */
function danishDate(iso) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${Number(parts.day)}. ${Number(parts.month)}. ${parts.year}`;
}
/** The calendar day in Denmark ("2026-12-07"). */
function danishDay(iso) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(() =>
    window.axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)),
  );
}

/** A phone-sized page signed in as `member`, in Danish; bypassCSP: the hub allows only its own scripts, axe-core is added by the test. */
async function phonePage(browser, member) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  await context.addInitScript(() => window.localStorage.setItem('dannevirke.lang', 'da'));
  const page = await context.newPage();
  page.pageErrors = [];
  page.on('pageerror', (error) => page.pageErrors.push(error));
  await page.goto(url(`#/login/${encodeURIComponent(token(member))}`));
  await page.waitForSelector('[data-testid="login-done"]', { timeout: TIMEOUT });
  return page;
}

async function tableRows(page, selector) {
  return page.$$eval(`${selector} tr`, (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())));
}

async function publish(member, objects) {
  const response = await fetch(new URL(`taxii2/dannevirke/collections/${NATIONAL}/objects/`, BASE), {
    method: 'POST',
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${token(member)}` },
    body: JSON.stringify({ objects }),
  });
  const text = await response.text();
  assert.equal(response.status, 202, text);
  assert.equal(JSON.parse(text).success_count, objects.length, text);
}

describe('charts', { skip: SKIP }, () => {
  let browser;
  const id = `indicator--${randomUUID()}`;
  before(async () => {
    browser = await launch();
    const now = Date.now();
    const at = (ms) => new Date(ms).toISOString();
    await publish('0751-soc', [
      {
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: at(now - 5 * DAY),
        modified: at(now - 5 * DAY),
        name: `Chart test ${id.slice(-6)}`,
        pattern: "[domain-name:value = 'charts-test.example']",
        pattern_type: 'stix',
        valid_from: at(now - 5 * DAY),
        confidence: 85,
        object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
      },
    ]);
    // Copenhagen's sensor saw it on three days: 3 times four days ago, 5 and 2 times two days ago.
    const sighting = (count, first, last) => ({
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${randomUUID()}`,
      created: at(now),
      modified: at(now),
      sighting_of_ref: id,
      count,
      first_seen: at(first),
      last_seen: at(last),
    });
    await publish('0101-sensor', [
      sighting(3, now - 4 * DAY - 3_600_000, now - 4 * DAY),
      sighting(5, now - 2 * DAY - 7_200_000, now - 2 * DAY),
      sighting(2, now - 2 * DAY - 3_600_000, now - 2 * DAY + 60_000),
    ]);
  });
  after(async () => {
    await browser?.close();
  });

  test("a member sees its own score among the published comparison groups, with the API's numbers", async () => {
    const member = await api('0461-soc', 'GET', 'api/v1/baseline/members/0461');
    const national = await api('0461-soc', 'GET', 'api/v1/baseline/national');
    assert.equal(member.status, 200);
    assert.equal(national.status, 200);
    const own = member.body.score.overall;
    assert.equal(typeof own, 'number', 'the demo member has a score');
    const wanted = national.body.groups.filter(
      (g) =>
        g.dimension === 'national' ||
        (g.dimension === 'region' && g.key === member.body.member.region_code) ||
        (g.dimension === 'size_band' && g.key === member.body.member.size_band),
    );
    const published = wanted.filter((g) => !g.suppressed && g.overall);

    const page = await phonePage(browser, '0461-soc');
    await page.goto(url('#/baseline/0461'));
    const chart = await page.waitForSelector('[data-testid="baseline-peer-chart"]', { timeout: TIMEOUT });
    // The member's own position is drawn and labelled with its score.
    const mark = await chart.$('[data-testid="baseline-peer-chart-own"]');
    assert.ok(mark, 'own position marked');
    assert.equal(await mark.textContent(), `Odense: ${one(own)}`);
    assert.equal(await page.textContent('[data-testid="baseline-peer-chart-own-cell"]'), `Jeres score: ${one(own)}`);
    // One drawn group per published group; none the hub withholds.
    const drawn = await chart.$$eval('svg g[data-group]', (groups) => groups.map((g) => g.getAttribute('data-group')));
    assert.deepEqual(drawn, published.map((g) => g.dimension));
    // The hidden table states the same bands and quartiles as the API.
    const rows = await tableRows(page, '[data-testid="baseline-peer-chart-table"] tbody');
    assert.equal(rows.length, 12);
    for (let band = 0; band < 10; band += 1) {
      assert.deepEqual(
        rows[band].slice(1),
        published.map((g) => (g.overall.histogram[band] === null ? '1–4' : whole(g.overall.histogram[band]))),
        `band ${band * 10}`,
      );
    }
    assert.deepEqual(
      rows[10].slice(1),
      published.map((g) => `${one(g.overall.p25)} / ${one(g.overall.median)} / ${one(g.overall.p75)}`),
    );
    assert.deepEqual(rows[11].slice(1), published.map((g) => whole(g.members)));
    // The medians agree with the comparison the hub computed for the member.
    const medians = { national: member.body.comparison.national_median, region: member.body.comparison.region_median, size_band: member.body.comparison.size_band_median };
    for (const g of published) assert.equal(g.overall.median, medians[g.dimension], g.dimension);
    // Its description names the own score and each group's median.
    const desc = await chart.$eval('svg desc', (d) => d.textContent);
    assert.match(desc, new RegExp(`Odense: ${one(own)}`));
    for (const g of published) assert.ok(desc.includes(`median ${one(g.overall.median)}`), desc);

    const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(width[0] <= width[1], `no sideways scrolling at 390 px: ${width}`);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test("an indicator's page shows its confidence over time and its sightings per day, as the API says", async () => {
    const detail = await api('0101-soc', 'GET', `api/v1/indicators/${encodeURIComponent(id)}`);
    const profile = await api('0101-soc', 'GET', 'api/v1/protection/members/0101/profile');
    assert.equal(detail.status, 200);
    assert.equal(profile.status, 200);
    const item = detail.body;
    assert.equal(item.status, 'active');

    const page = await phonePage(browser, '0101-soc');
    await page.goto(url(`#/indicators/${encodeURIComponent(id)}`));
    const decay = await page.waitForSelector('[data-testid="indicator-decay"]', { timeout: TIMEOUT });
    // Today is marked with the hub's current confidence; the feed's minimum is drawn.
    assert.equal(await page.textContent('[data-testid="indicator-decay-today"]'), `I dag: ${whole(item.confidence.current)}`);
    const feed = await page.$('[data-testid="indicator-decay-feed"]');
    assert.ok(feed, 'feed minimum drawn');
    assert.match(await feed.textContent(), new RegExp(`mindst ${whole(profile.body.profile.min_confidence)}$`));
    const decayRows = Object.fromEntries(
      await page.$$eval('[data-testid="indicator-decay-table"] tbody tr', (rows) =>
        rows.map((row) => [row.getAttribute('data-row'), [row.children[0].textContent, row.children[1].textContent]]),
      ),
    );
    assert.deepEqual(decayRows.today, ['I dag', whole(item.confidence.current)]);
    assert.deepEqual(decayRows.start, [danishDate(item.confidence.decay_from), whole(item.confidence.base)]);
    assert.equal(decayRows.expires[0], `Udløber ${danishDate(item.confidence.expires_at)}`);
    assert.ok(Number(decayRows.expires[1]) <= 20, `below the expiry threshold at expiry: ${decayRows.expires}`);
    const caption = await decay.$eval('figcaption', (c) => c.textContent);
    assert.ok(caption.includes(`${whole(item.confidence.base)} × (1 − (tid / ${whole(item.confidence.lifetime_days)} dage)²)`), caption);

    // Sightings per day: each day's bar is the sum of the counts of the reports last seen that day.
    const bars = await page.waitForSelector('[data-testid="indicator-sighting-bars"]', { timeout: TIMEOUT });
    assert.equal(await bars.getAttribute('data-unit'), 'day');
    const expected = new Map();
    for (const s of item.sightings.visible) {
      const day = danishDay(s.last_seen);
      expected.set(day, (expected.get(day) ?? 0) + s.count);
    }
    const drawn = await bars.$$eval('svg g[data-bucket]', (groups) => groups.map((g) => [g.getAttribute('data-bucket'), Number(g.getAttribute('data-count'))]));
    assert.deepEqual(new Map(drawn), expected);
    assert.ok(expected.size >= 2, 'sightings on at least two days');
    const total = item.sightings.visible.reduce((sum, s) => sum + s.count, 0);
    assert.equal(await page.textContent('[data-testid="indicator-sighting-bars-total"]'), whole(total));
    const sightingRows = await tableRows(page, '[data-testid="indicator-sighting-bars-table"] tbody');
    assert.deepEqual(
      sightingRows.map((row) => [row[0], row[1]]),
      [...expected].sort().map(([day, count]) => [danishDate(`${day}T12:00:00Z`), whole(count)]),
    );

    const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(width[0] <= width[1], `no sideways scrolling at 390 px: ${width}`);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
