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

/**
 * An API call as `member`, for a test's set-up and clean-up: `body` is sent
 * as JSON, or as it is when it is a string (give `contentType`). Answers
 * {status, body (parsed JSON or null), text}.
 */
export async function api(member, method, path, body, { contentType = 'application/json' } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token(member)}` };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(new URL(path, BASE), {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the text is there.
  }
  return { status: response.status, body: json, text };
}

/**
 * The visible prose of the main region: without code, configuration, form
 * values, link targets, hidden symbols, and the hub's own (English) words
 * that a page marks with lang="en".
 */
export async function prose(page) {
  return page.evaluate(() => {
    const root = document.querySelector('main')?.cloneNode(true) ?? document.body.cloneNode(true);
    for (const el of root.querySelectorAll('pre, code, input, textarea, select, script, style, [aria-hidden="true"], [lang="en"]')) {
      el.remove();
    }
    return root.textContent.replace(/\s+/g, ' ');
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

/**
 * What an automatic look at `page` finds against WCAG 2.1 AA inside `root`
 * (default: the main region), as readable strings; [] when nothing. No axe:
 * the checks are written here — every visible form control has a label, every
 * button and link a name, every table a name and column headers, one h1 and
 * no skipped heading level, unique ids, no positive tabindex, and text
 * contrast of at least 4.5:1 (3:1 for large text) against the background it
 * sits on. Disabled controls are exempt from contrast, as WCAG allows.
 */
export async function accessibilityProblems(page, root = 'main') {
  return page.evaluate((selector) => {
    const problems = [];
    const scope = document.querySelector(selector) ?? document.body;
    const visible = (el) => {
      const style = getComputedStyle(el);
      return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
    };
    const describe = (el) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.dataset?.testid ? `[data-testid=${el.dataset.testid}]` : ''}` +
      ` "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const ariaName = (el) => {
      const label = el.getAttribute('aria-label') ?? '';
      const by = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      return `${label} ${by}`.trim();
    };

    for (const el of scope.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const labelled = [...(el.labels ?? [])].some((label) => label.textContent.trim() !== '') || ariaName(el) || el.title;
      if (!labelled) problems.push(`form control without a label: ${describe(el)}`);
    }
    for (const el of scope.querySelectorAll('button, a[href], summary')) {
      if (!visible(el)) continue;
      if (!(el.textContent.trim() || ariaName(el) || el.title)) problems.push(`control without a name: ${describe(el)}`);
    }
    for (const table of scope.querySelectorAll('table')) {
      if (!visible(table)) continue;
      if (!(table.querySelector('caption')?.textContent.trim() || ariaName(table))) {
        problems.push(`table without a name: ${describe(table)}`);
      }
      if (!table.querySelector('thead th[scope="col"]')) problems.push(`table without column headers: ${describe(table)}`);
    }
    const headings = [...scope.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
    const h1 = headings.filter((h) => h.tagName === 'H1').length;
    if (h1 !== 1) problems.push(`${h1} h1 headings (one expected)`);
    let level = 0;
    for (const heading of headings) {
      const next = Number(heading.tagName[1]);
      if (level > 0 && next > level + 1) problems.push(`heading level skipped (h${level} to h${next}): ${describe(heading)}`);
      level = next;
    }
    const ids = new Map();
    for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
    for (const [id, count] of ids) if (count > 1) problems.push(`id used ${count} times: ${id}`);
    for (const el of scope.querySelectorAll('[tabindex]')) {
      if (Number(el.getAttribute('tabindex')) > 0) problems.push(`positive tabindex: ${describe(el)}`);
    }

    const rgba = (text) => {
      const m = /rgba?\(([^)]+)\)/.exec(text);
      if (!m) return [0, 0, 0, 0];
      const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0], parts[1], parts[2], parts[3] ?? 1];
    };
    const luminance = ([r, g, b]) => {
      const lin = (c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const over = (top, bottom) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
    };
    const background = (el) => {
      const layers = [];
      for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
        const colour = rgba(getComputedStyle(node).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] >= 1) break;
      }
      return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    for (const el of scope.querySelectorAll('*')) {
      const text = [...el.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim() !== '');
      if (!text || !visible(el)) continue;
      if (el.closest('button:disabled, fieldset:disabled, [aria-disabled="true"]') || el.disabled) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = over(rgba(style.color), bg);
      const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (light + 0.05) / (dark + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}:1: ${describe(el)}`);
    }
    return problems;
  }, root);
}
