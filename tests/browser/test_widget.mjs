// The partner widget (web/embed.js) as a partner's visitor meets it: pages on
// another origin (a second nginx, on a free port, serving pages written
// here) that hold the snippet; the finder in its iframe with the snippet's
// presets, as tall as its content; nothing crossing between the two pages
// but the finder's height; the API called straight from the partner's
// origin; and the partners page (web/partners.html) that builds the snippet,
// whose code is then run on the partner's server.
//
//   cd tests/browser && BASE_URL=http://127.0.0.1:8080 node --test test_widget.mjs
//
// The tests depend on no meeting name or count, only on the widget agreeing
// with the API, and on the demo data having meetings for families near
// Kansas City, MO (the issue's example).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  BASE_URL, ORIGIN, PHONE, ROOT, TEST_TIMEOUT_MS, ZONE, api, assertClean, launch, listed, openPage,
  screenshot, settled,
} from './lib.mjs';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const ES = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'es.json'), 'utf8'));
const EN = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const HEIGHT_MESSAGE = 'recovery-finder:height'; // web/js/main.js, web/embed.js
const SLACK_PX = 2; // heights are rounded up to whole pixels on the way

// The issue's snippet, with the finder's origin for FINDER-HOST.
const ISSUE_SNIPPET = '<script src="https://FINDER-HOST/embed.js" data-for="family" '
  + 'data-fellowship="al-anon,nar-anon" data-lang="es" data-near="Kansas City, MO" async></script>';
const SNIPPET = ISSUE_SNIPPET.replace('https://FINDER-HOST', ORIGIN);
// Its presets, as the iframe's URL must carry them.
const PRESETS = { for: 'family', fellowship: 'al-anon,nar-anon', lang: 'es', near: 'Kansas City, MO' };
// The first page of the search those presets make (web/js/state.js
// meetingParams, in the browser's zone; web/js/main.js PAGE_SIZE).
const PRESET_SEARCH = {
  near: 'Kansas City, MO', tz: ZONE, fellowship: 'al-anon,nar-anon', for: 'family', limit: '25', offset: '0',
};
// A snippet whose search has results in any demo data (the test stack loads
// only a few thousand meetings, and the issue's search may find none): for
// the tests that open a result.
const CITY_SNIPPET = `<script src="${ORIGIN}/embed.js" data-lang="es" data-near="Chicago" async></script>`;
const CITY_PRESETS = { lang: 'es', near: 'Chicago' };
const CITY_SEARCH = { near: 'Chicago', tz: ZONE, limit: '25', offset: '0' };
const SECOND_SNIPPET = `<script src="${ORIGIN}/embed.js" data-tab="services" data-near="Chicago" data-lang="en" async></script>`;

let browser;
let partner; // { origin, dir, child }
let PARTNER = '';

// ---- the partner's server: a second nginx ----

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A partner's site: static pages from dir/pages and nothing else, with every
// file nginx writes kept in dir. No `user`: as root, the workers run as
// nginx's default unprivileged user, which reads the pages because the
// directory and its files are world-readable.
function partnerConf(dir, port, finderOrigin) {
  const at = (name) => JSON.stringify(path.join(dir, name));
  return `worker_processes 1;
daemon off;
pid ${at('nginx.pid')};
error_log ${at('error.log')} warn;
events { worker_connections 64; }
http {
    types { text/html html; text/plain txt; }
    default_type application/octet-stream;
    access_log ${at('access.log')};
    client_body_temp_path ${at('temp/client_body')};
    proxy_temp_path ${at('temp/proxy')};
    fastcgi_temp_path ${at('temp/fastcgi')};
    uwsgi_temp_path ${at('temp/uwsgi')};
    scgi_temp_path ${at('temp/scgi')};
    server {
        listen 127.0.0.1:${port};
        root ${at('pages')};
        add_header Cache-Control "no-store";
        # A partner whose site allows nothing but the finder's script and frame.
        location = /strict.html {
            add_header Cache-Control "no-store";
            add_header Content-Security-Policy "default-src 'none'; script-src ${finderOrigin}; frame-src ${finderOrigin}; style-src 'self'; img-src data:; base-uri 'none'";
        }
    }
}
`;
}

// A partner's page around some markup of its own.
function partnerPage(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
</head>
<body>
<h1>${title}</h1>
<p>Support for families in our area, from our friends at Recovery Finder:</p>
${body}
<p id="partner-footer">Our own footer, below the finder.</p>
</body>
</html>
`;
}

async function writePage(name, html) {
  const file = path.join(partner.dir, 'pages', name);
  await writeFile(file, html);
  await chmod(file, 0o644);
}

async function writePartnerPages() {
  await writePage('partner.html', partnerPage('Family Support of Example County', SNIPPET));
  await writePage('city.html', partnerPage('Chicago Area Intergroup', CITY_SNIPPET));
  await writePage('two.html', partnerPage('Two finders', `${SNIPPET}\n<p id="between">Services, too:</p>\n${SECOND_SNIPPET}`));
  await writePage('strict.html', partnerPage('A strict site', SNIPPET));
  await writePage('framed.html', partnerPage('Framing the finder',
    `<iframe id="main-page" title="The finder's main page" src="${ORIGIN}/"></iframe>\n`
    + `<iframe id="embed-page" title="The finder's embed page" src="${ORIGIN}/embed?lang=es"></iframe>`));
  await writePage('own.html', partnerPage('Our own finder page', '<p id="own">We call the API ourselves.</p>'));
}

// Resolves once the server answers, or rejects with nginx's own words when
// it exits first (a port taken since freePort, a bad configuration).
async function partnerReady(child, origin, stderr) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`partner nginx exited (${child.exitCode ?? child.signalCode}): ${stderr.join('')}`);
    }
    try {
      const response = await fetch(`${origin}/own.html`);
      assert.equal(response.status, 200, `partner nginx: GET /own.html is ${response.status}`);
      return;
    } catch (err) {
      if (err instanceof assert.AssertionError || Date.now() > deadline) throw err;
    }
    await delay(50); // not listening yet
  }
}

async function startPartner() {
  const dir = await mkdtemp(path.join(tmpdir(), 'rf-partner-'));
  partner = { dir, child: null, origin: '' };
  await mkdir(path.join(dir, 'pages'));
  await mkdir(path.join(dir, 'temp'));
  await Promise.all([dir, path.join(dir, 'pages')].map((d) => chmod(d, 0o755)));
  await writePartnerPages();
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    await writeFile(conf, partnerConf(dir, port, ORIGIN));
    const stderr = [];
    const child = spawn(NGINX, ['-p', `${dir}/`, '-e', path.join(dir, 'error.log'), '-c', conf],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk) => stderr.push(String(chunk)));
    partner.child = child;
    partner.origin = `http://127.0.0.1:${port}`;
    try {
      await partnerReady(child, partner.origin, stderr);
      return;
    } catch (err) {
      await stopPartnerProcess();
      if (attempt >= 3 || !/Address already in use/.test(String(err))) throw err;
    }
  }
}

async function stopPartnerProcess() {
  const child = partner?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // nginx's fast shutdown: the master stops its workers, then itself
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

before(async () => {
  browser = await launch();
  await startPartner();
  PARTNER = partner.origin;
});

after(async () => {
  await browser?.close();
  await stopPartnerProcess();
  if (partner?.dir) await rm(partner.dir, { recursive: true, force: true });
});

// ---- helpers ----

async function visitPartner(page, name) {
  const response = await page.goto(`${PARTNER}/${name}`);
  assert.equal(response.status(), 200, `${PARTNER}/${name}`);
}

// The n-th widget iframe of the page and the finder inside it, once the
// finder shows its first search.
async function widget(page, n = 0) {
  const element = await page.locator('iframe.recovery-finder-frame').nth(n).elementHandle();
  const frame = await element.contentFrame();
  await frame.waitForURL((url) => url.origin === ORIGIN && url.pathname === '/embed');
  await settled(frame);
  return { element, frame };
}

// Waits until the iframe is as tall as the finder's body inside it, with no
// scroll bar of its own, and returns both heights as each page measures
// them. Inside the frame, window.innerHeight is the iframe's height (it has
// no border), so the condition is checked in one document; polled, as an
// iframe's animation frames may be throttled.
async function sizedToContent(element, frame) {
  const heights = () => frame.evaluate(() => ({
    body: document.body.getBoundingClientRect().height,
    frame: window.innerHeight,
    document: document.documentElement.scrollHeight,
  }));
  await frame.waitForFunction((slack) => {
    const body = document.body.getBoundingClientRect().height;
    return Math.abs(window.innerHeight - body) <= slack
      && document.documentElement.scrollHeight <= window.innerHeight;
  }, SLACK_PX, { polling: 100 }).catch(async (err) => {
    throw new assert.AssertionError({ message: `the iframe never fitted the finder: ${JSON.stringify(await heights())} (${err.message})` });
  });
  const body = await frame.evaluate(() => document.body.getBoundingClientRect().height);
  const height = await element.evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(Math.abs(height - body) <= SLACK_PX, `iframe ${height}px tall, the finder's body ${body}px`);
  return { height, body };
}

// The URL's query as a plain object.
function queryOf(url) {
  return Object.fromEntries(new URL(url).searchParams);
}

// The first page of the latest meetings search a finder asked for.
function latestMeetingsSearch(seen) {
  const url = seen.requests.findLast((u) => {
    const { origin, pathname, searchParams } = new URL(u);
    return origin === ORIGIN && pathname === '/api/v1/meetings' && searchParams.get('offset') === '0';
  });
  assert.ok(url, `no meetings search among ${seen.requests.join(' ')}`);
  return url;
}

// Checks that the finder in frame shows the issue's presets, in Spanish,
// and the API's first page for them; returns the API's answer.
async function assertPresetsShown(frame, seen) {
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'es');
  assert.equal(await frame.textContent('#search-button'), ES.search.submit);
  assert.equal(await frame.textContent('label[for="place"]'), ES.search.place);
  assert.equal(await frame.textContent('#filters-toggle [data-i18n="filters.title"]'), ES.filters.title);
  assert.equal(await frame.inputValue('#for'), 'family');
  assert.equal(await frame.$eval('#for', (s) => s.selectedOptions[0].textContent), ES.filters.forFamily);
  assert.deepEqual(await frame.$$eval('input[name="fellowship"]:checked', (boxes) => boxes.map((b) => b.value).sort()),
    ['al-anon', 'nar-anon']);
  assert.match(await frame.inputValue('#place'), /^Kansas City/);

  const asked = latestMeetingsSearch(seen);
  assert.deepEqual(queryOf(asked), PRESET_SEARCH, `the frame's search: ${asked}`);
  const answer = await api(`meetings?${new URLSearchParams(PRESET_SEARCH)}`);
  assert.deepEqual(await listed(frame), answer.meetings.map((m) => String(m.id)));
  // A small demo dataset may have no such meeting: the frame then says so.
  if (answer.meetings.length === 0) assert.equal(await frame.textContent('#result-count'), ES.results.none.meetings);
  // The heading says what is shown, the presets included; each preset is a
  // chip that removes it.
  const heading = await frame.textContent('#results-heading');
  assert.ok(heading.startsWith(`${ES.results.meetingsNear.replace('{place}', answer.near.label)} · ${ES.filters.forFamily}`),
    heading);
  const chips = await frame.$$eval('#chips .chip:not(.clear-all)', (buttons) => buttons.map((b) => b.textContent));
  assert.equal(chips.length, 3, chips.join(', '));
  assert.equal(chips[0], ES.filters.forFamily);
  return answer;
}

// Runs action, which the browser is expected to refuse, and takes out of
// seen what the refusal leaves there, after checking that the browser
// reported it: a console error matching message and, when failed is given,
// the failed request ({ url, reason }) and, if logged, its console line.
// Returns action's result and the refusal's words.
async function expectRefusal(page, seen, { message, failed = null }, action) {
  const consoleError = (matches) => page.waitForEvent('console', {
    predicate: (m) => m.type() === 'error' && matches(m.text()),
  });
  const loadFailure = `Failed to load resource: ${failed?.reason}`;
  const waits = [consoleError((text) => message.test(text))];
  if (failed) waits.push(page.context().waitForEvent('requestfailed', { predicate: (r) => r.url() === failed.url }));
  if (failed?.logged) waits.push(consoleError((text) => text === loadFailure));
  for (const wait of waits) wait.catch(() => {}); // awaited below, unless action throws
  const result = await action();
  const [refusal] = await Promise.all(waits);
  const takeOut = (list, item) => {
    const i = list.indexOf(item);
    assert.ok(i >= 0, `${item} was not recorded`);
    list.splice(i, 1);
  };
  takeOut(seen.consoleErrors, refusal.text());
  if (failed) takeOut(seen.failedRequests, `${failed.url}: ${failed.reason}`);
  if (failed?.logged) takeOut(seen.consoleErrors, loadFailure);
  return { result, text: refusal.text() };
}

// The finder's origin, and the partner's only for the page itself.
function assertOnlyTheTwoOrigins(seen, partnerPaths) {
  const partnerRequests = seen.requests.filter((u) => new URL(u).origin === PARTNER).map((u) => new URL(u).pathname);
  assert.deepEqual(partnerRequests, partnerPaths, "requests to the partner's origin");
  const others = seen.requests.filter((u) => ![PARTNER, ORIGIN].includes(new URL(u).origin));
  assert.deepEqual(others, [], 'requests to a third origin');
}

// assertClean, with the partner's origin allowed, and no CSP violation in
// any frame either (openPage records them in every frame; a frame the
// browser refused shows its own error page, where nothing is recorded).
async function clean(page, seen, options = {}) {
  await assertClean(page, seen, { allowed: [PARTNER], ...options });
  for (const frame of page.frames().slice(1)) {
    const violations = await frame.evaluate(() => window.__cspViolations).catch(() => undefined);
    if (violations !== undefined) assert.deepEqual(violations, [], `CSP violations in the frame ${frame.url()}`);
  }
}

// ---- the widget on a partner's page ----

test('the snippet puts the finder, with its presets, in one iframe right after the script', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'partner.html');
  const { frame } = await widget(page);

  const placed = await page.evaluate(() => {
    const script = document.querySelector('script[src$="/embed.js"]');
    const frames = document.querySelectorAll('iframe');
    return {
      count: frames.length,
      afterScript: script.nextElementSibling === frames[0],
      src: frames[0].src,
      title: frames[0].title,
      next: frames[0].nextElementSibling?.id,
    };
  });
  assert.equal(placed.count, 1, 'one iframe');
  assert.ok(placed.afterScript, 'the iframe follows the script tag');
  assert.equal(placed.next, 'partner-footer', "the partner's own content stays after it");
  assert.equal(placed.title, 'Recovery Finder');
  const src = new URL(placed.src);
  assert.equal(`${src.origin}${src.pathname}`, `${ORIGIN}/embed`);
  assert.deepEqual(queryOf(src), PRESETS);

  await assertPresetsShown(frame, seen);
  assert.equal(page.url(), `${PARTNER}/partner.html`);
  await clean(page, seen);
});

test('the iframe is as tall as the finder, and follows it as it changes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'partner.html');
  const { element, frame } = await widget(page);
  const first = await sizedToContent(element, frame);
  await screenshot(page, 'widget-partner-desktop');

  // The filters start closed: opening them (in the frame, in the page's
  // flow) makes the finder taller, closing them as short as before.
  assert.equal(await frame.isHidden('#filters'), true, 'the filters start closed');
  await frame.click('#filters-toggle');
  await frame.waitForFunction((before) => document.body.getBoundingClientRect().height > before + 50,
    first.body, { polling: 100 });
  const opened = await sizedToContent(element, frame);
  assert.ok(opened.height > first.height + 50, `the iframe grew with the finder: ${first.height} -> ${opened.height}`);

  await frame.click('#filters-toggle');
  await frame.waitForFunction((before) => document.body.getBoundingClientRect().height < before - 50,
    opened.body, { polling: 100 });
  const closed = await sizedToContent(element, frame);
  assert.ok(Math.abs(closed.height - first.height) <= SLACK_PX, `${first.height} -> ${closed.height}`);
  await clean(page, seen);
});

test("a meeting's detail opens inside the frame", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'city.html');
  const { element, frame } = await widget(page);
  const list = await sizedToContent(element, frame);
  // The last result: the visitor has scrolled the partner's page down to it.
  const id = (await listed(frame)).at(-1);
  assert.ok(id, 'the frame lists meetings near Chicago');
  const meeting = await api(`meetings/${id}`);

  await frame.click(`#results li.result[data-id="${id}"] a.open`);
  await frame.waitForFunction(() => document.getElementById('detail-heading') !== null);
  assert.equal(await frame.textContent('#detail-heading'), meeting.name);
  assert.equal(await frame.isHidden('#results-section'), true);
  const url = new URL(frame.url());
  assert.equal(`${url.origin}${url.pathname}`, `${ORIGIN}/embed`);
  assert.deepEqual(queryOf(url), { ...CITY_PRESETS, meeting: id }, 'the presets stay, with the meeting');
  assert.equal(page.url(), `${PARTNER}/city.html`, "the partner's page stays where it is");
  await frame.waitForFunction((before) => Math.abs(document.body.getBoundingClientRect().height - before) > 20,
    list.body, { polling: 100 });
  await sizedToContent(element, frame);
  // The iframe shrank under the visitor: the heading must still be in view.
  const box = await frame.locator('#detail-heading').boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height,
    `the detail's heading is at ${Math.round(box.y)}px, outside the partner's ${viewport.height}px window`);

  // Back to the list, still inside the frame.
  await frame.click('#detail button.back');
  await frame.waitForFunction(() => document.getElementById('detail').hidden);
  assert.deepEqual(queryOf(frame.url()), CITY_PRESETS);
  assert.deepEqual(await listed(frame), (await api(`meetings?${new URLSearchParams(CITY_SEARCH)}`)).meetings.map((m) => String(m.id)));
  await sizedToContent(element, frame);
  await clean(page, seen);
});

// The links a visitor can see in the frame that would load a page in the
// frame itself (no target, no download, http or https), as [id or text, URL].
function sameFrameLinks(frame) {
  return frame.$$eval('a[href]', (links) => links
    .filter((a) => !a.target && !a.hasAttribute('download') && /^https?:$/.test(a.protocol)
      && a.getClientRects().length > 0)
    .map((a) => [a.id || a.textContent.trim().slice(0, 40), a.href]));
}

// The frame may only go where framing is allowed: /embed, on the finder's
// origin (web/js/main.js opens a detail there). Any other page of the
// finder answers frame-ancestors 'self' and would leave an error page in
// the partner's site; other sites' pages belong in a new tab.
function assertStayInEmbed(links, view) {
  const leaving = links.filter(([, href]) => {
    const url = new URL(href);
    return url.origin !== ORIGIN || url.pathname !== '/embed';
  }).map(([name, href]) => `${name} -> ${href}`);
  assert.deepEqual(leaving, [], `links in the ${view} that would navigate the frame away from /embed (where it may not be framed)`);
}

test('links inside the frame keep it on /embed, or open a new tab', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'city.html');
  const { frame } = await widget(page);
  const inList = await sameFrameLinks(frame);
  assert.ok(inList.length > 0);
  const [id] = await listed(frame);
  await frame.click(`#results li.result[data-id="${id}"] a.open`);
  await frame.waitForFunction(() => document.getElementById('detail-heading') !== null);
  const inDetail = await sameFrameLinks(frame);
  assertStayInEmbed(inList, 'list');
  assertStayInEmbed(inDetail, 'detail');
  await clean(page, seen);
});

test('"use my location" works inside the frame', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // Near Kansas City; the finder rounds the position to three decimals.
  const here = { latitude: 39.09973, longitude: -94.57857 };
  const { page, seen } = await openPage(browser, t, { geolocation: here, permissions: ['geolocation'] });
  await visitPartner(page, 'partner.html');
  const { frame } = await widget(page);
  await frame.click('#locate');
  await frame.waitForURL((url) => url.searchParams.has('lat'));
  await settled(frame);
  assert.equal(await frame.textContent('#locate-status'), ES.search.located);
  const asked = queryOf(latestMeetingsSearch(seen));
  assert.deepEqual(asked, {
    lat: '39.1', lng: '-94.579', tz: ZONE, fellowship: 'al-anon,nar-anon', for: 'family', limit: '25', offset: '0',
  });
  const answer = await api(`meetings?${new URLSearchParams(asked)}`);
  assert.deepEqual(await listed(frame), answer.meetings.map((m) => String(m.id)));
  await clean(page, seen);
});

test('nothing crosses between the partner and the finder but the height', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { context, page, seen } = await openPage(browser, t);
  const referers = [];
  context.on('request', (request) => referers.push([request.url(), request.headers().referer || '']));
  // Every frame records the messages it receives, from its first script on.
  await page.addInitScript(() => {
    window.__messages = [];
    window.addEventListener('message', (event) => {
      window.__messages.push({ origin: event.origin, fromParent: window !== window.top && event.source === window.parent, data: event.data });
    });
  });
  await visitPartner(page, 'partner.html');
  const { element, frame } = await widget(page);
  const { height } = await sizedToContent(element, frame);

  assertOnlyTheTwoOrigins(seen, ['/partner.html']);
  // The partner's address never reaches the finder: the iframe is loaded
  // without a referrer and the finder sends none.
  for (const [url, referer] of referers) {
    if (new URL(url).origin !== ORIGIN) continue;
    assert.ok(!referer.includes('/partner.html'), `${url} was sent the partner's page: ${referer}`);
    if (!url.endsWith('/embed.js')) assert.equal(referer, '', `${url} carries a Referer`);
  }
  assert.equal(await frame.evaluate(() => document.referrer), '');
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal(await frame.evaluate(() => document.cookie), '');

  const received = await page.evaluate(() => window.__messages);
  assert.ok(received.length > 0, 'the finder told the partner its height');
  for (const message of received) {
    assert.equal(message.origin, ORIGIN);
    assert.deepEqual(Object.keys(message.data).sort(), ['height', 'type']);
    assert.equal(message.data.type, HEIGHT_MESSAGE);
    assert.equal(typeof message.data.height, 'number');
  }
  assert.ok(Math.abs(received.at(-1).data.height - height) <= SLACK_PX, 'the last height is the one shown');
  assert.deepEqual(await frame.evaluate(() => window.__messages), [], 'the partner sent the finder nothing');

  // A height message from anyone but the finder's frame is ignored: the
  // partner's page itself, and another frame of the partner's.
  const shown = await element.evaluate((el) => el.style.height);
  const fake = { type: HEIGHT_MESSAGE, height: Math.round(height) + 777 };
  await page.evaluate((data) => new Promise((resolve) => {
    // Listeners run in the order they were added: this one, added after
    // embed.js's, runs once embed.js has seen the message.
    window.addEventListener('message', function seen(event) {
      if (event.source !== window) return;
      window.removeEventListener('message', seen);
      resolve();
    });
    window.postMessage(data, '*');
  }), fake);
  assert.equal(await element.evaluate((el) => el.style.height), shown, "the partner's own message moved the iframe");
  await page.evaluate((data) => new Promise((resolve) => {
    const other = document.createElement('iframe');
    other.title = 'Another frame';
    window.addEventListener('message', function seen(event) {
      if (event.source !== other.contentWindow) return;
      window.removeEventListener('message', seen);
      resolve();
    });
    other.srcdoc = `<script>parent.postMessage(${JSON.stringify(data)}, '*');</script>`;
    document.body.append(other);
  }), fake);
  assert.equal(await element.evaluate((el) => el.style.height), shown, "another frame's message moved the iframe");
  await sizedToContent(element, frame);
  await clean(page, seen);
});

test('two snippets on one page: two finders, each with its presets and its own height', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'two.html');
  assert.equal(await page.locator('iframe').count(), 2);
  const placed = await page.$$eval('script[src$="/embed.js"]', (scripts) => scripts.map((s) => ({
    frame: s.nextElementSibling?.tagName, src: s.nextElementSibling?.src,
  })));
  assert.deepEqual(placed.map((p) => p.frame), ['IFRAME', 'IFRAME']);
  assert.deepEqual(queryOf(placed[0].src), PRESETS);
  assert.deepEqual(queryOf(placed[1].src), { tab: 'services', near: 'Chicago', lang: 'en' });

  const family = await widget(page, 0);
  const familySize = await sizedToContent(family.element, family.frame);
  // The second finder starts below the first, out of view, where Chromium
  // does not render a cross-origin frame: it is sized once scrolled to.
  await page.locator('iframe.recovery-finder-frame').nth(1).scrollIntoViewIfNeeded();
  const services = await widget(page, 1);
  const servicesSize = await sizedToContent(services.element, services.frame);
  assert.equal(await services.frame.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await services.frame.getAttribute('#tab-services', 'aria-selected'), 'true');

  // One finder's change moves its own iframe only.
  await page.locator('iframe.recovery-finder-frame').nth(0).scrollIntoViewIfNeeded();
  await family.frame.click('#filters-toggle');
  await family.frame.waitForFunction((before) => document.body.getBoundingClientRect().height > before + 50,
    familySize.body, { polling: 100 });
  await sizedToContent(family.element, family.frame);
  assert.equal(await services.element.evaluate((el) => el.getBoundingClientRect().height), servicesSize.height);
  await clean(page, seen);
});

test("the widget runs on a partner's page with a strict CSP of its own", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'strict.html');
  const { element, frame } = await widget(page);
  await assertPresetsShown(frame, seen);
  await sizedToContent(element, frame);
  await clean(page, seen);
});

test('on a phone the finder fits the width and is still sized to its content', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t, { viewport: PHONE, isMobile: true, hasTouch: true });
  await visitPartner(page, 'partner.html');
  const { element, frame } = await widget(page);
  await sizedToContent(element, frame);
  assert.equal(await frame.isHidden('#filters'), true, 'the filters start closed on a phone');
  const widths = await frame.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
  }));
  assert.ok(widths.scroll <= widths.viewport, `the finder is ${widths.scroll}px wide in a ${widths.viewport}px frame`);
  const outer = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(outer <= PHONE.width, `the partner's page is ${outer}px wide on a ${PHONE.width}px phone`);
  await screenshot(page, 'widget-partner-phone');
  await clean(page, seen);
});

// ---- framing: /embed only ----

test("the finder's own page refuses to be framed by another site; /embed does not", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  const { text } = await expectRefusal(page, seen, {
    message: /frame-ancestors/, failed: { url: `${ORIGIN}/`, reason: 'net::ERR_BLOCKED_BY_RESPONSE' },
  },
    () => visitPartner(page, 'framed.html'));
  assert.ok(text.includes(`'${ORIGIN}/'`), text);

  const embedFrame = await (await page.$('#embed-page')).contentFrame();
  await embedFrame.waitForURL((url) => url.origin === ORIGIN && url.pathname === '/embed');
  await settled(embedFrame);
  assert.equal(await embedFrame.evaluate(() => document.documentElement.lang), 'es');

  const mainFrame = await (await page.$('#main-page')).contentFrame();
  assert.notEqual(mainFrame.url(), `${ORIGIN}/`, 'the main page was loaded in the frame');
  const rendered = await mainFrame.evaluate(() => document.getElementById('search-form') !== null).catch(() => false);
  assert.equal(rendered, false, 'the main page rendered inside a partner frame');
  await clean(page, seen);
});

// ---- the API from the partner's origin ----

// fetch(url, init) in the page: 'answered' with the status, or the error's name.
function fetchIn(page, url, init = {}) {
  return page.evaluate(async ([u, options]) => {
    try {
      const response = await fetch(u, options);
      return `answered ${response.status}`;
    } catch (err) {
      return err.name;
    }
  }, [url, init]);
}

test("the API answers a partner's own page, without credentials", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'own.html');
  const url = `${BASE_URL}/api/v1/meetings?near=Chicago&limit=1`;
  const expected = await api('meetings?near=Chicago&limit=1');
  assert.equal(expected.meetings.length, 1);

  const answered = page.waitForResponse((r) => r.url() === url);
  const plain = await page.evaluate(async (u) => {
    const response = await fetch(u);
    return { status: response.status, type: response.type, body: await response.json() };
  }, url);
  assert.equal(plain.status, 200);
  assert.equal(plain.type, 'cors');
  assert.deepEqual(plain.body.meetings.map((m) => m.id), expected.meetings.map((m) => m.id));
  const headers = await (await answered).allHeaders();
  assert.equal(headers['access-control-allow-origin'], '*');
  assert.equal(headers['access-control-allow-credentials'], undefined);

  // A header outside CORS' safe list makes the browser ask first (OPTIONS);
  // the preflight allows GET with Content-Type.
  const preflighted = await page.evaluate(async (u) => {
    const response = await fetch(u, { headers: { 'Content-Type': 'application/json' } });
    return { status: response.status, body: await response.json() };
  }, url);
  assert.equal(preflighted.status, 200);
  assert.deepEqual(preflighted.body.meetings.map((m) => m.id), expected.meetings.map((m) => m.id));

  // With credentials a wildcard origin is not enough: the browser refuses.
  const withCredentials = await expectRefusal(page, seen, {
    message: /credentials mode is 'include'/, failed: { url, reason: 'net::ERR_FAILED', logged: true },
  },
    () => fetchIn(page, url, { credentials: 'include' }));
  assert.equal(withCredentials.result, 'TypeError', 'a credentialed fetch from another origin was answered');

  assertOnlyTheTwoOrigins(seen, ['/own.html']);
  await clean(page, seen);
});

test("a report from the partner's origin is refused before it is sent", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visitPartner(page, 'own.html');
  const url = `${BASE_URL}/api/v1/feedback`;
  // The body names no meeting: were the report sent, nothing would be stored.
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'meeting', id: 0, message: 'test_widget.mjs: must never arrive' }),
  };
  const report = await expectRefusal(page, seen, {
    message: /blocked by CORS policy/, failed: { url, reason: 'net::ERR_FAILED', logged: true },
  },
    () => fetchIn(page, url, init));
  assert.equal(report.result, 'TypeError', "a report from the partner's origin was answered");
  assertOnlyTheTwoOrigins(seen, ['/own.html']);
  await clean(page, seen);

  // The refusal must come from the preflight; a refused answer means the
  // report itself reached the handler.
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: PARTNER, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  const answer = [...preflight.headers].filter(([name]) => name.startsWith('access-control-'))
    .map(([name, value]) => `${name}: ${value}`).join('; ');
  assert.match(report.text, /preflight/,
    `the browser sent the POST, since its preflight (OPTIONS ${preflight.status}: ${answer}) let it through `
    + '(POST is a CORS-safelisted method: Access-Control-Allow-Methods cannot refuse it); it refused only the answer: '
    + report.text);
});

// ---- the partners page ----

test('the partners page builds the snippet, previews it, and the snippet works on a partner page', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  const response = await page.goto(`${BASE_URL}/partners.html`);
  assert.equal(response.status(), 200);
  await page.waitForSelector('#p-fellowship input[name="fellowship"]');
  assert.equal(await page.inputValue('#snippet'), `<script src="${ORIGIN}/embed.js" async></script>`);

  await page.selectOption('#p-for', 'family');
  await page.check('#p-fellowship-al-anon');
  await page.check('#p-fellowship-nar-anon');
  await page.selectOption('#p-lang', 'es');
  await page.fill('#p-near', 'Kansas City, MO');
  const snippet = await page.inputValue('#snippet');
  assert.equal(snippet, SNIPPET, "the snippet is the issue's");

  // The preview runs the same snippet: once it has caught up with the
  // choices, its iframe carries them.
  await page.waitForFunction((presets) => {
    const frames = document.querySelectorAll('#preview iframe');
    if (frames.length !== 1) return false;
    const query = Object.fromEntries(new URL(frames[0].src).searchParams);
    return JSON.stringify(query, Object.keys(query).sort()) === JSON.stringify(presets, Object.keys(presets).sort());
  }, PRESETS);
  const preview = await page.$$eval('#preview > *', (nodes) => nodes.map((n) => ({ tag: n.tagName, src: n.src })));
  assert.deepEqual(preview.map((n) => n.tag), ['SCRIPT', 'IFRAME']);
  assert.equal(preview[0].src, `${ORIGIN}/embed.js`);
  const src = new URL(preview[1].src);
  assert.equal(`${src.origin}${src.pathname}`, `${ORIGIN}/embed`);
  const frameElement = await page.$('#preview iframe');
  const frame = await frameElement.contentFrame();
  await frame.waitForURL((u) => u.origin === ORIGIN && u.pathname === '/embed');
  await settled(frame);
  await assertPresetsShown(frame, seen);
  await sizedToContent(frameElement, frame);
  await screenshot(page, 'partners-page');
  await clean(page, seen);

  // The round trip: that very code on the partner's own server.
  await writePage('roundtrip.html', partnerPage('Pasted from the partners page', snippet));
  const visitor = await openPage(browser, t);
  await visitPartner(visitor.page, 'roundtrip.html');
  const pasted = await widget(visitor.page);
  assert.equal(await pasted.element.evaluate((el) => el.src), preview[1].src);
  await assertPresetsShown(pasted.frame, visitor.seen);
  await sizedToContent(pasted.element, pasted.frame);
  assertOnlyTheTwoOrigins(visitor.seen, ['/roundtrip.html']);
  await clean(visitor.page, visitor.seen);
});

test('the partners page offers every preset and the parts to leave out, and says when the code is copied', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen, context } = await openPage(browser, t);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  await page.goto(`${BASE_URL}/partners.html`);
  await page.waitForSelector('#p-category input[name="category"]');
  await page.check('#p-attendance-online');
  await page.check('#p-day-today');
  await page.check('#p-day-6');
  await page.check('#p-time-evening');
  await page.check('#p-options-true');
  await page.selectOption('#p-tab', 'services');
  await page.check('#p-category-peer-support');
  await page.check('#p-hide-header');
  await page.check('#p-hide-demo');
  await page.fill('#p-title', 'Find support');
  const snippet = await page.inputValue('#snippet');
  assert.equal(snippet, `<script src="${ORIGIN}/embed.js" data-tab="services" data-attendance="online" data-day="today,6" `
    + 'data-time="evening" data-moud="true" data-category="peer-support" data-hide="header,demo" '
    + 'data-title="Find support" async></script>');
  await page.click('#copy');
  await page.waitForFunction((text) => document.getElementById('copy-status').textContent === text, EN.partners.copied);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);

  // The preview runs it: the frame leaves out the header and the notice.
  await page.waitForFunction(() => /hide=header%2Cdemo|hide=header,demo/.test(document.querySelector('#preview iframe')?.src || ''));
  const frame = await (await page.$('#preview iframe')).contentFrame();
  await frame.waitForURL((u) => u.pathname === '/embed');
  await settled(frame);
  assert.equal(await frame.isHidden('.page-header'), true, 'the header is left out');
  assert.equal(await frame.isHidden('#demo-notice'), true, 'the demo notice is left out');
  assert.equal(await frame.getAttribute('#tab-services', 'aria-selected'), 'true');
  assert.equal(await frame.isChecked('#category-peer-support'), true);
  await clean(page, seen);
});
