// What the browser suites share: Debian's Chromium driven by playwright-core
// (no browser download), a page that records every request, console
// message, error and cookie, helpers that ask the API directly, and
// screenshots for review. The stack under test is BASE_URL.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const ORIGIN = new URL(BASE_URL).origin;
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Screenshots of the main views, for a person to look at (make test: var/screenshots).
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(ROOT, 'var', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const TEST_TIMEOUT_MS = 90_000;
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };
// The zone and language the browser reports, unless a test says otherwise.
export const ZONE = 'America/New_York';

export const PAGE_SIZE = 25; // web/js/main.js

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// A new context and page with everything worth complaining about recorded:
// seen.requests holds every URL the page or its frames asked for.
export async function openPage(browser, t, contextOptions = {}) {
  const context = await browser.newContext({
    viewport: DESKTOP,
    locale: 'en-US',
    timezoneId: ZONE,
    ...contextOptions,
  });
  context.setDefaultTimeout(15_000);
  t.after(() => context.close());
  const page = await context.newPage();
  const seen = {
    requests: [],
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    badResponses: [],
    setCookies: [],
  };
  context.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  context.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText || '';
    // A search replaced by a newer one is aborted on purpose.
    if (!/ERR_ABORTED/.test(reason)) seen.failedRequests.push(`${request.url()}: ${reason}`);
  });
  context.on('response', async (response) => {
    if (response.status() >= 400) seen.badResponses.push(`${response.status()} ${response.url()}`);
    const cookie = await response.headerValue('set-cookie').catch(() => null);
    if (cookie) seen.setCookies.push(`${response.url()}: ${cookie}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, page, seen };
}

// Fails on errors the page met, and checks that nothing was asked of any
// host but the finder's own (allowed: extra origins a test expects).
export async function assertClean(page, seen, { allowed = [], statuses = [] } = {}) {
  assert.deepEqual(seen.pageErrors, [], 'uncaught errors in the page');
  assert.deepEqual(seen.consoleErrors.filter((m) => !statuses.some((s) => m.includes(`status of ${s}`))), [],
    'console errors');
  assert.deepEqual(seen.failedRequests, [], 'failed requests');
  assert.deepEqual(seen.badResponses.filter((r) => !statuses.some((s) => r.startsWith(`${s} `))), [],
    'responses with an error status');
  assert.deepEqual(seen.setCookies, [], 'Set-Cookie headers');
  assert.deepEqual(await page.context().cookies(), [], 'cookies in the browser');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations');
  assert.deepEqual(elsewhere(seen, allowed), [], "requests to anywhere but the finder's own origin");
}

export function elsewhere(seen, allowed = []) {
  return seen.requests.filter((url) => {
    const { protocol, origin } = new URL(url);
    return origin !== ORIGIN && !allowed.includes(origin) && protocol !== 'data:' && protocol !== 'blob:';
  });
}

export async function api(pathAndQuery) {
  const response = await fetch(`${BASE_URL}/api/v1/${pathAndQuery}`, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  assert.equal(response.status, 200, `GET /api/v1/${pathAndQuery}: ${JSON.stringify(body)}`);
  return body;
}

export function isApi(url, endpoint) {
  const u = new URL(url);
  return u.origin === ORIGIN && u.pathname === `/api/v1/${endpoint}`;
}

// Waits until the result list answers the search on screen.
export async function settled(page) {
  await page.waitForFunction(() => {
    const section = document.getElementById('results-section');
    const count = document.getElementById('result-count');
    const error = document.getElementById('error');
    return section.getAttribute('aria-busy') === 'false'
      && ((count.textContent !== '' && !/Searching|Buscando/.test(count.textContent)) || !error.hidden);
  });
}

// Opens a page of the finder (path and query) and waits for its results.
export async function visit(page, query = '/') {
  const response = await page.goto(`${BASE_URL}${query}`);
  assert.equal(response.status(), 200);
  await settled(page);
}

export async function listed(page) {
  return page.$$eval('#results li.result', (items) => items.map((li) => li.dataset.id));
}

// Whether text is a Join button's words for a meeting's link: "Join on
// Zoom" where the link is Zoom's (and Google Meet's, Teams'), "Join online"
// or "Join on <provider>" otherwise (imported feeds bring other services).
export function isJoinLabel(catalog, url, text) {
  const host = new URL(url).hostname;
  const known = [[/(^|\.)zoom\.(us|com)$/, 'Zoom'], [/^meet\.google\.com$/, 'Google Meet'],
    [/(^|\.)teams\.(microsoft|live)\.com$/, 'Microsoft Teams']].find(([re]) => re.test(host));
  const [before, after] = catalog.detail.joinWith.split('{provider}');
  if (known) return text === `${before}${known[1]}${after}`;
  return text === catalog.detail.join
    || (text.startsWith(before) && text.endsWith(after) && text.length > before.length + after.length);
}

// What a person sees on the screen (the first screen is what counts most);
// fullPage: the whole page as well, as NAME-full.png.
// A whole long page (the developer page is dozens of phone screens) takes
// Chromium well over the 15 s of an action on a loaded machine: it has a
// minute of its own, still inside the test's own limit.
export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  if (fullPage) {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-full.png`), fullPage: true, timeout: 60_000 });
  }
}

// axe-core over the page as it is now: returns the violations, each as
// "rule: target, target". axe runs through CDP, outside the page's CSP.
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export async function axeViolations(page, frame = page) {
  await frame.evaluate(AXE_SOURCE);
  const results = await frame.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

// The offset (minutes east of UTC) of zone at the instant date.
export function zoneOffsetMinutes(zone, date) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - date.getTime()) / 60000);
}

// The same by the server's zone data (PostgreSQL's, through
// scripts/stack.sh psql), which the API's times come from.
export function serverOffsetMinutes(zone, date) {
  assert.match(zone, /^[A-Za-z0-9_+/-]+$/);
  const at = `'${date.toISOString()}'::timestamptz`;
  return Number(execFileSync(path.join(ROOT, 'scripts', 'stack.sh'), ['psql', '-tA', '-c',
    `SELECT extract(epoch FROM (${at} AT TIME ZONE '${zone}') - (${at} AT TIME ZONE 'UTC')) / 60`],
  { encoding: 'utf8' }).trim());
}

// Why a test that formats date in zones with Node's Intl must not compare
// with the page's (or the server's) times, or null: Node's ICU zone data
// (Debian 12's node uses the system's ICU 72.1, tzdata 2022e) may predate a
// change of a zone's rules that the server knows of.
export function zoneDataDisagrees(zones, date) {
  for (const zone of zones) {
    const node = zoneOffsetMinutes(zone, date);
    const server = serverOffsetMinutes(zone, date);
    if (node !== server) {
      return `Node's zone data (ICU ${process.versions.icu}, tz ${process.versions.tz}) puts ${zone} at ` +
        `UTC${node >= 0 ? '+' : ''}${node / 60} on ${date.toISOString()}, the server at UTC${server >= 0 ? '+' : ''}${server / 60}`;
    }
  }
  return null;
}

// ---- keyboard, focus and layout (test_access.mjs) ----

// A PNG of one colour, width x height, e.g. a map tile a test serves with
// context.route while the network is closed.
export function solidPng(width = 256, height = 256, [r, g, b] = [220, 226, 222]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB
  const row = Buffer.alloc(1 + width * 3); // filter byte 0, then the pixels
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = require('node:zlib').deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

// What the focused element is, for messages: "a#id.class "its text"".
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string'
      ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${text}"`;
  });
}

// Presses Tab (Shift+Tab with shift) until the focused element matches
// selector (and, with text, has that text); returns the number of presses.
// Fails after max presses.
export async function tabTo(page, selector, { text = null, shift = false, max = 200 } = {}) {
  const matches = () => page.evaluate(([sel, want]) => {
    const el = document.activeElement;
    return Boolean(el?.matches(sel)) && (want === null || el.textContent.trim() === want);
  }, [selector, text]);
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    if (await matches()) return presses;
  }
  assert.fail(`${max} presses of ${shift ? 'Shift+Tab' : 'Tab'} never reached ${selector}`
    + `${text === null ? '' : ` "${text}"`}; focus is on ${await focused(page)}`);
}

// The focused element's focus indicator as computed: visible when it has
// an outline (not none, wider than 0, not transparent) or a box-shadow.
export async function focusIndicator(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && !/rgba\(.*,\s*0\)$|transparent/.test(style.outlineColor);
    const shadowed = style.boxShadow !== 'none' && style.boxShadow !== '';
    return { outline, boxShadow: style.boxShadow, visible: outlined || shadowed };
  });
}

// How wide the document is against the viewport: no sideways scrolling
// when scrollWidth <= innerWidth.
export async function widths(page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}
