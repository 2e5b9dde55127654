// The page's words and formats. Every string lives in a catalog,
// web/i18n/<code>.json; another language is one more catalog and its code
// in LANGUAGES. Dates, times, numbers and plurals go through Intl for the
// language chosen, so word order and rules follow the language.

import { h } from './dom.js';

export const LANGUAGES = ['en', 'es'];
const DEFAULT = 'en';

let lang = DEFAULT;
let catalog = {};
let fallback = {};
let plurals = new Intl.PluralRules(DEFAULT);
let numbers = new Intl.NumberFormat(DEFAULT);

// The language to use: the one asked for (the URL's lang), else the first
// of the browser's languages we have, else English.
export function pickLanguage(asked) {
  if (LANGUAGES.includes(asked)) return asked;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return DEFAULT;
}

async function fetchCatalog(code, part = '') {
  // same-origin, as the page's preload of the English catalog asks
  // (crossorigin="anonymous"), so that the browser uses what it fetched;
  // the finder sets no cookie to send.
  const response = await fetch(new URL(`../i18n/${part ? `${part}/` : ''}${code}.json`, import.meta.url), {
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`catalog ${code}: ${response.status}`);
  return response.json();
}

// b's keys laid into a, object by object (a catalog and one of its parts).
function merged(a, b) {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = value && typeof value === 'object' && out[key] && typeof out[key] === 'object'
      ? merged(out[key], value) : value;
  }
  return out;
}

// Loads the catalog of code (and English beneath it, for any key a newer
// string has not been translated for yet), with the parts named in parts
// (web/i18n/PART/<code>.json, strings only one page needs, such as the
// developer page's translations of the API's description, which the finder
// itself never downloads). Throws when neither loads.
export async function setLanguage(code, parts = []) {
  const load = (c) => Promise.all([fetchCatalog(c), ...parts.map((p) => fetchCatalog(c, p))])
    .then((all) => all.reduce(merged));
  const [own, english] = await Promise.all([
    load(code),
    code === DEFAULT ? null : load(DEFAULT).catch(() => ({})),
  ]);
  catalog = own;
  fallback = english || own;
  lang = code;
  plurals = new Intl.PluralRules(code);
  numbers = new Intl.NumberFormat(code);
}

// The English catalog's string for key, or undefined: what a translation
// was made from, to tell whether it still fits the English it replaces.
export function englishText(key) {
  const value = lookup(lang === DEFAULT ? catalog : fallback, key);
  return typeof value === 'string' ? value : undefined;
}

export function currentLanguage() {
  return lang;
}

function lookup(table, key) {
  let value = table;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[part];
  }
  return value;
}

// t('results.count', { count: 3 }): the catalog's string for key, with
// {name} replaced by vars.name (numbers formatted for the language). A
// value that is an object is a plural: its zero (for 0, when given), one,
// few, many or other entry is chosen by vars.count. An unknown key is shown
// as itself, so that a missing string is visible rather than blank.
export function t(key, vars = {}) {
  let value = lookup(catalog, key);
  if (value === undefined) value = lookup(fallback, key);
  if (value !== null && typeof value === 'object') {
    const n = Number(vars.count);
    value = (n === 0 && value.zero) || value[plurals.select(n)] || value.other;
  }
  if (typeof value !== 'string') return key;
  return value.replace(/\{(\w+)\}/g, (whole, name) => {
    const v = vars[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'number' ? numbers.format(v) : String(v);
  });
}

// A name the API gives in several languages ({en, es}, or name/name_es).
export function localName(names, fallbackText = '') {
  if (!names) return fallbackText;
  if (typeof names === 'string') return names;
  return names[lang] || names[DEFAULT] || fallbackText;
}

export function termName(term) {
  if (!term) return '';
  return (lang !== DEFAULT && term[`name_${lang}`]) || term.name || term.code || '';
}

// Applies the catalog to the static page: data-i18n sets the text,
// data-i18n-label an aria-label, data-i18n-placeholder a placeholder.
export function translatePage(root = document) {
  document.documentElement.lang = lang;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  }
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
}

// ---- the language switch ----

// The switch's choices, each language in its own name, set to the page's.
export function fillLanguageSwitch(select) {
  select.replaceChildren(...LANGUAGES.map((code) => h('option', { value: code, lang: code }, languageName(code, code))));
  select.value = lang;
}

// A link back to the finder in the page's language: bare when the browser
// would choose that language anyway.
export function finderHref() {
  return lang === pickLanguage('') ? './' : `./?lang=${lang}`;
}

// Starts a page beside the finder (the guide, the developer and partner
// pages) in the URL's language (?lang=) or the browser's, with the catalog
// parts named (as setLanguage takes them), and translates it; redraw() then
// does what translatePage cannot (the title, links, built parts). With a
// select, the page's switch: a choice is written into the URL in place of
// the old one (a reload or a shared link keeps it, and history does not
// grow) and the page is shown again in it. Rejects when the first catalog
// does not load; the page then stays in the HTML's English.
export async function startLanguage({ select = null, parts = [], redraw = () => {} } = {}) {
  const show = async (asked) => {
    await setLanguage(pickLanguage(asked), parts);
    translatePage();
    await redraw();
  };
  await show(new URLSearchParams(window.location.search).get('lang') || '');
  if (!select) return;
  fillLanguageSwitch(select);
  select.addEventListener('change', async () => {
    const url = new URL(window.location.href);
    url.searchParams.set('lang', select.value);
    window.history.replaceState(null, '', url);
    await show(select.value);
  });
}

// ---- formats ----

// Intl's formatters, made once for each language, zone and options: a
// list of 25 meetings formats a hundred dates, and making a formatter
// costs far more than using one.
const formatters = new Map();
function cached(key, make) {
  let made = formatters.get(key);
  if (!made) {
    made = make();
    formatters.set(key, made);
  }
  return made;
}

function formatter(language, options) {
  return cached(`${language}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(language, options));
}

// The visitor's own zone: times are shown in it.
let zone = null;
export function visitorZone() {
  if (zone) return zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    zone = 'UTC';
  }
  return zone;
}

// Countries whose people read distances in miles.
const MILES_REGIONS = new Set(['US', 'GB', 'LR', 'MM']);

// The country of the browser's language ("US" of en-US, "MX" of es-MX),
// or '': the support that reaches everyone is that country's.
export function visitorCountry() {
  const region = (navigator.language || '').split('-')[1] || '';
  return /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : '';
}

export function usesMiles() {
  const tag = navigator.language || '';
  const region = tag.split('-')[1];
  return region ? MILES_REGIONS.has(region.toUpperCase()) : false;
}

export const KM_PER_MILE = 1.609344;

export function formatDistance(km) {
  const miles = usesMiles();
  const value = miles ? km / KM_PER_MILE : km;
  const digits = value < 10 ? 1 : 0;
  const text = cached(`n|${lang}|${digits}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits: digits })).format(value);
  return t(miles ? 'units.miAway' : 'units.kmAway', { n: text });
}

// A length, "1.3 km" or "0.8 miles", in the visitor's unit.
export function formatLength(km) {
  const miles = usesMiles();
  const value = miles ? km / KM_PER_MILE : km;
  const digits = value < 10 ? 1 : 0;
  const text = cached(`n|${lang}|${digits}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits: digits })).format(value);
  return t(miles ? 'units.mi' : 'units.km', { n: text });
}

export function formatNumber(n) {
  return numbers.format(n);
}

// 0 (Sunday) .. 6 as the language names it. 2026-01-04 was a Sunday.
export function weekdayName(day, style = 'long') {
  const date = new Date(Date.UTC(2026, 0, 4 + day, 12));
  return formatter(lang, { weekday: style, timeZone: 'UTC' }).format(date);
}

// "19:00" -> "7:00 PM" (or "19:00"), as the language writes a time of day.
export function clockTime(text) {
  const match = /^(\d{1,2}):(\d{2})/.exec(text || '');
  if (!match) return '';
  const date = new Date(Date.UTC(2026, 0, 4, Number(match[1]), Number(match[2])));
  return formatter(lang, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(date);
}

export function formatTime(date, timeZone) {
  return formatter(lang, { hour: 'numeric', minute: '2-digit', timeZone }).format(date);
}

export function formatDate(date, timeZone, options = { weekday: 'long', month: 'long', day: 'numeric' }) {
  return formatter(lang, { ...options, timeZone }).format(date);
}

// The calendar date of an instant in a zone, as "YYYY-MM-DD".
export function dayKey(date, timeZone) {
  return formatter('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(date);
}

// "Today", "Tomorrow" or the weekday (with the date when it is more than a
// week away) of an instant, in the zone.
export function relativeDay(date, timeZone, now = new Date()) {
  const key = dayKey(date, timeZone);
  if (key === dayKey(now, timeZone)) return t('time.today');
  if (key === dayKey(new Date(now.getTime() + 86400000), timeZone)) return t('time.tomorrow');
  if (date.getTime() - now.getTime() < 6 * 86400000) return formatDate(date, timeZone, { weekday: 'long' });
  return formatDate(date, timeZone);
}

// A language's name ("es" -> "Español"), in the page's language or in
// another (a language's own name, for the language switch).
export function languageName(code, inLanguage = lang) {
  try {
    const name = cached(`d|${inLanguage}`, () => new Intl.DisplayNames([inLanguage], { type: 'language' })).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(inLanguage) + name.slice(1) : code;
  } catch {
    return code;
  }
}

// "America/Argentina/Buenos_Aires" -> "Buenos Aires"
export function zoneCity(timeZone) {
  return String(timeZone || '').split('/').pop().replace(/_/g, ' ');
}
