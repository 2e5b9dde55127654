// The search as a plain object, and its two outside forms: the page's URL
// (every search is a link that can be shared, bookmarked and gone back to)
// and the API's parameters. Values read from a URL are checked here, so
// the rest of the page only ever sees valid state.

import { visitorCountry, visitorZone } from './i18n.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,9}$/;
const LANG = /^[a-z]{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^(today|tomorrow|[0-6])$/;
const TIMES = ['morning', 'midday', 'evening', 'night'];
const ATTENDANCE = ['in_person', 'online', 'hybrid'];
const MAX_LIST = 20;
const REGION = /^[^\u0000-\u001f,]{1,100}$/;
const NARR = /^[1-4]$/;
const GENDERS = ['men', 'women', 'all'];

// Saturday and Sunday, as the API numbers days.
export const WEEKEND = ['6', '0'];

// Minutes ahead that "starting soon" covers.
export const SOON_MINUTES = 60;

// Rounds a coordinate to three decimals, about 100 m: the searcher's exact
// position never leaves the browser.
export function roundCoordinate(x) {
  return Math.round(x * 1000) / 1000;
}

export function emptyState() {
  return {
    tab: 'meetings', // or 'services'
    near: '', // a place name, or
    lat: null, // a position (rounded)
    lng: null,
    radius_km: null, // null: the API's default
    q: '',
    sort: '', // '', 'next' or 'distance'
    view: 'list', // or 'map'
    lang: '', // the page's language; '' follows the browser
    // meetings
    day: '', // a comma list: today, tomorrow, 0 (Sunday) – 6
    time: [], // morning, midday, evening, night
    when: '', // '', 'soon' or 'now'
    attendance: [],
    fellowship: [],
    for: '', // '', 'family' or 'recovery'
    type: [],
    region: [], // areas the feeds name (regions, cities)
    // both tabs
    language: '',
    moud: false,
    // services
    category: [],
    population: [],
    cost: [],
    open_now: false,
    narr_level: [], // recovery housing: NARR levels 1–4
    gender: [], // recovery housing: residents' gender
    beds_available: false,
    housing_moud: false, // recovery housing: residents may take MOUD
    // the detail shown, if any
    meeting: null, // an id
    service: null, // a uuid
  };
}

// The state keys that "Clear all" empties: every filter, not the tab, the
// place, the view, the language, the order or the detail.
export function clearedFilters() {
  const keep = ['tab', 'near', 'lat', 'lng', 'view', 'lang', 'sort', 'meeting', 'service'];
  return Object.fromEntries(Object.entries(emptyState()).filter(([key]) => !keep.includes(key)));
}

function list(value, pattern, allowed) {
  if (!value) return [];
  const items = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  return items.filter((s) => pattern.test(s) && (!allowed || allowed.includes(s))).slice(0, MAX_LIST);
}

function number(value, min, max) {
  if (value === null || value === '' || !/^-?\d+(\.\d+)?$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

function oneOf(value, allowed) {
  return allowed.includes(value) ? value : '';
}

// The state a URL's query describes; what is not valid is left out.
export function stateFromQuery(search) {
  const q = new URLSearchParams(search);
  const get = (key) => q.get(key);
  const s = emptyState();
  s.tab = get('tab') === 'services' ? 'services' : 'meetings';
  s.near = (get('near') || '').slice(0, 200);
  s.lat = number(get('lat'), -90, 90);
  s.lng = number(get('lng'), -180, 180);
  if (s.lat === null || s.lng === null || s.near) {
    s.lat = null;
    s.lng = null;
  } else {
    s.lat = roundCoordinate(s.lat);
    s.lng = roundCoordinate(s.lng);
  }
  s.radius_km = number(get('radius_km'), 0.1, 500);
  s.q = (get('q') || '').slice(0, 200);
  s.sort = oneOf(get('sort'), ['next', 'distance']);
  s.view = get('view') === 'map' ? 'map' : 'list';
  s.lang = LANG.test(get('lang') || '') ? get('lang') : '';
  s.day = list(get('day'), DAY).join(',');
  s.time = list(get('time'), /^[a-z]+$/, TIMES);
  s.when = oneOf(get('when'), ['soon', 'now']);
  s.attendance = list(get('attendance'), /^[a-z_]+$/, ATTENDANCE);
  s.fellowship = list(get('fellowship'), SLUG);
  s.for = oneOf(get('for'), ['family', 'recovery']);
  s.type = list(get('type'), CODE);
  s.region = list(get('region'), REGION);
  s.language = LANG.test(get('language') || '') ? get('language') : '';
  s.moud = get('moud') === 'true';
  s.category = list(get('category'), SLUG);
  s.population = list(get('population'), SLUG);
  s.cost = list(get('cost'), SLUG);
  s.open_now = get('open_now') === 'true';
  s.narr_level = list(get('narr_level'), NARR);
  s.gender = list(get('gender'), /^[a-z]+$/, GENDERS);
  s.beds_available = get('beds_available') === 'true';
  s.housing_moud = get('housing_moud') === 'true';
  const meeting = number(get('meeting'), 1, 2 ** 53);
  s.meeting = meeting !== null && Number.isInteger(meeting) ? meeting : null;
  s.service = UUID.test(get('service') || '') ? get('service') : null;
  if (s.meeting !== null) s.service = null;
  return s;
}

// The keys of the state in the order a URL lists them, with how each is
// written; a value equal to the empty state's is left out.
const URL_KEYS = ['tab', 'near', 'lat', 'lng', 'radius_km', 'q', 'day', 'time', 'when', 'attendance',
  'fellowship', 'for', 'type', 'region', 'language', 'moud', 'category', 'population', 'cost', 'open_now',
  'narr_level', 'gender', 'beds_available', 'housing_moud',
  'sort', 'view', 'lang', 'meeting', 'service'];

// "?near=Chicago&day=today" for a state ('' when it is the empty state).
export function queryFromState(s) {
  const empty = emptyState();
  const q = new URLSearchParams();
  for (const key of URL_KEYS) {
    const value = s[key];
    if (Array.isArray(value)) {
      if (value.length) q.set(key, value.join(','));
    } else if (value !== empty[key] && value !== null && value !== '' && value !== false) {
      q.set(key, String(value));
    }
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function hasLocation(s) {
  return Boolean(s.near) || (s.lat !== null && s.lng !== null);
}

function where(s) {
  if (s.near) return { near: s.near };
  if (s.lat !== null && s.lng !== null) return { lat: s.lat, lng: s.lng };
  return {};
}

// Online meetings are open to anyone: with no place given, the meetings
// search shows those that can be joined online.
export function onlineOnly(s) {
  return !hasLocation(s) && s.attendance.length === 0;
}

// The API parameters of the meetings search (without limit and offset).
export function meetingParams(s) {
  const p = { ...where(s), tz: visitorZone() };
  if (hasLocation(s) && s.radius_km !== null) p.radius_km = s.radius_km;
  if (s.day) p.day = s.day;
  p.time = s.time;
  if (s.when === 'soon') p.starts_within = SOON_MINUTES;
  if (s.when === 'now') p.in_progress = true;
  p.attendance = onlineOnly(s) ? ['online', 'hybrid'] : s.attendance;
  p.fellowship = s.fellowship;
  if (s.for) p.for = s.for;
  p.type = s.type;
  p.region = s.region;
  if (s.language) p.lang = s.language;
  if (s.moud) p.moud = true;
  if (s.q) p.q = s.q;
  if (s.sort === 'next' || (s.sort === 'distance' && hasLocation(s))) p.sort = s.sort;
  return p;
}

// Whether s filters services by category, population or cost codes.
export function hasCodes(s) {
  return s.category.length + s.population.length + s.cost.length > 0;
}

// s without the category, population and cost codes that vocab (the answer
// of GET /api/v1/categories) does not list: a link may carry a mistyped or
// retired code, and the API refuses one with a 400.
export function knownCodes(s, vocab) {
  const keep = (codes, terms) => codes.filter((c) => (terms || []).some((term) => term.code === c));
  return {
    ...s,
    category: keep(s.category, vocab.categories),
    population: keep(s.population, vocab.populations),
    cost: keep(s.cost, vocab.costs),
  };
}

// The API parameters of the services search (without limit and offset).
export function serviceParams(s) {
  const p = { ...where(s) };
  if (hasLocation(s) && s.radius_km !== null) p.radius_km = s.radius_km;
  p.category = s.category;
  p.population = s.population;
  p.cost = s.cost;
  if (s.language) p.lang = s.language;
  if (s.moud) p.moud = true;
  p.narr_level = s.narr_level;
  p.gender = s.gender;
  if (s.beds_available) p.beds_available = true;
  if (s.housing_moud) p.housing_moud = true;
  // Without a place, the support anyone can reach from anywhere: in the
  // country of the browser's language, when it names one.
  if (!hasLocation(s) && !s.q) {
    p.scope = 'national';
    if (visitorCountry()) p.country = visitorCountry();
  }
  if (s.open_now) {
    p.open_now = true;
    p.tz = visitorZone();
  }
  if (s.q) p.q = s.q;
  return p;
}

// The filters of each facet a tab offers: the search's own parameters but
// that facet's, so that choosing one fellowship does not hide the others.
export const MEETING_FACET_FILTERS = {
  fellowship: 'fellowship', attendance: 'attendance', day: 'day', time: 'time', type: 'type',
  language: 'lang', for: 'for', moud: 'moud', region: 'region',
};
export const SERVICE_FACET_FILTERS = {
  category: 'category', population: 'population', cost: 'cost', language: 'lang', moud: 'moud',
  open_now: 'open_now', narr_level: 'narr_level', gender: 'gender', beds_available: 'beds_available',
  housing_moud: 'housing_moud',
};
