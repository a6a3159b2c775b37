// The dashboard's routes and roles, and a way to visit them, for the tests
// that go over every page (a11y.test.mjs, layout.test.mjs).

import { TIMEOUT, token, url } from './support.mjs';

/** Every route of src/routes.tsx, with the sub-routes that take a member code or a tab. */
export const ROUTES = [
  '#/',
  '#/map',
  '#/members',
  '#/members/0101',
  '#/login',
  '#/indicators',
  '#/baseline',
  '#/baseline/0101',
  '#/risk',
  '#/risk/simulate',
  '#/risk/plan',
  '#/vulnerabilities',
  '#/vulnerabilities/assets',
  '#/vulnerabilities/CVE-2023-28771',
  '#/incidents',
  '#/incidents/new',
  '#/incidents/national',
  '#/incidents/competences',
  '#/protection',
  '#/protection/0101',
  '#/register',
  '#/register/0101',
  '#/contacts',
  '#/contacts/0101',
  '#/notices',
  '#/notices/0101',
  '#/posture',
  '#/posture/0101',
  '#/duty',
  '#/duty/0101',
  '#/exercises',
];

/** Anonymous, a member's own people, the national coordinator. */
export const ROLES = [null, '0101-soc', 'cfcs-analyst'];

export function roleName(role) {
  return role ?? 'anonymous';
}

/**
 * A page in a context of its own for `role` (null: not signed in), in Danish.
 * Counts the requests in flight so settle() knows when a page has loaded.
 */
export async function rolePage(browser, role, viewport = { width: 1440, height: 900 }) {
  // bypassCSP: the hub allows only its own scripts; axe-core is added inline by the test.
  const context = await browser.newContext({ viewport, bypassCSP: true });
  await context.addInitScript(() => {
    window.localStorage.setItem('dannevirke.lang', 'da');
    window.__inflight = 0;
    const original = window.fetch;
    window.fetch = (...args) => {
      window.__inflight += 1;
      return original(...args).finally(() => {
        window.__inflight -= 1;
      });
    };
  });
  const page = await context.newPage();
  page.pageErrors = [];
  page.on('pageerror', (error) => page.pageErrors.push(error));
  if (role) {
    await page.goto(url(`#/login/${encodeURIComponent(token(role))}`));
    await page.waitForSelector('[data-testid="login-done"]', { timeout: TIMEOUT });
  } else {
    await page.goto(url('#/'));
  }
  return page;
}

/** Opens `hash` and waits until no request is in flight and nothing says it is loading. */
export async function visit(page, hash) {
  await page.goto(url(hash));
  await settle(page);
}

export async function settle(page) {
  await page.waitForFunction(
    () => {
      const quiet = window.__inflight === 0 && !document.querySelector('.loading') && document.querySelector('main')?.childElementCount > 0;
      const now = performance.now();
      if (!quiet) {
        window.__quietSince = undefined;
        return false;
      }
      window.__quietSince ??= now;
      return now - window.__quietSince >= 150;
    },
    undefined,
    { timeout: TIMEOUT, polling: 50 },
  );
}
