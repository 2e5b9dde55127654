// Wires the page. The state of the search (state.js) is the one source of
// truth: every change becomes a new URL (so the back button and shared
// links work) and then the page is made to agree with it: the form, the
// results and their facets, the map and the detail.

import { api, ApiError } from './api.js';
import { h, telUrl } from './dom.js';
import {
  currentLanguage, fillLanguageSwitch, formatDistance, formatLength, pickLanguage, setLanguage, t, translatePage, visitorZone,
} from './i18n.js';
import {
  MEETING_FACET_FILTERS, SERVICE_FACET_FILTERS, clearedFilters, hasCodes, hasLocation, knownCodes, meetingParams,
  onlineOnly, queryFromState, serviceParams, stateFromQuery,
} from './state.js';
import { activeFilters, setupSearch } from './search.js';
import { appendResults, leftToday } from './results.js';

// The detail's module (and "Report a problem"'s) loads when a detail is
// first opened, or at once for a link to one: not before the first results.
let detailModule = null;
const loadDetail = () => {
  detailModule ||= import('./detail.js').catch((err) => {
    detailModule = null;
    throw err;
  });
  return detailModule;
};

const PAGE_SIZE = 25;
// No page reaches past this many matches (the API's SEARCH_PAGE_BOUND).
const PAGE_BOUND = 1000;
const EMBED = /\/embed\/?$/.test(window.location.pathname);
// Parts of the page a partner's widget leaves out (embed.js's hide: header,
// lang, demo).
const EMBED_OPTIONS = new Set(EMBED ? (new URLSearchParams(window.location.search).get('hide') || '').split(',')
  .filter((part) => ['header', 'lang', 'demo'].includes(part)) : []);
// Keys of the state that do not change the search itself.
const NOT_SEARCH = ['view', 'meeting', 'service', 'lang'];

const $ = (id) => document.getElementById(id);
const page = {
  finder: $('finder'),
  searchSection: $('search-section'),
  section: $('results-section'),
  heading: $('results-heading'),
  results: $('results'),
  count: $('result-count'),
  nowCount: $('now-count'),
  noResults: $('no-results'),
  more: $('more'),
  error: $('error'),
  demo: $('demo-notice'),
  detail: $('detail'),
  mapBox: $('map-box'),
  map: $('map'),
  mapNote: $('map-note'),
  viewMap: $('view-map'),
  uiLang: $('ui-lang'),
};

let state = stateFromQuery(window.location.search);
let refs = null;
// Resolves once refs.categories (the services' vocabularies) is loaded:
// only services are held back for it.
let categoriesReady = Promise.resolve();
// The services' vocabularies once loaded (null before): the codes a URL
// may give are kept only if they are among them.
let vocab = null;
let search = null;
let map = null;
// The list on screen: which search it answers, its items, the total, and
// the requests in flight (aborted when a newer search starts).
const list = {
  key: null, kind: 'meeting', items: [], count: 0, exact: true, withinKm: null, more: false, near: null, request: null,
  grouped: false, failed: false,
};
// The result link a detail was opened from, for focus on its close.
let opener = null;
let detailShown = null;

// ---- links ----

function searchKey(s) {
  return JSON.stringify([s.tab, s.tab === 'services' ? serviceParams(s) : meetingParams(s)]);
}

function hrefFor(kind, id) {
  return queryFromState({ ...state, meeting: kind === 'meeting' ? id : null, service: kind === 'service' ? id : null })
    || window.location.pathname;
}

// The link shared for one meeting or service: the finder's own page (not
// the embedded one), that item and the language, and nothing of the search.
function shareUrl(kind, id) {
  const url = new URL(EMBED ? '../' : './', window.location.href);
  url.search = new URLSearchParams({ [kind]: String(id), ...(state.lang ? { lang: state.lang } : {}) }).toString();
  return url.href;
}

// The widget's parts left out stay in its URL (a reload keeps them).
// Takes the services' vocabularies: the state keeps only the codes they
// list (the URL is made to agree), so that no search sends a code the API
// would refuse.
function useVocab(body) {
  vocab = body;
  const known = knownCodes(state, body);
  if (queryFromState(known) === queryFromState(state)) return;
  state = known;
  window.history.replaceState(window.history.state, '', withHide(queryFromState(state)) || window.location.pathname);
}

function withHide(query) {
  if (!EMBED_OPTIONS.size) return query;
  const hide = `hide=${encodeURIComponent([...EMBED_OPTIONS].join(','))}`;
  return query ? `${query}&${hide}` : `?${hide}`;
}

// ---- state changes ----

// again: search even when the search is the one on screen (the Search
// button, "Use my location": the visitor asks for a fresh answer).
function change(partial, { replace = false, again = false } = {}) {
  const next = { ...state, ...partial };
  if (again || list.failed) list.key = null;
  const searchChanged = Object.keys(partial).some((k) => !NOT_SEARCH.includes(k) && partial[k] !== state[k]);
  if (searchChanged && !('meeting' in partial) && !('service' in partial)) {
    next.meeting = null;
    next.service = null;
  }
  if (partial.tab && partial.tab !== state.tab) next.sort = '';
  const url = withHide(queryFromState(next)) || window.location.pathname;
  // How many details deep this entry is from the list it was opened from
  // (a detail, another meeting at its place, …): the detail's Back button
  // goes back that far.
  const inDetail = (s) => s.meeting !== null || s.service !== null;
  const depth = window.history.state?.details || 0;
  if (replace) {
    window.history.replaceState({ details: inDetail(next) ? depth : 0 }, '', url);
  } else {
    window.history.pushState({ details: inDetail(next) ? depth + 1 : 0 }, '', url);
  }
  const previous = state;
  state = next;
  apply(previous);
}

async function apply(previous) {
  if (state.lang !== previous.lang) await useLanguage(state.lang);
  search.show(state);
  showView();
  if (searchKey(state) !== list.key) runSearch();
  showDetail();
}

// message: a string, or a list of strings and nodes; '' hides the alert.
// retry: a "Try again" button that searches again.
function showError(message, { retry = false } = {}) {
  const parts = Array.isArray(message) ? message : [message];
  page.error.hidden = !message || parts.length === 0;
  const again = retry ? h('button', { type: 'button', class: 'secondary', onclick: () => change({}, { again: true }) },
    t('errors.retry')) : null;
  // Words in a paragraph; a list (the suggestions) after it.
  const words = parts.filter((p) => !(p instanceof Node) || p.nodeName !== 'UL');
  const lists = parts.filter((p) => p instanceof Node && p.nodeName === 'UL');
  page.error.replaceChildren(...(page.error.hidden ? [] : [h('p', {}, ...words), ...lists, ...(again ? [again] : [])]));
}

// ---- search and results ----

function setBusy(busy) {
  page.section.setAttribute('aria-busy', String(busy));
  page.more.disabled = busy;
}

// "Meetings near Kansas City, MO · Today · In person": what is shown, and
// the filters in use (the first three).
function resultsHeading() {
  const services = state.tab === 'services';
  let text;
  if (list.near) text = t(services ? 'results.servicesNear' : 'results.meetingsNear', { place: list.near });
  else if (state.lat !== null) text = t(services ? 'results.servicesHere' : 'results.meetingsHere');
  else if (!services && onlineOnly(state)) text = t('results.online');
  else if (services && !hasLocation(state) && !state.q) text = t('results.everywhere');
  else text = t(services ? 'results.services' : 'results.meetings');
  const active = refs ? activeFilters(state, refs).map((f) => f.label) : [];
  const words = [text, ...active.slice(0, 3)];
  if (active.length > 3) words.push(t('results.moreFilters', { count: active.length - 3 }));
  text = words.join(' · ');
  page.heading.textContent = text;
  // A detail on screen keeps its own title.
  if (page.detail.hidden) document.title = `${text} · ${t('page.title')}`;
}

// The API counts a search's matches exactly up to a bound (its candidates):
// past it the count is "at least", and near a point it says how far the
// candidates reached (count_within_km).
function countText() {
  const key = state.tab === 'services' ? 'services' : 'meetings';
  const vars = { count: list.count, shown: list.items.length };
  if (list.count === 0 && list.exact) return t(`results.none.${key}`);
  if (!list.exact && list.withinKm !== null) {
    return t(`results.within.${key}`, { ...vars, distance: formatLength(list.withinKm) });
  }
  if (!list.exact) return t(`results.atLeast.${key}`, vars);
  if (list.items.length >= list.count) return t(`results.found.${key}`, vars);
  return t(`results.count.${key}`, vars);
}

// Takes a search's count from its first page's answer.
function takeCount(body) {
  list.count = Number.isInteger(body.count) ? body.count : list.items.length;
  list.exact = body.count_exact !== false;
  list.withinKm = typeof body.count_within_km === 'number' ? body.count_within_km : null;
}

// Whether "Show more" can bring more: a count not yet reached, or, when the
// count is not exact, a full last page, within the API's bound on paging.
function hasMore(lastPage) {
  if (list.items.length === 0 || list.items.length + PAGE_SIZE > PAGE_BOUND) return false;
  return list.exact ? list.items.length < list.count : lastPage >= PAGE_SIZE;
}

function fetchPage(s, offset, signal) {
  const params = { ...(s.tab === 'services' ? serviceParams(s) : meetingParams(s)), limit: PAGE_SIZE, offset };
  return s.tab === 'services' ? api.services(params, signal) : api.meetings(params, signal);
}

// Shows an unknown place's error with its suggestions as buttons.
function placeError(err) {
  const suggestions = err.body?.error?.suggestions || [];
  const items = suggestions.slice(0, 5).map((s) => h('li', {},
    h('button', { type: 'button', class: 'link', onclick: () => change({ near: s.label || s, lat: null, lng: null }) },
      s.label || String(s))));
  showError(items.length ? [t('errors.unknownPlace'), ' ', t('errors.didYouMean'), h('ul', { class: 'suggestions' }, items)]
    : t('errors.unknownPlace'));
}

async function runSearch(firstAnswer = null) {
  list.request?.abort();
  retryRefs();
  const request = new AbortController();
  list.request = request;
  list.key = searchKey(state);
  const s = state;
  setBusy(true);
  page.count.textContent = t('results.searching');
  try {
    const body = await (firstAnswer || fetchPage(s, 0, request.signal));
    if (s.tab === 'services') await categoriesReady;
    if (list.request !== request) return;
    list.kind = s.tab === 'services' ? 'service' : 'meeting';
    list.items = (s.tab === 'services' ? body.services : body.meetings) || [];
    list.failed = false;
    takeCount(body);
    list.more = hasMore(list.items.length);
    list.near = body.near?.label || null;
    list.grouped = groupedByDay(s);
    page.results.replaceChildren();
    appendResults(page.results, list.kind, list.items, refs, hrefFor, { grouped: list.grouped });
    showError('');
    loadFacets(s, request.signal);
    loadNow(s, request.signal);
    // The detail's module, once the list is on screen.
    setTimeout(() => loadDetail().catch(() => {}), 1000);
    if (list.items.length === 0) noResults(s, request.signal);
  } catch (err) {
    if (err.name === 'AbortError' || list.request !== request) return;
    list.failed = true;
    list.items = [];
    list.count = 0;
    list.exact = true;
    list.withinKm = null;
    list.more = false;
    list.near = null;
    page.results.replaceChildren();
    if (err instanceof ApiError && err.code === 'unknown_place') placeError(err);
    else showError(err.message, { retry: true });
  } finally {
    if (list.request === request) {
      list.request = null;
      setBusy(false);
      finishList();
    }
  }
}

function finishList() {
  resultsHeading();
  page.count.textContent = page.error.hidden ? countText() : '';
  page.more.hidden = !list.more;
  if (!list.grouped || list.items.length === 0 || !page.error.hidden) page.nowCount.hidden = true;
  todayNote();
  if (list.items.length || !page.error.hidden) page.noResults.hidden = true;
  if (state.view === 'map') drawMap();
}

// Meetings in start order are grouped by day: sorted soonest first, or
// the API's own order without a place (soonest first, unless keywords
// rank them).
function groupedByDay(s) {
  return s.tab === 'meetings' && (s.sort === 'next' || (s.sort === '' && !hasLocation(s) && !s.q));
}

// "Nothing more today": a list in start order whose first meeting is not
// today says so, and a search for today alone that found only meetings
// already over offers what comes next.
function todayNote() {
  const box = $('today-note');
  if (!box) return;
  const days = state.day ? state.day.split(',') : [];
  const show = list.grouped && list.items.length > 0 && leftToday(list.items) === 0
    && (days.length === 0 || days.includes('today'));
  box.hidden = !show;
  box.textContent = show ? t('results.nothingToday') : '';
}

// "3 meetings happening now": the search's meetings in progress, counted
// by the API (the first page may not hold them all), with a button that
// shows them.
async function loadNow(s, signal) {
  page.nowCount.hidden = true;
  if (s.tab !== 'meetings' || s.when === 'now' || !groupedByDay(s)) return;
  try {
    const body = await api.meetings({ ...meetingParams(s), in_progress: true, limit: 1 }, signal);
    if (searchKey(state) !== searchKey(s) || !body.count) return;
    page.nowCount.replaceChildren(t('results.happeningNow', { count: body.count }), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => change({ when: 'now' }) }, t('results.showThem')));
    page.nowCount.hidden = false;
  } catch {
    // Only a convenience.
  }
}

// No dead ends: a search that found nothing offers online meetings, a
// wider distance, and the nearest match beyond the distance asked.
async function noResults(s, signal) {
  const services = s.tab === 'services';
  const offers = [];
  const offer = (text, partial) => offers.push(h('li', {}, h('button', { type: 'button', class: 'secondary', onclick: () => change(partial) }, text)));
  const located = hasLocation(s);
  const radius = s.radius_km ?? 25;
  if (located && radius < 200) offer(t('results.wider', { distance: formatLength(Math.min(radius * 4, 200)) }), { radius_km: Math.min(radius * 4, 200) });
  if (!services && !(onlineOnly(s))) offer(t('results.tryOnline'), { near: '', lat: null, lng: null, attendance: [] });
  if (services && located) offer(t('results.tryEverywhere'), { near: '', lat: null, lng: null });
  if (activeFilters(s, refs).length) offer(t('filters.clearAll'), clearedFilters());
  page.noResults.replaceChildren(h('p', {}, t(`results.none.${services ? 'services' : 'meetings'}`)),
    h('ul', {}, offers));
  page.noResults.hidden = false;
  if (!located) return;
  try {
    const params = { ...(services ? serviceParams(s) : meetingParams(s)), radius_km: 500, limit: 1 };
    if (!services) params.sort = 'distance';
    const body = await (services ? api.services(params, signal) : api.meetings(params, signal));
    const nearest = (services ? body.services : body.meetings)?.[0];
    if (!nearest || typeof nearest.distance_km !== 'number' || searchKey(state) !== searchKey(s)) return;
    const kind = services ? 'service' : 'meeting';
    page.noResults.append(h('p', {}, t('results.nearest'), ' ',
      h('a', { href: hrefFor(kind, nearest.id), class: 'open', dataset: { kind, id: String(nearest.id) } }, nearest.name),
      ` (${formatDistance(nearest.distance_km)})`));
  } catch {
    // The offers above stay.
  }
}

async function showMore() {
  const request = new AbortController();
  list.request = request;
  setBusy(true);
  try {
    const body = await fetchPage(state, list.items.length, request.signal);
    const items = (list.kind === 'service' ? body.services : body.meetings) || [];
    list.items.push(...items);
    list.more = hasMore(items.length);
    const first = appendResults(page.results, list.kind, items, refs, hrefFor, { grouped: list.grouped });
    first?.focus();
  } catch (err) {
    if (err.name !== 'AbortError') showError(err.message, { retry: true });
  } finally {
    if (list.request === request) {
      list.request = null;
      setBusy(false);
      finishList();
    }
  }
}

// Facets: one request with every filter, and for each filter in use one
// without it, whose counts say what choosing otherwise would find.
async function loadFacets(s, signal) {
  const services = s.tab === 'services';
  const params = services ? serviceParams(s) : meetingParams(s);
  const filters = services ? SERVICE_FACET_FILTERS : MEETING_FACET_FILTERS;
  const get = (p) => (services ? api.serviceFacets(p, signal) : api.meetingFacets(p, signal));
  const used = [...new Set(Object.values(filters))].filter((p) => {
    const v = params[p];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '' && v !== false;
  });
  try {
    const answers = await Promise.all([get(params), ...used.map((p) => get({ ...params, [p]: undefined }))]);
    // An answer that counted only some of the matches cannot say that a
    // choice finds nothing: its facets are passed on as unknown (null).
    const known = (answer, facet) => (answer.count_exact === false ? null : answer.facets[facet]);
    const merged = {};
    for (const facet of Object.keys(answers[0].facets)) merged[facet] = known(answers[0], facet);
    for (const [facet, param] of Object.entries(filters)) {
      const i = used.indexOf(param);
      if (i >= 0) merged[facet] = known(answers[i + 1], facet);
    }
    if (searchKey(state) === searchKey(s)) search.facets(s.tab, merged, answers[0].facets.language, answers[0].facets.region);
  } catch {
    // Facets only narrow the choices; without them every choice stays.
  }
}

// ---- map ----

function showView() {
  const onMap = state.view === 'map';
  page.viewMap.setAttribute('aria-pressed', String(onMap));
  page.mapBox.hidden = !onMap;
  if (onMap && list.key === searchKey(state) && !list.request) drawMap();
}

async function drawMap() {
  try {
    if (!map) map = (await import('./map.js')).createMap(page.map);
    const center = list.near ? null : state.lat !== null ? { lat: state.lat, lng: state.lng } : null;
    const unmapped = await map.show(list.items, list.kind, hrefFor, center, () => {
      page.mapNote.textContent = t('map.tilesFailed');
    });
    page.mapNote.textContent = [t('map.shown', { count: list.items.length - unmapped, total: list.count }),
      unmapped ? t('map.unmapped', { count: unmapped }) : ''].filter(Boolean).join(' ');
  } catch (err) {
    page.mapNote.textContent = t('map.failed');
  }
}

// ---- detail ----

function fetchDetail(kind, id) {
  return kind === 'meeting' ? api.meeting(id, {}) : api.service(id, { tz: visitorZone() });
}

async function showDetail(prefetched = null) {
  const kind = state.meeting !== null ? 'meeting' : state.service !== null ? 'service' : null;
  const id = kind === 'meeting' ? state.meeting : state.service;
  const key = kind ? `${kind}:${id}:${currentLanguage()}` : null;
  if (key === detailShown) return;
  detailShown = key;
  if (!kind) {
    closeDetail();
    return;
  }
  if (page.detail.hidden) {
    const focused = document.activeElement;
    opener = focused?.matches?.('a.open') ? { kind: focused.dataset.kind, id: focused.dataset.id } : opener;
  }
  page.detail.hidden = false;
  search.closeFilters({ focus: false });
  page.finder.hidden = true;
  page.detail.replaceChildren(h('p', { class: 'status', role: 'status' }, t('detail.loading')));
  const options = { shareUrl: shareUrl(kind, id), hrefFor, onClose: closeFromButton };
  try {
    const [item, { showMeeting, showService }] = await Promise.all([prefetched || fetchDetail(kind, id), loadDetail()]);
    if (kind === 'service') await categoriesReady;
    if (detailShown !== key) return;
    if (kind === 'meeting') showMeeting(page.detail, item, refs, options);
    else showService(page.detail, item, refs, options);
    document.title = `${item.name} · ${t('page.title')}`;
  } catch (err) {
    if (detailShown !== key) return;
    try {
      (await loadDetail()).showDetailError(page.detail, err.message, closeFromButton);
    } catch {
      page.detail.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('errors.network')));
    }
  }
  $('detail-heading')?.focus();
  window.scrollTo(0, 0);
}

function closeDetail() {
  if (page.detail.hidden) return;
  page.detail.hidden = true;
  page.detail.replaceChildren();
  page.finder.hidden = false;
  resultsHeading();
  const back = opener && page.results.querySelector(`a.open[data-kind="${opener.kind}"][data-id="${CSS.escape(opener.id)}"]`);
  (back || page.heading).focus();
  opener = null;
}

// The detail's own Back button: back through the browser's history to the
// list the detail was opened from (so history stays as the visitor made
// it), or, for a shared link opened straight to a detail, the same URL
// without the detail.
function closeFromButton() {
  const depth = window.history.state?.details || 0;
  if (depth > 0) window.history.go(-depth);
  else change({ meeting: null, service: null }, { replace: true });
}

// ---- language ----

async function useLanguage(asked) {
  const code = pickLanguage(asked);
  try {
    await setLanguage(code);
  } catch {
    await setLanguage('en');
  }
  translatePage();
  page.uiLang.value = currentLanguage();
  $('guide-link').search = state.lang ? `?lang=${currentLanguage()}` : '';
  if (search) {
    search.fill(state, currentLanguage());
    list.key = null;
    detailShown = null;
  }
}

// ---- the embedded finder ----

// In the partner widget's iframe, the page tells its parent how tall it is
// (embed.js sizes the iframe); nothing else crosses.
function reportHeight() {
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: 'recovery-finder:height', height }, '*');
    }
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

// ---- start ----

// In the widget's iframe, links that leave the finder's search (its title,
// the partners page) open the full finder in a new tab: the finder's other
// pages refuse to be framed.
function embedLinks() {
  for (const link of document.querySelectorAll('a[href]:not(.open)')) {
    if (link.getAttribute('href').startsWith('#')) continue;
    link.target = '_blank';
    link.rel = 'noopener';
  }
  // The partner's page has its own header and main: these are named.
  document.querySelector('.page-header').setAttribute('aria-label', t('page.title'));
  document.querySelector('main').setAttribute('aria-label', t('page.title'));
}

async function start() {
  if (EMBED) document.documentElement.classList.add('embed', ...[...EMBED_OPTIONS].map((part) => `no-${part}`));
  // The first search (and a detail a link opens) start at once, beside the
  // catalog and the reference lists.
  const categories = api.categories();
  categories.catch(() => {});
  // A link's codes are checked against the vocabularies before they are
  // sent (if those cannot be had, the search says what went wrong).
  const first = hasCodes(state)
    ? categories.then(useVocab, () => {}).then(() => fetchPage(state, 0)) : fetchPage(state, 0);
  first.catch(() => {});
  const detail = state.meeting !== null ? fetchDetail('meeting', state.meeting)
    : state.service !== null ? fetchDetail('service', state.service) : null;
  detail?.catch(() => {});
  if (detail) loadDetail().catch(() => {});
  const lists = Promise.all([api.fellowships(), api.types()]);
  await useLanguage(state.lang);
  fillLanguageSwitch(page.uiLang);
  if (EMBED) embedLinks();
  refs = { fellowships: [], types: [], categories: { categories: [], populations: [], costs: [], accessibility: [] } };
  search = setupSearch(page.finder, refs, { onChange: (partial, options) => change(partial, options), onError: showError });
  await loadRefs(lists, categories);
  search.fill(state, currentLanguage());
  showView();
  runSearch(first);
  showDetail(detail);

  page.more.addEventListener('click', showMore);
  page.viewMap.addEventListener('click', () => change({ view: state.view === 'map' ? 'list' : 'map' }));
  page.uiLang.addEventListener('change', () => change({ lang: page.uiLang.value }));
  // Result links, "other meetings here" and map popups open a detail in the
  // page; a click with a modifier key is left to the browser (a new tab).
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a.open');
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const { kind, id } = link.dataset;
    if (state.meeting === null && state.service === null) opener = { kind, id };
    change(kind === 'meeting' ? { meeting: Number(id), service: null } : { service: id, meeting: null });
  });
  window.addEventListener('popstate', () => {
    const previous = state;
    state = stateFromQuery(window.location.search);
    if (vocab) state = knownCodes(state, vocab);
    apply(previous);
  });
  if (EMBED) reportHeight();
  try {
    const health = await api.health();
    page.demo.hidden = health.demo !== true || EMBED_OPTIONS.has('demo');
  } catch {
    // The search itself reports an unreachable API.
  }
  crisisLines();
}

// The reference lists (fellowships, meeting types, the services'
// vocabularies). A page whose first requests failed asks again with its
// next search, and fills its choices when they come.
let refsMissing = false;
async function loadRefs(lists = Promise.all([api.fellowships(), api.types()]), categories = api.categories()) {
  refsMissing = false;
  categories.catch(() => {});
  try {
    const [fellowships, types] = await lists;
    refs.fellowships = fellowships.fellowships;
    refs.types = types.types;
  } catch {
    refsMissing = true;
  }
  categoriesReady = categories.then((body) => {
    refs.categories = body;
    useVocab(body);
    search.fillServices(state);
  }).catch(() => {
    refsMissing = true;
  });
}

async function retryRefs() {
  if (!refsMissing) return;
  await loadRefs();
  await categoriesReady;
  if (!refsMissing) {
    search.fill(state, currentLanguage());
    if (list.items.length) {
      page.results.replaceChildren();
      appendResults(page.results, list.kind, list.items, refs, hrefFor, { grouped: list.grouped });
    }
  }
}

// The crisis lines of this deployment (CRISIS_LINES, in /crisis.json):
// the page's own (988 and SAMHSA's helpline) unless the deployment names
// others, or none.
async function crisisLines() {
  try {
    const response = await fetch(new URL('/crisis.json', window.location.href), { credentials: 'omit' });
    const config = await response.json();
    const lines = config.crisis_lines;
    if (!Array.isArray(lines)) return;
    const box = $('crisis');
    box.hidden = lines.length === 0;
    box.replaceChildren(h('p', {}, t('crisis.lead'), ' ', ...lines.flatMap((line, i) => [
      i ? ' · ' : '', line.label ? `${line.label} ` : '', h('a', { href: telUrl(line.tel) || '#', class: 'crisis-main' }, line.tel)])));
  } catch {
    // The page's own lines stay.
  }
}

start();
