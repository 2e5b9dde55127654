// The finder's page in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) against a running stack (BASE_URL):
//   BASE_URL=http://127.0.0.1:8091 node --test test_page.mjs
// Search by place and by location, every filter, facets, sort, paging, the
// detail and its actions, the calendar, links that keep the search, the
// back button, Spanish, the map's lazy loading, "Report a problem" (the row
// read back from the database) and the page's weight. Nothing depends on a
// meeting's name or a count: the page must agree with the API.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  BASE_URL, ORIGIN, PAGE_SIZE, PHONE, ROOT, TEST_TIMEOUT_MS, ZONE, api, assertClean, isApi, isJoinLabel, launch, listed,
  openPage, screenshot, settled, visit, zoneDataDisagrees,
} from './lib.mjs';

const T = { timeout: TEST_TIMEOUT_MS };
const EN = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const ES = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'es.json'), 'utf8'));
const TILE_HOST = 'https://tile.openstreetmap.org';
// A 1x1 transparent PNG for the map's tiles (the network is closed here).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// ---- helpers ----

function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

// The ids of the API's answer to the meetings (or services) search the page
// sent, asked again directly: what the page lists must be exactly that.
async function apiIdsFor(url, kind = 'meetings') {
  const u = new URL(url);
  const body = await api(`${kind}?${u.searchParams}`);
  return body[kind].map((m) => String(m.id));
}

// Does something in the page and returns the search request it caused.
async function searchAfter(page, action, endpoint = 'meetings') {
  const [request] = await Promise.all([
    page.waitForRequest((r) => isApi(r.url(), endpoint)),
    action(),
  ]);
  await request.response();
  await settled(page);
  return request.url();
}

async function expectListed(page, url, kind = 'meetings') {
  const wanted = await apiIdsFor(url, kind);
  assert.deepEqual(await listed(page), wanted, `the page lists the API's answer to ${url}`);
  return wanted;
}

// Opens the filters as a visitor does (the Filters button), unless open.
async function openFilters(page) {
  if (await page.isHidden('#filters')) await page.click('#filters-toggle');
  await page.waitForSelector('#filters', { state: 'visible' });
}

function psql(sql) {
  return execFileSync(path.join(ROOT, 'scripts', 'stack.sh'), ['psql', '-tA', '-c', sql], { encoding: 'utf8' }).trim();
}

// Raw bytes nginx sends for a path when the browser accepts gzip.
function gzipBytes(urlPath) {
  return new Promise((resolve, reject) => {
    http.get(`${BASE_URL}${urlPath}`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (chunk) => { n += chunk.length; });
      res.on('end', () => resolve({ status: res.statusCode, bytes: n, encoding: res.headers['content-encoding'] }));
    }).on('error', reject);
  });
}

// ---- loading ----

test('the home page lists online meetings, agrees with the API, and asks no other host for anything', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  const [request] = await Promise.all([
    page.waitForRequest((r) => isApi(r.url(), 'meetings')),
    visit(page, '/'),
  ]);
  const sent = new URL(request.url()).searchParams;
  assert.equal(sent.get('attendance'), 'online,hybrid', 'with no place, the meetings one can join online');
  assert.equal(sent.get('tz'), ZONE, "times are asked for in the visitor's zone");
  const ids = await expectListed(page, request.url());
  assert.equal(ids.length, PAGE_SIZE);
  const body = await api(`meetings?${sent}`);
  assert.match(await page.textContent('#result-count'), new RegExp(body.count.toLocaleString('en-US')));
  assert.equal(await page.isVisible('#place-hint'), true, 'the place box says that without a place, online meetings are shown');
  assert.equal(await page.isVisible('#demo-notice'), (await api('health')).demo === true);
  await page.waitForLoadState('networkidle');
  assert.ok(!seen.requests.some((u) => /\/vendor\/leaflet\/|\/config\.json/.test(u)),
    'the map library and its settings load only when the map is opened');
  await screenshot(page, 'desktop-home');
  await assertClean(page, seen);
});

// ---- search ----

test('a place typed is completed from /api/v1/places, and picking it searches near it', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/');
  const [places] = await Promise.all([
    page.waitForResponse((r) => isApi(r.url(), 'places')),
    page.fill('#place', 'Kansas Ci'),
  ]);
  const suggested = (await places.json()).places.map((p) => p.label);
  await page.waitForSelector('#place-options:not([hidden]) [role="option"]');
  assert.equal(await page.getAttribute('#place', 'aria-expanded'), 'true');
  assert.deepEqual(await page.$$eval('#place-options [role="option"]', (o) => o.map((x) => x.textContent)), suggested);
  const label = 'Kansas City, MO, US';
  assert.ok(suggested.includes(label), `the gazetteer suggests ${label}`);
  const url = await searchAfter(page, () => page.click(`#place-options [role="option"]:text-is("${label}")`));
  assert.equal(new URL(url).searchParams.get('near'), label);
  await expectListed(page, url);
  assert.equal(new URL(page.url()).searchParams.get('near'), label, 'the URL keeps the place');
  assert.match(await page.textContent('#results-heading'), /Kansas City/);
  await assertClean(page, seen);
});

test('an unknown place is an alert with the suggestions, and a suggestion searches', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/');
  await page.fill('#place', 'Chicagoo');
  await page.press('#place', 'Escape');
  const url = await searchAfter(page, () => page.click('#search-button'));
  assert.equal(new URL(url).searchParams.get('near'), 'Chicagoo');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.getAttribute('#error', 'role'), 'alert');
  assert.match(await page.textContent('#error'), new RegExp(EN.errors.unknownPlace));
  const suggestion = page.locator('#error .suggestions button').first();
  const text = await suggestion.textContent();
  const next = await searchAfter(page, () => suggestion.click());
  assert.equal(new URL(next).searchParams.get('near'), text);
  await expectListed(page, next);
  assert.equal(await page.isHidden('#error'), true);
  await assertClean(page, seen, { statuses: [400] });
});

test('"Use my location" sends the position rounded to about 100 m and lists what is near it', T, async (t) => {
  const { page, seen } = await openPage(browser, t, {
    geolocation: { latitude: 41.878114, longitude: -87.629798, accuracy: 10 },
    permissions: ['geolocation'],
  });
  await visit(page, '/');
  const url = await searchAfter(page, () => page.click('#locate'));
  const sent = new URL(url).searchParams;
  assert.equal(sent.get('lat'), '41.878');
  assert.equal(sent.get('lng'), '-87.63');
  assert.ok(!seen.requests.some((u) => /41\.8781|87\.6297/.test(u)), 'the exact position is never sent');
  await expectListed(page, url);
  assert.equal(await page.inputValue('#place'), EN.search.myLocation);
  assert.match(await page.textContent('#locate-status'), /100 m/);
  const distances = await page.$$eval('#results .distance', (d) => d.length);
  assert.ok(distances > 0, 'results near a position show their distance');
  await assertClean(page, seen);
});

test('a refused location permission is explained, and nothing is searched', T, async (t) => {
  const { page, seen } = await openPage(browser, t, { permissions: [] });
  await visit(page, '/');
  const before = seen.requests.filter((u) => isApi(u, 'meetings')).length;
  await page.click('#locate');
  await page.waitForFunction((text) => document.getElementById('locate-status').textContent === text,
    EN.errors.geoDenied);
  assert.equal(seen.requests.filter((u) => isApi(u, 'meetings')).length, before);
  await assertClean(page, seen);
});

// ---- filters ----

// Each meetings filter: how to set it in the form, and what the API must
// then be asked.
const MEETING_FILTERS = [
  ['day', (p) => p.check('#day-today'), { day: 'today' }],
  ['a weekday', (p) => p.check('#day-6'), { day: '6' }],
  ['the weekend', (p) => p.check('#day-weekend'), { day: '6,0' }],
  ['time of day', (p) => p.check('#time-evening'), { time: 'evening' }],
  ['starting soon', (p) => p.selectOption('#when', 'soon'), { starts_within: '60' }],
  ['happening now', (p) => p.selectOption('#when', 'now'), { in_progress: 'true' }],
  ['hybrid', (p) => p.check('#attendance-hybrid'), { attendance: 'hybrid' }],
  ['fellowship', (p) => p.check('#fellowship-al-anon'), { fellowship: 'al-anon' }],
  ['for families', (p) => p.selectOption('#for', 'family'), { for: 'family' }],
  ['medication-friendly', (p) => p.check('#meeting-option-moud'), { moud: 'true' }],
  ['language', (p) => p.selectOption('#meeting-language', 'es'), { lang: 'es' }],
  ['meeting type', (p) => p.check('#type-W'), { type: 'W' }],
  ['accessibility', (p) => p.check('#type-X'), { type: 'X' }],
];

test('every meetings filter reaches the API and the list is its answer', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  for (const [name, set, expected] of MEETING_FILTERS) {
    await visit(page, '/?near=Chicago');
    await openFilters(page);
    const url = await searchAfter(page, () => set(page));
    const sent = new URL(url).searchParams;
    for (const [key, value] of Object.entries(expected)) assert.equal(sent.get(key), value, `${name}: ${key}`);
    assert.equal(sent.get('near'), 'Chicago', `${name}: the place stays`);
    await expectListed(page, url);
    const shown = new URL(page.url()).searchParams;
    assert.ok([...shown.keys()].length >= 2, `${name}: the URL holds the filter (${page.url()})`);
  }
  // Keywords are typed, then searched with Enter.
  await visit(page, '/?near=Chicago');
  await openFilters(page);
  await page.fill('#q', 'serenity');
  const url = await searchAfter(page, () => page.press('#q', 'Enter'));
  assert.equal(new URL(url).searchParams.get('q'), 'serenity');
  await expectListed(page, url);
  await assertClean(page, seen);
});

test('filters combine, and "Clear filters" removes them but keeps the place', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Chicago&fellowship=aa&day=2&attendance=in_person');
  assert.equal(await page.isChecked('#fellowship-aa'), true);
  assert.equal(await page.isChecked('#day-2'), true);
  assert.equal(await page.isChecked('#attendance-in_person'), true);
  await openFilters(page);
  const url = await searchAfter(page, () => page.click('#clear'));
  const sent = new URL(url).searchParams;
  assert.equal(sent.get('fellowship'), null);
  assert.equal(sent.get('day'), null);
  assert.equal(sent.get('near'), 'Chicago');
  await expectListed(page, url);
  await assertClean(page, seen);
});

test('choices that would find nothing are disabled, as the facets say', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  const search = 'near=Chicago&radius_km=5&day=1';
  await visit(page, `/?${search}`);
  await openFilters(page);
  // The page's facets for a filter come from the search without that filter.
  const withoutDay = await api(`meetings/facets?${qs({ near: 'Chicago', radius_km: 5, tz: ZONE })}`);
  const all = await api(`meetings/facets?${qs({ near: 'Chicago', radius_km: 5, day: 1, tz: ZONE })}`);
  // Wait until the facets have arrived: the fellowships are as they say.
  const expected = Object.fromEntries((await api('fellowships')).fellowships
    .map((f) => [f.slug, !(all.facets.fellowship[f.slug] > 0)]));
  await page.waitForFunction((want) => [...document.querySelectorAll('input[name="fellowship"]')]
    .every((i) => i.disabled === want[i.value]), expected).catch(() => {});
  const boxes = await page.$$eval('input[name="fellowship"]', (inputs) => inputs.map((i) => [i.value, i.disabled]));
  let enabled = 0;
  let disabled = 0;
  for (const [slug, off] of boxes) {
    assert.equal(off, !(all.facets.fellowship[slug] > 0), `fellowship ${slug}`);
    if (off) disabled += 1; else enabled += 1;
  }
  assert.ok(enabled > 0 && disabled > 0, 'some fellowships are offered and some are not');
  const days = await page.$$eval('#day option', (o) => o.map((x) => [x.value, x.disabled]));
  for (const [day, off] of days) {
    if (/^[0-6]$/.test(day) && day !== '1') assert.equal(off, !(withoutDay.facets.day[day] > 0), `day ${day}`);
  }
  const types = await page.$$eval('input[name="type"]', (inputs) => inputs.map((i) => [i.value, i.disabled]));
  for (const [code, off] of types) assert.equal(off, !(all.facets.type[code] > 0), `type ${code}`);
  await assertClean(page, seen);
});

test('sorting by distance and by next start, and "Show more" appending the next page', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Chicago');
  await openFilters(page);
  let url = await searchAfter(page, () => page.selectOption('#sort', 'distance'));
  assert.equal(new URL(url).searchParams.get('sort'), 'distance');
  await expectListed(page, url);
  url = await searchAfter(page, () => page.selectOption('#sort', 'next'));
  assert.equal(new URL(url).searchParams.get('sort'), 'next');
  const first = await expectListed(page, url);
  const more = await searchAfter(page, () => page.click('#more'));
  assert.equal(new URL(more).searchParams.get('offset'), String(PAGE_SIZE));
  const next = await apiIdsFor(more);
  assert.deepEqual(await listed(page), [...first, ...next]);
  const focused = await page.evaluate(() => document.activeElement.closest('li')?.dataset.id);
  assert.equal(focused, next[0], 'focus moves to the first new result');
  await assertClean(page, seen);
});

test('times show in the visitor\'s zone, with the meeting\'s own when it differs', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Chicago&sort=next');
  const body = await api(`meetings?${qs({ near: 'Chicago', sort: 'next', tz: ZONE, attendance: '' })}`);
  const meeting = body.meetings.find((m) => m.timezone === 'America/Chicago');
  assert.ok(meeting, 'a Chicago meeting');
  const item = page.locator(`#results li[data-id="${meeting.id}"]`);
  const start = new Date(meeting.next_start);
  // The expected times are formatted by Node's Intl.
  const disagree = zoneDataDisagrees([ZONE, 'America/Chicago'], start);
  if (disagree) {
    t.skip(disagree);
    return;
  }
  const visitor = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: ZONE }).format(start);
  const own = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'America/Chicago' }).format(start);
  const when = await item.locator('.when').textContent();
  assert.ok(when.includes(visitor), `${when} holds ${visitor} (New York)`);
  const local = await item.locator('.local-time').textContent();
  assert.ok(local.includes(`${own} Chicago time`), `${local} holds ${own} Chicago time`);
  await assertClean(page, seen);
});

// ---- services ----

test('the Services tab searches services with their filters; a service\'s detail has its phone to call', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Kansas+City,+MO');
  let url = await searchAfter(page, () => page.click('#tab-services'), 'services');
  assert.equal(await page.getAttribute('#tab-services', 'aria-selected'), 'true');
  await expectListed(page, url, 'services');
  await openFilters(page);
  const filters = [
    [() => page.check('#category-peer-support'), { category: 'peer-support' }],
    [() => page.check('#population-women'), { population: 'women' }],
    [() => page.check('#cost-free'), { cost: 'free' }],
    [() => page.selectOption('#service-language', 'es'), { lang: 'es' }],
    [() => page.check('#service-option-open_now'), { open_now: 'true' }],
    [() => page.check('#service-option-moud'), { moud: 'true' }],
  ];
  for (const [set, expected] of filters) {
    await visit(page, '/?tab=services&near=Kansas+City,+MO');
    await openFilters(page);
    url = await searchAfter(page, set, 'services');
    for (const [key, value] of Object.entries(expected)) assert.equal(new URL(url).searchParams.get(key), value);
    await expectListed(page, url, 'services');
  }
  await visit(page, '/?tab=services&near=Kansas+City,+MO');
  const first = page.locator('#results li.result').first();
  const id = await first.getAttribute('data-id');
  await first.locator('a.open').click();
  await page.waitForSelector('#detail-heading');
  const service = await api(`services/${id}?tz=${encodeURIComponent(ZONE)}`);
  assert.equal(await page.textContent('#detail-heading'), service.name);
  const tels = await page.$$eval('#detail a[href^="tel:"]', (a) => a.map((x) => x.getAttribute('href')));
  const numbers = [...service.phones, ...service.locations.flatMap((l) => l.phones)].map((p) => p.number);
  assert.equal(tels.length, numbers.length, 'a Call link for every phone');
  for (const n of numbers) assert.ok(tels.includes(`tel:${n.replace(/[\s().-]/g, '')}`), `tel: link for ${n}`);
  assert.equal(new URL(page.url()).searchParams.get('service'), id);
  await assertClean(page, seen);
});

test('a link\'s category, population and cost codes that the vocabularies lack are dropped, never sent', T, async (t) => {
  // The API refuses such a code with a 400 (issue 16); a shared link may
  // carry a mistyped or retired one.
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?tab=services&near=Kansas+City,+MO&category=nonsense,peer-support&cost=gold&population=women');
  await page.waitForLoadState('networkidle');
  const sent = seen.requests.filter((u) => isApi(u, 'services') || isApi(u, 'services/facets'));
  assert.ok(sent.some((u) => isApi(u, 'services')), 'the services search was sent');
  for (const u of sent) {
    const p = new URL(u).searchParams;
    assert.ok(!/nonsense/.test(p.get('category') || '') && p.get('cost') !== 'gold', `only known codes in ${u}`);
  }
  const url = sent.filter((u) => isApi(u, 'services')).pop();
  assert.equal(new URL(url).searchParams.get('category'), 'peer-support');
  assert.equal(new URL(url).searchParams.get('population'), 'women');
  await expectListed(page, url, 'services');
  const shown = new URL(page.url()).searchParams;
  assert.equal(shown.get('category'), 'peer-support', 'the address keeps the known code');
  assert.equal(shown.get('cost'), null, 'and drops the unknown one');
  assert.ok(await page.isHidden('#error'));
  await assertClean(page, seen);
});

// ---- detail ----

test('a meeting\'s detail: what the API has, directions, calendar, other meetings there; Back returns', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Chicago&attendance=in_person');
  const first = page.locator('#results li.result').first();
  const id = await first.getAttribute('data-id');
  await first.locator('a.open').click();
  await page.waitForSelector('#detail-heading');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'detail-heading', 'focus moves into the detail');
  const meeting = await api(`meetings/${id}`);
  assert.equal(await page.textContent('#detail-heading'), meeting.name);
  const address = await page.textContent('#detail address');
  for (const part of [meeting.location.address, meeting.location.city]) assert.ok(address.includes(part), part);
  // On a computer, Directions offers map sites; each link goes to the place.
  assert.equal(await page.isVisible('#detail .maps-choice'), false);
  await page.click(`#detail button:text-is("${EN.detail.directions}")`);
  const sites = await page.$$eval('#detail .maps-choice a', (a) => a.map((x) => x.href));
  assert.equal(sites.length, 3, sites.join(' '));
  for (const href of sites) {
    assert.ok(href.includes(`${meeting.location.lat}`) && href.includes(`${meeting.location.lng}`), href);
  }
  const others = await page.$$eval('#detail .same-place a', (a) => a.map((x) => x.dataset.id));
  assert.deepEqual(others, meeting.at_location.map((m) => String(m.id)));
  if (meeting.notes) assert.ok((await page.textContent('#detail')).includes(meeting.notes));
  for (const code of meeting.types) {
    const label = (await api('types')).types.find((x) => x.code === code)?.label.en || code;
    assert.ok((await page.textContent('#detail .types')).includes(label), `type ${code}`);
  }

  // Add to calendar: the .ics of this meeting, downloaded.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`#detail a:text-is("${EN.detail.calendar}")`),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`-${id}\\.ics$`));
  const ics = readFileSync(await download.path(), 'utf8');
  assert.match(ics, /^BEGIN:VCALENDAR/);
  assert.match(ics, new RegExp(`UID:meeting-${id}@`));

  // Another meeting at the same place opens in turn; Back goes back to it,
  // then to the list, with focus on the result that opened the first.
  if (others.length) {
    await page.click(`#detail .same-place a[data-id="${others[0]}"]`);
    await page.waitForFunction((m) => document.querySelector(`#detail [data-id="${m}"]`), others[0]);
    await page.goBack();
    await page.waitForFunction((m) => document.querySelector(`#detail article[data-id="${m}"]`), id);
  }
  await page.click('#detail button.back');
  await page.waitForSelector('#detail', { state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.closest('li')?.dataset.id), id,
    'focus returns to the result that opened the detail');
  assert.equal(new URL(page.url()).searchParams.get('meeting'), null);
  await screenshot(page, 'desktop-results');
  await assertClean(page, seen);
});

test('an online meeting\'s detail has Join and Call', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  const body = await api(`meetings?${qs({ attendance: 'online', tz: ZONE, limit: 100 })}`);
  const meeting = body.meetings.find((m) => m.conference_url && m.conference_phone) || body.meetings.find((m) => m.conference_url);
  assert.ok(meeting, 'an online meeting with a link');
  await visit(page, `/?meeting=${meeting.id}`);
  await page.waitForSelector('#detail-heading');
  const join = page.locator('#detail .join a.primary');
  assert.equal(await join.getAttribute('href'), new URL(meeting.conference_url).href);
  assert.ok(isJoinLabel(EN, meeting.conference_url, await join.textContent()), await join.textContent());
  assert.equal(await join.getAttribute('target'), '_blank');
  assert.match(await join.getAttribute('rel'), /noopener/);
  if (meeting.conference_phone) {
    const tel = await page.getAttribute('#detail .join a[href^="tel:"]', 'href');
    assert.equal(tel, `tel:${meeting.conference_phone.replace(/[\s().-]/g, '').replace(/#/g, '%23')}`);
  }
  await screenshot(page, 'desktop-detail-online');
  await assertClean(page, seen);
});

// ---- links ----

test('a shared link reopens the same search and detail; Share copies the meeting\'s own link', T, async (t) => {
  const { page, seen, context } = await openPage(browser, t);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  await visit(page, '/?near=Chicago');
  await openFilters(page);
  await searchAfter(page, () => page.check('#fellowship-aa'));
  await searchAfter(page, () => page.check('#time-evening'));
  const id = await page.locator('#results li.result').first().getAttribute('data-id');
  await page.locator('#results li.result a.open').first().click();
  await page.waitForSelector('#detail-heading');
  const link = page.url();
  assert.match(link, /near=Chicago/);
  assert.match(link, /fellowship=aa/);
  assert.match(link, /time=evening/);
  assert.match(link, new RegExp(`meeting=${id}`));

  await page.evaluate(() => { delete Navigator.prototype.share; });
  await page.click('#detail button.share');
  await page.waitForFunction((text) => document.querySelector('#detail .status')?.textContent === text, EN.detail.copied);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `${BASE_URL}/?meeting=${id}`, 'the meeting\'s link alone: not the search, which may hold a position');

  const other = await openPage(browser, t);
  await other.page.goto(link);
  await other.page.waitForSelector('#detail-heading');
  assert.equal(await other.page.textContent('#detail-heading'), await page.textContent('#detail-heading'));
  await other.page.click('#detail button.back');
  await settled(other.page);
  assert.equal(await other.page.isChecked('#fellowship-aa'), true);
  assert.equal(await other.page.isChecked('#time-evening'), true);
  assert.equal(await other.page.inputValue('#place'), 'Chicago');
  const sent = other.seen.requests.filter((u) => isApi(u, 'meetings')).pop();
  await expectListed(other.page, sent);
  await assertClean(page, seen);
  await assertClean(other.page, other.seen);
});

test('the back button goes back through searches', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Chicago');
  const chicago = await listed(page);
  await page.fill('#place', 'Denver');
  await page.press('#place', 'Escape');
  await searchAfter(page, () => page.click('#search-button'));
  assert.notDeepEqual(await listed(page), chicago);
  await searchAfter(page, () => page.goBack());
  assert.deepEqual(await listed(page), chicago);
  assert.equal(await page.inputValue('#place'), 'Chicago');
  await assertClean(page, seen);
});

// ---- languages ----

test('Spanish: from the browser\'s language, from the URL, and by the switch', T, async (t) => {
  const { page, seen } = await openPage(browser, t, { locale: 'es-MX' });
  await visit(page, '/?near=Chicago');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('#tab-meetings'), ES.tabs.meetings);
  assert.equal(await page.textContent('#search-button'), ES.search.submit);
  const weekdays = await page.$$eval('#day input[value^="0"], #day input[value^="1"], #day input[value^="2"], '
    + '#day input[value^="3"], #day input[value^="4"], #day input[value^="5"], #day input[value^="6"]',
  (inputs) => inputs.map((x) => document.querySelector(`label[for="${x.id}"]`).textContent));
  assert.deepEqual(weekdays, [1, 2, 3, 4, 5, 6, 0].map((d) => new Intl.DateTimeFormat('es', { weekday: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2026, 0, 4 + d, 12)))));
  assert.equal(await page.textContent('label[for="day-weekend"]'), ES.filters.weekend);
  assert.match(await page.textContent('#result-count'), /reuniones/);
  const fellowship = (await api('fellowships')).fellowships.find((f) => f.slug === 'aa');
  assert.equal(await page.textContent('label[for="fellowship-aa"]'), fellowship.name.es);
  await screenshot(page, 'desktop-results-es');

  const english = await openPage(browser, t);
  await visit(english.page, '/?near=Chicago');
  assert.equal(await english.page.getAttribute('html', 'lang'), 'en');
  await searchAfter(english.page, () => english.page.selectOption('#ui-lang', 'es'));
  assert.equal(new URL(english.page.url()).searchParams.get('lang'), 'es');
  assert.equal(await english.page.textContent('#tab-services'), ES.tabs.services);
  await english.page.goto(`${BASE_URL}/?lang=es&meeting=${(await listed(english.page))[0]}`);
  await english.page.waitForSelector('#detail-heading');
  assert.equal(await english.page.textContent('#detail button.back'), ES.detail.back);
  await assertClean(page, seen);
  await assertClean(english.page, english.seen);
});

test('every catalog has every key of the English one', T, async () => {
  const keys = (obj, prefix = '') => Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object'
    && !['one', 'other'].every((p) => p in v) ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  const english = keys(EN).sort();
  for (const file of readdirSync(path.join(ROOT, 'web', 'i18n')).filter((f) => f.endsWith('.json'))) {
    const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', file), 'utf8'));
    assert.deepEqual(keys(catalog).sort(), english, file);
  }
  // A catalog's parts (web/i18n/PART/), one page's strings: the same keys
  // in every language.
  for (const part of readdirSync(path.join(ROOT, 'web', 'i18n')).filter((f) => !f.endsWith('.json'))) {
    const dir = path.join(ROOT, 'web', 'i18n', part);
    const partEnglish = keys(JSON.parse(readFileSync(path.join(dir, 'en.json'), 'utf8'))).sort();
    for (const file of readdirSync(dir)) {
      assert.deepEqual(keys(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))).sort(), partEnglish, `${part}/${file}`);
    }
  }
  // Every key the page's code asks for is in the catalog.
  const source = readdirSync(path.join(ROOT, 'web', 'js')).map((f) => readFileSync(path.join(ROOT, 'web', 'js', f), 'utf8')).join('\n')
    + readFileSync(path.join(ROOT, 'web', 'index.html'), 'utf8') + readFileSync(path.join(ROOT, 'web', 'partners.html'), 'utf8');
  const used = new Set([...source.matchAll(/\bt\('([a-zA-Z.]+)'|data-i18n(?:-label|-placeholder)?="([a-zA-Z.]+)"/g)]
    .map((m) => m[1] || m[2]));
  // ... or in a part of it (web/i18n/PART/en.json), for the page that loads it.
  const parts = readdirSync(path.join(ROOT, 'web', 'i18n')).filter((f) => !f.endsWith('.json'))
    .flatMap((part) => keys(JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', part, 'en.json'), 'utf8'))));
  const all = [...english, ...parts];
  const known = new Set(all);
  const isKnown = (key) => known.has(key) || all.some((k) => k.startsWith(`${key}.`));
  assert.deepEqual([...used].filter((k) => !isKnown(k)), [], 'keys used but not in en.json');
});

// ---- map ----

// Waits until Leaflet's map is not panning or zooming: panBy and the zoom
// animation mark the map's pane with these classes until they end.
async function mapStill(page) {
  await page.waitForFunction(() => !document.querySelector('#map .leaflet-pan-anim, #map .leaflet-zoom-anim'));
}

test('the map loads Leaflet and tiles only when opened, and marks the results that have a place', T, async (t) => {
  const { page, seen, context } = await openPage(browser, t);
  await context.route(`${TILE_HOST}/**`, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
  await visit(page, '/?near=Chicago');
  await page.waitForLoadState('networkidle');
  assert.ok(!seen.requests.some((u) => u.startsWith(TILE_HOST) || u.includes('/vendor/leaflet/')),
    'nothing of the map before it is opened');
  await page.click('#view-map');
  await page.waitForSelector('#map .leaflet-marker-icon');
  assert.equal(await page.getAttribute('#view-map', 'aria-pressed'), 'true');
  assert.equal(new URL(page.url()).searchParams.get('view'), 'map');
  const url = seen.requests.filter((u) => isApi(u, 'meetings')).pop();
  const body = await api(`meetings?${new URL(url).searchParams}`);
  const placed = body.meetings.filter((m) => m.location && m.attendance !== 'online');
  const places = new Set(placed.map((m) => `${m.location.lat},${m.location.lng}`));
  const markers = page.locator('#map .leaflet-marker-icon');
  const n = await markers.count();
  assert.ok(n >= 1 && n <= places.size, `${n} markers for ${places.size} places (one a place, or fewer where they would overlap)`);
  // Every result with a place is in exactly one marker's popup. A marker
  // that gets focus, and a popup that opens near the edge, pan the map,
  // animated (Leaflet's autoPanOnFocus and autoPan): each step waits for
  // the map to stand still, since a click or key meant for what is moving
  // may land on the map instead (a click on the map closes the popup).
  const inPopups = [];
  for (let i = 0; i < n; i++) {
    await markers.nth(i).focus();
    await mapStill(page);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#map .leaflet-popup .popup');
    await mapStill(page);
    assert.equal(await page.locator('#map .leaflet-popup').count(), 1, `one popup open, marker ${i}`);
    inPopups.push(...await page.$$eval('#map .leaflet-popup .popup a.open', (a) => a.map((x) => x.dataset.id)));
    await page.click('#map .leaflet-popup-close-button');
    await page.waitForSelector('#map .leaflet-popup', { state: 'detached' });
  }
  assert.deepEqual(inPopups.sort(), placed.map((m) => String(m.id)).sort(), 'each mapped result is in one popup');
  assert.equal(await page.locator('#results li.result').count(), body.meetings.length, 'the list stays, with every result');
  await page.waitForFunction(() => document.querySelectorAll('#map img.leaflet-tile-loaded').length > 0);
  const tiles = seen.requests.filter((u) => u.startsWith(TILE_HOST));
  assert.ok(tiles.length > 0 && tiles.every((u) => /\/\d+\/\d+\/\d+\.png$/.test(u)));
  // A marker's popup links to the detail (clicked once the popup's pan is
  // over: a click at where the link was a frame before missed it, and
  // closed the popup, one run in eight).
  await page.locator('#map .leaflet-marker-icon').first().click();
  await page.waitForSelector('#map .leaflet-popup .popup');
  await mapStill(page);
  await page.locator('#map .popup a.open').first().click();
  await page.waitForSelector('#detail-heading');
  await screenshot(page, 'desktop-map-detail');
  await assertClean(page, seen, { allowed: [TILE_HOST] });
});

// ---- report a problem ----

test('"Report a problem" stores the report, and nothing else about the sender', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, '/?near=Chicago');
  const id = await page.locator('#results li.result').first().getAttribute('data-id');
  await page.locator('#results li.result a.open').first().click();
  await page.waitForSelector('#detail-heading');
  await page.click('#detail details.report summary');
  const message = `The meeting moved to room 4 (browser test ${Date.now()}).`;
  // An empty report is not sent.
  await page.click('#detail .report-form button[type="submit"]');
  assert.equal(await page.textContent('#detail .report-form .status'), EN.report.empty);
  await page.fill('#report-meeting-message', message);
  await page.fill('#report-meeting-contact', 'ana@example.org');
  const [response] = await Promise.all([
    page.waitForResponse((r) => isApi(r.url(), 'feedback')),
    page.click('#detail .report-form button[type="submit"]'),
  ]);
  assert.equal(response.status(), 201);
  await page.waitForFunction((text) => document.querySelector('#detail .report .done')?.textContent === text, EN.report.thanks);
  const row = psql(`SELECT kind, meeting_id, contact FROM feedback WHERE message = '${message.replace(/'/g, "''")}'`);
  assert.equal(row, `meeting|${id}|ana@example.org`);
  await assertClean(page, seen);
});

// A feed imported as a real source would be: a steward's feedback_url on
// one meeting, only the source's address for the other, and contribution
// handles as groups publish them.
function importStewardFeed() {
  const base = { day: 3, time: '19:00', address: '6101 Ward Pkwy', city: 'Kansas City', state: 'MO',
    postal_code: '64113', latitude: 39.0169507, longitude: -94.6012228 };
  const feed = [
    { ...base, name: 'Steward Test Group', slug: 'Steward_Test', feedback_url: 'https://intergroup.example.org/feedback?m=1',
      venmo: '@StewardTest', paypal: 'paypal.me/StewardTest', square: '$StewardTest',
      conference_phone: '+16468769923,,85012345678#,,,,*123456#' },
    { ...base, name: 'Steward Mail Group', slug: 'steward-mail', time: '20:00' },
  ];
  execFileSync(path.join(ROOT, 'scripts', 'stack.sh'), ['import', '--quiet', '--format', 'meeting-guide',
    '--source', 'b-steward', '--name', 'Test Intergroup', '--timezone', 'America/Chicago', '--fellowship', 'aa',
    '--feedback-email', 'corrections@intergroup.example.org', '-'], { input: JSON.stringify(feed), stdio: ['pipe', 'ignore', 'inherit'] });
  const id = (key) => psql(`SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id
    WHERE s.slug = 'b-steward' AND m.source_key = '${key}'`);
  return { withUrl: id('Steward_Test'), withEmail: id('steward-mail') };
}

test('"Suggest a change" goes to the meeting\'s steward, beside "Report a problem"; "Contribute" links the group\'s handles', T, async (t) => {
  const ids = importStewardFeed();
  const { page, seen } = await openPage(browser, t);
  await visit(page, `/?meeting=${ids.withUrl}`);
  await page.waitForSelector('#detail-heading');
  const suggest = page.locator('#detail p.steward a');
  assert.equal(await suggest.textContent(), EN.detail.suggestChange.replace('{source}', 'Test Intergroup'));
  assert.equal(await suggest.getAttribute('href'), 'https://intergroup.example.org/feedback?m=1');
  assert.equal(await suggest.getAttribute('target'), '_blank');
  assert.equal(await page.locator('#detail p.steward + details.report').count(), 1, 'beside "Report a problem"');
  const contribute = await page.$$eval('#detail p.contribute a', (a) => a.map((x) => [x.textContent, x.href]));
  assert.deepEqual(contribute, [
    ['Venmo @StewardTest', 'https://venmo.com/u/StewardTest'],
    ['PayPal paypal.me/StewardTest', 'https://paypal.me/StewardTest'],
    ['Cash App $StewardTest', 'https://cash.app/$StewardTest'],
  ]);
  assert.ok((await page.textContent('#detail p.contribute')).startsWith(`${EN.detail.contribute}: `));
  // A conference phone's button names the number; the codes after it are
  // said below, for a phone that does not dial them.
  const call = page.locator('#detail .join a[href^="tel:"]');
  assert.equal(await call.textContent(), EN.detail.callNumber.replace('{number}', '+16468769923'));
  assert.equal(await call.getAttribute('href'), 'tel:+16468769923,,85012345678%23,,,,*123456%23');
  assert.ok((await page.textContent('#detail .join')).includes(
    EN.detail.phoneCodes.replace('{codes}', '85012345678# · *123456#')));

  // Without a feedback_url of its own: a message to the source's address.
  await visit(page, `/?meeting=${ids.withEmail}&lang=es`);
  await page.waitForSelector('#detail-heading');
  assert.equal(await page.textContent('#detail p.steward a'), ES.detail.suggestChange.replace('{source}', 'Test Intergroup'));
  assert.equal(await page.getAttribute('#detail p.steward a', 'href'),
    `mailto:corrections@intergroup.example.org?subject=${encodeURIComponent('Steward Mail Group')}`);
  assert.equal(await page.locator('#detail p.contribute').count(), 0);
  await assertClean(page, seen);
});

// ---- failures ----

test('an API that cannot be reached is an alert, and Search tries again once it is back', T, async (t) => {
  const { page, seen, context } = await openPage(browser, t);
  await visit(page, '/?near=Chicago');
  await context.route('**/api/v1/meetings?*', (route) => route.abort('connectionrefused'));
  await openFilters(page);
  await page.check('#day-3');
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.textContent('#error p'), EN.errors.network);
  assert.equal(await page.textContent('#error button'), EN.errors.retry);
  // The refused search, and only it, failed; its console line goes with it.
  assert.ok(seen.failedRequests.length > 0, 'the search was refused');
  assert.deepEqual(seen.failedRequests.filter((r) => !isApi(r.split(': ')[0], 'meetings')), []);
  seen.failedRequests.length = 0;
  seen.consoleErrors = seen.consoleErrors.filter((m) => !/ERR_CONNECTION_REFUSED/.test(m));
  // The API is back: the same Search asks again and lists its answer.
  await context.unroute('**/api/v1/meetings?*');
  await page.click('#filters-done');
  const url = await searchAfter(page, () => page.click('#search-button'));
  assert.equal(new URL(url).searchParams.get('day'), '3');
  assert.equal(await page.isHidden('#error'), true);
  await expectListed(page, url);
  await assertClean(page, seen);
});

// ---- weight ----

// The finder's own modules: from index.html's scripts, every module they
// import, statically or on demand (the detail, the map); not the other
// pages' (partners, guide, developers).
function finderModules() {
  const web = path.join(ROOT, 'web');
  const html = readFileSync(path.join(web, 'index.html'), 'utf8');
  const queue = [...html.matchAll(/<script[^>]*\ssrc="\/?(js\/[^"]+\.js)"/g)].map((m) => m[1]);
  const found = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (found.has(file)) continue;
    found.add(file);
    const source = readFileSync(path.join(web, file), 'utf8');
    for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"]\.\/([\w-]+\.js)['"]/g)) queue.push(`js/${m[1]}`);
  }
  return [...found].sort().map((f) => `/${f}`);
}

test('the page\'s own JavaScript and CSS are at most 60 KB gzipped, as nginx sends them', T, async (t) => {
  const files = ['/style.css', ...finderModules(), '/embed.js'];
  assert.ok(files.includes('/js/map.js') && files.includes('/js/detail.js'), files.join(' '));
  let total = 0;
  for (const file of files) {
    const { status, bytes, encoding } = await gzipBytes(file);
    assert.equal(status, 200, file);
    if (bytes > 512) assert.equal(encoding, 'gzip', `${file} is sent gzipped`);
    total += bytes;
  }
  t.diagnostic(`own JS and CSS: ${files.length} files, ${total} bytes gzipped`);
  assert.ok(total <= 60 * 1024, `${total} bytes`);
});

test('a phone-sized screen: no sideways scrolling, and the search and results fit', T, async (t) => {
  const { page, seen } = await openPage(browser, t, { viewport: PHONE, isMobile: true, hasTouch: true });
  await visit(page, '/?near=Chicago');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await screenshot(page, 'phone-results');
  await page.locator('#results li.result a.open').first().click();
  await page.waitForSelector('#detail-heading');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await screenshot(page, 'phone-detail-meeting');
  await assertClean(page, seen);
});
