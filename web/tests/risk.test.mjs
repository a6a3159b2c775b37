// Browser test: the weakest-links pages as the national coordinator sees them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const LONG = 4 * TIMEOUT;

describe('Weakest links', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the ranking shows rows with intervals and reasons, the map and the graph', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/risk'));
    await page.waitForSelector('[data-testid="risk-row"]', { timeout: LONG });
    const rows = await page.$$('[data-testid="risk-row"]');
    assert.ok(rows.length >= 10 && rows.length <= 20, `${rows.length} rows`);
    const first = await rows[0].textContent();
    assert.match(first, /\[[\d.]+–[\d.]+\]/, `an interval in "${first}"`);
    assert.match(first, /sikkerhedsniveau/);
    const link = await rows[0].$('a');
    assert.match(await link.getAttribute('href'), /^#\/members\//);
    await page.waitForSelector('[data-testid="risk-graph"] circle', { timeout: LONG });
    await page.waitForSelector('[data-testid="risk-map"] path', { timeout: LONG });
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('simulating a supplier shows the members hit with an interval and the tail', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/risk/simulate'));
    await page.waitForSelector('[data-testid="sim-source"] option[value="KMD"]', { state: 'attached', timeout: LONG });
    await page.selectOption('[data-testid="sim-source"]', 'KMD');
    await page.click('[data-testid="sim-run"]');
    const stat = await page.waitForSelector('[data-testid="sim-members"]', { timeout: LONG });
    const text = await stat.textContent();
    assert.match(text, /\d/);
    assert.match(text, /\[[\d.,]+–[\d.,]+\]/, `an interval in "${text}"`);
    assert.match(await page.textContent('[data-testid="sim-tail"]'), /CVaR 99/);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('a plan for a budget shows the strategies and the harm-against-budget curve', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/risk/plan'));
    await page.fill('[data-testid="plan-budget"]', '50000000');
    await page.click('[data-testid="plan-run"]');
    await page.waitForSelector('[data-testid="plan-curve"] polyline', { timeout: LONG });
    const curves = await page.$$('[data-testid="plan-curve"] polyline');
    assert.equal(curves.length, 4);
    const points = (await curves[0].getAttribute('points')).trim().split(/\s+/);
    assert.equal(points.length, 11);
    const rows = await page.$$('[data-testid="plan-list"] tbody tr');
    assert.ok(rows.length > 0, 'the plan buys something');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
