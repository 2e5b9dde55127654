// The developer page (/developers.html) in a real headless Chromium,
// against a running stack:
//   cd tests/browser && BASE_URL=http://127.0.0.1:8080 node --test test_developers.mjs
// The page is made from GET /api/v1/openapi.json: what it must show is read
// from that document here too, so the test holds whatever the document
// describes. Each operation has its section and parameters; a "Try it"
// calls the API and shows its status, headers and JSON, a bad value's 400
// included; axe-core finds nothing in English and Spanish at phone and
// desktop size; every control is reached from the keyboard and shows its
// focus; nothing is asked of another origin. Screenshots go to
// SCREENSHOT_DIR (else var/screenshots).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, TEST_TIMEOUT_MS, assertClean, axeViolations, focusIndicator, focused, launch, openPage, screenshot, visit, widths,
} from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const SIZES = [['phone', PHONE], ['desktop', DESKTOP]];
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

let browser;
let doc;
const catalogs = {};

before(async () => {
  browser = await launch();
  const response = await fetch(`${BASE_URL}/api/v1/openapi.json`);
  assert.equal(response.status, 200, 'GET /api/v1/openapi.json');
  doc = await response.json();
  for (const code of ['en', 'es']) {
    // The page's catalog and its part (web/i18n/developers/: the page's
    // words, the API description's translations), as developers.js loads them.
    const [own, part] = await Promise.all([`/i18n/${code}.json`, `/i18n/developers/${code}.json`]
      .map(async (url) => (await fetch(`${BASE_URL}${url}`)).json()));
    catalogs[code] = { ...own, ...part };
  }
});

after(async () => {
  await browser?.close();
});

// ---- the document, read as the page reads it ----

function resolve(value) {
  let node = value;
  for (let depth = 0; node && typeof node.$ref === 'string'; depth++) {
    assert.ok(depth < 20 && node.$ref.startsWith('#/'), `a $ref the page cannot follow: ${node.$ref}`);
    node = node.$ref.slice(2).split('/').reduce((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node || {};
}

function operations() {
  return Object.entries(doc.paths || {}).flatMap(([path, item]) => METHODS
    .filter((method) => resolve(item)[method])
    .map((method) => ({ method, path, op: resolve(item)[method], item: resolve(item) })));
}

function parameters({ op, item }) {
  const byKey = new Map();
  for (const raw of [...(item.parameters || []), ...(op.parameters || [])]) {
    const p = resolve(raw);
    byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()];
}

// The summary the page should show in lang, and its lang attribute: the
// catalog's translation while the English catalog holds the document's
// text under the same key (what it was translated from), else the
// document's English, marked lang="en" on a page in another language.
function summaryIn(lang, op) {
  if (lang === 'en') return [op.summary, null];
  const english = catalogs.en.dev.operations?.[op.operationId]?.summary;
  const translated = catalogs[lang].dev.operations?.[op.operationId]?.summary;
  return english === op.summary && translated ? [translated, null] : [op.summary, 'en'];
}

// The document's guide, info.description: the text before the first "## "
// heading, and each topic with its heading, slug (the page's section id
// and catalog key) and text, as the page splits it.
function guide(description = doc.info?.description || '') {
  const intro = [];
  const topics = [];
  for (const line of description.split('\n')) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) topics.push({ heading: heading[1], lines: [] });
    else (topics.length ? topics[topics.length - 1].lines : intro).push(line);
  }
  const slug = (text) => text.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return {
    intro: intro.join('\n').trim(),
    topics: topics.map((x) => ({ heading: x.heading, slug: slug(x.heading), text: x.lines.join('\n').trim() })),
  };
}

// A topic's heading as the page should show it in lang, and the section's
// lang attribute: the catalog's while the English catalog holds the
// document's heading and text under dev.topics.<slug>, else the English.
function topicIn(lang, topic) {
  if (lang === 'en') return [topic.heading, null];
  const english = catalogs.en.dev.topics?.[topic.slug];
  const translated = catalogs[lang].dev.topics?.[topic.slug];
  return english?.heading === topic.heading && english?.text === topic.text && translated?.heading
    ? [translated.heading, null] : [topic.heading, 'en'];
}

const sectionOf = ({ method, path }) => `section.operation[data-method="${method}"][data-path="${path}"]`;

// A GET to try: the meetings search when the document has it, else the
// first GET without path parameters.
function getExample() {
  const gets = operations().filter((o) => o.method === 'get' && !parameters(o).some((p) => p.in === 'path'));
  return gets.find((o) => o.path === '/api/v1/meetings') || gets[0];
}

// A GET with a numeric query parameter, to send a value that is no number.
function badValueExample() {
  for (const o of operations().filter((x) => x.method === 'get')) {
    const param = parameters(o).find((p) => p.in === 'query' && ['integer', 'number'].includes(resolve(p.schema).type));
    if (param && !parameters(o).some((p) => p.in === 'path')) return { ...o, param };
  }
  return null;
}

// ---- the page ----

async function openDevelopers(t, lang = 'en', viewport = DESKTOP) {
  const opened = await openPage(browser, t, { viewport, locale: lang === 'es' ? 'es-MX' : 'en-US' });
  const response = await opened.page.goto(`${BASE_URL}/developers.html?lang=${lang}`);
  assert.equal(response.status(), 200);
  await opened.page.waitForSelector('body[data-ready="true"]');
  return opened;
}

// Sends an operation's "Try it" (its inputs set as given) and returns what
// the page shows: the status line, the headers and the body's text.
async function tryIt(page, operation, values = {}) {
  const section = page.locator(sectionOf(operation));
  for (const [name, value] of Object.entries(values)) {
    await section.locator(`input[data-name="${name}"]`).fill(value);
  }
  const url = await section.locator('.request .url').textContent();
  const answered = page.waitForResponse((r) => r.url() === url);
  await section.locator('.try button[type="submit"]').click();
  await answered;
  await section.locator('pre.answer').waitFor();
  await section.locator('.answer-status').scrollIntoViewIfNeeded();
  const body = await section.locator('pre.answer').textContent();
  const all = await section.locator('div.answer').textContent();
  assert.ok(all.endsWith(body), `nothing but the body after the headers: ${all.slice(all.indexOf(body) + body.length)}`);
  return {
    url,
    status: await section.locator('.answer-status').textContent(),
    headers: await section.locator('.answer dl.headers dt').allTextContents(),
    body,
  };
}

test('one section for every operation of the served document, with its parameters and answers', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const expected = operations();
  assert.ok(expected.length > 0, 'the document describes no operation');
  for (const lang of ['en', 'es']) {
    const { page, seen } = await openDevelopers(t, lang);
    const shown = await page.$$eval('section.operation', (all) => all.map((s) => `${s.dataset.method} ${s.dataset.path}`));
    assert.deepEqual(shown, expected.map((o) => `${o.method} ${o.path}`), `${lang}: the sections are the document's operations`);
    for (const operation of expected) {
      const section = page.locator(sectionOf(operation));
      const heading = await section.locator('h3').textContent();
      assert.equal(heading.replace(/\s+/g, ' ').trim(), `${operation.method.toUpperCase()} ${operation.path}`);
      if (operation.op.summary) {
        const [text, textLang] = summaryIn(lang, operation.op);
        assert.equal(await section.locator('.summary').textContent(), text.replace(/`/g, ''), `${lang}: summary`);
        assert.equal(await section.locator('.summary').getAttribute('lang'), textLang, `${lang}: the summary's lang`);
      }
      const names = await section.locator('table.params tbody th code').allTextContents();
      assert.deepEqual(names, parameters(operation).map((p) => p.name), `${operation.path}: parameters`);
      const statuses = await section.locator('.responses > li > p:first-child strong').allTextContents();
      assert.deepEqual(statuses, Object.keys(operation.op.responses || {}), `${operation.path}: answers`);
    }
    const contents = await page.$$eval('#toc a[href^="#op-"]', (links) => links.length);
    assert.equal(contents, expected.length, 'the contents link every operation');
    assert.equal(await page.textContent('h1'), catalogs[lang].dev.heading);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await assertClean(page, seen);
  }
});

test('the document\'s guide (info.description\'s "## " topics) is the page\'s first sections, in the contents, in both languages', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { topics } = guide();
  assert.ok(topics.length > 0, 'info.description has no "## " topic');
  for (const lang of ['en', 'es']) {
    const { page, seen } = await openDevelopers(t, lang);
    const shown = await page.$$eval('#topics > section', (all) => all.map((s) => ({
      id: s.id, lang: s.getAttribute('lang'), heading: s.querySelector('h2').textContent,
      blocks: s.querySelectorAll(':scope > p, :scope > ul').length,
    })));
    assert.deepEqual(shown.map((s) => s.id), topics.map((x) => x.slug), `${lang}: a section for each topic`);
    for (const [i, topic] of topics.entries()) {
      const [heading, headingLang] = topicIn(lang, topic);
      assert.equal(shown[i].heading, heading.replace(/`/g, ''), `${lang}: ${topic.slug}'s heading`);
      assert.equal(shown[i].lang, headingLang, `${lang}: ${topic.slug}'s lang`);
      assert.equal(shown[i].blocks, topic.text.split(/\n\s*\n/).length, `${lang}: ${topic.slug}'s paragraphs and lists`);
    }
    if (lang === 'es') {
      assert.ok(shown.every((s) => s.lang === null), 'every topic has its Spanish in es.json (translate the changed ones)');
      const english = await page.$$eval('section.operation > p[lang="en"], section.operation > ul[lang="en"]',
        (all) => all.map((el) => el.closest('section').dataset.path));
      assert.deepEqual([...new Set(english)], [], 'every operation\'s summary and description has its Spanish in es.json');
    }
    const contents = await page.$$eval('#toc > li > a', (links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(contents.slice(0, topics.length), topics.map((x) => `#${x.slug}`), `${lang}: the contents list the topics first`);
    await assertClean(page, seen);
  }
});

test('a topic whose English changed is shown in English, marked lang="en", until it is translated again', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { topics } = guide();
  const changed = topics[0];
  const edited = { ...doc, info: { ...doc.info, description: doc.info.description.replace(`## ${changed.heading}\n`, `## ${changed.heading}\n\nA sentence the catalogs do not have.\n`) } };
  const opened = await openPage(browser, t, { viewport: DESKTOP, locale: 'es-MX' });
  await opened.page.route('**/api/v1/openapi.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(edited) }));
  await opened.page.goto(`${BASE_URL}/developers.html?lang=es`);
  await opened.page.waitForSelector('body[data-ready="true"]');
  const section = opened.page.locator(`#topics > section#${changed.slug}`);
  assert.equal(await section.getAttribute('lang'), 'en');
  assert.equal(await section.locator('h2').textContent(), changed.heading);
  assert.match(await section.textContent(), /A sentence the catalogs do not have\./);
  const other = topics[1];
  if (other) assert.equal(await opened.page.getAttribute(`#topics > section#${other.slug}`, 'lang'), null, 'the others stay translated');
});

// Every string of the page's own (dev.*, but the optional per-operation
// words) is in both catalogs, and none shows as its key.
function keys(value, prefix = '') {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

test('the page\'s words are in both catalogs, and no key shows untranslated', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const own = (lang) => keys({ ...catalogs[lang].dev, operations: null }).sort();
  assert.deepEqual(own('es'), own('en'), 'dev.* keys of es.json and en.json');
  for (const lang of ['en', 'es']) {
    const { page, seen } = await openDevelopers(t, lang, PHONE);
    await page.waitForSelector('#sources-box:not([hidden])');
    const text = await page.evaluate(() => `${document.title}\n${document.body.innerText}`);
    // A missing string shows as its key (i18n.js t()): the page's own are
    // dev.*, and it borrows page.* and guide.back.
    const shown = [...text.matchAll(/\bdev\.[A-Za-z][\w.-]*/g)].map((m) => m[0])
      .concat([...keys(catalogs.en.page, 'page'), 'guide.back'].filter((key) => text.includes(key)));
    assert.deepEqual(shown, [], `${lang}: catalog keys shown as text`);
    await assertClean(page, seen);
  }
});

// The data licences: every source of GET /api/v1/sources with its licence
// (a link to its text when the source gives one), whom to credit, and
// "not stated" where the source states nothing; the demo's CC0-1.0 in
// both languages. Screenshots of the section at phone and desktop size.
test('the data licences section shows each source\'s licence and credit, the demo\'s in both languages', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { sources } = await (await fetch(`${BASE_URL}/api/v1/sources`)).json();
  const demo = sources.find((s) => s.demo && s.license);
  assert.ok(demo, 'a demo source states its licence');
  for (const lang of ['en', 'es']) {
    const words = catalogs[lang].dev.licences;
    for (const [size, viewport] of SIZES) {
      const { page, seen } = await openDevelopers(t, lang, viewport);
      await page.waitForSelector('#licences-box:not([hidden])');
      assert.equal((await page.textContent('#licences-heading')).trim(), words.heading);
      assert.ok(await page.locator(`#toc a[href="#licences"]`).count(), `${lang}: the contents link to the section`);
      assert.match(await page.textContent('#licences-feed'), /Link: <\/api\/v1\/sources>; rel="license"/);
      const shown = await page.$$eval('#licences-rows tr', (rows) => rows.map((row) => ({
        slug: row.dataset.source,
        cells: [...row.cells].map((c) => c.textContent.trim()),
        links: [...row.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href') })),
      })));
      assert.deepEqual(shown.map((r) => r.slug), sources.map((s) => s.slug), `${lang}: a row for every source`);
      for (const [i, s] of sources.entries()) {
        const [, licence, credit] = shown[i].cells;
        assert.equal(licence, s.license ?? words.notStated, `${lang}: ${s.slug}'s licence`);
        assert.equal(credit, s.attribution ?? words.notStated, `${lang}: ${s.slug}'s credit`);
        assert.deepEqual(shown[i].links, s.license && s.license_url ? [{ text: s.license, href: s.license_url }] : [],
          `${lang}: ${s.slug}'s licence links to its text, when it has one`);
      }
      const row = shown.find((r) => r.slug === demo.slug);
      assert.equal(row.cells[1], 'CC0-1.0', 'the demo data is CC0-1.0');
      assert.match(row.cells[2], /synthetic/i, 'and said to be synthetic');
      await page.locator('#licences').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.getElementById('licences').scrollIntoView());
      await screenshot(page, `${size}-developers-licences-${lang}`);
      await assertClean(page, seen);
    }
  }
});

test('"Try it" runs a GET and shows its status, headers and JSON', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const operation = getExample();
  assert.ok(operation, 'the document has no GET without path parameters to try');
  const { page, seen } = await openDevelopers(t);
  const shown = await tryIt(page, operation);
  assert.equal(new URL(shown.url).origin, new URL(BASE_URL).origin, 'the example calls this origin');
  assert.equal(new URL(shown.url).pathname, operation.path);
  assert.match(shown.status, /\b200 OK\b/);
  assert.ok(shown.headers.includes('content-type'), `headers shown: ${shown.headers}`);
  assert.ok(shown.headers.includes('access-control-allow-origin'), `headers shown: ${shown.headers}`);
  const direct = await (await fetch(shown.url)).json();
  const body = JSON.parse(shown.body);
  assert.deepEqual(Object.keys(body).sort(), Object.keys(direct).sort(), 'the JSON shown is the API answer');
  assert.equal(shown.body, JSON.stringify(body, null, 2), 'the JSON is pretty-printed');
  await screenshot(page, 'desktop-developers-try');
  await assertClean(page, seen);
});

test('"Try it" with a bad value shows the 400 and its error', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const operation = badValueExample();
  if (!operation) {
    t.skip('the document describes no GET with a numeric query parameter to send a bad value to');
    return;
  }
  const { page, seen } = await openDevelopers(t, 'es', PHONE);
  const shown = await tryIt(page, operation, { [operation.param.name]: 'nonsense' });
  assert.match(shown.status, /\b400\b/);
  const { error } = JSON.parse(shown.body);
  assert.equal(error.param, operation.param.name, `the error names the parameter: ${shown.body}`);
  assert.match(error.code, /^invalid_parameter$/);
  await screenshot(page, 'phone-developers-400');
  await assertClean(page, seen, { statuses: [400] });
});

for (const lang of ['en', 'es']) {
  for (const [size, viewport] of SIZES) {
    // axe over every operation's tables: the slowest test here.
    test(`axe-core finds no violations (${lang}, ${size} ${viewport.width}x${viewport.height}), nothing scrolls sideways`, { timeout: 2 * TEST_TIMEOUT_MS }, async (t) => {
      const { page, seen } = await openDevelopers(t, lang, viewport);
      const operation = getExample();
      if (operation) await tryIt(page, operation);
      await page.waitForSelector('#sources-box:not([hidden])');
      // The page as it opens (its answers' details closed); then every
      // detail opened for axe, which makes the page many screens long.
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `${size}-developers-${lang}`, { fullPage: true });
      await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
      assert.deepEqual(await axeViolations(page), []);
      const { scrollWidth, innerWidth } = await widths(page);
      assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
      await assertClean(page, seen);
    });
  }
}

test('the keyboard reaches every control, each showing its focus, and sends a "Try it"', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openDevelopers(t, 'en', PHONE);
  const controls = await page.$$eval('a[href], button, input, select, summary, [tabindex="0"]', (all) => all
    .filter((el) => el.getClientRects().length > 0 || el.classList.contains('skip-link'))
    .map((el, i) => { el.dataset.k = String(i); return String(i); }));
  const reached = new Set();
  for (let presses = 0; presses < controls.length + 5 && reached.size < controls.length; presses++) {
    await page.keyboard.press('Tab');
    const k = await page.evaluate(() => document.activeElement?.dataset?.k ?? null);
    if (k === null) continue;
    reached.add(k);
    const indicator = await focusIndicator(page);
    assert.ok(indicator.visible, `${await focused(page)} shows no focus (${indicator.outline})`);
  }
  const missed = await page.$$eval('[data-k]', (all, got) => all.filter((el) => !got.includes(el.dataset.k))
    .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.id).trim().slice(0, 40)}"`), [...reached]);
  assert.deepEqual(missed, [], 'controls Tab never reached');

  // Enter in a "Try it" input sends it; without inputs, the button does.
  const operation = getExample();
  const section = page.locator(sectionOf(operation));
  const input = section.locator('.try input').first();
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === operation.path);
  if (await input.count()) {
    await input.focus();
  } else {
    await section.locator('.try button').focus();
  }
  await page.keyboard.press('Enter');
  await answered;
  await section.locator('pre.answer').waitFor();
  assert.match(await section.locator('.answer-status').textContent(), /\b200\b/);
  await assertClean(page, seen);
});

test('the finder\'s footer and the partners page link to the developer page', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, seen } = await openPage(browser, t);
  // Each page is left only once it has done loading (its search, the
  // partners page's preview), so that nothing is cut off on the way.
  await visit(page, '/');
  assert.equal(await page.getAttribute('footer a[href="developers.html"]', 'href'), 'developers.html');
  await page.goto(`${BASE_URL}/partners.html`);
  await page.waitForSelector('#preview iframe');
  await page.waitForLoadState('networkidle');
  await page.click('a[href="developers.html"]');
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(new URL(page.url()).pathname, '/developers.html');
  await assertClean(page, seen);
});
