// The layout at a laptop (1440×900) and a phone (390×844) on every route for
// every role: the page never scrolls sideways (wide tables scroll inside
// themselves), the header's language button keeps to one line, and every
// item of the main navigation can be reached on the phone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, skipReason, TIMEOUT } from './support.mjs';
import { ROLES, ROUTES, roleName, rolePage, settle, visit } from './routes.mjs';

const SKIP = skipReason({ needTokens: true });
const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Elements that stick out of the viewport on the right (the first few), for the failure message. */
async function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const page = document.documentElement.scrollWidth;
    if (page <= width) return null;
    const scrolledAway = (el) => {
      for (let up = el.parentElement; up; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return up !== document.body && up !== document.documentElement;
      }
      return false;
    };
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolledAway(el))
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 0.5)
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
    return `scrollWidth ${page} > ${width}: ${culprits.join(', ')}`;
  });
}

/** Lines the language button's text takes, and whether the button sits on the brand's row of the header. */
async function languageButton(page) {
  return page.evaluate(() => {
    const button = document.querySelector('[data-testid="lang-toggle"]');
    const range = document.createRange();
    range.selectNodeContents(button);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    const brand = document.querySelector('header .brand').getBoundingClientRect();
    const box = button.getBoundingClientRect();
    const middle = box.top + box.height / 2;
    return { lines, besideBrand: middle > brand.top && middle < brand.bottom };
  });
}

/** Names of the main navigation's links that cannot be seen and clicked at the phone's width, after opening the menu. */
async function unreachableNavItems(page) {
  const toggle = page.locator('[data-testid="nav-toggle"]');
  if (await toggle.isVisible()) {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  }
  const missing = await page.evaluate(() => {
    const out = [];
    for (const link of document.querySelectorAll('header nav a')) {
      link.scrollIntoView({ block: 'nearest' });
      const r = link.getBoundingClientRect();
      const x = r.left + Math.min(r.width / 2, 8);
      const y = r.top + r.height / 2;
      const hit = r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && link.contains(document.elementFromPoint(x, y));
      if (!hit) out.push(link.textContent.trim());
    }
    return out;
  });
  if (await toggle.isVisible()) await toggle.click();
  return missing;
}

describe('layout at 1440 and 390 px', { skip: SKIP, concurrency: true }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const role of ROLES) {
    test(`every route as ${roleName(role)} fits a laptop and a phone`, async () => {
      const page = await rolePage(browser, role, LAPTOP);
      const failures = [];
      try {
        for (const route of ROUTES) {
          await page.setViewportSize(LAPTOP);
          await visit(page, route);
          const wide = await overflow(page);
          if (wide) failures.push(`${route} at 1440: ${wide}`);
          const language = await languageButton(page);
          if (language.lines !== 1) failures.push(`${route} at 1440: the language button takes ${language.lines} lines`);
          if (!language.besideBrand) failures.push(`${route} at 1440: the language button is pushed below the brand's row`);

          await page.setViewportSize(PHONE);
          await settle(page);
          const narrow = await overflow(page);
          if (narrow) failures.push(`${route} at 390: ${narrow}`);
          const missing = await unreachableNavItems(page);
          if (missing.length > 0) failures.push(`${route} at 390: navigation items out of reach: ${missing.join(', ')}`);
          console.log(`layout ${route} ${roleName(role)}: 1440 ${wide ? 'overflows' : 'fits'}, 390 ${narrow ? 'overflows' : 'fits'}, nav ${missing.length} out of reach`);
        }
      } finally {
        await page.context().close();
      }
      assert.deepEqual(failures, []);
    });
  }

  test('the phone menu opens and closes with the keyboard and says so', async () => {
    const page = await rolePage(browser, '0101-soc', PHONE);
    try {
      await visit(page, '#/members');
      const toggle = page.locator('[data-testid="nav-toggle"]');
      assert.ok(await toggle.isVisible(), 'a menu button at 390 px');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('header nav a').first().isVisible(), false, 'the menu starts closed');
      await toggle.focus();
      await page.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement.closest('header nav') !== null), 'Tab moves into the menu');
      await page.keyboard.press('Escape');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.ok(await page.evaluate(() => document.activeElement.dataset.testid === 'nav-toggle'), 'Escape returns focus to the button');
      // Following a link closes the menu.
      await toggle.click();
      await page.locator('header nav a[href="#/risk"]').click();
      await page.waitForFunction(() => window.location.hash === '#/risk', undefined, { timeout: TIMEOUT });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    } finally {
      await page.context().close();
    }
  });
});
