// Browser test: the baseline. Copenhagen's security officer changes one
// requirement of its own assessment and sees the score move and survive a
// reload, and is refused another member's page; the national coordinator
// sees the map of all 98 municipalities coloured by score, with a legend, and
// drills down into one municipality.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });

async function pointInside(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    for (let i = 1; i < 16; i += 1) {
      for (let j = 1; j < 16; j += 1) {
        const x = r.left + (r.width * i) / 16;
        const y = r.top + (r.height * j) / 16;
        if (document.elementFromPoint(x, y) === el) return { x, y };
      }
    }
    return null;
  }, selector);
}

async function overall(page) {
  return Number(await page.getAttribute('[data-testid="baseline-overall"]', 'data-score'));
}

describe('Baseline', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a member edits one requirement of its own baseline; the score moves and survives a reload', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/baseline/0101'));
    await page.waitForSelector('[data-testid="baseline-requirements"] tr[data-req]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="baseline-member"] h1'), /København/);
    assert.equal(await page.$('[data-testid="baseline-readonly"]'), null, 'its own page is editable');
    const before = await overall(page);
    const version = Number(await page.getAttribute('[data-testid="baseline-member"]', 'data-version'));
    const points = Number(await page.getAttribute('[data-testid="baseline-history"]', 'data-points'));
    assert.ok(points >= 2, `the history line has ${points} points`);

    // A requirement not (fully) met by declaration, or not assessed, that no measurement caps.
    const row = await page.$(
      [
        'tr[data-req][data-basis="declared"][data-measured="false"][data-effective="not_met"]',
        'tr[data-req][data-basis="declared"][data-measured="false"][data-effective="partly"]',
        'tr[data-req][data-basis="none"][data-measured="false"]',
      ].join(', '),
    );
    assert.ok(row, 'a requirement that is not met yet');
    const id = await row.getAttribute('data-req');
    await page.selectOption(`tr[data-req="${id}"] [data-testid="status-select"]`, 'met');
    await page.selectOption(`tr[data-req="${id}"] [data-testid="maturity-select"]`, '4');
    await page.click(`tr[data-req="${id}"] [data-testid="save-req"]`);
    await page.waitForSelector(`[data-testid="baseline-member"][data-version="${version + 1}"]`, { timeout: TIMEOUT });
    const after = await overall(page);
    assert.ok(after > before, `score rose from ${before} to ${after}`);
    assert.equal(await page.getAttribute(`tr[data-req="${id}"]`, 'data-status'), 'met');

    await page.reload();
    await page.waitForSelector(`tr[data-req="${id}"][data-status="met"]`, { timeout: TIMEOUT });
    assert.equal(await overall(page), after);
    assert.equal(await page.inputValue(`tr[data-req="${id}"] [data-testid="maturity-select"]`), '4');

    // Scanner results become dated, measured evidence of the mapped requirements.
    const end = new Date().toISOString();
    const xml = `<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_browser_benchmark">
  <TestResult id="xccdf_org.open-scap_testresult_browser" end-time="${end}">
    <target>ws-17.kk.test</target>
    <rule-result idref="xccdf_org.ssgproject.content_rule_service_firewalld_enabled"><result>pass</result></rule-result>
  </TestResult>
</Benchmark>`;
    await page.setInputFiles('[data-testid="xccdf-file"]', {
      name: 'results.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(xml),
    });
    await page.waitForSelector('[data-testid="baseline-notice"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="baseline-notice"]'), /1 regelresultat indlæst/);
    const measured = await page.textContent('tr[data-req="DV-DEV-03"] li[data-kind="measured"]:last-child');
    assert.match(measured, /xccdf:.*ws-17\.kk\.test/);
    // The dashboard's one Danish date format, "7. 12. 2026", the day in Denmark.
    const day = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'numeric', year: 'numeric' })
        .formatToParts(new Date(end))
        .map((part) => [part.type, part.value]),
    );
    assert.match(measured, new RegExp(`indsamlet ${Number(day.day)}\\. ${Number(day.month)}\\. ${day.year}`));

    // Another member's baseline is not shown.
    await page.goto(url('#/baseline/0751'));
    await page.waitForSelector('[data-testid="baseline-forbidden"]', { timeout: TIMEOUT });
    assert.equal(await page.$('[data-testid="baseline-requirements"]'), null);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('the coordinator sees all 98 municipalities coloured by score, a legend, and drills down', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/baseline'));
    await page.waitForSelector('[data-testid="baseline-map"] path.bl-municipality', { timeout: TIMEOUT });
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="baseline-map"] path.bl-scored').length === 98,
      null,
      { timeout: TIMEOUT },
    );
    const fills = await page.$$eval('[data-testid="baseline-map"] path.bl-scored', (paths) =>
      paths.map((p) => getComputedStyle(p).fill),
    );
    assert.equal(fills.length, 98);
    assert.ok(new Set(fills).size >= 2, `scores differ across the map (${[...new Set(fills)].join(', ')})`);
    assert.equal(await page.$$eval('[data-testid="baseline-legend"] li', (items) => items.length), 6);
    assert.match(await page.textContent('[data-testid="baseline-weakest"]'), /\(\d{4}\)/);
    assert.match(await page.textContent('[data-testid="baseline-most-unmet"]'), /DV-/);

    // Colour by one discipline: still every municipality.
    await page.selectOption('[data-testid="baseline-discipline"]', 'NET');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="baseline-map"] path.bl-scored').length === 98,
      null,
      { timeout: TIMEOUT },
    );

    const shape = '[data-testid="baseline-map"] path.bl-m-0751';
    const point = await pointInside(page, shape);
    assert.ok(point, 'a visible point inside Aarhus');
    await page.mouse.click(point.x, point.y);
    await page.waitForSelector('[data-testid="baseline-member"]', { timeout: TIMEOUT });
    assert.match(page.url(), /#\/baseline\/0751$/);
    assert.match(await page.textContent('[data-testid="baseline-member"] h1'), /Aarhus/);
    assert.ok(await page.$('[data-testid="baseline-readonly"]'), 'the coordinator reads but does not edit');
    assert.equal(await page.$('[data-testid="status-select"]'), null);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
