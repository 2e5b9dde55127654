// The first minute of a visit, in a real headless Chromium at a phone's
// size (390x844) and a laptop's (1280x800), in English and in Spanish:
// after each way of searching (a place picked from the box, a place typed
// and Enter, "Use my location", a "Did you mean" choice) the first result
// is on the screen without scrolling, and agrees with the API; an error
// shows next to the control that caused it; the keyboard reaches the first
// result in at most 10 Tab stops; several days can be chosen at once; the
// page in the system's dark scheme has no axe violation; and "Use my
// location" and Search search again after a failure.
//   BASE_URL=http://127.0.0.1:8091 node --test test_first_screen.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT, TEST_TIMEOUT_MS, ZONE, api, assertClean, axeViolations, isApi, launch, listed, openPage, screenshot, settled, visit,
} from './lib.mjs';

const T = { timeout: TEST_TIMEOUT_MS };
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };
const SIZES = [['phone', PHONE], ['laptop', LAPTOP]];
const LANGS = [['en', 'en-US'], ['es', 'es-MX']];
const CATALOG = {
  en: JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'en.json'), 'utf8')),
  es: JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'es.json'), 'utf8')),
};
const CITY = 'Chicago';
const CHICAGO = { latitude: 41.878114, longitude: -87.629798, accuracy: 10 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Where the first result and the page's scroll are.
async function firstResult(page) {
  return page.evaluate(() => {
    const item = document.querySelector('#results li.result');
    const r = item?.getBoundingClientRect();
    return r ? { top: r.top, bottom: r.bottom, height: window.innerHeight, scrollY: window.scrollY } : null;
  });
}

// The first result is wholly on the screen, and the page has not scrolled.
async function expectFirstResultOnScreen(page, what) {
  const first = await firstResult(page);
  assert.ok(first, `${what}: a result is listed`);
  assert.ok(first.top >= 0 && first.bottom <= first.height,
    `${what}: the first result spans ${Math.round(first.top)}..${Math.round(first.bottom)} px of ${first.height}`);
  assert.equal(first.scrollY, 0, `${what}: the page did not scroll`);
}

// The results on screen answer the meetings search the page sent last.
async function expectApiAnswer(page, seen, what) {
  const sent = seen.requests.filter((u) => isApi(u, 'meetings') && !new URL(u).searchParams.has('in_progress')).pop();
  const params = new URL(sent).searchParams;
  const body = await api(`meetings?${params}`);
  assert.deepEqual(await listed(page), body.meetings.map((m) => String(m.id)), `${what}: the list is the API's answer`);
  return body;
}

async function searched(page, action) {
  const [request] = await Promise.all([
    page.waitForRequest((r) => isApi(r.url(), 'meetings') && !new URL(r.url()).searchParams.has('in_progress')),
    action(),
  ]);
  await request.response();
  await settled(page);
  return new URL(request.url());
}

const WAYS = [
  ['a place picked from the box', async (page) => {
    await page.click('#place');
    const completed = page.waitForResponse((r) => isApi(r.url(), 'places') && new URL(r.url()).searchParams.get('q') === CITY);
    await page.keyboard.type(CITY);
    await completed;
    await page.waitForSelector('#place-options [role="option"]');
    return searched(page, async () => {
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
    });
  }],
  ['a place typed and Enter', async (page) => {
    await page.fill('#place', CITY);
    return searched(page, () => page.press('#place', 'Escape').then(() => page.press('#place', 'Enter')));
  }],
  ['"Use my location"', async (page) => searched(page, () => page.click('#locate'))],
  ['a "Did you mean" choice', async (page) => {
    await page.fill('#place', 'Chicagoo');
    await searched(page, () => page.press('#place', 'Escape').then(() => page.press('#place', 'Enter')));
    await page.waitForSelector('#error .suggestions button');
    return searched(page, () => page.click('#error .suggestions button'));
  }],
];

for (const [lang, locale] of LANGS) {
  for (const [size, viewport] of SIZES) {
    test(`${lang}, ${size}: after each way of searching the first result is on the first screen`, T, async (t) => {
      for (const [way, search] of WAYS) {
        const { context, page, seen } = await openPage(browser, t, {
          viewport, locale, geolocation: CHICAGO, permissions: ['geolocation'],
          ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}),
        });
        await visit(page, '/');
        await expectFirstResultOnScreen(page, `${way}: the home page`);
        const url = await search(page);
        assert.ok(url.searchParams.has('near') || url.searchParams.has('lat'), `${way}: a search near a place (${url})`);
        await expectFirstResultOnScreen(page, way);
        const body = await expectApiAnswer(page, seen, way);
        assert.match(await page.textContent('#result-count'), new RegExp(body.count.toLocaleString(locale)));
        if (way === '"Use my location"') await screenshot(page, `first-${size}-${lang}-located`);
        await assertClean(page, seen, { statuses: way.includes('Did you mean') ? [400] : [] });
        await context.close();
      }
    });
  }
}

test('an unknown place: the error and its suggestions are right under the place box, on screen', T, async (t) => {
  for (const [size, viewport] of SIZES) {
    const { page, seen } = await openPage(browser, t, { viewport });
    await visit(page, '/');
    await page.fill('#place', 'zzzzqqq');
    await searched(page, () => page.press('#place', 'Enter'));
    await page.waitForSelector('#error', { state: 'visible' });
    const where = await page.evaluate(() => {
      const place = document.getElementById('place').getBoundingClientRect();
      const error = document.getElementById('error').getBoundingClientRect();
      return { gap: error.top - place.bottom, bottom: error.bottom, height: window.innerHeight, scrollY: window.scrollY };
    });
    assert.ok(where.gap >= 0 && where.gap < 120, `${size}: the error is ${Math.round(where.gap)} px below the place box`);
    assert.ok(where.bottom <= where.height, `${size}: the error ends at ${Math.round(where.bottom)} of ${where.height}`);
    assert.equal(where.scrollY, 0);
    assert.ok((await page.textContent('#error')).startsWith(CATALOG.en.errors.unknownPlace));
    assert.ok(!/null|undefined/.test(await page.textContent('#error')), await page.textContent('#error'));
    assert.equal(await page.locator('#error p ul').count(), 0, 'the suggestions follow the sentence, not inside it');
    assert.equal(await page.getAttribute('#error', 'role'), 'alert');
    await screenshot(page, `first-${size}-unknown-place`);
    await assertClean(page, seen, { statuses: [400] });
  }
});

test('a refused location: the message is right under "Use my location", on screen', T, async (t) => {
  for (const [size, viewport] of SIZES) {
    const { page, seen } = await openPage(browser, t, { viewport });
    await visit(page, '/');
    await page.click('#locate');
    await page.waitForFunction((text) => document.getElementById('locate-status').textContent === text,
      CATALOG.en.errors.geoDenied);
    const where = await page.evaluate(() => {
      const button = document.getElementById('locate').getBoundingClientRect();
      const status = document.getElementById('locate-status').getBoundingClientRect();
      return { gap: status.top - button.bottom, bottom: status.bottom, height: window.innerHeight };
    });
    assert.ok(where.gap >= 0 && where.gap < 60, `${size}: the message is ${Math.round(where.gap)} px below the button`);
    assert.ok(where.bottom <= where.height);
    await assertClean(page, seen);
  }
});

// The skip link is the first stop; passed over, at most 10 more reach the
// first result: the crisis lines, the language, the tabs, the place, "Use
// my location", Search, Filters, Map.
test('the keyboard reaches the first result in at most 10 Tab stops, without the skip link', T, async (t) => {
  for (const [size, viewport] of SIZES) {
    const { page, seen } = await openPage(browser, t, { viewport });
    await visit(page, `/?near=${CITY}`);
    const first = await page.getAttribute('#results li.result a.open', 'href');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    const stops = [];
    for (let presses = 1; presses <= 10; presses++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        return { id: el.id, text: el.textContent.trim().slice(0, 30), first: el.matches('#results li.result a.open') };
      });
      stops.push(at.id || at.text);
      if (at.first) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement.matches('#results li.result a.open')), true,
      `${size}: 10 Tab stops reach ${stops.join(' > ')}, not the first result (${first})`);
    t.diagnostic(`${size}: ${stops.length} Tab stops: ${stops.join(' > ')}`);
    await assertClean(page, seen);
  }
});

test('several days at once: the API is asked for them all, and the list is its answer', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, `/?near=${CITY}`);
  await page.click('#filters-toggle');
  let url = await searched(page, () => page.check('#day-1'));
  url = await searched(page, () => page.check('#day-weekend'));
  assert.deepEqual(url.searchParams.get('day').split(',').sort(), ['0', '1', '6']);
  await expectApiAnswer(page, seen, 'Monday and the weekend');
  // Each day is a chip that removes it; the heading names them.
  const chips = await page.$$eval('#chips .chip:not(.clear-all)', (b) => b.map((x) => x.textContent));
  assert.equal(chips.length, 2, chips.join(', '));
  assert.ok(chips.includes(CATALOG.en.filters.weekend));
  assert.match(await page.textContent('#results-heading'), new RegExp(CATALOG.en.filters.weekend));
  url = await searched(page, () => page.click(`#chips .chip:text-is("${CATALOG.en.filters.weekend}")`));
  assert.equal(url.searchParams.get('day'), '1');
  await expectApiAnswer(page, seen, 'Monday');
  await assertClean(page, seen);
});

test('several times of day at once: one span, a gap taken in; an area from the facets', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, `/?near=${CITY}`);
  await page.click('#filters-toggle');
  let url = await searched(page, () => page.check('#time-evening'));
  url = await searched(page, () => page.check('#time-night'));
  assert.equal(url.searchParams.get('time'), 'evening,night');
  await expectApiAnswer(page, seen, 'evening and night');
  // Morning and evening leave a gap: midday is taken in, and shown.
  await visit(page, `/?near=${CITY}`);
  await page.click('#filters-toggle');
  await searched(page, () => page.check('#time-morning'));
  url = await searched(page, () => page.check('#time-evening'));
  assert.equal(url.searchParams.get('time'), 'morning,midday,evening');
  assert.equal(await page.isChecked('#time-midday'), true);
  await expectApiAnswer(page, seen, 'morning to evening');

  // The areas are the facets' (the demo's neighbourhoods near the city).
  const facets = await api(`meetings/facets?near=${CITY}&tz=${encodeURIComponent(ZONE)}`);
  const areas = Object.keys(facets.facets.region || {});
  assert.ok(areas.length > 0, 'the facets name areas near the city');
  await page.waitForFunction((n) => document.querySelectorAll('#region option').length > n - 1 && !document.getElementById('region-field').hidden,
    Math.min(areas.length, 2));
  const area = await page.$eval('#region option:nth-child(2)', (o) => o.value);
  url = await searched(page, () => page.selectOption('#region', area));
  assert.equal(url.searchParams.get('region'), area);
  const body = await expectApiAnswer(page, seen, `the area ${area}`);
  assert.ok(body.count > 0);
  await assertClean(page, seen);
});

test('rows fit at least 6 results on a laptop screen and 4 on a phone', T, async (t) => {
  // Near a city, nearest first: the same rows at any hour (the home page's
  // soonest-first rows change with the time of day, and with them their
  // heights).
  for (const [size, viewport, least] of [['phone', PHONE, 4], ['laptop', LAPTOP, 6]]) {
    for (const query of [`/?near=${CITY}`]) {
      const { page, seen } = await openPage(browser, t, { viewport });
      await visit(page, query);
      const shown = await page.evaluate(() => {
        const limit = window.innerHeight;
        return [...document.querySelectorAll('#results li.result')].filter((li) => li.getBoundingClientRect().bottom <= limit).length;
      });
      assert.ok(shown >= least, `${size} ${query}: ${shown} results wholly on the first screen, fewer than ${least}`);
      await assertClean(page, seen);
    }
  }
});

test('an answer the API refuses is worded by the page, in its language, never in the API\'s English', T, async (t) => {
  for (const [lang, locale] of LANGS) {
    const { page, seen, context } = await openPage(browser, t, { locale });
    await visit(page, `/?near=${CITY}`);
    const english = 'time must be morning, midday, evening, night or ranges such as 18:00-21:30';
    await context.route('**/api/v1/meetings?*', (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_parameter', param: 'time', message: english } }),
    }));
    await page.click('#search-button');
    await page.waitForSelector('#error', { state: 'visible' });
    const shown = await page.textContent('#error p');
    assert.equal(shown, CATALOG[lang].errors.invalidFilter.replace('{filter}', CATALOG[lang].filters.time));
    assert.ok(!shown.includes(english));
    await context.unroute('**/api/v1/meetings?*');
    await assertClean(page, seen, { statuses: [400] });
  }
});

test('a page whose first requests failed gets its lists with the next search, without a reload', T, async (t) => {
  const { page, seen, context } = await openPage(browser, t);
  await context.route('**/api/v1/fellowships', (route) => route.abort('connectionrefused'));
  await visit(page, `/?near=${CITY}`);
  assert.equal(await page.locator('input[name="fellowship"]').count(), 0, 'no fellowships to choose while the list is missing');
  await context.unroute('**/api/v1/fellowships');
  await searched(page, () => page.click('#search-button'));
  await page.waitForSelector('input[name="fellowship"]', { state: 'attached' });
  const { fellowships } = await api('fellowships');
  assert.equal(await page.locator('input[name="fellowship"]').count(), fellowships.length);
  await expectApiAnswer(page, seen, 'after the lists came back');
  seen.failedRequests.length = 0;
  seen.consoleErrors = seen.consoleErrors.filter((m) => !/ERR_CONNECTION_REFUSED/.test(m));
  await assertClean(page, seen);
});

test('the services tab without a place lists the support that reaches everyone in the browser\'s country', T, async (t) => {
  for (const [locale, country] of [['en-US', 'US'], ['es-MX', 'MX']]) {
    const { page, seen } = await openPage(browser, t, { locale });
    await visit(page, '/?tab=services');
    const sent = seen.requests.filter((u) => isApi(u, 'services')).map((u) => new URL(u)).pop();
    assert.ok(sent, `${locale}: a services search`);
    assert.equal(sent.searchParams.get('scope'), 'national');
    assert.equal(sent.searchParams.get('country'), country);
    const body = await api(`services?${sent.searchParams}`);
    assert.deepEqual(await listed(page), body.services.map((x) => x.id), `${locale}: the API's answer`);
    assert.ok(body.services.length > 0, `${locale}: the demo has national services`);
    assert.equal(await page.textContent('#results-heading'), CATALOG[locale.slice(0, 2)].results.everywhere);
    await assertClean(page, seen);
  }
});

test('in the dark scheme the page, the filters and a detail have no axe violation', T, async (t) => {
  for (const [size, viewport] of SIZES) {
    const { page, seen } = await openPage(browser, t, { viewport, colorScheme: 'dark' });
    await visit(page, `/?near=${CITY}`);
    assert.deepEqual(await axeViolations(page), [], `${size}: results`);
    await screenshot(page, `${size}-results-dark`);
    await page.click('#filters-toggle');
    assert.deepEqual(await axeViolations(page), [], `${size}: filters`);
    await page.keyboard.press('Escape');
    if (await page.isVisible('#filters')) await page.click('#filters-toggle');
    await page.click('#results li.result a.open');
    await page.waitForSelector('#detail-heading');
    assert.deepEqual(await axeViolations(page), [], `${size}: detail`);
    await assertClean(page, seen);
  }
});

test('the visitor\'s zone is the one times are asked in', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  const url = await searched(page, () => visit(page, `/?near=${CITY}&sort=next`));
  assert.equal(url.searchParams.get('tz'), ZONE);
  // Soonest first: grouped by day under headings, the first group today's
  // or a note that nothing is left today.
  const heads = await page.$$eval('#results .day-head', (h) => h.map((x) => x.textContent));
  assert.ok(heads.length >= 1, 'day headings');
  const today = CATALOG.en.time.today;
  if (heads[0] !== today) assert.equal(await page.isVisible('#today-note'), true, 'nothing left today is said');
  await assertClean(page, seen);
});
