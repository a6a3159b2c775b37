// Browser test: one language at a time. Every route of the dashboard, for a
// member (0101-soc) and the coordinator (cfcs-analyst), shows no English
// interface word and no raw enum code in Danish, and no Danish word in
// English; every date has the one format of its language and no raw ISO
// timestamp is shown as prose. The word lists are built from the catalogues
// themselves (src/i18n/catalogues), so a new English string is checked too.
// The formatting module (src/ui/format.ts) is checked directly as well.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const SRC = new URL('../src/', import.meta.url);

/** Imports a dependency-free TypeScript module of src/ (types stripped by rolldown's transform). */
async function importTs(dir, relative) {
  const { transform } = await import('rolldown/experimental');
  const source = readFileSync(new URL(relative, SRC), 'utf8');
  const result = await transform(relative, source);
  assert.deepEqual(result.errors, [], `${relative} transforms`);
  const file = join(dir, relative.replace(/[/\\]/g, '_').replace(/\.ts$/, '.mjs'));
  writeFileSync(file, result.code);
  return import(pathToFileURL(file).href);
}

const WORD = /[\p{L}][\p{L}'’-]*[\p{L}]|[\p{L}]/gu;
const words = (text) => (text.replace(/\{\w+\}/g, ' ').match(WORD) ?? []).map((w) => w.toLowerCase());

/** Enum codes the API sends; shown raw they are English to a Danish reader. */
const CODES = [
  'open', 'closed', 'critical', 'high', 'medium', 'low', 'pending', 'acknowledged', 'unacknowledged', 'resolved',
  'supplied_by', 'hosted_by', 'depends_on', 'municipality', 'state_body', 'shared_system', 'supplier', 'utility',
  'active', 'proven', 'approved', 'enforcing', 'monitoring', 'delivered', 'failed', 'draft', 'submitted',
  'member', 'coordinator', 'admin', 'true', 'false', 'null', 'undefined',
  'unknown', 'none', 'warning', 'error', 'ok', 'pass', 'fail', 'new', 'running', 'stopped', 'finished',
];

/** Danish words that must not show in English mode even without æ, ø or å. */
const DANISH_PLAIN = ['dage', 'dag', 'timer', 'siden', 'om', 'og', 'ikke', 'eller', 'fra', 'til', 'uger', 'minutter', 'måneder', 'frist', 'fristen'];

/** Words that are the same in both languages or names (never flagged). */
const SHARED = new Set([
  'dannevirke', 'cfcs', 'nis', 'nis2', 'cve', 'kev', 'epss', 'nvd', 'csaf', 'tlp', 'stix', 'taxii', 'dns', 'dnssec',
  'spf', 'dmarc', 'tls', 'rpt', 'rpz', 'ip', 'as', 'url', 'urls', 'csv', 'json', 'pdf', 'html', 'api', 'id', 'soc',
  'sms', 'e-mail', 'email', 'cert', 'gdpr', 'it', 'ot', 'ics', 'cpe', 'purl', 'ical', 'icalendar', 'bind', 'unbound',
  'max', 'min', 'status', 'region', 'regions', 'internet', 'hash', 'hostname', 'firewall', 'firewalls', 'feed',
  // Danish words too.
  'sensor', 'demo', 'type', 'version', 'server', 'log', 'logs', 'zone', 'central', 'separate', 'dkim',
  // TLP 2.0 labels are not translated (FIRST's standard says so).
  'tlp:clear', 'clear', 'green', 'amber', 'red',
]);

function ownWords(catalogues, lang) {
  const set = new Set();
  for (const catalogue of catalogues) for (const text of Object.values(catalogue[lang])) for (const w of words(text)) set.add(w);
  return set;
}

/** Route hashes of the dashboard (src/routes.tsx and each page's sub-routes). */
function routes({ cve, indicator, exercise, coordinator }) {
  const list = [
    '#/', '#/members', '#/members/0101',
    '#/indicators', ...(indicator ? [`#/indicators/${encodeURIComponent(indicator)}`] : []),
    '#/baseline', '#/baseline/0101',
    '#/risk', '#/risk/simulate', '#/risk/plan',
    '#/vulnerabilities', '#/vulnerabilities/assets', '#/vulnerabilities/assets/0101', `#/vulnerabilities/${cve}`,
    '#/incidents', '#/incidents/competences',
    '#/protection', '#/protection/0101', '#/register', '#/register/0101', '#/contacts', '#/contacts/0101',
    '#/notices', '#/notices/0101', '#/posture', '#/posture/0101', '#/duty', '#/duty/0101',
    '#/exercises', ...(exercise ? [`#/exercises/${encodeURIComponent(exercise)}`] : []),
  ];
  if (coordinator) list.push('#/incidents/national');
  else list.push('#/incidents/new');
  return list;
}

/**
 * The prose of the main region (support.mjs prose()) without free text that
 * people wrote (reasons, notes, titles: marked data-user-text), which is shown
 * in the language it was written in, and without organisations' names.
 */
async function ownText(page, names) {
  let text = await prose(page);
  const written = await page.$$eval('main [data-user-text]', (els) => els.map((el) => el.textContent.replace(/\s+/g, ' ').trim()));
  // Longest first: a name may hold a shorter one ("ZLD firmware (…)" and "ZLD firmware").
  for (const piece of written.sort((x, y) => y.length - x.length)) if (piece) text = text.split(piece).join(' ');
  for (const name of names) text = text.split(name).join(' ');
  return text;
}

/**
 * The main region's text nodes one by one (joined with " | "), without what
 * prose() leaves out: dates are checked here, where a date in one cell cannot
 * run into the number in the next.
 */
async function textNodes(page) {
  return page.evaluate(() => {
    const root = document.querySelector('main') ?? document.body;
    const skip = 'pre, code, input, textarea, select, script, style, [aria-hidden="true"], [lang="en"]';
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Only inside main, as prose() does: <html lang="en"> is the whole English page.
      const hit = node.parentElement?.closest(skip);
      if (hit && hit !== root && root.contains(hit)) continue;
      const text = node.textContent.replace(/\s+/g, ' ').trim();
      if (text) out.push(text);
    }
    return out.join(' | ');
  });
}

/** Waits until the main region has stopped loading and its text holds still. */
async function settle(page) {
  const deadline = Date.now() + TIMEOUT;
  let last = '';
  let still = 0;
  while (Date.now() < deadline) {
    const state = await page.evaluate(() => ({
      loading: document.querySelectorAll('main .loading, main [aria-busy="true"]').length,
      text: document.querySelector('main')?.textContent ?? '',
    }));
    if (state.loading === 0 && state.text === last && state.text.trim() !== '') still += 1;
    else still = 0;
    if (still >= 2) return;
    last = state.text;
    await page.waitForTimeout(120);
  }
}

function context(text, word) {
  const at = text.toLowerCase().search(new RegExp(`(^|[^\\p{L}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u'));
  return at < 0 ? '' : `…${text.slice(Math.max(0, at - 40), at + word.length + 40)}…`;
}

const DA_DATE = /^\d{1,2}\. \d{1,2}\. \d{4}$/;
const EN_DATE = /^\d{2}-\d{2}-\d{4}$/;
/** Anything that looks like a date, in whatever format. */
const ANY_DATE =
  /(?<!\d)(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?|\d{1,2}\. \d{1,2}\. \d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}\.? (?:jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.? \d{4})(?!\d)/giu;

function dateProblems(text, lang) {
  const problems = [];
  for (const match of text.matchAll(ANY_DATE)) {
    const ok = (lang === 'da' ? DA_DATE : EN_DATE).test(match[0]);
    if (!ok) problems.push(`"${match[0]}" in …${text.slice(Math.max(0, match.index - 30), match.index + match[0].length + 30)}…`);
  }
  return problems;
}

describe('One language at a time', { skip: SKIP }, () => {
  let browser;
  let dir;
  let catalogues;
  let format;
  let english;
  let danish;
  let orgNames;
  const ids = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dv-lang-'));
    const names = readdirSync(new URL('i18n/catalogues/', SRC)).filter((f) => f.endsWith('.ts') && f !== 'types.ts');
    catalogues = await Promise.all(names.map(async (f) => (await importTs(dir, `i18n/catalogues/${f}`)).messages));
    format = await importTs(dir, 'ui/format.ts');
    const da = ownWords(catalogues, 'da');
    const en = ownWords(catalogues, 'en');
    // Organisation names are names in both languages.
    const orgs = await api('cfcs-analyst', 'GET', 'api/v1/organisations?limit=1000');
    orgNames = orgs.body.items.map((o) => o.name).sort((a, b) => b.length - a.length);
    english = new Set([...en].filter((w) => w.length > 2 && !da.has(w) && !SHARED.has(w)));
    for (const code of CODES) if (!SHARED.has(code)) english.add(code);
    danish = new Set([...da].filter((w) => /[æøå]/.test(w) && !en.has(w) && !SHARED.has(w)));
    for (const w of DANISH_PLAIN) danish.add(w);
    const indicators = await api('cfcs-analyst', 'GET', 'api/v1/indicators?limit=1');
    ids.indicator = indicators.body?.items?.[0]?.id;
    const exercises = await api('cfcs-analyst', 'GET', 'api/v1/exercises');
    ids.exercise = (exercises.body?.runs ?? exercises.body?.items ?? [])[0]?.id;
    ids.cve = 'CVE-2023-28771';
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the formatting module formats dates, times, numbers, relative times and plurals per language', () => {
    const at = new Date('2026-12-07T09:05:00Z');
    assert.equal(format.formatDate('da', at), '7. 12. 2026');
    assert.equal(format.formatDate('en', at), '07-12-2026');
    assert.equal(format.formatTime('da', at), '10.05', 'Danish time (UTC+1 in winter)');
    assert.equal(format.formatTime('en', at), '10:05');
    assert.equal(format.formatTime('da', new Date('2026-07-01T22:30:00Z')), '00.30', 'summer time, the next day');
    assert.equal(format.formatDate('da', new Date('2026-07-01T22:30:00Z')), '2. 7. 2026');
    assert.equal(format.formatNumber('da', 12345), '12.345');
    assert.equal(format.formatNumber('en', 12345), '12,345');
    const now = at.getTime();
    assert.equal(format.formatRelative('da', new Date(now + 3 * 3_600_000), now), 'om 3 timer');
    assert.equal(format.formatRelative('en', new Date(now + 3 * 3_600_000), now), 'in 3 hours');
    assert.equal(format.formatRelative('da', new Date(now - 2 * 86_400_000), now), 'for 2 dage siden');
    assert.equal(format.formatRelative('en', new Date(now - 2 * 86_400_000), now), '2 days ago');
    assert.equal(format.plural('da', 1, { one: 'observation', other: 'observationer' }), '1 observation');
    assert.equal(format.plural('da', 1234, { one: 'observation', other: 'observationer' }), '1.234 observationer');
    assert.equal(format.plural('en', 1, { one: 'member', other: 'members' }), '1 member');
    assert.equal(format.formatDate('da', 'not a date'), 'not a date');
  });

  test('a page that is not there says so in Danish, without a useless "try again", the hub\'s words as an English detail', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/incidents/inc-does-not-exist'));
    const error = await page.waitForSelector('[data-testid="api-error"]', { timeout: TIMEOUT });
    assert.equal(await error.getAttribute('data-error-kind'), 'not_found');
    assert.match(await error.textContent(), /Findes ikke/);
    assert.equal(await error.$('button'), null, 'no "try again" for something that is not there');
    const detail = await error.$('details [lang="en"]');
    assert.ok(detail, 'the hub message is a collapsed detail marked as English');
    assert.equal(await detail.isVisible(), false, 'collapsed');
    const bad = words(await ownText(page, [])).filter((w) => english.has(w));
    assert.deepEqual(bad, []);
    await page.context().close();
  });

  for (const member of ['0101-soc', 'cfcs-analyst']) {
    for (const lang of ['da', 'en']) {
      test(`every route for ${member} in ${lang === 'da' ? 'Danish' : 'English'}: one language, one date format`, async () => {
        const page = await signedInPage(browser, member, { lang });
        const forbidden = lang === 'da' ? english : danish;
        const found = [];
        for (const hash of routes({ ...ids, coordinator: member === 'cfcs-analyst' })) {
          await page.goto(url(hash));
          await settle(page);
          const text = await ownText(page, orgNames);
          const bad = [...new Set(words(text).filter((w) => forbidden.has(w)))];
          for (const w of bad) found.push(`${hash} [${member}, ${lang}] "${w}": ${context(text, w)}`);
          for (const p of dateProblems(await textNodes(page), lang)) found.push(`${hash} [${member}, ${lang}] date ${p}`);
        }
        await page.context().close();
        assert.deepEqual(page.pageErrors, [], 'no script errors');
        assert.equal(found.length, 0, `${found.length} problems:\n${found.join('\n')}`);
      });
    }
  }
});
