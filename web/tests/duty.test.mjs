// Browser test: on duty (#/duty, issue 16). Copenhagen writes two contacts
// and a duty config through the API (a weekly rota of one person, a policy
// that pages the rota, a route for outside reports); the coordinator posts a
// high-severity outside report for one of Copenhagen's addresses, twice, so
// the hub opens one notification and counts the second ("og 1 mere"). No
// SMTP is configured, so every delivery is recorded as failed. Copenhagen
// sees who is on duty by name, the notification with its escalation and the
// failed delivery, acknowledges it with the keyboard (the API then reports it
// acknowledged) and sees its KEV clock; the rota downloads as iCalendar.
// Odense is refused Copenhagen's duty. The coordinator sees the national
// figures and no Copenhagen contact on the national view. Danish without
// English words, English in English, and the accessibility checks of
// support.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const PREFIX = '203.0.113.0/24';
const ADDRESS = '203.0.113.25';
const PERSON = 'Karen Testesen';
const PERSON_EMAIL = 'vagt-a@kbh-duty-test.example.dk';
const ROLE_EMAIL = 'soc@kbh-duty-test.example.dk';
const ENGLISH =
  /\b(the|and|with|only|on duty|notifications?|escalat\w*|acknowledged?|delivered|not delivered|step|run|rota|findings?|fixed|open|minutes|days|members?|outside report)\b/i;
const DANISH = /\b(og|ikke|vagt\w*|varsling\w*|kvitter\w*|leveret|trin|runde|fund|udbedr\w*|medlem\w*)\b/i;
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;

const CONTACTS = [
  {
    id: 'soc-rolle',
    kind: 'role',
    name: 'SOC København',
    channels: { email: ROLE_EMAIL, phone: '+4533660000' },
    priority: 10,
    out_of_band: true,
  },
  { id: 'vagt-a', kind: 'person', name: PERSON, channels: { email: PERSON_EMAIL }, language: 'da', priority: 20 },
];

const CONFIG = {
  rotas: {
    soc: {
      name: 'SOC-døgnvagt',
      layers: [{ participants: ['vagt-a'], rotation_days: 7, handoff: '08:00', start: '2026-01-05' }],
    },
  },
  policies: {
    soc: {
      steps: [
        { delay_minutes: 0, targets: [{ kind: 'rota', ref: 'soc' }] },
        { delay_minutes: 15, targets: [{ kind: 'contact', ref: 'soc-rolle' }] },
      ],
    },
  },
  routes: { routes: [{ event: 'outside_report', policy: 'soc' }] },
};

/** A Shadowserver blocklist file with one row for Copenhagen's test address, at this run's time. */
function report(offsetSeconds) {
  const stamp = new Date(Date.now() - offsetSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return ['timestamp,ip,protocol,port,hostname,tag,asn,geo', `${stamp},${ADDRESS},tcp,443,,blocklist,64496,DK`].join('\n');
}

/** Makes ADDRESS route to Copenhagen alone: PREFIX is added to its registration, a conflict decided for it. */
async function routeToCopenhagen() {
  const current = await api('0101-soc', 'GET', 'api/v1/register/members/0101');
  assert.equal(current.status, 200, current.text);
  if (!current.body.prefixes.includes(PREFIX)) {
    const saved = await api('0101-soc', 'PUT', 'api/v1/register/members/0101', {
      prefixes: [...current.body.prefixes, PREFIX],
    });
    assert.equal(saved.status, 200, saved.text);
  }
  const conflicts = (await api('cfcs-analyst', 'GET', 'api/v1/register/conflicts')).body;
  if (conflicts.open.some((conflict) => conflict.key === PREFIX)) {
    const resolved = await api('cfcs-analyst', 'POST', 'api/v1/register/conflicts/resolve', {
      kind: 'prefix',
      key: PREFIX,
      owner: '0101',
      reason: 'Browsertest: Københavns net',
    });
    assert.equal(resolved.status, 200, resolved.text);
  }
  const route = await api('cfcs-analyst', 'GET', `api/v1/register/route?address=${encodeURIComponent(ADDRESS)}`);
  assert.deepEqual(route.body.match?.owners, ['0101'], route.text);
}

/** Polls `check` (an async function answering a value or null) until it answers, for at most TIMEOUT. */
async function eventually(check, what) {
  const end = Date.now() + TIMEOUT;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('On duty', { skip: SKIP }, () => {
  let browser;
  let notification;
  before(async () => {
    browser = await launch();
    const contacts = await api('0101-soc', 'GET', 'api/v1/contacts/members/0101');
    const written = await api('0101-soc', 'PUT', 'api/v1/contacts/members/0101', {
      contacts: CONTACTS,
      expected_version: contacts.body.version,
    });
    assert.equal(written.status, 200, written.text);
    const config = await api('0101-soc', 'PUT', 'api/v1/duty/members/0101/config', CONFIG);
    assert.equal(config.status, 200, config.text);
    await routeToCopenhagen();
    for (const offset of [60, 0]) {
      const ingest = await api(
        'cfcs-analyst',
        'POST',
        'api/v1/notices/reports?format=shadowserver:blocklist&source=Test&severity=high&origin=browsertest-duty.csv',
        report(offset),
        { contentType: 'text/csv' },
      );
      assert.equal(ingest.status, 201, ingest.text);
      assert.equal(ingest.body.members['0101'], 1, ingest.text);
    }
    // The engine turns the first report into a notification, pages the rota (the e-mail fails: no SMTP) and
    // counts the second report into it.
    notification = await eventually(async () => {
      const list = await api('0101-soc', 'GET', 'api/v1/duty/members/0101/notifications');
      const found = list.body.notifications.find((item) => item.event.group_key === '0101|outside_report|blocklist');
      return found && found.deliveries.length > 0 && found.more >= 1 ? found : null;
    }, 'the notification to be paged and counted');
  });
  after(async () => {
    await browser?.close();
  });

  test('Copenhagen sees who is on duty, the notification, its escalation and the failed delivery, and acknowledges it', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/duty'));
    await page.waitForSelector('[data-testid="duty-rotas"] tr[data-rota="soc"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Vagt: København');
    const rota = await page.textContent('[data-testid="duty-rotas"] tr[data-rota="soc"]');
    assert.match(rota, /SOC-døgnvagt/);
    assert.match(rota, new RegExp(PERSON));
    assert.match(rota, /Hent kalenderfil/);

    const card = `[data-testid="duty-open"] [data-testid="duty-notification"][data-id="${notification.id}"]`;
    await page.waitForSelector(card, { timeout: TIMEOUT });
    const text = await page.textContent(card);
    assert.match(text, /Henvendelse udefra: På en blokeringsliste/);
    assert.match(text, /og 1 mere/);
    assert.match(text, /Eskalerer/);
    assert.match(text, /Høj/);
    const delivery = await page.textContent(`${card} [data-testid="duty-deliveries"] tbody tr[data-participant="vagt-a"][data-channel="email"]`);
    assert.match(delivery, new RegExp(PERSON));
    assert.match(delivery, /E-mail/);
    assert.match(delivery, /Ikke leveret \(ingen mailserver sat op\)/);
    assert.match(delivery, /vagtplan soc/);
    // Delivery shows the channel, never the address.
    assert.doesNotMatch(await page.textContent('main'), /kbh-duty-test\.example\.dk/);

    await page.waitForSelector('[data-testid="duty-kev"] [data-testid="duty-kev-figures"]', { timeout: TIMEOUT });
    const findings = await page.textContent('[data-testid="duty-kev-findings"]');
    assert.match(findings, /CVE-\d{4}-\d+/);
    assert.match(await page.textContent('[data-testid="duty-kev-figures"]'), /Dage til udbedring, median/);

    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.focus(`${card} [data-testid="duty-ack"]`);
    await page.keyboard.press('Enter');
    const done = await page.waitForSelector('[data-testid="duty-ack-done"]:has-text("Kvitteret")', { timeout: TIMEOUT });
    assert.match(await done.textContent(), /Eskaleringen er stoppet/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'duty-ack-done');
    const closed = `[data-testid="duty-closed"] [data-testid="duty-notification"][data-id="${notification.id}"]`;
    await page.waitForSelector(closed, { timeout: TIMEOUT });
    assert.match(await page.textContent(`${closed} [data-testid="duty-phase"]`), /Kvitteret/);
    assert.match(await page.textContent(`${closed} [data-testid="duty-acknowledged"]`), /af en medarbejder/);
    assert.equal(await page.$(`${closed} [data-testid="duty-ack"]`), null);
    assert.deepEqual(await accessibilityProblems(page), []);

    const list = await api('0101-soc', 'GET', 'api/v1/duty/members/0101/notifications');
    const acked = list.body.notifications.find((item) => item.id === notification.id);
    assert.equal(acked.state.phase, 'acknowledged');
    assert.ok(acked.state.acknowledged.at, list.text);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen downloads the rota as iCalendar, and reads the page in English', async () => {
    const page = await signedInPage(browser, '0101-soc', { lang: 'en' });
    await page.goto(url('#/duty'));
    await page.waitForSelector('[data-testid="duty-rotas"] tr[data-rota="soc"]', { timeout: TIMEOUT });
    await page.waitForSelector('[data-testid="duty-kev-figures"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'On duty: København');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="duty-ical"]')]);
    assert.equal(download.suggestedFilename(), '0101-soc.ics');
    const { readFile } = await import('node:fs/promises');
    const calendar = await readFile(await download.path(), 'utf8');
    assert.match(calendar, /^BEGIN:VCALENDAR/);
    assert.match(calendar, /SUMMARY:Vagt: vagt-a/);
    const words = await prose(page);
    assert.doesNotMatch(words, DANISH, `Danish in English mode: ${words.match(DANISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in English mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Copenhagen subscribes a phone to its rota without a login, and revokes the link', async () => {
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/duty'));
    await page.waitForSelector('[data-testid="duty-subscriptions"]', { timeout: TIMEOUT });
    await page.click('[data-testid="duty-subscribe"]');
    const field = await page.waitForSelector('[data-testid="duty-link-url"] input', { timeout: TIMEOUT });
    const link = new URL(await field.inputValue());
    assert.match(link.pathname, /\/api\/v1\/duty\/calendar\/dvc_[0-9a-f]{64}$/);
    const token = link.pathname.split('/').pop();
    // Fetched as a phone would: no login, from the hub under test.
    const subscribed = await fetch(url(link.pathname.slice(1)));
    assert.equal(subscribed.status, 200);
    const calendar = await subscribed.text();
    assert.match(calendar, /^BEGIN:VCALENDAR/);
    for (const secret of [ROLE_EMAIL, PERSON_EMAIL, PERSON, '+4533660000']) {
      assert.ok(!calendar.includes(secret), `the calendar without a login shows ${secret}`);
    }
    // The list names the link, never its token; revoking it kills it.
    const row = await page.waitForSelector('[data-testid="duty-links"] tr[data-link]', { timeout: TIMEOUT });
    const id = await row.getAttribute('data-link');
    assert.ok(!(await page.textContent('[data-testid="duty-links"]')).includes(token));
    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.click(`[data-testid="duty-links"] tr[data-link="${id}"] button`);
    await page.waitForSelector(`[data-testid="duty-links"] tr[data-link="${id}"]`, { state: 'detached', timeout: TIMEOUT });
    assert.equal((await fetch(url(link.pathname.slice(1)))).status, 404);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Odense is refused Copenhagen’s duty, and the API refuses it too', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/duty/0101'));
    const refused = await page.waitForSelector('[data-testid="duty-refused"]', { timeout: TIMEOUT });
    assert.match(await refused.textContent(), /ikke adgang/);
    assert.equal(await page.$('[data-testid="duty-notifications"]'), null);
    assert.doesNotMatch(await page.textContent('main'), new RegExp(PERSON));
    for (const path of ['config', 'on-duty', 'notifications', 'rotas/soc/ical']) {
      const answer = await api('0461-soc', 'GET', `api/v1/duty/members/0101/${path}`);
      assert.equal(answer.status, 403, `${path}: ${answer.text}`);
    }
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('The coordinator sees the national figures and no Copenhagen contact on the national view', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/duty'));
    await page.waitForSelector('[data-testid="duty-national-table"]', { timeout: TIMEOUT });
    await page.waitForSelector('[data-testid="duty-members"] tr[data-code="0101"]', { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Vagt og varsling i hele landet');
    const figures = await page.textContent('[data-testid="duty-national-table"]');
    assert.match(figures, /Minutter til kvittering, median/);
    assert.match(figures, /Dage til udbedring, median/);
    const html = await page.content();
    for (const secret of [PERSON, PERSON_EMAIL, ROLE_EMAIL, 'vagt-a', 'soc-rolle']) {
      assert.ok(!html.includes(secret), `the national view shows ${secret}`);
    }
    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    // One member at a time, through the picker: Copenhagen's duty without names or addresses.
    await page.selectOption('[data-testid="duty-picker"] select', '0101');
    await page.click('[data-testid="duty-picker"] button');
    await page.waitForSelector('[data-testid="duty-member"][data-code="0101"] [data-testid="duty-rotas"]', { timeout: TIMEOUT });
    await page.waitForSelector(`[data-testid="duty-notification"][data-id="${notification.id}"]`, { timeout: TIMEOUT });
    const member = await page.content();
    for (const secret of [PERSON, PERSON_EMAIL, ROLE_EMAIL]) {
      assert.ok(!member.includes(secret), `the coordinator's view of Copenhagen shows ${secret}`);
    }
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('A member without a duty config is told how to set it up', async () => {
    const page = await signedInPage(browser, '0461-soc');
    await page.goto(url('#/duty'));
    const setup = await page.waitForSelector('[data-testid="duty-setup"]', { timeout: TIMEOUT });
    const text = await setup.textContent();
    assert.match(text, /Vagten er ikke sat op endnu/);
    assert.match(text, /kontakter/);
    assert.equal(await page.getAttribute('[data-testid="duty-setup"] a[href$="openapi.json"]', 'href') !== null, true);
    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
