// Accessibility of the finder (WCAG 2.2 AA) in a real headless Chromium,
// against a running stack:
//   cd tests/browser && BASE_URL=http://127.0.0.1:8080 node --test test_access.mjs
// axe-core finds nothing on any view, at desktop and phone size; the page
// works from the keyboard alone, in English and in Spanish; the tabs and the
// place box follow the ARIA patterns; new results and errors are announced;
// nothing scrolls sideways at 320 px or at 200% zoom; every control shows
// where the focus is. What a view must show is asked of the API (lib.mjs
// api()), never written here. Screenshots of the main views are saved for
// review (SCREENSHOT_DIR, else var/screenshots).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  BASE_URL, DESKTOP, PHONE, SCREENSHOT_DIR, TEST_TIMEOUT_MS, ZONE, api, assertClean, axeViolations,
  focusIndicator, focused, isApi, isJoinLabel, launch, listed, openPage, screenshot, settled, solidPng, tabTo, visit, widths,
} from './lib.mjs';

const TILE_ORIGIN = 'https://tile.openstreetmap.org';
const TILE = solidPng(256, 256);
const SIZES = [['desktop', DESKTOP], ['phone', PHONE]];
const NARROW = { viewport: { width: 320, height: 640 } };
// A 1280x800 window at 200%: 640x400 CSS pixels, each two device pixels.
const ZOOMED = { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 };
// A place the demo data has meetings and services near.
const CITY = 'Chicago';
const SERVICES_CITY = 'Kansas City, MO';

let browser;
const catalogs = {};

before(async () => {
  browser = await launch();
  for (const code of ['en', 'es']) {
    const response = await fetch(`${BASE_URL}/i18n/${code}.json`);
    assert.equal(response.status, 200, `/i18n/${code}.json`);
    catalogs[code] = await response.json();
  }
});

after(async () => {
  await browser?.close();
});

// ---- what the page should say, from its own catalogs ----

// The catalog's string for key, as web/js/i18n.js t() makes it (plurals by
// count, {name} replaced, numbers formatted for the language).
function words(lang, key, vars = {}) {
  let value = key.split('.').reduce((v, part) => (v && typeof v === 'object' ? v[part] : undefined), catalogs[lang]);
  if (value !== null && typeof value === 'object') {
    const n = Number(vars.count);
    value = (n === 0 && value.zero) || value[new Intl.PluralRules(lang).select(n)] || value.other;
  }
  assert.equal(typeof value, 'string', `${lang}.json has no string ${key}`);
  const numbers = new Intl.NumberFormat(lang);
  return value.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in vars)) return whole;
    return typeof vars[name] === 'number' ? numbers.format(vars[name]) : String(vars[name]);
  });
}

function countText(lang, kind, answer) {
  const items = kind === 'services' ? answer.services : answer.meetings;
  if (answer.count === 0) return words(lang, `results.none.${kind}`);
  if (items.length >= answer.count) return words(lang, `results.found.${kind}`, { count: answer.count });
  return words(lang, `results.count.${kind}`, { count: answer.count, shown: items.length });
}

// ---- what the page should show, from the API ----

const query = (params) => new URLSearchParams(params).toString();
const ids = (items) => items.map((item) => String(item.id));

// The searches the page sends (web/js/state.js: meetingParams, serviceParams).
const meetingsNear = (near, extra = {}) => api(`meetings?${query({ near, tz: ZONE, limit: 25, ...extra })}`);
const onlineMeetings = (extra = {}) => api(`meetings?${query({ tz: ZONE, attendance: 'online,hybrid', limit: 25, ...extra })}`);

// Opens a list of online meetings (open() resolves to the page or frame
// that shows it) and checks that it is the API's. That list is by next
// start, so a meeting that starts while the page loads moves to the end:
// the page must agree with the API asked just before or just after.
// Returns the answer it agrees with.
async function expectOnlineListed(open, extra = {}) {
  const before = await onlineMeetings(extra);
  const shown = await listed(await open());
  const after = await onlineMeetings(extra);
  const answer = [before, after].find((a) => isDeepStrictEqual(ids(a.meetings), shown));
  assert.ok(answer, `the page lists ${shown.join(',')}; the API ${ids(after.meetings).join(',')}`);
  return answer;
}
const servicesNear = (near) => api(`services?${query({ near, limit: 25 })}`);

// The first meeting near the city that has a place (and so directions).
async function meetingWithPlace() {
  const answer = await meetingsNear(CITY);
  const meeting = answer.meetings.find((m) => m.attendance !== 'online' && typeof m.location?.lat === 'number');
  assert.ok(meeting, `no meeting near ${CITY} with a place on the API's first page`);
  return meeting;
}

// An online meeting with a link to join, as the API lists them.
async function meetingWithJoinLink() {
  const answer = await api(`meetings?${query({ attendance: 'online', tz: ZONE, limit: 100 })}`);
  const meeting = answer.meetings.find((m) => m.conference_url);
  assert.ok(meeting, 'the API lists no online meeting with a conference_url');
  return meeting;
}

async function serviceWithPhone(near = SERVICES_CITY) {
  const answer = await servicesNear(near);
  const service = answer.services.find((s) => s.phone);
  assert.ok(service, `no service near ${near} with a phone on the API's first page`);
  return service;
}

// ---- page helpers ----

const attr = (page, selector, name) => page.getAttribute(selector, name);
const activeId = (page) => page.evaluate(() => document.activeElement?.id || null);
const resultLink = (kind, id) => `#results a.open[data-kind="${kind}"][data-id="${id}"]`;

async function expectFocusVisible(page, what) {
  const indicator = await focusIndicator(page);
  assert.ok(indicator.visible, `${what} (${await focused(page)}) shows no focus: outline ${indicator.outline}, `
    + `box-shadow ${indicator.boxShadow}`);
}

// Waits for a detail whose heading reads name, with the focus on it.
async function detailFocused(page, name) {
  await page.waitForFunction((want) => {
    const heading = document.getElementById('detail-heading');
    return heading?.textContent === want && document.activeElement === heading;
  }, name).catch(async () => {
    assert.fail(`the detail heading "${name}" did not get the focus; focus is on ${await focused(page)}`);
  });
}

// Opens a detail by its URL and waits for it (and the search behind it).
async function visitDetail(page, pathAndQuery, name) {
  await visit(page, pathAndQuery);
  await detailFocused(page, name);
  assert.equal(await page.isHidden('#results-section'), true, 'the results are hidden behind the detail');
}

// The choices the facets disable (count 0) are disabled on the page.
const FACET_BOXES = {
  meetings: { attendance: 'attendance', fellowship: 'fellowship', type: 'type' },
  services: { category: 'category', population: 'population', cost: 'cost' },
};

async function facetsShown(page, tab, facets) {
  await page.waitForFunction(([boxes, found]) => Object.entries(boxes).every(([name, facet]) => [
    ...document.querySelectorAll(`input[name="${name}"]`)].every((input) => input.disabled
    === !(((found[facet] || {})[input.value] || 0) > 0 || input.checked))), [FACET_BOXES[tab], facets]);
}

// Opens the filters (the Filters button, as a visitor would) and waits for
// the facets of the search near CITY on tab.
async function openFilters(page, tab) {
  if (await page.isHidden('#filters')) await page.click('#filters-toggle');
  assert.equal(await page.isVisible('#filters'), true);
  assert.equal(await attr(page, '#filters-toggle', 'aria-expanded'), 'true');
  const panel = tab === 'services' ? '#service-filters' : '#meeting-filters';
  assert.equal(await page.isVisible(panel), true, `${panel} is shown`);
  const facets = tab === 'services'
    ? await api(`services/facets?${query({ near: CITY })}`)
    : await api(`meetings/facets?${query({ near: CITY, tz: ZONE })}`);
  await facetsShown(page, tab, facets.facets);
}

// ---- 1. axe-core on every view, at desktop and phone size ----

// Each view: open(page, context, seen) brings it on screen and checks that
// it is the view meant; shot names its screenshots (desktop-<shot>,
// phone-<shot>); allowed lists the other origins it may ask.
const VIEWS = [
  {
    title: 'home (no place: online meetings)',
    shot: 'home',
    async open(page) {
      await expectOnlineListed(async () => visit(page, '/').then(() => page));
      assert.equal(await page.textContent('#results-heading'), words('en', 'results.online'));
      assert.equal(await page.isVisible('#place-hint'), true);
    },
  },
  {
    title: `results near a place (near=${CITY})`,
    shot: 'results',
    async open(page) {
      await visit(page, `/?${query({ near: CITY })}`);
      const answer = await meetingsNear(CITY);
      assert.equal(await page.textContent('#results-heading'), words('en', 'results.meetingsNear', { place: answer.near.label }));
      assert.equal(await page.textContent('#result-count'), countText('en', 'meetings', answer));
      assert.deepEqual(await listed(page), ids(answer.meetings));
    },
  },
  {
    title: 'filters open, Meetings tab',
    shot: 'filters',
    async open(page) {
      await visit(page, `/?${query({ near: CITY })}`);
      await openFilters(page, 'meetings');
    },
  },
  {
    title: 'filters open, Services tab',
    shot: 'filters-services',
    async open(page) {
      await visit(page, `/?${query({ near: CITY, tab: 'services' })}`);
      await openFilters(page, 'services');
    },
  },
  {
    title: `the Services tab with results (near=${SERVICES_CITY})`,
    shot: 'services',
    async open(page) {
      await visit(page, `/?${query({ near: SERVICES_CITY, tab: 'services' })}`);
      const answer = await servicesNear(SERVICES_CITY);
      assert.ok(answer.services.length > 0, `the API has services near ${SERVICES_CITY}`);
      assert.equal(await page.textContent('#results-heading'), words('en', 'results.servicesNear', { place: answer.near.label }));
      assert.deepEqual(await listed(page), ids(answer.services));
    },
  },
  {
    title: 'a meeting detail',
    shot: 'detail-meeting',
    async open(page) {
      const meeting = await meetingWithPlace();
      await visitDetail(page, `/?${query({ near: CITY, meeting: meeting.id })}`, meeting.name);
    },
  },
  {
    title: "an online meeting's detail",
    shot: 'detail-online',
    async open(page) {
      const meeting = await meetingWithJoinLink();
      await visitDetail(page, `/?${query({ meeting: meeting.id })}`, meeting.name);
      const join = page.locator('#detail .join a.primary');
      assert.equal(await join.getAttribute('href'), new URL(meeting.conference_url).href);
      assert.ok(isJoinLabel(catalogs.en, meeting.conference_url, await join.textContent()), await join.textContent());
    },
  },
  {
    title: 'a service detail',
    shot: 'detail-service',
    async open(page) {
      const service = await serviceWithPhone();
      await visitDetail(page, `/?${query({ service: service.id })}`, service.name);
      assert.ok(await page.locator('#detail a[href^="tel:"]').count() > 0, 'the detail has a Call link');
    },
  },
  {
    title: 'the report form opened, and sent empty',
    shot: 'report',
    async open(page) {
      const meeting = await meetingWithPlace();
      await visitDetail(page, `/?${query({ near: CITY, meeting: meeting.id })}`, meeting.name);
      await page.click('details.report > summary');
      assert.equal(await page.$eval('details.report', (details) => details.open), true);
      await page.click('details.report button[type="submit"]');
      await page.waitForFunction((text) => document.querySelector('.report-form .status')?.textContent === text,
        words('en', 'report.empty'));
      assert.equal(await attr(page, '.report-form textarea', 'aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
    },
  },
  {
    title: 'the map view (view=map)',
    shot: 'map',
    allowed: [TILE_ORIGIN],
    async open(page, context, seen) {
      await context.route(`${TILE_ORIGIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: TILE }));
      await visit(page, `/?${query({ near: CITY, view: 'map' })}`);
      const answer = await meetingsNear(CITY);
      const mapped = answer.meetings.filter((m) => m.attendance !== 'online' && typeof m.location?.lat === 'number');
      assert.ok(mapped.length > 0);
      // One marker a place, or fewer where markers would overlap
      // (test_page.mjs checks that every result is in one popup).
      const places = new Set(mapped.map((m) => `${m.location.lat},${m.location.lng}`));
      await page.waitForFunction((n) => {
        const markers = document.querySelectorAll('#map .leaflet-marker-icon').length;
        return markers >= 1 && markers <= n && document.querySelectorAll('#map img.leaflet-tile-loaded').length > 0;
      }, places.size);
      assert.ok(seen.requests.some((url) => url.startsWith(`${TILE_ORIGIN}/`)), 'map tiles were asked for');
      const unmapped = answer.meetings.length - mapped.length;
      const note = [words('en', 'map.shown', { count: mapped.length, total: answer.count }),
        unmapped ? words('en', 'map.unmapped', { count: unmapped }) : ''].filter(Boolean).join(' ');
      assert.equal(await page.textContent('#map-note'), note);
    },
  },
  {
    title: 'results in Spanish (lang=es)',
    shot: 'results-es',
    async open(page) {
      await visit(page, `/?${query({ near: CITY, lang: 'es' })}`);
      const answer = await meetingsNear(CITY);
      assert.equal(await page.getAttribute('html', 'lang'), 'es');
      assert.equal(await page.textContent('#results-heading'), words('es', 'results.meetingsNear', { place: answer.near.label }));
      assert.equal(await page.textContent('#result-count'), countText('es', 'meetings', answer));
      assert.equal(await page.textContent('#tab-services'), words('es', 'tabs.services'));
      assert.deepEqual(await listed(page), ids(answer.meetings));
    },
  },
  {
    title: 'the partners page (/partners.html) and its preview',
    shot: 'partners',
    async open(page) {
      let frame;
      await expectOnlineListed(async () => {
        const response = await page.goto(`${BASE_URL}/partners.html`);
        assert.equal(response.status(), 200);
        frame = await (await page.waitForSelector('#preview iframe')).contentFrame();
        await frame.waitForLoadState();
        await settled(frame);
        return frame;
      });
      const { fellowships } = await api('fellowships');
      await page.waitForFunction((n) => document.querySelectorAll('#p-fellowship input[type="checkbox"]').length === n,
        fellowships.length);
      // axe reaches into a frame only where it is loaded: this loads it in
      // the preview, whose violations the page's own run then reports
      // (as "iframe <target>").
      await axeViolations(page, frame);
    },
  },
  {
    title: 'the embedded finder (/embed?for=family)',
    shot: 'embed',
    async open(page) {
      await expectOnlineListed(async () => visit(page, '/embed?for=family').then(() => page), { for: 'family' });
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('embed')), true);
    },
  },
];

for (const view of VIEWS) {
  test(`axe finds no violation: ${view.title}, desktop and phone`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const violations = {};
    for (const [size, viewport] of SIZES) {
      const { context, page, seen } = await openPage(browser, t, { viewport });
      await view.open(page, context, seen);
      violations[size] = await axeViolations(page);
      await screenshot(page, `${size}-${view.shot}`, { fullPage: /^detail|partners/.test(view.shot) });
      assert.ok(statSync(path.join(SCREENSHOT_DIR, `${size}-${view.shot}.png`)).size > 0);
      await assertClean(page, seen, { allowed: view.allowed || [] });
    }
    assert.deepEqual(violations, { desktop: [], phone: [] }, `axe violations: ${view.title}`);
  });
}

// ---- 2. the keyboard alone, in English and in Spanish ----

const KEYBOARD_RUNS = [['en', 'desktop', DESKTOP], ['es', 'phone', PHONE]];

for (const [lang, size, viewport] of KEYBOARD_RUNS) {
  const home = lang === 'en' ? '/' : '/?lang=es';

  test(`keyboard only (${lang}, ${size}): pick ${CITY} in the place box, open a meeting, its directions, back; `
    + 'an online meeting\'s Join link', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t, { viewport });
    await visit(page, home);
    assert.equal(await page.getAttribute('html', 'lang'), lang);

    await tabTo(page, '#place', { max: 10 });
    await expectFocusVisible(page, 'the place box');
    const places = (await api(`places?${query({ q: CITY })}`)).places;
    assert.ok(places.length > 0, `the API completes "${CITY}"`);
    const completed = page.waitForResponse((r) => isApi(r.url(), 'places') && new URL(r.url()).searchParams.get('q') === CITY);
    await page.keyboard.type(CITY);
    await completed;
    await page.waitForFunction((labels) => {
      const options = [...document.querySelectorAll('#place-options [role="option"]')];
      return document.getElementById('place').getAttribute('aria-expanded') === 'true'
        && options.length === labels.length && options.every((o, i) => o.textContent === labels[i]);
    }, places.map((p) => p.label));
    assert.equal(await attr(page, '#place', 'aria-activedescendant'), null, 'no option is active before an arrow key');
    await page.keyboard.press('ArrowDown');
    const active = await attr(page, '#place', 'aria-activedescendant');
    assert.ok(active, 'ArrowDown sets aria-activedescendant');
    assert.equal(await page.textContent(`#${active}`), places[0].label);
    assert.equal(await attr(page, `#${active}`, 'aria-selected'), 'true');
    assert.equal(await activeId(page), 'place', 'the focus stays in the box');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('near') === places[0].label);
    await settled(page);
    assert.equal(await attr(page, '#place', 'aria-expanded'), 'false');
    assert.equal(await attr(page, '#place', 'aria-activedescendant'), null);
    assert.equal(await page.isHidden('#place-options'), true);
    assert.equal(await page.inputValue('#place'), places[0].label);

    const answer = await meetingsNear(places[0].label);
    assert.equal(await page.textContent('#results-heading'), words(lang, 'results.meetingsNear', { place: answer.near.label }));
    assert.deepEqual(await listed(page), ids(answer.meetings));
    const meeting = answer.meetings.find((m) => m.attendance !== 'online' && typeof m.location?.lat === 'number');
    assert.ok(meeting, 'a meeting with a place among the results');

    const link = resultLink('meeting', meeting.id);
    await tabTo(page, link);
    await expectFocusVisible(page, 'the result link');
    await page.keyboard.press('Enter');
    await detailFocused(page, meeting.name);
    // On a computer, Directions offers the map sites (a phone opens its maps app).
    await tabTo(page, '#detail button', { text: words(lang, 'detail.directions') });
    await expectFocusVisible(page, 'the Directions button');
    await page.keyboard.press('Enter');
    assert.equal(await attr(page, '#detail button[aria-expanded]', 'aria-expanded'), 'true');
    await tabTo(page, '#detail .maps-choice a', { text: 'OpenStreetMap' });
    await expectFocusVisible(page, 'the OpenStreetMap link');
    const directions = new URL(await page.evaluate(() => document.activeElement.href));
    assert.equal(directions.protocol, 'https:');
    assert.ok(directions.href.includes(String(meeting.location.lat)) && directions.href.includes(String(meeting.location.lng)),
      `the directions lead to the meeting's place: ${directions.href}`);
    await tabTo(page, '#detail button.back', { shift: true });
    await expectFocusVisible(page, 'the Back button');
    await page.keyboard.press('Enter');
    await page.waitForFunction((selector) => document.activeElement?.matches(selector), link).catch(async () => {
      assert.fail(`Back did not return the focus to ${link}; it is on ${await focused(page)}`);
    });
    assert.equal(await page.isHidden('#detail'), true);
    assert.equal(new URL(page.url()).searchParams.get('meeting'), null);
    await expectFocusVisible(page, 'the result link after Back');

    // An online meeting from the home page's list: its detail's Join link.
    const online = (await expectOnlineListed(async () => visit(page, home).then(() => page)))
      .meetings.find((m) => m.conference_url);
    assert.ok(online, 'an online meeting with a link on the home page');
    const onlineLink = resultLink('meeting', online.id);
    await tabTo(page, onlineLink);
    await page.keyboard.press('Enter');
    await detailFocused(page, online.name);
    await tabTo(page, '#detail .join a.primary');
    assert.ok(isJoinLabel(catalogs[lang], online.conference_url, await page.evaluate(() => document.activeElement.textContent)));
    await expectFocusVisible(page, 'the Join link');
    assert.equal(await page.evaluate(() => document.activeElement.href), new URL(online.conference_url).href);
    await tabTo(page, '#detail button.back', { shift: true });
    await page.keyboard.press('Enter');
    await page.waitForFunction((selector) => document.activeElement?.matches(selector), onlineLink).catch(async () => {
      assert.fail(`Back did not return the focus to ${onlineLink}; it is on ${await focused(page)}`);
    });
    await assertClean(page, seen);
  });

  test(`keyboard only (${lang}, ${size}): the Services tab by arrow key, a service, its Call link, back`,
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const { page, seen } = await openPage(browser, t, { viewport });
      await visit(page, `/?${query({ near: CITY, ...(lang === 'en' ? {} : { lang }) })}`);
      await tabTo(page, '[role="tab"]', { max: 10 });
      assert.equal(await activeId(page), 'tab-meetings', 'Tab lands on the selected tab');
      await expectFocusVisible(page, 'the Meetings tab');
      await page.keyboard.press('ArrowRight');
      await page.waitForURL((url) => url.searchParams.get('tab') === 'services');
      await settled(page);
      assert.equal(await activeId(page), 'tab-services');
      assert.equal(await attr(page, '#tab-services', 'aria-selected'), 'true');
      await expectFocusVisible(page, 'the Services tab');

      const answer = await servicesNear(CITY);
      assert.equal(await page.textContent('#results-heading'), words(lang, 'results.servicesNear', { place: answer.near.label }));
      assert.deepEqual(await listed(page), ids(answer.services));
      const service = answer.services.find((s) => s.phone);
      assert.ok(service, `a service with a phone near ${CITY}`);
      const link = resultLink('service', service.id);
      await tabTo(page, link);
      await expectFocusVisible(page, 'the result link');
      await page.keyboard.press('Enter');
      await detailFocused(page, service.name);
      await tabTo(page, '#detail a[href^="tel:"]');
      await expectFocusVisible(page, 'the Call link');
      const detail = await api(`services/${service.id}`);
      const numbers = [...(detail.phones || []), ...(detail.locations || []).flatMap((l) => l.phones || [])]
        .map((p) => p.number.replace(/[^0-9+]/g, ''));
      const dialled = (await page.evaluate(() => document.activeElement.href)).replace(/^tel:/, '').replace(/[^0-9+]/g, '');
      assert.ok(numbers.includes(dialled), `the Call link dials one of the service's numbers (${dialled})`);
      await tabTo(page, '#detail button.back', { shift: true });
      await page.keyboard.press('Enter');
      await page.waitForFunction((selector) => document.activeElement?.matches(selector), link).catch(async () => {
        assert.fail(`Back did not return the focus to ${link}; it is on ${await focused(page)}`);
      });
      assert.equal(await page.isHidden('#detail'), true);
      await assertClean(page, seen);
    });
}

test('keyboard only: "Show more" moves the focus to the first new result, and the count follows',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t);
    await visit(page, `/?${query({ near: CITY })}`);
    const first = await meetingsNear(CITY);
    const next = await meetingsNear(CITY, { offset: first.meetings.length });
    assert.ok(next.meetings.length > 0, `the API has more than one page of meetings near ${CITY}`);
    await tabTo(page, '#more');
    await expectFocusVisible(page, 'Show more');
    await page.keyboard.press('Enter');
    const link = resultLink('meeting', next.meetings[0].id);
    await page.waitForFunction((selector) => document.activeElement?.matches(selector), link).catch(async () => {
      assert.fail(`after "Show more" the focus is on ${await focused(page)}, not ${link}`);
    });
    await settled(page);
    assert.deepEqual(await listed(page), ids([...first.meetings, ...next.meetings]));
    assert.equal(await page.textContent('#result-count'),
      words('en', 'results.count.meetings', { count: first.count, shown: first.meetings.length + next.meetings.length }));
    await expectFocusVisible(page, 'the first new result');
    await assertClean(page, seen);
  });

test('keyboard only: the language switcher keeps the focus and changes the language of the page',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t);
    await visit(page, `/?${query({ near: CITY })}`);
    await tabTo(page, '#ui-lang', { max: 10 });
    await expectFocusVisible(page, 'the language switcher');
    assert.equal(await page.$eval('#ui-lang', (select) => select.labels.length), 1, 'the switcher has a label');
    const spanish = await page.$eval('#ui-lang', (select) => [...select.options].findIndex((o) => o.value === 'es'));
    const current = await page.$eval('#ui-lang', (select) => select.selectedIndex);
    assert.ok(spanish >= 0, 'Spanish is offered');
    // A closed select takes arrow keys: each one chooses the next option.
    for (let i = current; i !== spanish; i += Math.sign(spanish - current)) {
      await page.keyboard.press(spanish > current ? 'ArrowDown' : 'ArrowUp');
    }
    await page.waitForURL((url) => url.searchParams.get('lang') === 'es');
    // The catalog loads, then the search runs again in Spanish.
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await settled(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.equal(await activeId(page), 'ui-lang', 'the focus stays on the switcher');
    const answer = await meetingsNear(CITY);
    assert.equal(await page.textContent('#results-heading'), words('es', 'results.meetingsNear', { place: answer.near.label }));
    assert.equal(await page.textContent('#result-count'), countText('es', 'meetings', answer));
    assert.equal(await page.textContent('label[for="place"]'), words('es', 'search.place'));
    assert.equal(await attr(page, '#tabs', 'aria-label'), words('es', 'tabs.label'));
    assert.equal(await attr(page, '#place-options', 'aria-label'), words('es', 'search.places'));
    await assertClean(page, seen);
  });

// ---- 3. the ARIA patterns: tabs, combobox ----

async function tabsState(page) {
  return page.$$eval('#tabs [role="tab"]', (tabs) => tabs.map((tab) => ({
    id: tab.id,
    selected: tab.getAttribute('aria-selected'),
    tabindex: tab.getAttribute('tabindex') ?? '0',
    panelNamed: document.getElementById(tab.getAttribute('aria-controls')).getAttribute('aria-labelledby') === tab.id,
  })));
}

function expectTab(state, selected) {
  assert.deepEqual(state, ['tab-meetings', 'tab-services'].map((id) => ({
    id, selected: String(id === selected), tabindex: id === selected ? '0' : '-1', panelNamed: id === selected,
  })));
}

test('the tabs follow the ARIA tabs pattern: arrows, Home and End move and select, one tab stop',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t);
    await visit(page, `/?${query({ near: CITY })}`);
    assert.equal(await attr(page, '#tabs', 'role'), 'tablist');
    assert.ok(await attr(page, '#tabs', 'aria-label'), 'the tablist has a name');
    // Both tabs show their results in one panel, named by the tab selected.
    for (const tab of ['tab-meetings', 'tab-services']) {
      const panel = await attr(page, `#${tab}`, 'aria-controls');
      assert.equal(await attr(page, `#${panel}`, 'role'), 'tabpanel');
    }
    assert.equal(await attr(page, '#results-section', 'aria-labelledby'), 'tab-meetings');
    const label = { 'tab-meetings': 'results.meetingsNear', 'tab-services': 'results.servicesNear' };
    const near = (await meetingsNear(CITY)).near.label;
    await tabTo(page, '[role="tab"]', { max: 10 });
    assert.equal(await activeId(page), 'tab-meetings');
    expectTab(await tabsState(page), 'tab-meetings');
    for (const [key, want] of [['ArrowRight', 'tab-services'], ['ArrowLeft', 'tab-meetings'], ['ArrowLeft', 'tab-services'],
      ['ArrowRight', 'tab-meetings'], ['End', 'tab-services'], ['Home', 'tab-meetings']]) {
      await page.keyboard.press(key);
      await page.waitForURL((url) => (url.searchParams.get('tab') || 'meetings') === want.slice(4));
      await settled(page);
      assert.equal(await activeId(page), want, `${key} moves the focus to ${want}`);
      expectTab(await tabsState(page), want);
      assert.equal(await page.textContent('#results-heading'), words('en', label[want], { place: near }));
    }
    // One tab stop: Tab leaves the tablist, Shift+Tab comes back to the selected tab.
    await page.keyboard.press('End');
    await settled(page);
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement.getAttribute('role')), 'tab', 'Tab leaves the tablist');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await activeId(page), 'tab-services');
    await assertClean(page, seen);
  });

test('the place box follows the ARIA 1.2 combobox pattern: arrows, Escape, Tab close',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t);
    await visit(page, '/');
    const listbox = await attr(page, '#place', 'aria-controls');
    assert.equal(await attr(page, '#place', 'role'), 'combobox');
    assert.equal(await attr(page, '#place', 'aria-autocomplete'), 'list');
    assert.equal(await attr(page, `#${listbox}`, 'role'), 'listbox');
    assert.equal(await attr(page, '#place', 'aria-expanded'), 'false');
    assert.equal(await page.isHidden(`#${listbox}`), true);

    const typed = SERVICES_CITY.split(',')[0];
    const places = (await api(`places?${query({ q: typed })}`)).places.map((p) => p.label);
    assert.ok(places.length >= 2, `the API completes "${typed}" with several places`);
    await tabTo(page, '#place', { max: 10 });
    const completed = page.waitForResponse((r) => isApi(r.url(), 'places') && new URL(r.url()).searchParams.get('q') === typed);
    await page.keyboard.type(typed);
    await completed;
    await page.waitForFunction(([id, labels]) => {
      const options = [...document.querySelectorAll(`#${id} [role="option"]`)];
      return !document.getElementById(id).hidden && options.length === labels.length
        && options.every((o, i) => o.textContent === labels[i] && o.id);
    }, [listbox, places]);
    assert.equal(await attr(page, '#place', 'aria-expanded'), 'true');

    const activeOption = async () => {
      const id = await attr(page, '#place', 'aria-activedescendant');
      if (await page.isVisible(`#${listbox}`)) {
        const selected = await page.$$eval(`#${listbox} [role="option"][aria-selected="true"]`, (os) => os.map((o) => o.id));
        assert.deepEqual(selected, id ? [id] : [], 'only the active option is aria-selected');
      }
      assert.equal(await activeId(page), 'place', 'the focus stays in the box');
      return id ? page.textContent(`#${id}`) : null;
    };
    assert.equal(await activeOption(), null);
    for (const [key, index] of [['ArrowDown', 0], ['ArrowDown', 1], ['ArrowUp', 0], ['ArrowUp', places.length - 1],
      ['ArrowDown', 0]]) {
      await page.keyboard.press(key);
      assert.equal(await activeOption(), places[index], `${key} makes option ${index} active`);
    }
    await page.keyboard.press('Escape');
    assert.equal(await attr(page, '#place', 'aria-expanded'), 'false', 'Escape closes the list');
    assert.equal(await page.isHidden(`#${listbox}`), true);
    assert.equal(await activeOption(), null);
    assert.equal(await page.inputValue('#place'), typed, 'Escape keeps what was typed');
    assert.equal(new URL(page.url()).search, '', 'Escape searches nothing');

    // Typing again opens the list again; Tab away closes it.
    const again = `${typed} `;
    const reopened = page.waitForResponse((r) => isApi(r.url(), 'places'));
    await page.keyboard.type(' ');
    await reopened;
    await page.waitForFunction((id) => !document.getElementById(id).hidden, listbox);
    assert.equal(await attr(page, '#place', 'aria-expanded'), 'true');
    assert.equal(await page.inputValue('#place'), again);
    await page.keyboard.press('Tab');
    await page.waitForFunction((id) => document.getElementById(id).hidden
      && document.getElementById('place').getAttribute('aria-expanded') === 'false', listbox);
    await assertClean(page, seen);
  });

// ---- 4. announcements: the result count and the error alert ----

test('#result-count is a status region whose text follows a filter change', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, `/?${query({ near: CITY })}`);
  assert.equal(await attr(page, '#result-count', 'role'), 'status');
  const all = await meetingsNear(CITY);
  const sundays = await meetingsNear(CITY, { day: '0' });
  assert.notEqual(sundays.count, all.count, 'the data has meetings near the city on other days than Sunday');
  const before = await page.textContent('#result-count');
  assert.equal(before, countText('en', 'meetings', all));
  // The region must be the same node after the change, or nothing is announced.
  await page.evaluate(() => { window.__countRegion = document.getElementById('result-count'); });
  assert.equal(await page.isHidden('#filters'), true, 'the filters start closed');
  await openFilters(page, 'meetings');
  await page.check('#day-0');
  await page.waitForURL((url) => url.searchParams.get('day') === '0');
  await settled(page);
  const after = await page.textContent('#result-count');
  assert.notEqual(after, before);
  assert.equal(after, countText('en', 'meetings', sundays));
  assert.deepEqual(await listed(page), ids(sundays.meetings));
  assert.equal(await page.evaluate(() => window.__countRegion === document.getElementById('result-count')
    && window.__countRegion.isConnected && window.__countRegion.getAttribute('role') === 'status'), true,
  'the status region was kept, not replaced');
  await assertClean(page, seen);
});

test('an unknown place is shown in #error, a role=alert region (near=zzzzqqq: 400 unknown_place)',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const response = await fetch(`${BASE_URL}/api/v1/meetings?${query({ near: 'zzzzqqq', tz: ZONE })}`);
    const body = await response.json();
    assert.equal(response.status, 400);
    assert.equal(body.error.code, 'unknown_place');
    const suggestions = (body.error.suggestions || []).slice(0, 5).map((s) => s.label || String(s));
    const message = words('en', 'errors.unknownPlace');

    const { page, seen } = await openPage(browser, t);
    assert.equal((await page.goto(`${BASE_URL}/?near=zzzzqqq`)).status(), 200);
    await page.waitForSelector('#error', { state: 'visible' });
    assert.equal(await attr(page, '#error', 'role'), 'alert');
    assert.ok((await page.textContent('#error')).startsWith(message), 'the alert says the place is unknown');
    assert.deepEqual(await page.$$eval('#error button', (buttons) => buttons.map((b) => b.textContent)), suggestions);
    assert.equal(await page.textContent('#result-count'), '', 'no stale count beside the error');
    assert.deepEqual(await listed(page), []);

    // The same from the keyboard: the alert region is in the page before the
    // error, and the error then fills it.
    await visit(page, '/');
    assert.equal(await page.isHidden('#error'), true);
    await page.evaluate(() => { window.__alertRegion = document.getElementById('error'); });
    await tabTo(page, '#place', { max: 10 });
    await page.keyboard.type('zzzzqqq');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#error', { state: 'visible' });
    assert.equal(await page.evaluate(() => window.__alertRegion === document.getElementById('error')
      && window.__alertRegion.getAttribute('role') === 'alert'), true);
    assert.ok((await page.textContent('#error')).startsWith(message));
    await assertClean(page, seen, { statuses: [400] });
  });

// ---- the page's title names what is shown (2.4.2) ----

// The detail and the list behind it load side by side; whichever answers
// last, the title must name the detail while it is shown, and the results
// once Back is pressed. Each order is forced by holding one answer back.
for (const last of ['list', 'detail']) {
  test(`the title names the detail when the ${last} answers last, and the results after Back`,
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const { context, page, seen } = await openPage(browser, t);
      const meeting = await meetingWithJoinLink();
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      const endpoint = last === 'list' ? 'meetings' : `meetings/${meeting.id}`;
      await context.route((url) => isApi(url.href, endpoint), async (route) => {
        await held;
        await route.continue();
      });
      assert.equal((await page.goto(`${BASE_URL}/?${query({ meeting: meeting.id })}`)).status(), 200);
      if (last === 'list') await detailFocused(page, meeting.name);
      else await settled(page);
      release();
      if (last === 'list') await settled(page);
      else await detailFocused(page, meeting.name);
      const suffix = ` · ${words('en', 'page.title')}`;
      assert.equal(await page.title(), `${meeting.name}${suffix}`, 'the title while the detail is shown');
      await tabTo(page, '#detail button.back', { shift: true });
      await page.keyboard.press('Enter');
      await page.waitForSelector('#detail', { state: 'hidden' });
      assert.equal(await page.title(), `${words('en', 'results.online')}${suffix}`, 'the title back on the results');
      await assertClean(page, seen);
    });
}

// ---- 5. reflow: 320 px and 200% zoom ----

// The controls on screen that stick out of the viewport's width.
async function controlsOutside(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const controls = document.querySelectorAll('a[href], button, input, select, textarea, summary, iframe, [tabindex]');
    return [...controls].filter((el) => el.tabIndex >= 0 && el.checkVisibility({ visibilityProperty: true }))
      .map((el) => [el, el.getBoundingClientRect()])
      .filter(([, r]) => r.width > 1 && (r.left < -0.5 || r.right > width + 0.5))
      .map(([el, r]) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || el.value || '')
        .trim().slice(0, 30)}" spans ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
  });
}

async function expectReflow(page, what) {
  const { scrollWidth, innerWidth } = await widths(page);
  assert.ok(scrollWidth <= innerWidth, `${what}: the page scrolls sideways (${scrollWidth} px wide in ${innerWidth})`);
  assert.deepEqual(await controlsOutside(page), [], `${what}: controls outside the screen`);
}

const REFLOW_PAGES = [
  ['home', async (page) => visit(page, '/')],
  ['results', async (page) => visit(page, `/?${query({ near: CITY })}`)],
  ['results with the filters open', async (page) => {
    await visit(page, `/?${query({ near: CITY })}`);
    await openFilters(page, 'meetings');
  }],
  ['services', async (page) => visit(page, `/?${query({ near: SERVICES_CITY, tab: 'services' })}`)],
  ['services with the filters open', async (page) => {
    await visit(page, `/?${query({ near: CITY, tab: 'services' })}`);
    await openFilters(page, 'services');
  }],
  ['meeting detail', async (page) => {
    const meeting = await meetingWithPlace();
    await visitDetail(page, `/?${query({ near: CITY, meeting: meeting.id })}`, meeting.name);
    await page.click('details.report > summary');
  }],
  ['online meeting detail', async (page) => {
    const meeting = await meetingWithJoinLink();
    await visitDetail(page, `/?${query({ meeting: meeting.id })}`, meeting.name);
  }],
  ['service detail', async (page) => {
    const service = await serviceWithPhone();
    await visitDetail(page, `/?${query({ service: service.id })}`, service.name);
  }],
  ['Spanish results', async (page) => visit(page, `/?${query({ near: CITY, lang: 'es' })}`)],
  ['partners', async (page) => {
    assert.equal((await page.goto(`${BASE_URL}/partners.html`)).status(), 200);
    const frame = await (await page.waitForSelector('#preview iframe')).contentFrame();
    await frame.waitForLoadState();
    await settled(frame);
    await expectReflow(frame, 'partners: the preview');
  }],
];

for (const [what, options] of [['320 px wide (320x640)', NARROW], ['200% zoom (1280x800 at 200%: 640x400 CSS px)', ZOOMED]]) {
  test(`no sideways scrolling and every control on screen at ${what}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t, options);
    const failures = [];
    for (const [name, open] of REFLOW_PAGES) {
      await open(page);
      try {
        await expectReflow(page, name);
      } catch (err) {
        failures.push(err.message);
      }
    }
    assert.deepEqual(failures, []);
    await assertClean(page, seen);
  });
}

// ---- 6. a visible focus on every control of the home page ----

test('the first Tab stop is a skip link, on screen when focused, that moves the focus to the results',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(browser, t, { viewport: PHONE });
    await visit(page, `/?${query({ near: CITY })}`);
    await page.keyboard.press('Tab');
    const target = await page.evaluate(() => document.activeElement.getAttribute('href'));
    assert.equal(target, '#results-heading', `the first Tab stop is ${await focused(page)}`);
    await expectFocusVisible(page, 'the skip link');
    const box = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    });
    assert.ok(box.top >= 0 && box.left >= 0 && box.right <= PHONE.width && box.bottom <= PHONE.height,
      `the focused skip link is on screen: ${JSON.stringify(box)}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
    // The next Tab continues from the results, not from the top.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => Boolean(document.activeElement.closest('#results-section'))), true,
      `after the skip link, Tab goes on in the results: ${await focused(page)}`);
    await assertClean(page, seen);
  });

for (const [size, viewport] of SIZES) {
  test(`Tab reaches every control of the home page, each with a visible focus (${size})`,
    { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const { page, seen } = await openPage(browser, t, { viewport });
      await visit(page, '/');
      await page.waitForLoadState('networkidle'); // the facets, which disable some choices
      const tabbable = await page.evaluate(() => {
        window.__tabbable = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
          .filter((el) => el.tabIndex >= 0 && !el.disabled
            && el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }));
        return window.__tabbable.length;
      });
      assert.ok(tabbable > 10);
      const reached = new Set();
      const unmarked = [];
      for (let presses = 0; presses <= tabbable + 5; presses++) {
        await page.keyboard.press('Tab');
        const index = await page.evaluate(() => (document.activeElement === document.body
          ? -2 : window.__tabbable.indexOf(document.activeElement)));
        if (index === -2 || reached.has(index)) break;
        reached.add(index);
        const indicator = await focusIndicator(page);
        if (!indicator.visible) unmarked.push(`${await focused(page)}: outline ${indicator.outline}, box-shadow ${indicator.boxShadow}`);
      }
      const missed = await page.evaluate((seenIndexes) => window.__tabbable
        .filter((el, i) => !seenIndexes.includes(i))
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || '').trim().slice(0, 30)}"`),
      [...reached]);
      assert.deepEqual(missed, [], 'controls Tab never reached');
      assert.equal(reached.has(-1), false, 'Tab reached something that is not a visible control');
      assert.deepEqual(unmarked, [], 'controls without a visible focus indicator');
      await assertClean(page, seen);
    });
}
