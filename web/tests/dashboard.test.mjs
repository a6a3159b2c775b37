// Browser test of the Dannevirke dashboard against a running hub.
//
//   DANNEVIRKE_URL=http://127.0.0.1:18080/ node --test tests/
//
// Optional: DANNEVIRKE_SCREENSHOT_DIR=/some/dir saves screenshots there.
// Uses Debian's Chromium (CHROMIUM_PATH overrides /usr/bin/chromium).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BASE = process.env.DANNEVIRKE_URL;
const SCREENSHOT_DIR = process.env.DANNEVIRKE_SCREENSHOT_DIR;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SKIP = BASE ? false : 'DANNEVIRKE_URL is not set: start the hub (dannevirke demo, or tests/browser/run_browser_test.sh) and point DANNEVIRKE_URL at it';

if (!BASE) console.log(`dashboard browser test skipped: ${SKIP}`);

const LAPTOP = { width: 1366, height: 768 };
const WALL = { width: 1920, height: 1080 };
const TIMEOUT = 15_000;

const MAP_PATHS = '[data-testid="dk-map"] svg path';
const TABLE_ROWS = '[data-testid="member-table"] tbody tr';

function url(hash) {
  return new URL(hash, BASE).toString();
}

async function screenshot(page, name) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** A viewport point where the given element is the topmost one (shapes can be concave or have enclaves). */
async function pointInside(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const candidates = [];
    const steps = 24;
    for (let i = 1; i < steps; i += 1) {
      for (let j = 1; j < steps; j += 1) {
        const x = r.left + (r.width * i) / steps;
        const y = r.top + (r.height * j) / steps;
        const d = (i - steps / 2) ** 2 + (j - steps / 2) ** 2;
        candidates.push({ x, y, d });
      }
    }
    candidates.sort((a, b) => a.d - b.d);
    for (const { x, y } of candidates) {
      if (document.elementFromPoint(x, y) === el) return { x, y };
    }
    return null;
  }, selector);
}

async function rowsInfo(page) {
  return page.$$eval(TABLE_ROWS, (rows) =>
    rows.map((r) => ({
      code: r.getAttribute('data-code') ?? '',
      region: r.getAttribute('data-region') ?? '',
      kind: r.getAttribute('data-kind') ?? '',
      text: r.textContent ?? '',
    })),
  );
}

/** Waits until the table shows the filtered result (filtering is synchronous, but rendering is not). */
async function waitForRows(page, predicate, what) {
  const deadline = Date.now() + TIMEOUT;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await rowsInfo(page);
    if (predicate(rows)) return rows;
    await page.waitForTimeout(100);
  }
  assert.fail(`table never showed ${what}; last rows: ${rows.map((r) => r.code).join(', ')}`);
}

describe('Dannevirke dashboard', { skip: SKIP }, () => {
  let browser;
  const pageErrors = [];

  before(async () => {
    if (!BASE) return;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function openPage(viewport = LAPTOP) {
    const context = await browser.newContext({ viewport, locale: 'da-DK' });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    return page;
  }

  test('overview draws all 98 municipalities, coloured by region, in Danish', async () => {
    const page = await openPage(LAPTOP);
    await page.goto(url('#/'));
    await page.waitForSelector(MAP_PATHS);
    assert.equal(await page.locator(MAP_PATHS).count(), 98, 'municipality shapes in the map');

    // Colours come from the hub's region of each municipality.
    await page.waitForSelector('[data-testid="dk-map"] path.dk-region-1084');
    const regions = await page.$$eval(MAP_PATHS, (paths) =>
      paths.map((p) => [...p.classList].find((c) => c.startsWith('dk-region-')) ?? ''),
    );
    const known = regions.filter((r) => /^dk-region-108[1-5]$/.test(r));
    assert.equal(known.length, 98, `every shape has a region colour (got ${regions.filter((r) => !known.includes(r)).join(', ')})`);
    assert.equal(new Set(known).size, 5, 'five regions on the map');
    const fills = await page.$$eval(MAP_PATHS, (paths) => new Set(paths.map((p) => getComputedStyle(p).fill)).size);
    assert.equal(fills, 5, 'five distinct region colours');

    // Danish by default.
    assert.equal(await page.getAttribute('html', 'lang'), 'da');
    assert.equal((await page.textContent('[data-testid="lang-toggle"]'))?.trim(), 'English');
    assert.match(await page.textContent('nav'), /Overblik/);
    assert.match(await page.textContent('nav'), /Medlemmer/);
    assert.match(await page.textContent('[data-testid="map-legend"]'), /Region Hovedstaden/);
    assert.match(await page.title(), /Dannevirke — fælles cyberforsvar/);

    // Counts from the API.
    await page.waitForSelector('[data-testid="counts"] .count[data-kind="municipality"]');
    const counts = await page.textContent('[data-testid="counts"]');
    assert.match(counts, /Kommuner/);
    assert.match(counts, /Fælles nationale systemer/);
    assert.equal(
      (await page.textContent('[data-testid="counts"] .count[data-kind="municipality"] .count-value'))?.trim(),
      '98',
    );
    assert.equal(
      (await page.textContent('[data-testid="counts"] .count[data-kind="region"] .count-value'))?.trim(),
      '5',
    );

    await screenshot(page, 'overview-1366x768');
    await page.setViewportSize(WALL);
    await page.waitForTimeout(200);
    await screenshot(page, 'overview-1920x1080');
    await page.context().close();
  });

  test('language switch to English is shown and remembered', async () => {
    const page = await openPage();
    await page.goto(url('#/'));
    await page.waitForSelector('[data-testid="lang-toggle"]');
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await page.textContent('[data-testid="lang-toggle"]'))?.trim(), 'Dansk');
    assert.match(await page.textContent('nav'), /Overview/);
    assert.match(await page.textContent('nav'), /Members/);
    await page.waitForSelector('[data-testid="counts"] .count');
    assert.match(await page.textContent('[data-testid="counts"]'), /Municipalities/);
    assert.match(await page.textContent('[data-testid="map-legend"]'), /Capital Region of Denmark/);

    await page.reload();
    await page.waitForSelector('[data-testid="lang-toggle"]');
    assert.equal((await page.textContent('[data-testid="lang-toggle"]'))?.trim(), 'Dansk', 'choice survives a reload');
    assert.match(await page.textContent('nav'), /Overview/);

    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.documentElement.lang === 'da');
    assert.match(await page.textContent('nav'), /Overblik/);
    await page.context().close();
  });

  test('clicking a municipality on the map opens its member page', async () => {
    const page = await openPage();
    await page.goto(url('#/'));
    const shape = '[data-testid="dk-map"] path.dk-m-0751';
    await page.waitForSelector(shape);
    const point = await pointInside(page, shape);
    assert.ok(point, 'found a visible point inside the Aarhus shape');
    await page.mouse.move(point.x, point.y);
    await page.mouse.click(point.x, point.y);

    await page.waitForSelector('[data-testid="member-page"][data-state="ok"]');
    assert.match(page.url(), /#\/members\/0751$/);
    assert.equal(await page.getAttribute('[data-testid="member-page"]', 'data-code'), '0751');
    assert.equal((await page.textContent('[data-testid="member-code"]'))?.trim(), '0751');
    assert.match(await page.textContent('[data-testid="member-name"]'), /Aarhus/);
    assert.equal((await page.textContent('[data-testid="member-kind"]'))?.trim(), 'Kommune');
    assert.match(await page.textContent('[data-testid="member-region"]'), /Midtjylland/);
    const population = (await page.textContent('[data-testid="member-population"]'))?.trim() ?? '';
    assert.match(population, /^\d{1,3}(\.\d{3})+$/, `population in Danish format: ${population}`);

    // Anonymous visitors see the public facts; the dependency graph is for
    // signed-in members (docs/security.md): after signing in, Aarhus sees its own.
    await page.waitForSelector('[data-testid="relations-sign-in"]');
    const tokens = JSON.parse(readFileSync(process.env.DANNEVIRKE_TOKENS, 'utf8'));
    await page.goto(url(`#/login/${encodeURIComponent(tokens['0751-soc'])}`));
    await page.waitForSelector('[data-testid="login-done"]');
    await page.goto(url('#/members/0751'));
    await page.waitForSelector('[data-testid="dependencies"] > li');
    const deps = page.locator('[data-testid="dependencies"] > li');
    assert.ok((await deps.count()) >= 1, 'at least one dependency');
    const firstLink = await deps.first().locator('a').getAttribute('href');
    assert.match(firstLink ?? '', /^#\/members\/.+/, 'dependency target links to its member page');
    await screenshot(page, 'member-0751');
    await page.context().close();
  });

  test('members page search and filters narrow the table', async () => {
    const page = await openPage();
    await page.goto(url('#/members'));
    await page.waitForSelector(TABLE_ROWS);
    const all = await rowsInfo(page);
    assert.ok(all.length >= 98 + 5, `table lists all members (${all.length})`);

    await page.fill('[data-testid="member-search"]', 'Aarhus');
    let rows = await waitForRows(page, (r) => r.length > 0 && r.length < all.length, 'the search result');
    assert.ok(rows.some((r) => r.code === '0751'), 'Aarhus municipality is found');
    for (const r of rows) assert.match(r.text.toLowerCase(), /aarhus/, `row ${r.code} matches the search`);

    await page.selectOption('[data-testid="region-filter"]', '1082');
    rows = await waitForRows(page, (r) => r.every((x) => x.region === '1082') && r.length > 0, 'Midtjylland rows');
    assert.ok(rows.some((r) => r.code === '0751'));

    await page.selectOption('[data-testid="region-filter"]', '1084');
    await waitForRows(page, (r) => r.every((x) => x.region === '1084' && x.code !== '0751'), 'no Aarhus in Hovedstaden');

    // Region and kind together, without a search: the 29 municipalities of the Capital Region.
    await page.fill('[data-testid="member-search"]', '');
    await page.selectOption('[data-testid="kind-filter"]', 'municipality');
    rows = await waitForRows(
      page,
      (r) => r.length > 0 && r.every((x) => x.region === '1084' && x.kind === 'municipality'),
      'Hovedstaden municipalities',
    );
    assert.equal(rows.length, 29, 'Region Hovedstaden has 29 municipalities');
    assert.ok(rows.some((r) => r.code === '0101'));

    // Danish letters, any case.
    await page.selectOption('[data-testid="region-filter"]', '');
    await page.fill('[data-testid="member-search"]', 'KØGE');
    rows = await waitForRows(page, (r) => r.length >= 1 && r.every((x) => x.kind === 'municipality'), 'Køge');
    assert.ok(rows.some((r) => r.code === '0259'), 'Køge found by "KØGE"');
    await page.fill('[data-testid="member-search"]', 'ærø');
    rows = await waitForRows(page, (r) => r.some((x) => x.code === '0492'), 'Ærø');
    await page.fill('[data-testid="member-search"]', '0101');
    rows = await waitForRows(page, (r) => r.length === 1, 'the member with code 0101');
    assert.equal(rows[0].code, '0101');
    await screenshot(page, 'members-filtered');

    // A click on the row opens the member page.
    await page.click(`${TABLE_ROWS}[data-code="0101"] td:nth-child(3)`);
    await page.waitForSelector('[data-testid="member-page"][data-state="ok"]');
    assert.equal(await page.getAttribute('[data-testid="member-page"]', 'data-code'), '0101');
    assert.match(await page.textContent('[data-testid="member-name"]'), /København/);
    await page.context().close();
  });

  test('an unknown member code shows the unknown-member message', async () => {
    const page = await openPage();
    await page.goto(url('#/members/9999'));
    await page.waitForSelector('[data-testid="unknown-member"]');
    assert.match(await page.textContent('[data-testid="unknown-member"]'), /Ukendt medlem/);
    assert.match(await page.textContent('[data-testid="unknown-member"]'), /9999/);
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.textContent('[data-testid="unknown-member"]'), /Unknown member/);
    await page.context().close();
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
