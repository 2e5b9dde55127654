// Stale listings (issue 14) as a visitor sees them: a meeting whose source
// has not confirmed it for longer than the source's stale_after says, small
// in its row, "Not confirmed since {date}", and in its detail whom to ask,
// in English and in Spanish, on a phone and a computer; a meeting from a
// source without a url says neither; a stale service likewise. Tiny feeds
// are imported into sources of their own (sb-*) in Nome, Alaska, where the
// demo has nothing, and taken away again after.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DESKTOP, ROOT, TEST_TIMEOUT_MS, ZONE, assertClean, axeViolations, launch, listed, openPage, screenshot, visit,
} from './lib.mjs';

const T = { timeout: TEST_TIMEOUT_MS };
const EN = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const ES = JSON.parse(readFileSync(path.join(ROOT, 'web', 'i18n', 'es.json'), 'utf8'));
const STACK = path.join(ROOT, 'scripts', 'stack.sh');
const PHONE = { width: 390, height: 844 };
const SOURCE_NAME = 'Nome Area Intergroup';
const CONFIRMED = '2026-03-01T12:00:00Z';
const SEARCH = '/?lat=64.5011&lng=-165.4064&q=Qwertynome';

function psql(sql) {
  return execFileSync(STACK, ['psql', '-tA', '-c', sql], { encoding: 'utf8' }).trim();
}

function importFeed(slug, name) {
  const feed = [{
    name, slug: 'hall', day: 3, time: '19:00', end_time: '20:00', types: ['O', 'D'],
    location: 'Old St. Joseph\'s Hall', address: '113 Front St', city: 'Nome', state: 'AK',
    postal_code: '99762', country: 'USA', latitude: 64.4989, longitude: -165.4064,
  }];
  execFileSync(STACK, ['import', '--json', '--format', 'meeting-guide', '--source', slug,
    '--timezone', 'America/Nome', '--fellowship', 'aa', '-'], { input: JSON.stringify(feed), encoding: 'utf8', stdio: 'pipe' });
}

function importService(slug) {
  const service = {
    id: 'line', name: 'Qwertynome Peer Support', organization: { id: 'org', name: 'Nome Recovery Network' },
    attributes: [{ taxonomy_term: { code: 'peer-support', taxonomy_detail: { name: 'recovery-support' } } }],
    service_at_locations: [{ location: { id: 'office', name: 'Nome office', latitude: 64.5011, longitude: -165.4064 } }],
  };
  execFileSync(STACK, ['import', '--json', '--format', 'hsds', '--source', slug, '--timezone', 'America/Nome', '-'],
    { input: JSON.stringify([service]), encoding: 'utf8', stdio: 'pipe' });
}

// A source as `finder sync` leaves it: a url, and its last good answer on
// CONFIRMED; its listings last changed before that.
function synced(slug) {
  psql(`UPDATE sources SET name = '${SOURCE_NAME}', url = 'https://example.org/${slug}.json',
        last_success_at = '${CONFIRMED}' WHERE slug = '${slug}';
        UPDATE meetings SET updated_at = '2026-02-20T12:00:00Z'
        WHERE source_id = (SELECT id FROM sources WHERE slug = '${slug}')`);
}

function forget() {
  const src = "(SELECT id FROM sources WHERE slug LIKE 'sb-%')";
  psql(`DELETE FROM meetings WHERE source_id IN ${src}; DELETE FROM locations WHERE source_id IN ${src};
        DELETE FROM hsds.attribute WHERE link_id IN (SELECT id FROM hsds.service WHERE source_id IN ${src});
        DELETE FROM hsds.service WHERE source_id IN ${src}; DELETE FROM hsds.location WHERE source_id IN ${src};
        DELETE FROM hsds.organization WHERE source_id IN ${src}; DELETE FROM sources WHERE slug LIKE 'sb-%'`);
}

function meetingId(slug) {
  return psql(`SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id WHERE s.slug = '${slug}'`);
}

// The confirmed date as the page should write it: in the visitor's zone, in
// the page's language, by the browser's own Intl (whose data may differ from
// node's).
function dateText(page, locale, month) {
  return page.evaluate(([l, m, zone, at]) => new Intl.DateTimeFormat(l, { year: 'numeric', month: m, day: 'numeric', timeZone: zone })
    .format(new Date(at)), [locale, month, ZONE, CONFIRMED]);
}

function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (_, k) => vars[k]);
}

let browser;
let stale;
let fresh;
before(async () => {
  forget();
  importFeed('sb-synced', 'Qwertynome Stale Group');
  importFeed('sb-file', 'Qwertynome File Group');
  importService('sb-services');
  synced('sb-synced');
  synced('sb-services');
  stale = meetingId('sb-synced');
  fresh = meetingId('sb-file');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  forget();
});

for (const [lang, catalog, locale] of [['en', EN, 'en-US'], ['es', ES, 'es']]) {
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`a stale meeting says so in its row and its detail (${lang}, ${size})`, T, async (t) => {
      const { page, seen } = await openPage(browser, t, { viewport, locale });
      await visit(page, `${SEARCH}${lang === 'es' ? '&lang=es' : ''}`);
      assert.deepEqual((await listed(page)).sort(), [stale, fresh].sort());
      const row = page.locator(`#results li.result[data-id="${stale}"]`);
      const line = fill(catalog.results.notConfirmedSince, { date: await dateText(page, lang, 'short') });
      assert.equal(await row.locator('p.stale').textContent(), line);
      assert.ok(await row.locator('p.stale').isVisible());
      assert.equal(await page.locator(`#results li.result[data-id="${fresh}"] p.stale`).count(), 0,
        'a meeting from a source without a url is never stale');
      await screenshot(page, `stale-row-${size}-${lang}`);
      assert.deepEqual(await axeViolations(page), []);

      await row.locator('a.open').click();
      await page.waitForSelector('#detail-heading');
      const note = page.locator('#detail .stale-note');
      assert.equal(await note.getAttribute('role'), 'note');
      assert.equal(await note.textContent(),
        fill(catalog.detail.stale, { source: SOURCE_NAME, date: await dateText(page, lang, 'long') }));
      assert.ok(await note.isVisible());
      await screenshot(page, `stale-detail-${size}-${lang}`);
      assert.deepEqual(await axeViolations(page), []);
      await assertClean(page, seen);
    });
  }
}

test('a stale service says so in its row and its detail', T, async (t) => {
  const { page, seen } = await openPage(browser, t, { viewport: PHONE });
  await visit(page, `${SEARCH}&tab=services`);
  const row = page.locator('#results li.service-result');
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('p.stale').textContent(),
    fill(EN.results.notConfirmedSince, { date: await dateText(page, 'en', 'short') }));
  await screenshot(page, 'stale-service-row-phone-en');
  await row.locator('a.open').click();
  await page.waitForSelector('#detail-heading');
  assert.equal(await page.locator('#detail .stale-note').textContent(),
    fill(EN.services.stale, { source: SOURCE_NAME, date: await dateText(page, 'en', 'long') }));
  await screenshot(page, 'stale-service-detail-phone-en');
  await assertClean(page, seen);
});

test('a meeting from a source without a url has no note in its detail', T, async (t) => {
  const { page, seen } = await openPage(browser, t);
  await visit(page, `/?meeting=${fresh}`);
  await page.waitForSelector('#detail-heading');
  assert.equal(await page.locator('#detail .stale-note').count(), 0);
  await assertClean(page, seen);
});
