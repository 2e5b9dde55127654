// The page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), against a running stack: BASE_URL, e.g.
//   BASE_URL=http://127.0.0.1:8091 node --test tests/browser/test_page.mjs
// The tests depend on no meeting name or count, only on the page agreeing
// with the API. With SCREENSHOT_DIR set, a phone-sized screenshot of the
// results is saved there as page-results.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ORIGIN = new URL(BASE_URL).origin;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const PAGE_SIZE = 25; // web/js/main.js
const PHONE = { width: 360, height: 740 };
const TEST_TIMEOUT_MS = 60_000;

// The coordinates the page sends for a city, read from the page's own source
// so that the tests follow it if a city moves.
function cityCoordinates(id) {
  const source = readFileSync(path.join(ROOT, 'web', 'js', 'search.js'), 'utf8');
  const match = new RegExp(
    `\\{\\s*id:\\s*'${id}',\\s*lat:\\s*(-?[0-9.]+),\\s*lng:\\s*(-?[0-9.]+)\\s*\\}`,
  ).exec(source);
  assert.ok(match, `web/js/search.js has no coordinates for ${id}`);
  return { lat: match[1], lng: match[2] };
}
const CHICAGO = cityCoordinates('chicago');

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

// ---- helpers ----

async function api(pathAndQuery) {
  const response = await fetch(`${BASE_URL}/api/v1/${pathAndQuery}`, {
    headers: { Accept: 'application/json' },
  });
  const body = await response.json();
  assert.equal(response.status, 200, `GET /api/v1/${pathAndQuery}: ${JSON.stringify(body)}`);
  return body;
}

function meetingsQuery(params) {
  return `meetings?${new URLSearchParams(params)}`;
}

// A new context and page, with everything worth complaining about recorded.
async function openPage(t, contextOptions = {}) {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 800 },
    ...contextOptions,
  });
  context.setDefaultTimeout(15_000);
  t.after(() => context.close());
  const page = await context.newPage();
  const seen = {
    requests: [], // every URL the page asked for
    consoleErrors: [],
    cspMessages: [],
    pageErrors: [],
    failedRequests: [],
    badResponses: [],
  };
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error') seen.consoleErrors.push(text);
    if (/Content[- ]Security[- ]Policy/i.test(text)) seen.cspMessages.push(text);
  });
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  page.on('requestfailed', (request) => {
    seen.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) seen.badResponses.push(`${response.status()} ${response.url()}`);
  });
  // CSP violations as the page itself sees them (an init script is not
  // subject to the page's CSP).
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, page, seen };
}

async function load(page) {
  const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'networkidle' });
  assert.equal(response.status(), 200);
  // main.js has run once the city select is filled.
  await page.waitForFunction(() => document.querySelectorAll('#city option').length > 1);
}

function isMeetingsSearch(url) {
  const u = new URL(url);
  return u.origin === ORIGIN && u.pathname === '/api/v1/meetings';
}

async function settled(page) {
  await page.waitForFunction(
    () => document.getElementById('results-section').getAttribute('aria-busy') === 'false',
  );
}

// Fills the form, submits it and waits until the answer is shown. Returns
// the search parameters of the request the page sent.
async function search(page, { city = 'chicago', radius = '25', day = '', fellowship = '' } = {}) {
  await page.selectOption('#city', city);
  await page.selectOption('#radius', radius);
  await page.selectOption('#day', day);
  await page.selectOption('#fellowship', fellowship);
  const [response] = await Promise.all([
    page.waitForResponse((r) => isMeetingsSearch(r.url())),
    page.click('#search-form button[type="submit"]'),
  ]);
  await settled(page);
  return new URL(response.url()).searchParams;
}

async function listedIds(page) {
  return page.$$eval('#results li.meeting', (items) => items.map((li) => Number(li.dataset.id)));
}

// "1,234 meetings found" -> 1234
function countIn(text) {
  const match = /([0-9][0-9,]*)\s+meetings?\s+found/.exec(text);
  assert.ok(match, `the result count says how many were found: ${JSON.stringify(text)}`);
  return Number(match[1].replace(/,/g, ''));
}

async function outlineOf(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      id: el.id,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      boxShadow: style.boxShadow,
    };
  });
}

function hasVisibleFocus(style) {
  return (style.outlineStyle !== 'none' && style.outlineWidth > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
}

// ---- tests ----

test('the page loads and searches without errors, third-party requests, cookies or CSP violations',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { context, page, seen } = await openPage(t);
    await load(page);
    // A search too, so that the API calls are held to the same rules.
    await search(page);
    assert.ok((await listedIds(page)).length > 0, 'the search listed meetings');
    await page.waitForLoadState('networkidle');

    assert.deepEqual(seen.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(seen.consoleErrors, [], 'console errors');
    assert.deepEqual(seen.failedRequests, [], 'failed requests');
    assert.deepEqual(seen.badResponses, [], 'responses with an error status');
    assert.deepEqual(seen.cspMessages, [], 'Content Security Policy messages');
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations');

    assert.ok(seen.requests.some((url) => url.startsWith(`${ORIGIN}/api/v1/health`)),
      'the page asked the API for its health');
    assert.ok(seen.requests.some(isMeetingsSearch), 'the page searched the API');
    const elsewhere = seen.requests.filter((url) => {
      const { protocol, origin } = new URL(url);
      return origin !== ORIGIN && protocol !== 'data:';
    });
    assert.deepEqual(elsewhere, [], 'requests to anywhere but the page\'s own origin');

    assert.deepEqual(await context.cookies(), [], 'cookies set');
  });

test('the demo notice says the data is fictional', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const health = await api('health');
  assert.equal(health.demo, true, 'the test stack serves demo data (/api/v1/health)');
  const { page, seen } = await openPage(t);
  await load(page);
  const notice = page.locator('#demo-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.innerText(), /fictional/i);
  assert.deepEqual(seen.pageErrors, []);
});

test('a search for Chicago lists the API\'s first page, in its order, with the API\'s count',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(t);
    await load(page);
    const sent = await search(page, { city: 'chicago', radius: '25' });

    // The page sent the coordinates of web/js/search.js and asked for one page.
    assert.equal(Number(sent.get('lat')), Number(CHICAGO.lat));
    assert.equal(Number(sent.get('lng')), Number(CHICAGO.lng));
    assert.equal(sent.get('radius_km'), '25');
    assert.equal(sent.get('limit'), String(PAGE_SIZE));
    assert.equal(sent.get('offset'), '0');

    const expected = await api(meetingsQuery({
      lat: CHICAGO.lat, lng: CHICAGO.lng, radius_km: 25, limit: PAGE_SIZE, offset: 0,
    }));
    assert.ok(expected.count > 0, 'the API has meetings within 25 km of Chicago');

    const ids = await listedIds(page);
    assert.ok(ids.length > 0 && ids.length <= PAGE_SIZE, `listed ${ids.length}`);
    assert.deepEqual(ids, expected.meetings.map((m) => m.id), 'listed in the API\'s order');

    const countText = await page.locator('#result-count').innerText();
    assert.equal(countIn(countText), expected.count, `count text ${JSON.stringify(countText)}`);
    assert.equal(await page.locator('#more').isVisible(), expected.count > ids.length,
      '"Show more" is offered exactly when there are more');

    // Each meeting met in person shows its distance; an online meeting says
    // "Online" instead (its place only hints at its time zone).
    const items = page.locator('#results li.meeting');
    for (let i = 0; i < ids.length; i += 1) {
      const meeting = expected.meetings[i];
      const item = items.nth(i);
      const squash = (text) => String(text).replace(/\s+/g, ' ').trim();
      assert.equal(squash(await item.locator('h3').innerText()), squash(meeting.name));
      const distance = item.locator('.distance');
      if (meeting.attendance === 'online') {
        assert.equal(await distance.count(), 0, `online meeting ${meeting.id} shows no distance`);
        assert.equal(await item.locator('.where').innerText(), 'Online');
      } else {
        assert.equal(await distance.count(), 1, `meeting ${meeting.id} shows a distance`);
        const text = await distance.innerText();
        const match = /^([0-9][0-9,]*(?:\.[0-9])?) km away$/.exec(text);
        assert.ok(match, `distance text ${JSON.stringify(text)}`);
        const shown = Number(match[1].replace(/,/g, ''));
        assert.ok(Math.abs(shown - meeting.distance_km) <= 0.05 + 1e-9,
          `meeting ${meeting.id}: shows ${shown} km, the API says ${meeting.distance_km}`);
      }
    }
    assert.deepEqual(seen.pageErrors, []);
  });

test('the day and fellowship filters reach the API', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // A day and fellowship that some meeting near Chicago has, so that the
  // filtered list is not empty whatever the data.
  const all = await api(meetingsQuery({
    lat: CHICAGO.lat, lng: CHICAGO.lng, radius_km: 25, limit: 100, offset: 0,
  }));
  const { page, seen } = await openPage(t);
  await load(page);
  const offered = await page.$$eval('#fellowship option', (options) => options.map((o) => o.value));
  const pick = all.meetings.find((m) => Number.isInteger(m.day)
    && m.fellowship && offered.includes(m.fellowship.slug));
  assert.ok(pick, 'some meeting near Chicago has a day and a fellowship the form offers');
  const day = String(pick.day);
  const fellowship = pick.fellowship.slug;

  const sent = await search(page, { city: 'chicago', radius: '25', day, fellowship });
  assert.equal(sent.get('day'), day);
  assert.equal(sent.get('fellowship'), fellowship);

  const ids = await listedIds(page);
  assert.ok(ids.length > 0, 'the filtered search lists meetings');
  const expected = await api(meetingsQuery({
    lat: CHICAGO.lat, lng: CHICAGO.lng, radius_km: 25, day, fellowship, limit: PAGE_SIZE, offset: 0,
  }));
  assert.deepEqual(ids, expected.meetings.map((m) => m.id));
  assert.equal(countIn(await page.locator('#result-count').innerText()), expected.count);

  for (const id of ids) {
    const meeting = await api(`meetings/${id}`);
    assert.equal(meeting.day, pick.day, `meeting ${id} meets on day ${day}`);
    assert.equal(meeting.fellowship.slug, fellowship, `meeting ${id} is ${fellowship}`);
  }
  assert.deepEqual(seen.pageErrors, []);
});

test('"Show more" appends the next page in the API\'s order', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const query = { lat: CHICAGO.lat, lng: CHICAGO.lng, radius_km: 100, limit: PAGE_SIZE };
  const first = await api(meetingsQuery({ ...query, offset: 0 }));
  if (first.count <= PAGE_SIZE) {
    t.skip(`only ${first.count} meetings within 100 km of Chicago: no second page`);
    return;
  }
  const second = await api(meetingsQuery({ ...query, offset: PAGE_SIZE }));

  const { page, seen } = await openPage(t);
  await load(page);
  await search(page, { city: 'chicago', radius: '100' });
  assert.deepEqual(await listedIds(page), first.meetings.map((m) => m.id));
  const more = page.locator('#more');
  assert.ok(await more.isVisible(), '"Show more" is offered');

  const [response] = await Promise.all([
    page.waitForResponse((r) => isMeetingsSearch(r.url())),
    more.click(),
  ]);
  await settled(page);
  const sent = new URL(response.url()).searchParams;
  assert.equal(sent.get('offset'), String(PAGE_SIZE));
  assert.equal(sent.get('radius_km'), '100');

  const ids = await listedIds(page);
  assert.deepEqual(ids, [...first.meetings, ...second.meetings].map((m) => m.id));
  assert.equal(countIn(await page.locator('#result-count').innerText()), first.count);
  assert.equal(await more.isVisible(), first.count > ids.length);

  // Focus moves to the first new meeting, with a visible outline.
  const focused = await page.evaluate(() => document.activeElement.closest('li.meeting')?.dataset.id);
  assert.equal(Number(focused), second.meetings[0].id, 'focus is on the first new meeting');
  assert.ok(hasVisibleFocus(await outlineOf(page)), 'the focused meeting has a visible outline');
  assert.deepEqual(seen.pageErrors, []);
});

test('an API failure is shown as an alert', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const message = 'The meeting database is unavailable; try again shortly.';
  const { page, seen } = await openPage(t);
  await page.route('**/api/v1/meetings*', (route) => route.fulfill({
    status: 503,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'database_unavailable', message } }),
  }));
  await load(page);
  const error = page.locator('#error');
  assert.equal(await error.isVisible(), false, 'no error before a search');
  await search(page);
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.innerText(), message);
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.deepEqual(await listedIds(page), [], 'no meetings listed');
  assert.equal(await page.locator('#result-count').innerText(), '');
  assert.equal(await page.locator('#more').isVisible(), false);

  // A search that then works clears the alert.
  await page.unroute('**/api/v1/meetings*');
  await search(page);
  assert.equal(await error.isVisible(), false, 'the alert is gone after a good search');
  assert.ok((await listedIds(page)).length > 0);
  assert.deepEqual(seen.pageErrors, []);
});

test('a 360-px phone screen: no sideways scrolling, the search button in view',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(t, {
      viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    await load(page);
    const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(await scrollWidth() <= PHONE.width, `page width ${await scrollWidth()} before a search`);

    const button = page.locator('#search-form button[type="submit"]');
    await button.scrollIntoViewIfNeeded();
    assert.ok(await button.isVisible(), 'the search button is visible');
    const box = await button.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width,
      `the search button fits across the screen: ${JSON.stringify(box)}`);

    await search(page, { city: 'chicago', radius: '25' });
    assert.ok((await listedIds(page)).length > 0);
    assert.ok(await scrollWidth() <= PHONE.width, `page width ${await scrollWidth()} with results`);

    if (SCREENSHOT_DIR) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      // The top of the page down to the first few meetings.
      await page.evaluate(() => window.scrollTo(0, 0));
      const top = await page.locator('#results li.meeting').nth(2).boundingBox();
      const height = Math.ceil((top ? top.y + top.height : PHONE.height) + 16);
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, 'page-results.png'),
        fullPage: true,
        clip: { x: 0, y: 0, width: PHONE.width, height },
      });
    }
    assert.deepEqual(seen.pageErrors, []);
  });

test('the keyboard reaches the city and the search button, with a visible focus',
  { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, seen } = await openPage(t);
    await load(page);
    const reached = [];
    let city = null;
    let submit = null;
    for (let i = 0; i < 30 && !(city && submit); i += 1) {
      await page.keyboard.press('Tab');
      const focus = await outlineOf(page);
      reached.push(focus.id || focus.tag);
      if (focus.id === 'city') city = focus;
      if (focus.tag === 'button' && focus.type === 'submit') submit = focus;
    }
    assert.ok(city, `Tab reaches the city select (reached: ${reached.join(', ')})`);
    assert.ok(submit, `Tab reaches the search button (reached: ${reached.join(', ')})`);
    assert.ok(reached.indexOf('city') < reached.lastIndexOf('button'), 'the city comes before the button');
    assert.ok(hasVisibleFocus(city), `the focused city select shows it: ${JSON.stringify(city)}`);
    assert.ok(hasVisibleFocus(submit), `the focused search button shows it: ${JSON.stringify(submit)}`);

    // Enter on the button submits; with no city chosen the page asks for
    // one instead of searching.
    await page.keyboard.press('Enter');
    await page.locator('#error').waitFor({ state: 'visible' });
    assert.equal(seen.requests.filter(isMeetingsSearch).length, 0, 'no search without a place');
    assert.match(await page.locator('#error').innerText(), /city/i);
    assert.deepEqual(seen.pageErrors, []);
  });
