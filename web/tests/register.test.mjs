// Browser test: the members' register (#/register, issue 15). Odense's own
// person edits its registration with the keyboard — a public suffix is
// refused next to the field that holds it, then the lists are saved — gets a
// DNS challenge token (the exact TXT record and the token), has "Kontrollér"
// say why the domain is not proven, and imports a CSV; Aarhus claims the same
// network, and both see the conflict. Odense cannot see Aarhus's registration
// (a refusal, no data). The coordinator sees the coverage, decides the
// conflict with the keyboard, approves the nested network and Odense's domain
// with a reason, and looks a route up. Danish without English words, English
// in English, and the accessibility checks of support.mjs. Addresses are from
// the documentation ranges; no count of the demo's data is assumed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const DOMAIN = 'odense-test.example.dk';
const SUB = 'www.odense-test.example.dk';
const PREFIX = '192.0.2.0/25';
const NESTED = '192.0.2.64/26';
const PREFIX_V6 = '2001:db8:461::/48';
const CSV_PREFIX = '192.0.2.128/26';
// Words no Danish sentence on these pages should hold.
const ENGLISH =
  /\b(the|and|with|only|not proven|proven|pending|approved|registration|conflicts?|networks?|save|domains|services|coverage|nobody|check|token)\b/i;
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;

describe('Register', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
    // Aarhus claims Odense's network (a conflict) and a network inside it (nested).
    const aarhus = await api('0751-soc', 'PUT', 'api/v1/register/members/0751', { prefixes: [PREFIX, NESTED] });
    assert.equal(aarhus.status, 200, aarhus.text);
    // Odense starts from an empty registration, whatever the demo gave it.
    const odense = await api('0461-soc', 'PUT', 'api/v1/register/members/0461', {});
    assert.equal(odense.status, 200, odense.text);
  });
  after(async () => {
    await browser?.close();
  });

  test('Odense edits its registration with the keyboard; a public suffix is refused next to its field', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/register'));
    await page.waitForSelector('[data-testid="register-form"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Domæner og netværk: Odense');

    // Keyboard only: the four lists in tab order, then Enter on the save button.
    await page.focus('[data-testid="register-field-domains"]');
    await page.keyboard.type(`${DOMAIN}\ngithub.io\n${SUB}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'register-field-prefixes');
    await page.keyboard.type(`${PREFIX}\n${PREFIX_V6}`);
    await page.keyboard.press('Tab');
    await page.keyboard.type('AS64500');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`https://${SUB}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'register-save');
    await page.keyboard.press('Enter');

    const refusal = await page.waitForSelector('[data-testid="register-field-error"]', { timeout: TIMEOUT });
    assert.match(await refusal.textContent(), /Domæner, linje 2 \(github\.io\): det er et offentligt suffiks/);
    assert.equal(await page.getAttribute('[data-testid="register-field-domains"]', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'register-field-domains');
    assert.match(await page.textContent('[data-testid="register-refused-save"]'), /Intet er ændret/);

    // Remove the public suffix and save again.
    await page.fill('[data-testid="register-field-domains"]', `${DOMAIN}\n${SUB}`);
    await page.focus('[data-testid="register-save"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="register-saved"]', { timeout: TIMEOUT });
    const card = await page.waitForSelector(`[data-testid="register-domain"][data-domain="${DOMAIN}"]`, { timeout: TIMEOUT });
    assert.equal(await card.getAttribute('data-status'), 'unproven');
    assert.match(await card.textContent(), /Ikke bevist/);
    assert.match(await page.textContent('[data-testid="register-ipv4"]'), new RegExp(PREFIX.replace(/\./g, '\\.')));
    assert.match(await page.textContent('[data-testid="register-ipv6"]'), /2001:db8:461::\/48/);
    assert.match(await page.textContent('[data-testid="register-asns"]'), /AS64500/);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Odense gets a challenge token with the exact TXT record, and "Kontrollér" says why it is not proven', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/register'));
    const card = `[data-testid="register-domain"][data-domain="${DOMAIN}"]`;
    await page.waitForSelector(card, { timeout: TIMEOUT });
    await page.focus(`${card} [data-testid="register-get-token"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${card}[data-status="pending"] [data-testid="register-challenge"]`, { timeout: TIMEOUT });
    assert.equal(await page.inputValue(`${card} [data-testid="register-challenge-record"] input`), `_dannevirke-challenge.${DOMAIN}`);
    const token = await page.inputValue(`${card} [data-testid="register-challenge-token"] input`);
    assert.match(token, /^dv-proof-[0-9a-f]{32}$/);
    assert.equal(
      await page.inputValue(`${card} [data-testid="register-challenge-zone"] input`),
      `_dannevirke-challenge.${DOMAIN}. IN TXT "${token}"`,
    );
    assert.match(await page.textContent(card), /Venter på DNS-bevis/);

    // Nobody published the record: the look-up fails, and the page says so in Danish.
    await page.click(`${card} [data-testid="register-verify"]`);
    const outcome = await page.waitForSelector(`${card} [data-testid="register-not-verified"]`, { timeout: TIMEOUT });
    assert.match(await outcome.textContent(), new RegExp(`${DOMAIN.replace(/\./g, '\\.')} er ikke bevist`));
    assert.equal(await outcome.getAttribute('role'), 'alert');
    assert.equal(await page.getAttribute(card, 'data-status'), 'pending');

    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('a CSV file read in the browser replaces the registration; a bad line is named', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/register'));
    await page.waitForSelector('[data-testid="register-csv"]', { timeout: TIMEOUT });
    await page.fill('[data-testid="register-csv-text"]', 'type,value\ndomain,odense-test.example.dk\nprefix,10.0.0.0/8\n');
    await page.click('[data-testid="register-csv-import"]');
    const refusal = await page.waitForSelector('[data-testid="register-csv"] .form-invalid', { timeout: TIMEOUT });
    assert.match(await refusal.textContent(), /CSV-linje 3: det er ikke offentligt adresserum/);

    const csv = [
      'type,value,note',
      `domain,${DOMAIN},hovedsite`,
      `domain,${SUB},`,
      `prefix,${PREFIX},rådhuset`,
      `prefix,${CSV_PREFIX},`,
      `prefix,${PREFIX_V6},`,
      'asn,AS64500,',
      `url,https://${SUB}/,`,
    ].join('\n');
    await page.setInputFiles('[data-testid="register-csv-file"]', {
      name: 'odense.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="register-csv-text"]')?.value.includes('rådhuset'),
      undefined,
      { timeout: TIMEOUT },
    );
    await page.click('[data-testid="register-csv-import"]');
    await page.waitForSelector('[data-testid="register-csv-saved"]', { timeout: TIMEOUT });
    await page.waitForFunction(
      (prefix) => document.querySelector('[data-testid="register-ipv4"]')?.textContent.includes(prefix),
      CSV_PREFIX,
      { timeout: TIMEOUT },
    );
    // The edit form starts again from the imported version.
    assert.match(await page.inputValue('[data-testid="register-field-prefixes"]'), /192\.0\.2\.128\/26/);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('both claimants see the conflict over the same network, in Danish and in English', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/register'));
    const row = await page.waitForSelector(`[data-testid="register-conflict-table"] tr[data-key="${PREFIX}"]`, { timeout: TIMEOUT });
    assert.match(await row.textContent(), /Aarhus/);
    assert.match(await row.textContent(), /Odense/);
    assert.match(await page.textContent('[data-testid="register-conflicts"]'), /koordinator/);
    await page.context().close();

    const aarhus = await signedInPage(browser, '0751-soc', { lang: 'en' });
    await aarhus.goto(url('#/register'));
    await aarhus.waitForSelector(`[data-testid="register-conflict-table"] tr[data-key="${PREFIX}"]`, { timeout: TIMEOUT });
    assert.equal(await aarhus.textContent('h1'), 'Domains and networks: Aarhus');
    assert.match(await aarhus.textContent('[data-testid="register-conflicts"]'), /Another member has registered the same as you/);
    assert.deepEqual(await accessibilityProblems(aarhus), []);
    assert.deepEqual(aarhus.pageErrors, []);
    await aarhus.context().close();
  });

  test('Odense cannot see Aarhus’s registration: the page refuses and shows none of it', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/register/0751'));
    const refusal = await page.waitForSelector('[data-testid="register-refused"]', { timeout: TIMEOUT });
    assert.match(await refusal.textContent(), /Du har ikke adgang/);
    assert.equal(await page.$('[data-testid="register-domains"]'), null);
    assert.doesNotMatch(await page.textContent('main'), /192\.0\.2\.64/);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('the coordinator sees the coverage, decides the conflict with the keyboard, approves the nested network and a domain', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/register'));
    await page.waitForSelector('[data-testid="register-coverage"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Domæner og netværk i hele fællesskabet');
    assert.match(await page.textContent('[data-figure="registered"] dd'), /^[1-9][\d.]* af [1-9]/);

    // The conflict: open the decision, choose Odense with the keyboard, give a reason.
    const decide = `[data-testid="register-resolve-${PREFIX}"]`;
    await page.waitForSelector(decide, { timeout: TIMEOUT });
    await page.focus(decide);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="register-resolve-form"]', { timeout: TIMEOUT });
    // Focus is on the first claimant; the arrow keys move between them and select.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('value'));
    for (let step = 0; step < 5 && (await focused()) !== '0461'; step += 1) await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), '0461');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Browsertest: tildelt af RIPE');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const decided = await page.waitForSelector('[data-testid="register-resolved"]', { timeout: TIMEOUT });
    assert.match(await decided.textContent(), /Odense ejer den/);
    await page.waitForSelector(`[data-testid="register-resolved-table"] tr >> text=${PREFIX}`, { timeout: TIMEOUT });

    // The nested network: unapproved, it sends nothing; approve it for Aarhus.
    const nested = await page.waitForSelector(`[data-testid="register-nested-table"] tr[data-inner="${NESTED}"]`, { timeout: TIMEOUT });
    assert.match(await nested.textContent(), /Ikke godkendt — sender intet/);
    await page.click(`[data-testid="register-approve-nested-${NESTED}"]`);
    await page.check('[data-testid="register-nested-form-owner-0751"]');
    await page.fill('[data-testid="register-nested-form-reason"]', 'Browsertest: Aarhus’ driftscenter');
    await page.click('[data-testid="register-nested-form-submit"]');
    await page.waitForSelector('[data-testid="register-nested-approved"]', { timeout: TIMEOUT });

    // The route look-up: an address in the approved network goes to Aarhus.
    await page.fill('[data-testid="register-route-address"]', '192.0.2.70');
    await page.click('[data-testid="register-route-submit"]');
    const route = await page.waitForSelector('[data-testid="register-route-result"]', { timeout: TIMEOUT });
    assert.equal(await route.getAttribute('data-owners'), '0751');
    assert.match(await route.textContent(), /Går til Aarhus/);

    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    // One member's page: the coordinator approves Odense's domain with a reason.
    await page.goto(url('#/register/0461'));
    const card = `[data-testid="register-domain"][data-domain="${SUB}"]`;
    await page.waitForSelector(card, { timeout: TIMEOUT });
    assert.equal(await page.$('[data-testid="register-form"]'), null, 'the coordinator does not edit a member’s lists');
    await page.click(`${card} [data-testid="register-approve-open"]`);
    await page.click(`${card} [data-testid="register-approve-confirm"]`);
    assert.match(await page.textContent(`${card} [data-testid="register-approve"] [role="alert"]`), /Skriv en begrundelse/);
    await page.fill(`${card} [data-testid="register-approve-reason"]`, 'Browsertest: ejerskab kontrolleret hos DK Hostmaster');
    await page.click(`${card} [data-testid="register-approve-confirm"]`);
    await page.waitForSelector(`${card}[data-status="approved"]`, { timeout: TIMEOUT });
    assert.match(await page.textContent(card), /Godkendt af koordinatoren/);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
