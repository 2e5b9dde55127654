// The search: the Meetings and Services tabs, the place box, "use my
// location", the filters of each tab (a sheet on phones, a side column on
// wide screens), the chips of the filters in use and the facets that
// disable the choices that would find nothing. It reads and writes the
// state object of state.js and knows nothing of fetch or of how results are
// shown: main.js passes it the callbacks.

import { checkbox, h } from './dom.js';
import { KM_PER_MILE, formatLength, languageName, localName, t, termName, usesMiles, weekdayName } from './i18n.js';
import { WEEKEND, clearedFilters, emptyState, hasLocation, roundCoordinate } from './state.js';
import { setupPlaces } from './places.js';

const TIMES = ['morning', 'midday', 'evening', 'night'];
const ATTENDANCE = ['in_person', 'hybrid', 'online'];
// Days as offered: today, tomorrow, the weekend, then Monday to Sunday.
const DAYS = ['today', 'tomorrow', 'weekend', '1', '2', '3', '4', '5', '6', '0'];
// Meeting Guide codes offered as filters, in the order shown.
const MEETING_TYPES = ['O', 'C', 'BE', 'W', 'M', 'Y', 'LGBTQ', 'POC', 'SEN', 'A', 'SP', 'D', 'ST', 'B', 'LIT', 'MED', 'CF', 'BA'];
const ACCESS_TYPES = ['X', 'XB', 'ASL', 'D-HOH', 'BV-I', 'FF'];
// Recovery housing: NARR levels, beds now, residents' gender, MOUD.
const HOUSING = ['narr-1', 'narr-2', 'narr-3', 'narr-4', 'beds', 'men', 'women', 'all', 'housing_moud'];
const RADII_KM = [5, 10, 50, 100, 200]; // and the API's default, 25
const RADII_MI = [2, 5, 10, 30, 60, 120]; // and the default, about 15
const CHANGE_DELAY_MS = 250;
// Below this width the filters are a sheet over the page.
const SHEET = '(max-width: 55.99rem)';
// The checkbox groups that hold a state key's list as it is.
const LIST_FILTERS = ['attendance', 'fellowship', 'type', 'category', 'population', 'cost'];

// The facets that disable choices, per tab. boxes: each group of
// checkboxes (by name) and where a box's count is in the API's facets,
// at(value) = [facet, key]; by default the facet named like the group,
// keyed by the box's value; null where the API counts nothing (today,
// tomorrow, the weekend). selects: [select's id, facet]. regions: whether
// the answer's areas refill the region field.
const FACETS = {
  meetings: {
    boxes: [
      { name: 'attendance' }, { name: 'fellowship' }, { name: 'type' }, { name: 'time' },
      { name: 'day', at: (day) => (/^[0-6]$/.test(day) ? ['day', day] : null) },
      { name: 'meeting-option', at: () => ['moud', 'true'] },
    ],
    selects: [['for', 'for'], ['meeting-language', 'language']],
    regions: true,
  },
  services: {
    boxes: [
      { name: 'category' }, { name: 'population' }, { name: 'cost' },
      // The options' values (moud, open_now) are their facets' names.
      { name: 'service-option', at: (option) => [option, 'true'] },
      { name: 'housing', at: housingFacet },
    ],
    selects: [['service-language', 'language']],
    regions: false,
  },
};

// Where a recovery-housing choice is counted: one choice list, four facets.
function housingFacet(choice) {
  if (choice.startsWith('narr-')) return ['narr_level', choice.slice(5)];
  if (choice === 'beds') return ['beds_available', 'true'];
  if (choice === 'housing_moud') return ['housing_moud', 'true'];
  return ['gender', choice];
}

const $ = (id) => document.getElementById(id);

function option(value, label) {
  return h('option', { value }, label);
}

function fillSelect(select, options) {
  const value = select.value;
  select.replaceChildren(...options.map(([v, label]) => option(v, label)));
  if (options.some(([v]) => v === value)) select.value = value;
}

// items: [value, label, explanation?]
function checkboxes(fieldset, name, items) {
  const legend = fieldset.querySelector('legend');
  const boxes = items.map(([value, label, explain]) => {
    const box = checkbox(`${name}-${value}`.replace(/[^A-Za-z0-9_-]/g, '_'), name, value, label);
    if (explain) box.querySelector('label').append(h('span', { class: 'explain' }, explain));
    return box;
  });
  fieldset.replaceChildren(legend, ...boxes);
}

function checkedValues(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}

function setChecked(root, name, values) {
  for (const input of root.querySelectorAll(`input[name="${name}"]`)) input.checked = values.includes(input.value);
}

// The day choices a state's day list checks: the weekend when it has both
// Saturday and Sunday.
function dayChoices(day) {
  const days = day ? day.split(',') : [];
  const weekend = WEEKEND.every((d) => days.includes(d));
  return [...days.filter((d) => !(weekend && WEEKEND.includes(d))), ...(weekend ? ['weekend'] : [])];
}

function dayList(choices) {
  const days = choices.flatMap((c) => (c === 'weekend' ? WEEKEND : [c]));
  return [...new Set(days)].join(',');
}

// Times of day as one span: the API takes windows that touch or overlap
// (evening and night), so a choice with a gap (morning and evening) takes
// in what lies between, by the shortest way round the day.
function timeSpan(chosen) {
  if (chosen.length < 2) return chosen;
  let best = null;
  for (let start = 0; start < TIMES.length; start++) {
    for (let length = 1; length <= TIMES.length; length++) {
      const arc = Array.from({ length }, (_, i) => TIMES[(start + i) % TIMES.length]);
      if (chosen.every((w) => arc.includes(w)) && (!best || arc.length < best.length)) best = arc;
    }
  }
  return TIMES.filter((w) => best.includes(w));
}

// Asks the browser for the position and rounds it (state.js) before
// anything else sees it.
function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error(t('errors.geoUnsupported')));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: roundCoordinate(pos.coords.latitude), lng: roundCoordinate(pos.coords.longitude) }),
      (err) => reject(new Error(err.code === 1 ? t('errors.geoDenied') : t('errors.geoUnavailable'))),
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
    );
  });
}

// The filters a state has, each as { label, clear } where clear is the
// partial state that removes it: the chips, and the words of the heading.
export function activeFilters(s, refs) {
  const out = [];
  const add = (label, clear) => out.push({ label, clear });
  const without = (key, value) => ({ [key]: s[key].filter((v) => v !== value) });
  if (s.q) add(`“${s.q}”`, { q: '' });
  if (s.radius_km !== null && (s.near || s.lat !== null)) add(t('filters.within', { distance: formatLength(s.radius_km) }), { radius_km: null });
  if (s.tab === 'services') {
    for (const c of s.category) add(termName(refs.categories.categories.find((x) => x.code === c)) || c, without('category', c));
    for (const key of ['narr_level', 'gender']) {
      for (const v of s[key]) add(t(`filters.housingChoices.${key === 'gender' ? v : `narr-${v}`}`), without(key, v));
    }
    if (s.beds_available) add(t('filters.housingChoices.beds'), { beds_available: false });
    if (s.housing_moud) add(t('filters.housingChoices.housing_moud'), { housing_moud: false });
    if (s.open_now) add(t('filters.openNow'), { open_now: false });
    for (const c of s.population) add(termName(refs.categories.populations.find((x) => x.code === c)) || c, without('population', c));
    for (const c of s.cost) add(termName(refs.categories.costs.find((x) => x.code === c)) || c, without('cost', c));
  } else {
    for (const d of dayChoices(s.day)) {
      const label = d === 'today' || d === 'tomorrow' ? t(`time.${d}`) : d === 'weekend' ? t('filters.weekend') : weekdayName(Number(d));
      add(label, { day: dayList(dayChoices(s.day).filter((x) => x !== d)) });
    }
    for (const w of s.time) add(t(`filters.timesShort.${w}`), without('time', w));
    if (s.when) add(t(s.when === 'now' ? 'filters.now' : 'filters.soon'), { when: '' });
    for (const a of s.attendance) add(t(`attendance.${a}`), without('attendance', a));
    if (s.for) add(t(s.for === 'family' ? 'filters.forFamily' : 'filters.forRecovery'), { for: '' });
    for (const r of s.region) add(r, without('region', r));
    for (const f of s.fellowship) add(localName(refs.fellowships.find((x) => x.slug === f)?.name, f), without('fellowship', f));
    for (const c of s.type) add(localName(refs.types.find((x) => x.code === c)?.label, c), without('type', c));
  }
  if (s.moud) add(t('filters.moudShort'), { moud: false });
  if (s.language) add(languageName(s.language), { language: '' });
  return out;
}

// What the parts of the search share: the elements they wire, main.js's
// callbacks, and what the form shows now. One object rather than one
// closure, so that each part can be a function of its own.
function searchContext(root, refs, { onChange, onError }) {
  return {
    root, refs, onChange, onError,
    form: $('search-form'),
    filterForm: $('filter-form'),
    tabs: { meetings: $('tab-meetings'), services: $('tab-services') },
    panels: { meetings: $('meeting-filters'), services: $('service-filters') },
    place: $('place'),
    sheet: $('filters'),
    toggle: $('filters-toggle'),
    // In the partner widget's frame the filters stay in the page's flow.
    narrow: document.documentElement.classList.contains('embed') ? { matches: false, addEventListener() {} }
      : window.matchMedia(SHEET),
    places: null, // the place box's suggestions (places.js)
    shown: emptyState(), // the state the form shows
    timer: 0, // a filter change waiting out its pause
    lang: 'en',
    regions: [], // the areas the last meetings facets found
  };
}

// Wires the search. root holds the search form and the filters; refs the
// reference lists ({fellowships, types, categories}); onChange(partial) is
// called with the state keys the searcher changed (main.js searches and
// records the URL); onError(message) shows a message ('' clears it).
// Returns { fill(state, lang) (the choices, in the page's language),
// fillServices(state) (once refs.categories is there), show(state),
// facets(tab, counts, languages), closeFilters() }.
export function setupSearch(root, refs, callbacks) {
  const ui = searchContext(root, refs, callbacks);
  setupSheet(ui);
  setupForms(ui);
  setupPlaceBox(ui);
  setupTabs(ui);
  return {
    fill: (state, language) => fill(ui, state, language),
    fillServices: (state) => fillServices(ui, state),
    show: (state) => show(ui, state),
    facets: (tab, found, seenLanguages, seenRegions) => facets(ui, tab, found, seenLanguages, seenRegions),
    closeFilters: (options) => closeFilters(ui, options),
  };
}

// ---- choices, in the page's language ----

function fill(ui, state, language) {
  ui.lang = language;
  fillRadius();
  fillMeetingChoices(ui);
  fillServiceChoices();
  fillServices(ui, state);
  fillLanguages(ui, [], state);
  fillRegions(ui, state);
  show(ui, state);
}

// The radii in the visitor's unit, the API's default (25 km, about 15
// miles) in its place by size; the values are always kilometres.
function fillRadius() {
  const miles = usesMiles();
  fillSelect($('radius'), [
    ['', t(miles ? 'units.mi' : 'units.km', { n: miles ? 15 : 25 })],
    ...(miles
      ? RADII_MI.map((mi) => [String(Math.round(mi * KM_PER_MILE * 10) / 10), t('units.mi', { n: mi })])
      : RADII_KM.map((km) => [String(km), t('units.km', { n: km })])),
  ].sort((a, b) => (Number(a[0]) || 25) - (Number(b[0]) || 25)));
}

function fillMeetingChoices(ui) {
  checkboxes($('day'), 'day', DAYS.map((d) => [d,
    d === 'today' || d === 'tomorrow' ? t(`time.${d}`) : d === 'weekend' ? t('filters.weekend') : weekdayName(Number(d), 'short')]));
  checkboxes($('time'), 'time', TIMES.map((w) => [w, t(`filters.times.${w}`)]));
  fillSelect($('when'), [['', t('filters.anyStart')], ['soon', t('filters.soon')], ['now', t('filters.now')]]);
  fillSelect($('for'), [['', t('filters.forAnyone')], ['recovery', t('filters.forRecovery')],
    ['family', t('filters.forFamily')]]);
  fillSelect($('sort'), [['', t('results.sortDefault')], ['next', t('results.sortNext')],
    ['distance', t('results.sortDistance')]]);
  checkboxes($('attendance'), 'attendance', ATTENDANCE.map((a) => [a, t(`attendance.${a}`)]));
  checkboxes($('meeting-options'), 'meeting-option', [['moud', t('filters.moud')]]);
  const fellowships = [...ui.refs.fellowships].sort((a, b) => localName(a.name).localeCompare(localName(b.name), ui.lang));
  checkboxes($('fellowship'), 'fellowship', fellowships.map((f) => [f.slug, localName(f.name, f.slug)]));
  checkboxes($('type'), 'type', MEETING_TYPES.map((c) => typeChoice(ui.refs, c)));
  checkboxes($('access'), 'type', ACCESS_TYPES.map((c) => typeChoice(ui.refs, c)));
}

// A meeting type as a checkbox's [value, label, explanation]: the legend
// explains the codes it has words for.
function typeChoice(refs, code) {
  const text = t(`legend.${code}`);
  return [code, localName(refs.types.find((x) => x.code === code)?.label, code), text === `legend.${code}` ? null : text];
}

// The services' choices that are the page's own words, not a vocabulary.
function fillServiceChoices() {
  checkboxes($('service-options'), 'service-option', [['open_now', t('filters.openNow')], ['moud', t('filters.moud')]]);
  checkboxes($('housing'), 'housing', HOUSING.map((c) => [c, t(`filters.housingChoices.${c}`)]));
}

// The services' vocabularies, which may arrive after the rest (main.js
// does not hold the first meetings search back for them).
function fillServices(ui, state) {
  const { categories, populations, costs } = ui.refs.categories;
  checkboxes($('category'), 'category', categories.map((c) => [c.code, termName(c)]));
  checkboxes($('population'), 'population', populations.map((c) => [c.code, termName(c)]));
  checkboxes($('cost'), 'cost', costs.map((c) => [c.code, termName(c)]));
  setChecked(ui.root, 'category', state.category);
  setChecked(ui.root, 'population', state.population);
  setChecked(ui.root, 'cost', state.cost);
  $('housing').hidden = !state.category.includes('recovery-housing');
}

// The language choices: those the facets found (most common first), the
// chosen one, and English and Spanish, which are always offered.
function fillLanguages(ui, codes, state) {
  for (const select of [$('meeting-language'), $('service-language')]) {
    const offered = [...new Set(['en', 'es', ...codes, state.language].filter(Boolean))];
    fillSelect(select, [['', t('filters.anyLanguage')], ...offered.map((c) => [c, languageName(c, ui.lang)])]);
    select.value = state.language;
  }
}

// The areas the feeds name (the facet's, most meetings first), and the
// one chosen; the field shows only when there are some.
function fillRegions(ui, state) {
  const names = [...new Set([...state.region, ...ui.regions])];
  fillSelect($('region'), [['', t('filters.anyRegion')], ...names.map((n) => [n, n])]);
  $('region').value = state.region[0] || '';
  $('region-field').hidden = names.length === 0;
}

// ---- state in, state out ----

function show(ui, state) {
  ui.shown = state;
  showTabs(ui, state);
  showPlace(ui, state);
  showFilters(ui, state);
  fillRegions(ui, state);
  for (const select of [$('meeting-language'), $('service-language')]) {
    setSelect(select, state.language, () => languageName(state.language, ui.lang));
  }
  showChips(ui, state);
}

function showTabs(ui, state) {
  for (const [tab, button] of Object.entries(ui.tabs)) {
    const selected = tab === state.tab;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    ui.panels[tab].hidden = !selected;
  }
  $('results-section').setAttribute('aria-labelledby', ui.tabs[state.tab].id);
}

// The place box keeps what is being typed into it.
function showPlace(ui, state) {
  const { place } = ui;
  if (document.activeElement !== place || !place.value) {
    place.value = state.near || (state.lat !== null ? t('search.myLocation') : '');
  }
  $('place-hint').textContent = t(state.tab === 'services' ? 'search.placeHintServices' : 'search.placeHint');
  $('place-hint').hidden = hasLocation(state);
}

function showFilters(ui, state) {
  const { root } = ui;
  setSelect($('radius'), state.radius_km === null ? '' : String(state.radius_km),
    () => t('units.km', { n: state.radius_km }));
  $('q').value = state.q;
  setChecked(root, 'day', dayChoices(state.day));
  setChecked(root, 'time', state.time);
  $('when').value = state.when;
  $('for').value = state.for;
  $('sort').value = state.sort;
  $('sort').closest('.sort-field').hidden = state.tab === 'services';
  for (const key of LIST_FILTERS) setChecked(root, key, state[key]);
  setChecked(root, 'meeting-option', state.moud ? ['moud'] : []);
  setChecked(root, 'service-option', [state.open_now && 'open_now', state.moud && 'moud'].filter(Boolean));
  setChecked(root, 'housing', [...state.narr_level.map((n) => `narr-${n}`), ...state.gender,
    ...(state.beds_available ? ['beds'] : []), ...(state.housing_moud ? ['housing_moud'] : [])]);
  $('housing').hidden = !state.category.includes('recovery-housing');
}

// The filters in use as chips: each removes its filter; "Clear all"
// removes them all (the place stays). Focus stays in the list when a chip
// goes, or moves to the filters' button when the last one does.
function showChips(ui, state) {
  const { onChange, toggle } = ui;
  const active = activeFilters(state, ui.refs);
  const list = $('chips');
  const n = active.length;
  $('filter-count').textContent = n ? String(n) : '';
  toggle.setAttribute('aria-label', n ? `${t('filters.title')} (${t('filters.chosen', { count: n })})` : t('filters.title'));
  $('clear').hidden = n === 0;
  list.hidden = n === 0;
  list.replaceChildren(...active.map((f) => h('li', {},
    h('button', { type: 'button', class: 'chip', 'aria-label': t('filters.remove', { filter: f.label }),
      onclick: () => {
        onChange(f.clear);
        (list.querySelector('.chip') || toggle).focus();
      } }, f.label))),
  ...(n > 1 ? [h('li', {}, h('button', { type: 'button', class: 'chip clear-all', onclick: () => clearAll(ui) }, t('filters.clearAll')))] : []));
}

// Sets a select to value, adding it as an option when it is not one (a
// link may carry a radius the choices do not have).
function setSelect(select, value, label) {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(option(value, label()));
  select.value = value;
}

// The filters as the form has them now (the place is kept as it was: it
// changes only when a place is picked, typed and searched, or located).
function read(ui) {
  const { root } = ui;
  const panel = ui.panels[ui.shown.tab];
  const services = ui.shown.tab === 'services';
  const serviceOptions = checkedValues(root, 'service-option');
  const housing = checkedValues(root, 'housing');
  const radius = $('radius').value;
  return {
    radius_km: radius === '' ? null : Number(radius),
    q: $('q').value.trim().slice(0, 200),
    day: dayList(checkedValues(root, 'day')),
    time: timeSpan(checkedValues(root, 'time')),
    when: $('when').value,
    for: $('for').value,
    attendance: checkedValues(root, 'attendance'),
    fellowship: checkedValues(root, 'fellowship'),
    type: checkedValues(root, 'type'),
    region: $('region').value ? [$('region').value] : [],
    language: panel.querySelector('select[name="language"]').value,
    moud: services ? serviceOptions.includes('moud') : checkedValues(root, 'meeting-option').includes('moud'),
    open_now: serviceOptions.includes('open_now'),
    category: checkedValues(root, 'category'),
    population: checkedValues(root, 'population'),
    cost: checkedValues(root, 'cost'),
    narr_level: housing.filter((v) => v.startsWith('narr-')).map((v) => v.slice(5)),
    gender: housing.filter((v) => ['men', 'women', 'all'].includes(v)),
    beds_available: housing.includes('beds'),
    housing_moud: housing.includes('housing_moud'),
  };
}

// The place box's text as state: "my location" shown for a located search
// keeps the position.
function placeChange(ui) {
  const text = ui.place.value.trim();
  if (text === '') return { near: '', lat: null, lng: null };
  if (ui.shown.lat !== null && text === t('search.myLocation')) return {};
  return { near: text, lat: null, lng: null };
}

// Focus goes where the searcher can go on: the filters' first field, or
// the place box when the filters are closed.
function clearAll(ui) {
  ui.onChange(clearedFilters());
  (ui.sheet.hidden ? ui.place : $('q')).focus();
}

// ---- the filters' sheet (phones) or column (wide screens) ----

function setupSheet(ui) {
  const { sheet, toggle, narrow } = ui;
  toggle.addEventListener('click', () => (sheet.hidden ? openFilters(ui) : closeFilters(ui)));
  $('filters-close').addEventListener('click', () => closeFilters(ui));
  $('filters-done').addEventListener('click', () => {
    flush(ui);
    closeFilters(ui, { focus: false });
    $('results-heading').focus();
  });
  sheet.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && narrow.matches) closeFilters(ui);
  });
  narrow.addEventListener('change', () => setInert(ui));
}

// The page around an open sheet is inert and does not scroll, so that
// focus and the screen reader stay in the sheet.
function setInert(ui) {
  const { sheet } = ui;
  const outside = [document.querySelector('.page-header'), $('search-section'), $('results-section'),
    document.querySelector('.page-footer'), $('crisis'), $('demo-notice')].filter(Boolean);
  sheet.parentElement.classList.toggle('with-filters', !sheet.hidden);
  const modal = !sheet.hidden && ui.narrow.matches;
  for (const node of outside) node.inert = modal;
  document.body.style.overflow = modal ? 'hidden' : '';
}

function openFilters(ui) {
  const { sheet } = ui;
  sheet.hidden = false;
  ui.toggle.setAttribute('aria-expanded', 'true');
  setInert(ui);
  (ui.narrow.matches ? $('filters-close') : sheet.querySelector('input, select'))?.focus();
}

function closeFilters(ui, { focus = true } = {}) {
  if (ui.sheet.hidden) return;
  ui.sheet.hidden = true;
  ui.toggle.setAttribute('aria-expanded', 'false');
  setInert(ui);
  if (focus) ui.toggle.focus();
}

// ---- the forms ----

// A submit searches again at once, even for the same state (a retry).
function setupForms(ui) {
  const { onChange } = ui;
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    cancelPause(ui);
    ui.places.close();
    ui.onError('');
    onChange({ ...read(ui), ...placeChange(ui) }, { again: true });
  });
  ui.filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    cancelPause(ui);
    onChange(read(ui), { again: true });
  });
  ui.filterForm.addEventListener('change', (event) => filterChange(ui, event));
  $('sort').addEventListener('change', () => onChange({ sort: $('sort').value }));
  $('clear').addEventListener('click', () => clearAll(ui));
}

// A changed filter searches at once (after a short pause, so that arrow
// keys through a select do not each send a search). The words box
// searches on submit only.
function filterChange(ui, event) {
  if (event.target === $('q')) return;
  if (event.target.name === 'category') $('housing').hidden = !checkedValues(ui.root, 'category').includes('recovery-housing');
  clearTimeout(ui.timer);
  ui.timer = setTimeout(() => {
    ui.timer = 0;
    ui.onChange(read(ui));
  }, CHANGE_DELAY_MS);
}

function cancelPause(ui) {
  clearTimeout(ui.timer);
  ui.timer = 0;
}

// Sends a change the pause still holds.
function flush(ui) {
  if (ui.timer) {
    cancelPause(ui);
    ui.onChange(read(ui));
  }
}

// ---- the place box and "use my location" ----

function setupPlaceBox(ui) {
  const { onChange, onError } = ui;
  const locateButton = $('locate');
  const locateStatus = $('locate-status');
  ui.places = setupPlaces(ui.place, $('place-options'), {
    onPick: (picked) => {
      onError('');
      locateStatus.textContent = '';
      onChange({ ...read(ui), near: picked.label, lat: null, lng: null });
    },
  });
  locateButton.addEventListener('click', async () => {
    locateButton.disabled = true;
    locateStatus.textContent = t('search.locating');
    onError('');
    try {
      const here = await locate();
      locateStatus.textContent = t('search.located');
      onChange({ ...read(ui), near: '', lat: here.lat, lng: here.lng }, { again: true });
    } catch (err) {
      locateStatus.textContent = err.message;
    } finally {
      locateButton.disabled = false;
    }
  });
}

// ---- the tabs ----

// A click or the arrow keys choose (automatic activation).
function setupTabs(ui) {
  for (const [tab, button] of Object.entries(ui.tabs)) {
    button.addEventListener('click', () => {
      if (ui.shown.tab !== tab) ui.onChange({ tab });
    });
    button.addEventListener('keydown', (event) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
      event.preventDefault();
      const other = tab === 'meetings' ? 'services' : 'meetings';
      const next = event.key === 'Home' ? 'meetings' : event.key === 'End' ? 'services' : other;
      ui.tabs[next].focus();
      if (ui.shown.tab !== next) ui.onChange({ tab: next });
    });
  }
}

// ---- facets ----

// Disables each choice that would find nothing given the other filters.
// found: { name: { value: count } }, each computed without its own
// filter; a choice already made stays enabled so it can be undone. A
// facet that is null counted only some of the matches (the API's
// count_exact false): a choice it did not see may still find something,
// so none of its choices is disabled. seenLanguages, seenRegions: the
// languages and areas the search's own answer saw, exact or not, most
// common first in the lists.
function facets(ui, tab, found, seenLanguages, seenRegions) {
  const table = tab === 'meetings' ? FACETS.meetings : FACETS.services;
  for (const { name, at = (value) => [name, value] } of table.boxes) {
    for (const input of ui.root.querySelectorAll(`input[name="${name}"]`)) {
      const where = at(input.value);
      disableEmpty(input, where ? countOf(found[where[0]], where[1]) : undefined);
    }
  }
  // The language selects are refilled first: refilling drops the options' state.
  fillLanguages(ui, byCount(seenLanguages), ui.shown);
  for (const [id, facet] of table.selects) disableEmptyOptions($(id), (value) => countOf(found[facet], value));
  if (table.regions) {
    ui.regions = byCount(seenRegions);
    fillRegions(ui, ui.shown);
  }
}

// A choice's count, or undefined when its facet is not exact.
function countOf(group, value) {
  return group ? group[value] || 0 : undefined;
}

function disableEmpty(input, count) {
  const off = count === 0 && !input.checked;
  input.disabled = off;
  input.closest('.choice')?.classList.toggle('none', off);
}

function disableEmptyOptions(select, counts) {
  for (const o of select.options) {
    if (o.value !== '' && o.value !== select.value) o.disabled = (counts(o.value) ?? 1) === 0;
  }
}

function byCount(group) {
  return Object.entries(group || {}).sort((a, b) => b[1] - a[1]).map(([c]) => c);
}
