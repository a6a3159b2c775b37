// Browser test: the members' contacts (#/contacts, issue 15). Aarhus's own
// person sees that contacts are personal data and every read is logged, the
// role address before the people, the one out-of-band contact marked and
// explained; adds a person with the keyboard and saves; a bad phone number is
// refused next to its field; a change saved elsewhere in between gives a 409
// and "load the new version"; a person is erased after a confirm step with a
// reason and a case number. Copenhagen and Copenhagen's sensor are refused
// Aarhus's contacts (no data shown); the coordinator reads them, read-only.
// Danish without English words, English in English, and the accessibility
// checks of support.mjs. Nothing of the demo's own contacts is assumed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const PATH = 'api/v1/contacts/members/0751';
const ROLE = 'IT-sikkerhed, vagt';
const PERSON = 'Birgitte Testesen';
const NEW_PERSON = 'Mads Tastatur';
const ENGLISH =
  /\b(the|and|with|only|contacts?|people|role address|out-of-band|save|erase|reachable|always|priority|channels?|language|phone)\b/i;
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;

/** Aarhus's contacts as the test starts them: a role address that is out of band, and a person. */
const START = [
  {
    kind: 'role',
    name: ROLE,
    channels: { email: 'it-sikkerhed@aarhus-test.example.dk', phone: '+4589400000' },
    priority: 10,
    out_of_band: true,
  },
  {
    kind: 'person',
    name: PERSON,
    channels: { email: 'birgitte@aarhus-test.example.dk' },
    language: 'da',
    hours: { time_zone: 'Europe/Copenhagen', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '16:00' }] },
    priority: 20,
  },
];

async function putContacts(contacts) {
  const current = await api('0751-soc', 'GET', PATH);
  assert.equal(current.status, 200, current.text);
  const saved = await api('0751-soc', 'PUT', PATH, { contacts, expected_version: current.body.version });
  assert.equal(saved.status, 200, saved.text);
  return saved.body;
}

describe('Contacts', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
    await putContacts(START);
  });
  after(async () => {
    await browser?.close();
  });

  test('Aarhus sees its contacts as personal data, role addresses first, the out-of-band contact explained', async () => {
    const page = await signedInPage(browser, '0751-soc');
    await page.goto(url('#/contacts'));
    await page.waitForSelector('[data-testid="contacts-roles"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Kontakter: Aarhus');
    assert.match(await page.textContent('[data-testid="contacts-privacy"]'), /persondata.*logget/);
    // Roles before people.
    const order = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="contacts-roles"], [data-testid="contacts-persons"]')].map((el) => el.dataset.testid),
    );
    assert.deepEqual(order, ['contacts-roles', 'contacts-persons']);
    const role = await page.textContent('[data-testid="contacts-roles"] tbody');
    assert.match(role, new RegExp(ROLE));
    assert.match(role, /Nødkontakt/);
    assert.match(role, /\+4589400000/);
    assert.match(await page.textContent('[data-testid="contacts-persons"] tbody'), /man, tir, ons, tor, fre 08:00–16:00/);
    assert.match(await page.textContent('[data-testid="contacts-oob-help"]'), /e-mail er nede.*ransomware/);

    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Aarhus adds a person with the keyboard; a bad phone number is refused next to its field', async () => {
    const page = await signedInPage(browser, '0751-soc');
    await page.goto(url('#/contacts'));
    await page.waitForSelector('[data-testid="contacts-editor"]', { timeout: TIMEOUT });
    await page.focus('[data-testid="contacts-add-person"]');
    await page.keyboard.press('Enter');
    // Focus moves to the new contact's name; the fields follow in tab order.
    const fieldset = '[data-testid="contacts-edit-contact"][data-index="2"]';
    await page.waitForSelector(fieldset, { timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'contacts-name');
    await page.keyboard.type(NEW_PERSON);
    await page.keyboard.press('Tab'); // priority, filled in
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'contacts-email');
    await page.keyboard.type('mads@aarhus-test.example.dk');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12345');
    await page.focus('[data-testid="contacts-save"]');
    await page.keyboard.press('Enter');

    const refusal = await page.waitForSelector(`${fieldset} [data-testid="contacts-field-error"]`, { timeout: TIMEOUT });
    assert.match(await refusal.textContent(), /landekode/);
    assert.equal(await page.getAttribute(`${fieldset} [data-testid="contacts-phone"]`, 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'contacts-phone');
    assert.match(await page.textContent('[data-testid="contacts-refused-save"]'), new RegExp(`Kontakt 3 \\(${NEW_PERSON}\\), Telefon`));

    await page.fill(`${fieldset} [data-testid="contacts-phone"]`, '+4520304050');
    await page.focus('[data-testid="contacts-save"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="contacts-saved"]', { timeout: TIMEOUT });
    await page.waitForSelector(`[data-testid="contacts-persons"] tbody >> text=${NEW_PERSON}`, { timeout: TIMEOUT });
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('a change saved elsewhere in between is refused, and the new version can be loaded', async () => {
    const page = await signedInPage(browser, '0751-soc');
    await page.goto(url('#/contacts'));
    await page.waitForSelector('[data-testid="contacts-editor"]', { timeout: TIMEOUT });
    // Someone else saves while this page is open.
    await putContacts(START);
    await page.fill('[data-testid="contacts-edit-contact"][data-index="0"] [data-testid="contacts-name"]', 'IT-sikkerhed, døgnvagt');
    await page.click('[data-testid="contacts-save"]');
    const conflict = await page.waitForSelector('[data-testid="contacts-conflict"]', { timeout: TIMEOUT });
    assert.match(await conflict.textContent(), /En anden har gemt kontakterne/);
    const version = (await api('0751-soc', 'GET', PATH)).body.version;
    await page.click('[data-testid="contacts-reload"]');
    await page.waitForSelector(`[data-testid="contacts-list"][data-version="${version}"]`, { timeout: TIMEOUT });
    assert.equal(await page.$('[data-testid="contacts-conflict"]'), null);
    assert.equal(
      await page.inputValue('[data-testid="contacts-edit-contact"][data-index="0"] [data-testid="contacts-name"]'),
      ROLE,
    );
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('erasing a person asks for a confirmation, a reason and a case number, and removes the person', async () => {
    const page = await signedInPage(browser, '0751-soc');
    await page.goto(url('#/contacts'));
    await page.waitForSelector('[data-testid="contacts-erase"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="contacts-erase"]'), /historikken skrives om/);
    // Without a choice the confirmation does not open.
    await page.click('[data-testid="contacts-erase-open"]');
    assert.match(await page.textContent('[data-testid="contacts-erase"] [role="alert"]'), /Vælg en kontakt/);
    const id = await page.getAttribute(`[data-testid="contacts-persons"] tr:has-text("${PERSON}")`, 'data-id');
    await page.selectOption('[data-testid="contacts-erase-who"]', id);
    await page.selectOption('[data-testid="contacts-erase-reason"]', 'data_subject_request');
    await page.fill('[data-testid="contacts-erase-reference"]', 'SAG-2026/17');
    await page.click('[data-testid="contacts-erase-open"]');
    const confirm = await page.waitForSelector('[data-testid="contacts-erase"] .confirm-step', { timeout: TIMEOUT });
    assert.match(await confirm.textContent(), new RegExp(`Slet “${PERSON}”.*kan ikke fortrydes`));
    await page.click('[data-testid="contacts-erase-confirm"]');
    const done = await page.waitForSelector('[data-testid="contacts-erased"]', { timeout: TIMEOUT });
    assert.match(await done.textContent(), /Slettet: 1 kontakter fjernet fra den nuværende liste og [1-9]\d* gemte versioner skrevet om/);
    await page.waitForSelector(`[data-testid="contacts-persons"] tr[data-id="${id}"]`, { state: 'detached', timeout: TIMEOUT });
    assert.doesNotMatch(await page.textContent('main'), new RegExp(PERSON));
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('in English the same page is in English', async () => {
    const page = await signedInPage(browser, '0751-soc', { lang: 'en' });
    await page.goto(url('#/contacts'));
    await page.waitForSelector('[data-testid="contacts-roles"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Contacts: Aarhus');
    assert.match(await page.textContent('[data-testid="contacts-roles"] tbody'), /Out-of-band contact/);
    assert.match(await page.textContent('[data-testid="contacts-privacy"]'), /personal data/);
    assert.doesNotMatch(await prose(page), RAW_CODE);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen and Copenhagen’s sensor are refused Aarhus’s contacts; no contact is shown', async () => {
    for (const member of ['0101-soc', '0101-sensor']) {
      const page = await signedInPage(browser, member);
      await page.goto(url(member === '0101-soc' ? '#/contacts/0751' : '#/contacts'));
      const refusal = await page.waitForSelector('[data-testid="contacts-refused"]', { timeout: TIMEOUT });
      assert.match(await refusal.textContent(), /Du har ikke adgang/);
      assert.equal(await page.$('[data-testid="contacts-roles"]'), null);
      assert.doesNotMatch(await page.textContent('main'), new RegExp(ROLE));
      assert.deepEqual(await accessibilityProblems(page), []);
      assert.deepEqual(page.pageErrors, []);
      await page.context().close();
    }
  });

  test('the coordinator reads Aarhus’s contacts, read-only', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/contacts'));
    await page.waitForSelector('[data-testid="contacts-picker"]', { timeout: TIMEOUT });
    await page.selectOption('[data-testid="contacts-picker"] select', '0751');
    await page.click('[data-testid="contacts-picker"] button[type="submit"]');
    await page.waitForSelector('[data-testid="contacts-member"][data-code="0751"] [data-testid="contacts-roles"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="contacts-roles"] tbody'), new RegExp(ROLE));
    assert.match(await page.textContent('[data-testid="contacts-version"]'), /Som koordinator kan du se kontakterne, men ikke ændre dem/);
    assert.equal(await page.$('[data-testid="contacts-editor"]'), null);
    assert.equal(await page.$('[data-testid="contacts-erase"]'), null);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
