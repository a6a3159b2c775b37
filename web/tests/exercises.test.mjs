// Browser test: exercises ("øvelser", #/exercises, docs/exercise.md). The
// coordinator starts the built-in zyxel-2023 scenario (Region Hovedstaden)
// at speed 1800 through the API: its six injects are delivered within about
// two seconds, and the run finishes after about 50 seconds (its last
// deadline, +24:40 in scenario time), so the first test does what needs a
// running run at once. Copenhagen (0101) sees the ØVELSE banner on two
// different pages, follows it to the exercises page, sees the run with its
// delivered injects (Danish titles, kind, time) and its expected actions, and
// records "Kvittér", which then shows as a recorded action and judges the
// expected acknowledgement. Aarhus (0751, Region Midtjylland) sees no banner
// and gets the run as unknown. The coordinator sees the banner, starts a
// second run through the form at real time, opens the after-action report
// and stops that run with a confirmation. In English the banner and the page
// are in English. When no run of Copenhagen's runs any more, the banner goes.
// Danish without English words, and the accessibility checks of support.mjs
// on the page and the banner.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityProblems, api, launch, prose, signedInPage, skipReason, TIMEOUT, url } from './support.mjs';

const SKIP = skipReason({ needTokens: true });
const ENGLISH = /\b(the|and|with|only|exercises?|running|delivered|expected|actions?|acknowledge|pending|missed|late|state|speed)\b/i;
const RAW_CODE = /\b[a-z]+_[a-z_]+\b/;
const BANNER_DA = 'ØVELSE – ikke en virkelig hændelse';
const BANNER_EN = 'EXERCISE – not a real incident';

/** Polls `check` until it answers truthy (its answer is returned) or `ms` pass. */
async function waitFor(what, check, ms = TIMEOUT) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The banner of `page` once shown, with its text; it sits outside the main region in a status region. */
async function bannerText(page) {
  const banner = await page.waitForSelector('[role="status"] [data-testid="exercise-banner"]', { timeout: TIMEOUT });
  return (await banner.textContent()).replace(/\s+/g, ' ').trim();
}

/** Waits for the page's banner poll to have answered (no request to /api/v1/exercises in flight). */
async function settled(page) {
  await page.waitForLoadState('networkidle', { timeout: TIMEOUT });
}

describe('Exercises', { skip: SKIP }, () => {
  let browser;
  let run;
  let second;
  before(async () => {
    browser = await launch();
    const started = await api('cfcs-analyst', 'POST', 'api/v1/exercises', { scenario: 'zyxel-2023', speed: 1800 });
    assert.equal(started.status, 201, started.text);
    run = started.body.id;
    // Every inject Copenhagen gets is delivered within the first scenario hour: a second or two.
    await waitFor('the injects of the run', async () => {
      const view = await api('0101-soc', 'GET', `api/v1/exercises/${run}`);
      return view.status === 200 && view.body.delivered_injects.length === 6;
    });
  });
  after(async () => {
    for (const id of [run, second]) {
      if (id) await api('cfcs-analyst', 'POST', `api/v1/exercises/${id}/stop`);
    }
    await browser?.close();
  });

  test('Copenhagen sees the banner on every page, the run with its injects, and records “Kvittér”', async () => {
    const page = await signedInPage(browser, '0101-soc');
    assert.equal(await bannerText(page), `⚠ ${BANNER_DA} Se øvelsen`);

    await page.goto(url('#/'));
    assert.match(await bannerText(page), new RegExp(BANNER_DA));
    await page.goto(url('#/notices'));
    await page.waitForSelector('h1', { timeout: TIMEOUT });
    assert.match(await bannerText(page), new RegExp(BANNER_DA));
    // The banner is above the page, not inside it, and not colour alone: it says what it is.
    assert.equal(await page.$('main [data-testid="exercise-banner"]'), null);

    // The banner's link leads to the exercises page, by keyboard.
    await page.focus('[data-testid="exercise-banner-link"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.location.hash === '#/exercises', undefined, { timeout: TIMEOUT });
    const row = await page.waitForSelector(`[data-testid="exercises-runs"] tr[data-id="${run}"]`, { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Øvelser');
    assert.match(await row.textContent(), /Zyxel-firewalls under angreb \(maj 2023\)/);
    assert.match(await row.textContent(), /I gang|Afsluttet/);
    assert.match(await row.textContent(), /1\.800×/);
    assert.match(await row.textContent(), /6 af 6/);

    const section = `[data-testid="exercise-run"][data-id="${run}"]`;
    await page.waitForSelector(`${section} [data-testid="exercise-injects"] tbody tr`, { timeout: TIMEOUT });
    const injects = await page.$$eval(`${section} [data-testid="exercise-injects"] tbody tr`, (rows) =>
      rows.map((tr) => ({ kind: tr.dataset.kind, text: tr.textContent })),
    );
    assert.equal(injects.length, 6);
    assert.deepEqual(injects.map((inject) => inject.kind).sort(), ['exposure', 'guidance', 'incident', 'indicator', 'kev', 'sighting']);
    assert.ok(injects.every((inject) => /ØVELSE/.test(inject.text)), JSON.stringify(injects));
    const exposure = injects.find((inject) => inject.kind === 'exposure').text;
    assert.match(exposure, /Eksponering/);
    assert.match(exposure, /\+00:05:00/);
    // Delivered at a time formatted like the rest of the dashboard ("7. 12. 2026 kl. 10.05").
    assert.match(exposure, /\d{1,2}\. \d{1,2}\. \d{4} kl\. \d{2}\.\d{2}/);

    const expected = await page.$$eval(`${section} [data-testid="exercise-expected"] tbody tr`, (rows) =>
      rows.map((tr) => tr.dataset.what),
    );
    assert.deepEqual(expected.sort(), ['acknowledge', 'decide', 'early_warning']);
    assert.match(await page.textContent(`${section} [data-testid="exercise-expected"]`), /Kvittering.*Frist|Frist.*Kvittering/s);

    // Record the acknowledgement while the run still runs (it finishes about 50 s after its start).
    const state = (await api('0101-soc', 'GET', `api/v1/exercises/${run}`)).body.state;
    assert.equal(state, 'running', 'the run finished before the test could act: the machine is too slow for speed 1800');
    await page.focus(`${section} [data-testid="exercise-do-acknowledge"]`);
    assert.equal(await page.textContent(`${section} [data-testid="exercise-do-acknowledge"]`), 'Kvittér');
    await page.keyboard.press('Enter');
    const saved = await page.waitForSelector(`${section} [data-testid="exercise-action-saved"]`, { timeout: TIMEOUT });
    assert.match(await saved.textContent(), /^Registreret: Kvittering, /);
    const recorded = await page.waitForSelector(`${section} [data-testid="exercise-actions"] tr[data-what="acknowledge"]`, {
      timeout: TIMEOUT,
    });
    assert.match(await recorded.textContent(), /Kvittering/);
    assert.match(await recorded.textContent(), /0101-soc/);
    const outcome = await page.getAttribute(
      `${section} [data-testid="exercise-expected"] tr[data-what="acknowledge"]`,
      'data-outcome',
    );
    assert.ok(['on_time', 'late'].includes(outcome), `the acknowledgement is judged done: ${outcome}`);
    // The hub has it too.
    const view = await api('0101-soc', 'GET', `api/v1/exercises/${run}`);
    assert.ok(view.body.actions.some((action) => action.what === 'acknowledge' && action.organisation === '0101'), view.text);

    const words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);
    // The banner and the header around the page pass the same checks.
    assert.deepEqual(await accessibilityProblems(page, '.app'), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('Aarhus, outside Region Hovedstaden, sees no banner and does not find the run', async () => {
    const listed = await api('0751-soc', 'GET', 'api/v1/exercises');
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.body.banner, undefined);
    const page = await signedInPage(browser, '0751-soc');
    await page.goto(url('#/exercises'));
    await page.waitForSelector('[data-testid="exercises-member"] [data-testid="exercises-runs"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="exercises-member"]'), /Jeres organisation deltager ikke i nogen øvelse/);
    await settled(page);
    assert.equal(await page.$('[data-testid="exercise-banner"]'), null);
    await page.goto(url('#/'));
    await settled(page);
    assert.equal(await page.$('[data-testid="exercise-banner"]'), null);

    await page.goto(url(`#/exercises/${run}`));
    await page.waitForSelector('[data-testid="exercise-unknown"]', { timeout: TIMEOUT });
    assert.doesNotMatch(await page.textContent('main'), /Zyxel/);
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('the coordinator sees the banner, starts a run through the form, opens its report and stops it after confirming', async () => {
    const page = await signedInPage(browser, 'cfcs-analyst');
    await page.goto(url('#/exercises'));
    await page.waitForSelector(`[data-testid="exercises-runs"] tr[data-id="${run}"]`, { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Øvelser');
    await page.waitForSelector('[data-testid="exercises-scenario"] option[value="zyxel-2023"]', { state: 'attached', timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="exercises-scenario-about"]'), /Én UDP-pakke til port 500/);

    await page.selectOption('[data-testid="exercises-scenario"]', 'zyxel-2023');
    await page.selectOption('[data-testid="exercises-speed"]', '1');
    await page.click('[data-testid="exercises-start-submit"]');
    const started = await page.waitForSelector('[data-testid="exercises-started"]', { timeout: TIMEOUT });
    second = await started.getAttribute('data-id');
    assert.match(await started.textContent(), /Øvelsen „Zyxel-firewalls under angreb \(maj 2023\)“ er startet/);
    const row = `[data-testid="exercises-runs"] tr[data-id="${second}"]`;
    await page.waitForSelector(`${row}[data-state="running"]`, { timeout: TIMEOUT });
    assert.match(await page.textContent(row), /1×/);
    // A run of the coordinator's runs: the banner shows for the coordinator too.
    assert.match(await bannerText(page), new RegExp(BANNER_DA));

    let words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.doesNotMatch(words, RAW_CODE, `a raw code in Danish mode: ${words.match(RAW_CODE)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    // The after-action report opens in a new tab, fetched with the coordinator's token.
    const [report] = await Promise.all([
      page.context().waitForEvent('page', { timeout: TIMEOUT }),
      page.click(`${row} [data-testid="exercises-report"]`),
    ]);
    await report.waitForLoadState('domcontentloaded');
    assert.match(report.url(), /^blob:/);
    assert.match(await report.textContent('body'), /Zyxel/);
    await report.close();

    // The run's own page has the coordinator's whole view.
    await page.click(`${row} [data-testid="exercises-open"]`);
    await page.waitForSelector(`[data-testid="exercise-run"][data-id="${second}"] [data-testid="exercise-facts"]`, { timeout: TIMEOUT });
    assert.equal(await page.textContent('h1'), 'Zyxel-firewalls under angreb (maj 2023)');
    assert.equal(await page.$('[data-testid="exercise-act"]'), null);
    words = await prose(page);
    assert.doesNotMatch(words, ENGLISH, `English in Danish mode: ${words.match(ENGLISH)?.[0]}`);
    assert.deepEqual(await accessibilityProblems(page), []);

    // Stop asks first; cancelling stops nothing.
    await page.click('[data-testid="exercises-stop-open"]');
    await page.waitForSelector('[data-testid="exercises-stop"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid="exercises-stop"]'), /Stop øvelsen „Zyxel-firewalls under angreb \(maj 2023\)“\?/);
    assert.deepEqual(await accessibilityProblems(page), []);
    await page.click('[data-testid="exercises-stop"] button.button-secondary');
    assert.equal((await api('cfcs-analyst', 'GET', `api/v1/exercises/${second}`)).body.state, 'running');
    await page.click('[data-testid="exercises-stop-open"]');
    await page.click('[data-testid="exercises-stop-confirm"]');
    await page.waitForSelector('[data-testid="exercises-stopped"]', { timeout: TIMEOUT });
    await page.waitForSelector('[data-testid="exercise-facts"] [data-state="stopped"]', { timeout: TIMEOUT });
    assert.equal((await api('cfcs-analyst', 'GET', `api/v1/exercises/${second}`)).body.state, 'stopped');
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('in English the banner and the page are in English', async () => {
    const other = await api('cfcs-analyst', 'POST', 'api/v1/exercises', { scenario: 'zyxel-2023', speed: 1 });
    assert.equal(other.status, 201, other.text);
    second = other.body.id;
    const page = await signedInPage(browser, '0101-soc', { lang: 'en' });
    assert.equal(await bannerText(page), `⚠ ${BANNER_EN} See the exercise`);
    await page.goto(url('#/exercises'));
    await page.waitForSelector(`[data-testid="exercise-run"][data-id="${second}"] [data-testid="exercise-do-acknowledge"]`, {
      timeout: TIMEOUT,
    });
    assert.equal(await page.textContent('h1'), 'Exercises');
    assert.match(await page.textContent(`[data-testid="exercises-runs"] tr[data-id="${second}"]`), /Zyxel firewalls under attack \(May 2023\)/);
    assert.equal(await page.textContent(`[data-testid="exercise-run"][data-id="${second}"] [data-testid="exercise-do-acknowledge"]`), 'Acknowledge');
    assert.doesNotMatch(await prose(page), RAW_CODE);
    assert.deepEqual(await accessibilityProblems(page, '.app'), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });

  test('when no run of Copenhagen’s runs any more, the banner goes', async () => {
    const stopped = await api('cfcs-analyst', 'POST', `api/v1/exercises/${second}/stop`);
    assert.equal(stopped.status, 200, stopped.text);
    // The first run finishes on its own about 50 s after its start.
    await waitFor(
      'the first run to finish',
      async () => (await api('0101-soc', 'GET', `api/v1/exercises/${run}`)).body.state === 'finished',
      120_000,
    );
    const page = await signedInPage(browser, '0101-soc');
    await page.goto(url('#/exercises'));
    await page.waitForSelector(`[data-testid="exercises-runs"] tr[data-id="${run}"][data-state="finished"]`, { timeout: TIMEOUT });
    await settled(page);
    assert.equal(await page.$('[data-testid="exercise-banner"]'), null);
    // What was delivered and done stays, and nothing more can be recorded.
    await page.goto(url(`#/exercises/${run}`));
    await page.waitForSelector('[data-testid="exercise-act-closed"]', { timeout: TIMEOUT });
    await page.waitForSelector('[data-testid="exercise-actions"] tr[data-what="acknowledge"]', { timeout: TIMEOUT });
    assert.deepEqual(await accessibilityProblems(page), []);
    assert.deepEqual(page.pageErrors, []);
    await page.context().close();
  });
});
