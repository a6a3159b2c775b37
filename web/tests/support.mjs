// Shared set-up for the dashboard's browser tests.
//
//   DANNEVIRKE_URL     the hub under test (tests/browser/run_browser_test.sh sets it)
//   DANNEVIRKE_TOKENS  a JSON file {member: token} of the demo members' tokens
//                      (written by `dannevirke hub --seed-demo --token-file`)
//   CHROMIUM_PATH      overrides /usr/bin/chromium

import { readFileSync } from 'node:fs';

export const BASE = process.env.DANNEVIRKE_URL;
export const TIMEOUT = 15_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A reason to skip (string) or false. Tests that sign in need the token file too. */
export function skipReason({ needTokens = false } = {}) {
  if (!BASE) return 'DANNEVIRKE_URL is not set: start the hub and point DANNEVIRKE_URL at it';
  if (needTokens && !process.env.DANNEVIRKE_TOKENS) return 'DANNEVIRKE_TOKENS is not set (the demo tokens file)';
  return false;
}

export function url(hash) {
  return new URL(hash, BASE).toString();
}

/** The demo token of a member, e.g. token('0101-soc'), token('cfcs-analyst'). */
export function token(member) {
  const tokens = JSON.parse(readFileSync(process.env.DANNEVIRKE_TOKENS, 'utf8'));
  if (!tokens[member]) throw new Error(`no demo token for ${member} in ${process.env.DANNEVIRKE_TOKENS}`);
  return tokens[member];
}

export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
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
}

/** A new page signed in as `member` (via #/login/<token>), in Danish unless `lang` says otherwise. */
export async function signedInPage(browser, member, { lang = 'da' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript((l) => window.localStorage.setItem('dannevirke.lang', l), lang);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  page.pageErrors = errors;
  await page.goto(url(`#/login/${encodeURIComponent(token(member))}`));
  await page.waitForSelector('[data-testid="login-done"]', { timeout: TIMEOUT });
  return page;
}
