// Browser test: protection feeds. Aarhus shares the demo's phishing domain,
// Copenhagen's sensor sights it (a second source), and Copenhagen — whose
// demo profile enforces and trusts Aarhus — sees the domain as a blocking
// entry on its protection page, in Danish and in English, with no English
// word or raw reason code in Danish; switches to monitor-only and back; sees
// the serial history and rolls back to an earlier version and forward again;
// gives a resolver a feed token (the zone by URL, no
// header) and revokes it; the pages pass the accessibility checks of
// support.mjs. The coordinator puts the domain on the never-block list (it
// leaves Copenhagen's zone, the reason said in Danish) and takes it off,
// freezes every feed after a confirm step with a reason and unfreezes, and
// sees the national view and Copenhagen's profile, not its feed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { accessibilityProblems, BASE, launch, prose, signedInPage, skipReason, TIMEOUT, token, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const TAXII = 'application/taxii+json;version=2.1';
const NATIONAL = '9441b7ab-2adf-5ef8-a96b-80b8bafbb85e';
const DOMAIN = 'login-mitid-support.example';
const ENTRY = `[data-testid="protection-entries"] tr[data-value="${DOMAIN}"]`;

/** The demo's indicators, as `dannevirke demo` publishes them for Aarhus (data/demo/feed): an address, DOMAIN, a hash. */
function demoIndicators() {
  return readFileSync(new URL('../../data/demo/feed/indicators.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

async function post(member, objects) {
  const response = await fetch(new URL(`taxii2/dannevirke/collections/${NATIONAL}/objects/`, BASE), {
    method: 'POST',
    headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${token(member)}` },
    body: JSON.stringify({ objects }),
  });
  const text = await response.text();
  assert.equal(response.status, 202, text);
  return JSON.parse(text);
}

/** A protection API call as `member` (for clean-up after a failed step). */
async function api(member, method, path, body) {
  return fetch(new URL(`api/v1/protection/${path}`, BASE), {
    method,
    headers: { Authorization: `Bearer ${token(member)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// English words that no Danish sentence on the page should hold.
const ENGLISH = /\b(the|and|with|only|blocked|blocking|monitored|monitoring|enforce|enforced|enforcing|entries|entry|sources|reason|left out|save|copy|token|settings|confidence|network|address|never|nothing|profile|version history|feed tokens|connecting)\b/i;
// A reason or state code as the hub sends it (below_confidence, single_source, not_connected).
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;

describe('Protection', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
    // They may already be there (a demo database): the hub then stores nothing new.
    const indicators = demoIndicators();
    await post('0751-soc', indicators);
    const now = new Date().toISOString();
    const status = await post('0101-sensor', [
      {
        type: 'sighting',
        spec_version: '2.1',
        id: `sighting--${randomUUID()}`,
        created: now,
        modified: now,
        sighting_of_ref: indicators.find((indicator) => indicator.pattern.includes(DOMAIN)).id,
        count: 1,
        first_seen: now,
        last_seen: now,
      },
    ]);
    assert.equal(status.success_count, 1, JSON.stringify(status));
  });
  after(async () => {
    await browser?.close();
  });

  test('Copenhagen sees the domain Aarhus shared as a blocking entry, in Danish without English or codes', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/protection'));
    const row = await page.waitForSelector(ENTRY, { timeout: TIMEOUT });
    assert.equal(await row.getAttribute('data-part'), 'enforce');
    const text = await row.textContent();
    assert.match(text, /Blokeres/);
    assert.match(text, /Aarhus/);
    assert.equal(await page.getAttribute('[data-testid="protection-mode"]', 'data-mode'), 'enforce');
    assert.match(await page.textContent('[data-testid="protection-mode"]'), /Håndhæver/);
    assert.ok(Number(await page.textContent('[data-testid="protection-enforced"]')) >= 1);
    assert.equal(await page.textContent('h1'), 'Beskyttelse: København');
    // The hash is left out, and said why in Danish.
    const reasons = await page.textContent('[data-testid="protection-left-out-reasons"]');
    assert.match(reasons, /Kan ikke blokeres/);
    // The connection help has the RPZ URL for Unbound.
    assert.match(await page.textContent('[data-testid="connect-unbound"]'), /\/api\/v1\/protection\/feeds\/FEED-NØGLE\/rpz/);

    await page.click('[data-testid="protection-history"] h2'); // let every section settle
    await page.waitForLoadState('networkidle');
    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('a block counted back at Copenhagen shows on the indicator as blocks, not as a sighting', async () => {
    const id = demoIndicators().find((indicator) => indicator.pattern.includes(DOMAIN)).id;
    const page = await signedInPage(browser, '0751-soc');
    await page.goto(url(`#/indicators/${id}`));
    // Copenhagen's sensor sighting (before()) names no organisation: Aarhus sees it as an unnamed member.
    await page.waitForSelector('[data-testid="indicator-name"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('main'), /Et medlem \(kun antal deles\)/);
    const sightingsBefore = await page.textContent('[data-testid="indicator-sightings"]');
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const now = new Date().toISOString();
    const status = await post('0101-sensor', [
      {
        type: 'sighting',
        spec_version: '2.1',
        id: `sighting--${randomUUID()}`,
        created: now,
        modified: now,
        sighting_of_ref: id,
        count: 5,
        first_seen: hour,
        last_seen: hour,
        x_dannevirke_block: true,
      },
    ]);
    assert.equal(status.success_count, 1, JSON.stringify(status));
    await page.reload();
    const blocks = await page.waitForSelector('[data-testid="indicator-blocks"]', { timeout: TIMEOUT });
    const text = await blocks.textContent();
    assert.ok(Number(text.match(/Blokeringer i alt: ([\d.]+)/)[1].replace('.', '')) >= 5, text);
    assert.match(text, /Antal medlemmer, der har blokeret den: \d/);
    assert.equal(await page.textContent('[data-testid="indicator-sightings"]'), sightingsBefore);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('in English the same entry, mode and reasons are in English', async () => {
    const page = await signedInPage(browser, '0101-soc', { lang: 'en' });
    await page.goto(url('#/protection'));
    const row = await page.waitForSelector(ENTRY, { timeout: TIMEOUT });
    assert.match(await row.textContent(), /Blocked/);
    assert.match(await page.textContent('[data-testid="protection-mode"]'), /Enforcing/);
    assert.match(await page.textContent('[data-testid="protection-left-out-reasons"]'), /Cannot be blocked/);
    assert.equal(await page.textContent('h1'), 'Protection: København');
    assert.doesNotMatch(await prose(page), RAW_CODE);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('switching the profile to monitor-only stops the blocking; enforcing again restores it', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/protection'));
    await page.waitForSelector(`${ENTRY}[data-part="enforce"]`, { timeout: TIMEOUT });

    // A bad number is refused in the form, naming the field; nothing is sent.
    await page.fill('[data-testid="min-confidence"]', '150');
    await page.click('[data-testid="profile-save"]');
    const refusal = await page.waitForSelector('.prot-invalid', { timeout: TIMEOUT });
    assert.match(await refusal.textContent(), /Mindste tillid/);
    assert.equal(await page.getAttribute('[data-testid="min-confidence"]', 'aria-invalid'), 'true');
    await page.fill('[data-testid="min-confidence"]', '70');

    await page.check('[data-testid="mode-monitor"]');
    await page.click('[data-testid="profile-save"]');
    await page.waitForSelector('[data-testid="profile-saved"]', { timeout: TIMEOUT });
    await page.waitForSelector('[data-testid="protection-mode"][data-mode="monitor"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="protection-mode"]'), /Kun overvågning — intet blokeres endnu/);
    await page.waitForSelector(`${ENTRY}[data-part="monitor"]`, { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="protection-monitored-reasons"]'), /Profilen står på kun overvågning/);

    await page.check('[data-testid="mode-enforce"]');
    await page.click('[data-testid="profile-save"]');
    await page.waitForSelector('[data-testid="protection-mode"][data-mode="enforce"]', { timeout: TIMEOUT });
    await page.waitForSelector(`${ENTRY}[data-part="enforce"]`, { timeout: TIMEOUT });
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen sees when the domain was added, and gives a resolver a feed token that works until revoked', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/protection'));
    await page.waitForSelector(`[data-testid="protection-history"] tr[data-change="added"][data-value="${DOMAIN}"]`, {
      state: 'attached',
      timeout: TIMEOUT,
    });

    const label = `unbound på rådhuset ${Date.now()}`;
    await page.fill('[data-testid="token-label"]', label);
    await page.click('[data-testid="token-create"]');
    await page.waitForSelector('[data-testid="token-created"]', { timeout: TIMEOUT });
    const rpzUrl = await page.inputValue('[data-testid="token-url-rpz"] input');
    assert.match(rpzUrl, /\/api\/v1\/protection\/feeds\/dvf_[0-9a-f]{64}\/rpz$/);
    assert.match(await page.textContent('[data-testid="token-created"]'), /vises ikke igen/);
    // The resolver's fetch: no Authorization header, only the token in the address.
    const zone = await fetch(rpzUrl);
    assert.equal(zone.status, 200);
    assert.match(await zone.text(), new RegExp(`^${DOMAIN.replace(/\./g, '\\.')} CNAME \\.$`, 'm'));

    const row = page.locator('[data-testid="token-table"] tbody tr', { hasText: label });
    await row.waitFor({ timeout: TIMEOUT });
    const id = await row.getAttribute('data-id');
    await page.click(`[data-testid="revoke-${id}-open"]`);
    await page.click(`[data-testid="revoke-${id}-confirm"]`);
    await page.waitForSelector(`[data-testid="token-table"] tr[data-id="${id}"]`, { state: 'detached', timeout: TIMEOUT });
    assert.equal((await fetch(rpzUrl)).status, 404, 'a revoked token reads nothing');
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen rolls its feed back to an earlier version with a reason, and ends the rollback', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/protection'));
    const earlier = await page.waitForSelector('[data-testid="protection-history"] .prot-history > li:nth-child(2) details', {
      timeout: TIMEOUT,
    });
    const serial = await earlier.getAttribute('data-serial');
    try {
      await page.click(`[data-testid="rollback-${serial}-open"]`);
      await page.fill(`[data-testid="rollback-${serial}-reason"]`, 'Browsertest: tilbage til en kendt version');
      await page.click(`[data-testid="rollback-${serial}-confirm"]`);
      await page.waitForSelector('[data-testid="protection-rolled-back"]', { timeout: TIMEOUT });
      const banner = await page.waitForSelector('[data-testid="protection-pinned"]', { timeout: TIMEOUT });
      assert.match(await banner.textContent(), new RegExp(`rullet tilbage.*version ${serial}`));
      await page.click('[data-testid="protection-unpin"]');
      await page.waitForSelector('[data-testid="protection-pinned"]', { state: 'detached', timeout: TIMEOUT });
    } finally {
      await api('0101-soc', 'DELETE', 'members/0101/pin'); // 404 when the page ended it
    }
    await page.waitForSelector(`${ENTRY}[data-part="enforce"]`, { timeout: TIMEOUT });
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('a domain on the national never-block list leaves Copenhagen’s zone, with the reason in Danish, and returns', async () => {
    const coordinator = await signedInPage(browser, 'cfcs-analyst');
    await coordinator.goto(url('#/protection'));
    await coordinator.waitForSelector('[data-testid="never-domains"]', { timeout: TIMEOUT });
    const before = await coordinator.inputValue('[data-testid="never-domains"]');
    const save = async (domains) => {
      await coordinator.fill('[data-testid="never-domains"]', domains);
      const answer = coordinator.waitForResponse(
        (response) => response.url().endsWith('/api/v1/protection/never-block') && response.request().method() === 'PUT',
      );
      await coordinator.click('[data-testid="never-save"]');
      assert.equal((await answer).status(), 200);
    };
    await save(`${before}\n${DOMAIN}`.trim());
    await coordinator.waitForSelector('[data-testid="protection-never-block"] .prot-ok', { timeout: TIMEOUT });
    const page = await signedInPage(browser, '0101-soc');
    try {
      await page.goto(url('#/protection'));
      await page.waitForSelector('[data-testid="protection-left-out-reasons"] tr[data-reason="never_block"]', { timeout: TIMEOUT });
      assert.equal(await page.$(ENTRY), null, 'the domain is no longer in the zone');
      assert.match(
        await page.textContent('[data-testid="protection-left-out-reasons"]'),
        /Står på den nationale liste over det, der aldrig må blokeres/,
      );
      const withdrawn = await page.waitForSelector(
        `[data-testid="protection-history"] tr[data-change="withdrawn"][data-value="${DOMAIN}"][data-reason="never_block"]`,
        { state: 'attached', timeout: TIMEOUT },
      );
      assert.match(await withdrawn.textContent(), /aldrig må blokeres/);
      assert.doesNotMatch(await prose(page), RAW_CODE);
    } finally {
      await save(before);
    }
    await page.reload();
    await page.waitForSelector(`${ENTRY}[data-part="enforce"]`, { timeout: TIMEOUT });
    assert.deepEqual(page.pageErrors, []);
    assert.deepEqual(coordinator.pageErrors, []);
    await page.context().close();
    await coordinator.context().close();
  });

  test('the coordinator freezes every feed after a confirm step with a reason; Copenhagen sees it; then unfreezes', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/protection'));
    await page.waitForSelector('[data-testid="freeze-state"][data-frozen="false"]', { timeout: TIMEOUT });
    try {
      await page.click('[data-testid="freeze-open"]');
      await page.click('[data-testid="freeze-confirm"]');
      await page.waitForSelector('[data-testid="freeze"] [role="alert"]', { timeout: TIMEOUT });
      assert.match(await page.textContent('[data-testid="freeze"] [role="alert"]'), /Skriv en begrundelse/);
      await page.fill('[data-testid="freeze-reason"]', 'Browsertest: feedet undersøges');
      await page.click('[data-testid="freeze-confirm"]');
      await page.waitForSelector('[data-testid="freeze-state"][data-frozen="true"]', { timeout: TIMEOUT });
      assert.match(await page.textContent('[data-testid="freeze-state"]'), /Browsertest: feedet undersøges/);

      const member = await signedInPage(browser, '0101-soc');
      await member.goto(url('#/protection'));
      await member.waitForSelector('[data-testid="protection-frozen"]', { timeout: TIMEOUT });
      await member.context().close();

      await page.click('[data-testid="freeze-open"]');
      await page.fill('[data-testid="freeze-reason"]', 'Browsertest: færdig');
      await page.click('[data-testid="freeze-confirm"]');
      await page.waitForSelector('[data-testid="freeze-state"][data-frozen="false"]', { timeout: TIMEOUT });
    } finally {
      const state = await (await api('cfcs-analyst', 'GET', 'freeze')).json();
      if (state.frozen) await api('cfcs-analyst', 'PUT', 'freeze', { frozen: false, reason: 'Browsertest: oprydning' });
    }
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('the coordinator sees the national view, and a member’s profile but not its feed', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/protection'));
    await page.waitForSelector('[data-testid="protection-national"] h1', { timeout: TIMEOUT });
    assert.equal(await page.textContent('[data-testid="protection-national"] h1'), 'Beskyttelse i hele landet');
    const copenhagen = await page.waitForSelector('[data-testid="national-members"] tr[data-code="0101"]', { timeout: TIMEOUT });
    assert.equal(await copenhagen.getAttribute('data-state'), 'enforcing');
    assert.match(await copenhagen.textContent(), /København.*Blokerer/);
    assert.match(await page.textContent('[data-total="enforcing"] dd'), /^[1-9]/);
    assert.doesNotMatch(await prose(page), ENGLISH);
    assert.doesNotMatch(await prose(page), RAW_CODE);
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.goto(url('#/protection/0101'));
    await page.waitForSelector('[data-testid="protection-no-feed"]', { timeout: TIMEOUT });
    await page.waitForSelector('[data-testid="protection-profile"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="protection-profile-state"]'), /Kun medlemmets egne medarbejdere/);
    assert.equal(await page.$('[data-testid="profile-save"]'), null, 'read-only for the coordinator');
    assert.equal(await page.getAttribute('[data-testid="protection-mode"]', 'data-mode'), 'enforce');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
