// Browser test: signing in with an API token, and refusing a bad one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });

describe('Signing in', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a demo token signs in, shows who, and the token leaves the address bar', async () => {
    const page = await signedInPage(browser, '0101-soc');
    assert.equal(new URL(page.url()).hash, '#/login');
    const who = await page.textContent('[data-testid="session"]');
    assert.match(who, /0101-soc/);
    assert.match(who, /København/);
    await page.reload();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="session"]')?.textContent?.includes('0101-soc'),
      null,
      { timeout: TIMEOUT },
    );
    await page.click('[data-testid="session"] button');
    await page.waitForSelector('[data-testid="session"] a[href="#/login"]', { timeout: TIMEOUT });
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('a wrong token is refused with a message', async () => {
    const page = await browser.newPage();
    await page.goto(url('#/login'));
    await page.fill('[data-testid="login-token"]', 'dvt_' + '0'.repeat(64));
    await page.click('form button[type="submit"]');
    const alert = await page.waitForSelector('[role="alert"]', { timeout: TIMEOUT });
    // In the reader's language (Danish by default), styled as an error, without the hub's English words.
    assert.match(await alert.textContent(), /Adgangsnøglen blev ikke godkendt/);
    assert.equal(await alert.getAttribute('class'), 'error');
    assert.doesNotMatch(await alert.textContent(), /token|unknown|revoked/i);
    await page.close();
  });
});
