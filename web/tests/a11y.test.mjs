// WCAG 2.1 AA (EN 301 549) on every route for every role, checked with
// axe-core, and the keyboard paths a user without a mouse relies on.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, skipReason, TIMEOUT, url } from './support.mjs';
import { ROLES, ROUTES, roleName, rolePage, settle, visit } from './routes.mjs';

const SKIP = skipReason({ needTokens: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  return page.evaluate(
    (values) =>
      window.axe.run(document, { runOnly: { type: 'tag', values } }).then((result) => ({
        passes: result.passes.length,
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          targets: v.nodes.slice(0, 4).map((node) => node.target.join(' ')),
          count: v.nodes.length,
        })),
      })),
    TAGS,
  );
}

describe('accessibility (axe-core, WCAG 2.1 AA)', { skip: SKIP, concurrency: true }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const role of ROLES) {
    test(`every route as ${roleName(role)} has no WCAG 2.1 AA violation`, async () => {
      const page = await rolePage(browser, role);
      const failures = [];
      try {
        for (const route of ROUTES) {
          await visit(page, route);
          const result = await axe(page);
          console.log(`a11y ${route} ${roleName(role)}: ${result.violations.length} violations, ${result.passes} passes`);
          for (const v of result.violations) {
            failures.push(`${route} as ${roleName(role)}: ${v.id} (${v.impact}, ${v.count} nodes) ${v.targets.join(' | ')}`);
          }
        }
      } finally {
        await page.context().close();
      }
      assert.deepEqual(failures, []);
      assert.deepEqual(page.pageErrors, []);
    });
  }
});

describe('keyboard only', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /** Presses Tab until `predicate` holds for the focused element; answers whether it did. */
  async function tabTo(page, predicate, arg, limit = 200) {
    for (let press = 0; press < limit; press += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(predicate, arg)) return true;
    }
    return false;
  }

  test('the skip link is the first stop and moves focus to the main content', async () => {
    const page = await rolePage(browser, null);
    try {
      await visit(page, '#/members');
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({
        text: document.activeElement.textContent.trim(),
        href: document.activeElement.getAttribute('href'),
        visible: document.activeElement.getBoundingClientRect().height > 0,
      }));
      assert.ok(first.visible, 'the focused skip link is visible');
      assert.match(first.text, /Gå til indhold|hovedindhold/i);
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
      // The next Tab lands inside the main content, not back in the header.
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)));
      assert.match(page.url(), /#\/members$/, 'the route is kept');
    } finally {
      await page.context().close();
    }
  });

  test('a municipality on the overview map opens with the keyboard only', async () => {
    const page = await rolePage(browser, null);
    try {
      await visit(page, '#/');
      await page.waitForSelector('[data-testid="dk-map"] svg path', { timeout: TIMEOUT });
      const reached = await tabTo(page, () => document.activeElement?.closest?.('[data-testid="dk-map"]') !== null);
      assert.ok(reached, 'Tab reaches the map');
      const name = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      assert.ok(name && name.length > 2, `the focused municipality has a name (${name})`);
      const focusStyle = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement);
        return { outline: style.outlineStyle, stroke: style.stroke, width: style.strokeWidth };
      });
      assert.ok(focusStyle.outline !== 'none' || parseFloat(focusStyle.width) >= 2, `focus is visible (${JSON.stringify(focusStyle)})`);
      // Arrow keys move between municipalities; Enter opens the focused one.
      await page.keyboard.press('ArrowDown');
      const moved = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      assert.notEqual(moved, name, 'an arrow key moves to another municipality');
      const code = await page.evaluate(() => document.activeElement.dataset.code);
      assert.match(code, /^\d{4}$/);
      await page.keyboard.press('Enter');
      await page.waitForFunction((c) => window.location.hash === `#/members/${c}`, code, { timeout: TIMEOUT });
      await settle(page);
      assert.match(await page.textContent('main h1'), new RegExp(moved.split(',')[0].trim()));
    } finally {
      await page.context().close();
    }
  });

  test('the member search is filled in and a result opened with the keyboard only', async () => {
    const page = await rolePage(browser, null);
    try {
      await visit(page, '#/members');
      const reached = await tabTo(page, () => document.activeElement?.tagName === 'INPUT' && document.activeElement.type === 'search');
      assert.ok(reached, 'Tab reaches the search field');
      assert.ok(await page.evaluate(() => document.activeElement.labels.length > 0), 'the search field has a label');
      await page.keyboard.type('aarhus');
      await page.waitForFunction(() => window.location.hash.includes('q=aarhus'), undefined, { timeout: TIMEOUT });
      const link = await tabTo(page, () => document.activeElement?.closest?.('[data-testid="member-table"] tbody a') != null);
      assert.ok(link, 'Tab reaches a result');
      const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
      assert.match(href, /^#\/members\/\d+/);
      await page.keyboard.press('Enter');
      await page.waitForFunction((h) => window.location.hash === h, href, { timeout: TIMEOUT });
    } finally {
      await page.context().close();
    }
  });
});
