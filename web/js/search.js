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
const HOUSING_FACET = { beds: ['beds_available', 'true'], housing_moud: ['housing_moud', 'true'] };
const RADII_KM = [5, 10, 50, 100, 200]; // and the API's default, 25
const RADII_MI = [2, 5, 10, 30, 60, 120]; // and the default, about 15
const CHANGE_DELAY_MS = 250;
// Below this width the filters are a sheet over the page.
const SHEET = '(max-width: 55.99rem)';

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

// Wires the search. root holds the search form and the filters; refs the
// reference lists ({fellowships, types, categories}); onChange(partial) is
// called with the state keys the searcher changed (main.js searches and
// records the URL); onError(message) shows a message ('' clears it).
// Returns { fill(state, lang) (the choices, in the page's language),
// fillServices(state) (once refs.categories is there), show(state),
// facets(tab, counts, languages), closeFilters() }.
export function setupSearch(root, refs, { onChange, onError }) {
  const $ = (id) => document.getElementById(id);
  const form = $('search-form');
  const filterForm = $('filter-form');
  const tabs = { meetings: $('tab-meetings'), services: $('tab-services') };
  const panels = { meetings: $('meeting-filters'), services: $('service-filters') };
  const place = $('place');
  const locateButton = $('locate');
  const locateStatus = $('locate-status');
  const sheet = $('filters');
  const toggle = $('filters-toggle');
  let shown = emptyState();
  let timer = 0;
  let lang = 'en';
  let regions = [];

  // ---- choices, in the page's language ----

  function fill(state, language) {
    lang = language;
    const miles = usesMiles();
    fillSelect($('radius'), [
      ['', t(miles ? 'units.mi' : 'units.km', { n: miles ? 15 : 25 })],
      ...(miles
        ? RADII_MI.map((mi) => [String(Math.round(mi * KM_PER_MILE * 10) / 10), t('units.mi', { n: mi })])
        : RADII_KM.map((km) => [String(km), t('units.km', { n: km })])),
    ].sort((a, b) => (Number(a[0]) || 25) - (Number(b[0]) || 25)));
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
    checkboxes($('service-options'), 'service-option', [['open_now', t('filters.openNow')], ['moud', t('filters.moud')]]);
    checkboxes($('housing'), 'housing', HOUSING.map((c) => [c, t(`filters.housingChoices.${c}`)]));
    const fellowships = [...refs.fellowships].sort((a, b) => localName(a.name).localeCompare(localName(b.name), lang));
    checkboxes($('fellowship'), 'fellowship', fellowships.map((f) => [f.slug, localName(f.name, f.slug)]));
    const typeLabel = (code) => localName(refs.types.find((x) => x.code === code)?.label, code);
    const explain = (code) => {
      const text = t(`legend.${code}`);
      return text === `legend.${code}` ? null : text;
    };
    checkboxes($('type'), 'type', MEETING_TYPES.map((c) => [c, typeLabel(c), explain(c)]));
    checkboxes($('access'), 'type', ACCESS_TYPES.map((c) => [c, typeLabel(c), explain(c)]));
    fillServices(state);
    languages([], state);
    fillRegions(state);
    show(state);
  }

  // The services' vocabularies, which may arrive after the rest (main.js
  // does not hold the first meetings search back for them).
  function fillServices(state) {
    checkboxes($('category'), 'category', refs.categories.categories.map((c) => [c.code, termName(c)]));
    checkboxes($('population'), 'population', refs.categories.populations.map((c) => [c.code, termName(c)]));
    checkboxes($('cost'), 'cost', refs.categories.costs.map((c) => [c.code, termName(c)]));
    setChecked(root, 'category', state.category);
    setChecked(root, 'population', state.population);
    setChecked(root, 'cost', state.cost);
    $('housing').hidden = !state.category.includes('recovery-housing');
  }

  // The language choices: those the facets found (most common first), the
  // chosen one, and English and Spanish, which are always offered.
  function languages(codes, state) {
    for (const select of [$('meeting-language'), $('service-language')]) {
      const offered = [...new Set(['en', 'es', ...codes, state.language].filter(Boolean))];
      fillSelect(select, [['', t('filters.anyLanguage')], ...offered.map((c) => [c, languageName(c, lang)])]);
      select.value = state.language;
    }
  }

  // The areas the feeds name (the facet's, most meetings first), and the
  // one chosen; the field shows only when there are some.
  function fillRegions(state) {
    const names = [...new Set([...state.region, ...regions])];
    fillSelect($('region'), [['', t('filters.anyRegion')], ...names.map((n) => [n, n])]);
    $('region').value = state.region[0] || '';
    $('region-field').hidden = names.length === 0;
  }

  // ---- state in, state out ----

  function show(state) {
    shown = state;
    const services = state.tab === 'services';
    for (const [tab, button] of Object.entries(tabs)) {
      const selected = tab === state.tab;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      panels[tab].hidden = !selected;
    }
    $('results-section').setAttribute('aria-labelledby', tabs[state.tab].id);
    if (document.activeElement !== place || !place.value) {
      place.value = state.near || (state.lat !== null ? t('search.myLocation') : '');
    }
    $('place-hint').textContent = t(services ? 'search.placeHintServices' : 'search.placeHint');
    $('place-hint').hidden = hasLocation(state);
    setSelect($('radius'), state.radius_km === null ? '' : String(state.radius_km),
      () => t('units.km', { n: state.radius_km }));
    $('q').value = state.q;
    setChecked(root, 'day', dayChoices(state.day));
    setChecked(root, 'time', state.time);
    $('when').value = state.when;
    $('for').value = state.for;
    $('sort').value = state.sort;
    $('sort').closest('.sort-field').hidden = services;
    setChecked(root, 'attendance', state.attendance);
    setChecked(root, 'fellowship', state.fellowship);
    setChecked(root, 'type', state.type);
    setChecked(root, 'meeting-option', state.moud ? ['moud'] : []);
    setChecked(root, 'service-option', [state.open_now && 'open_now', state.moud && 'moud'].filter(Boolean));
    setChecked(root, 'category', state.category);
    setChecked(root, 'population', state.population);
    setChecked(root, 'cost', state.cost);
    setChecked(root, 'housing', [...state.narr_level.map((n) => `narr-${n}`), ...state.gender,
      ...(state.beds_available ? ['beds'] : []), ...(state.housing_moud ? ['housing_moud'] : [])]);
    $('housing').hidden = !state.category.includes('recovery-housing');
    fillRegions(state);
    for (const select of [$('meeting-language'), $('service-language')]) {
      setSelect(select, state.language, () => languageName(state.language, lang));
    }
    chips(state);
  }

  // The filters in use as chips: each removes its filter; "Clear all"
  // removes them all (the place stays).
  function chips(state) {
    const active = activeFilters(state, refs);
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
    ...(n > 1 ? [h('li', {}, h('button', { type: 'button', class: 'chip clear-all', onclick: clearAll }, t('filters.clearAll')))] : []));
  }

  // Sets a select to value, adding it as an option when it is not one (a
  // link may carry a radius the choices do not have).
  function setSelect(select, value, label) {
    if (value && ![...select.options].some((o) => o.value === value)) select.append(option(value, label()));
    select.value = value;
  }

  // The filters as the form has them now (the place is kept as it was: it
  // changes only when a place is picked, typed and searched, or located).
  function read() {
    const panel = panels[shown.tab];
    const services = shown.tab === 'services';
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

  function placeChange() {
    const text = place.value.trim();
    if (text === '') return { near: '', lat: null, lng: null };
    if (shown.lat !== null && text === t('search.myLocation')) return {};
    return { near: text, lat: null, lng: null };
  }

  function clearAll() {
    onChange(clearedFilters());
    (sheet.hidden ? place : $('q')).focus();
  }

  // ---- the filters' sheet (phones) or column (wide screens) ----

  // (In the partner widget's frame the filters stay in the page's flow.)
  const narrow = document.documentElement.classList.contains('embed') ? { matches: false, addEventListener() {} }
    : window.matchMedia(SHEET);
  const outside = () => [document.querySelector('.page-header'), $('search-section'), $('results-section'),
    document.querySelector('.page-footer'), $('crisis'), $('demo-notice')].filter(Boolean);

  function setInert() {
    sheet.parentElement.classList.toggle('with-filters', !sheet.hidden);
    const modal = !sheet.hidden && narrow.matches;
    for (const node of outside()) node.inert = modal;
    document.body.style.overflow = modal ? 'hidden' : '';
  }

  function openFilters() {
    sheet.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    setInert();
    (narrow.matches ? $('filters-close') : sheet.querySelector('input, select'))?.focus();
  }

  function closeFilters({ focus = true } = {}) {
    if (sheet.hidden) return;
    sheet.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    setInert();
    if (focus) toggle.focus();
  }

  toggle.addEventListener('click', () => (sheet.hidden ? openFilters() : closeFilters()));
  $('filters-close').addEventListener('click', () => closeFilters());
  $('filters-done').addEventListener('click', () => {
    flush();
    closeFilters({ focus: false });
    $('results-heading').focus();
  });
  sheet.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && narrow.matches) closeFilters();
  });
  narrow.addEventListener('change', setInert);

  // ---- events ----

  // Sends a change the pause still holds.
  function flush() {
    if (timer) {
      clearTimeout(timer);
      timer = 0;
      onChange(read());
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    timer = 0;
    places.close();
    onError('');
    onChange({ ...read(), ...placeChange() }, { again: true });
  });
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    timer = 0;
    onChange(read(), { again: true });
  });

  // A changed filter searches at once (after a short pause, so that arrow
  // keys through a select do not each send a search).
  filterForm.addEventListener('change', (event) => {
    if (event.target === $('q')) return;
    if (event.target.name === 'category') $('housing').hidden = !checkedValues(root, 'category').includes('recovery-housing');
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = 0;
      onChange(read());
    }, CHANGE_DELAY_MS);
  });
  $('sort').addEventListener('change', () => onChange({ sort: $('sort').value }));
  $('clear').addEventListener('click', clearAll);

  const places = setupPlaces(place, $('place-options'), {
    onPick: (picked) => {
      onError('');
      locateStatus.textContent = '';
      onChange({ ...read(), near: picked.label, lat: null, lng: null });
    },
  });

  locateButton.addEventListener('click', async () => {
    locateButton.disabled = true;
    locateStatus.textContent = t('search.locating');
    onError('');
    try {
      const here = await locate();
      locateStatus.textContent = t('search.located');
      onChange({ ...read(), near: '', lat: here.lat, lng: here.lng }, { again: true });
    } catch (err) {
      locateStatus.textContent = err.message;
    } finally {
      locateButton.disabled = false;
    }
  });

  // Tabs: a click or the arrow keys choose (automatic activation).
  for (const [tab, button] of Object.entries(tabs)) {
    button.addEventListener('click', () => {
      if (shown.tab !== tab) onChange({ tab });
    });
    button.addEventListener('keydown', (event) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
      event.preventDefault();
      const other = tab === 'meetings' ? 'services' : 'meetings';
      const next = event.key === 'Home' ? 'meetings' : event.key === 'End' ? 'services' : other;
      tabs[next].focus();
      if (shown.tab !== next) onChange({ tab: next });
    });
  }

  // ---- facets ----

  // Disables each choice that would find nothing given the other filters.
  // facets: { name: { value: count } }, each computed without its own
  // filter; a choice already made stays enabled so it can be undone. A
  // facet that is null counted only some of the matches (the API's
  // count_exact false): a choice it did not see may still find something,
  // so none of its choices is disabled. seenLanguages: the languages the
  // search's own answer saw, exact or not, most common first in the list.
  function facets(tab, found, seenLanguages, seenRegions) {
    const countOf = (group, value) => (group ? group[value] || 0 : undefined);
    const disable = (input, count) => {
      const off = count === 0 && !input.checked;
      input.disabled = off;
      input.closest('.choice')?.classList.toggle('none', off);
    };
    const selectFacet = (select, counts) => {
      for (const o of select.options) {
        if (o.value !== '' && o.value !== select.value) o.disabled = (counts(o.value) ?? 1) === 0;
      }
    };
    const byCount = (group) => Object.entries(group || {}).sort((a, b) => b[1] - a[1]).map(([c]) => c);
    const f = found;
    if (tab === 'meetings') {
      for (const name of ['attendance', 'fellowship', 'type', 'time']) {
        for (const input of root.querySelectorAll(`input[name="${name}"]`)) disable(input, countOf(f[name], input.value));
      }
      for (const input of root.querySelectorAll('input[name="day"]')) {
        disable(input, /^[0-6]$/.test(input.value) ? countOf(f.day, input.value) : undefined);
      }
      for (const input of root.querySelectorAll('input[name="meeting-option"]')) disable(input, countOf(f.moud, 'true'));
      selectFacet($('for'), (v) => countOf(f.for, v));
      languages(byCount(seenLanguages), shown);
      selectFacet($('meeting-language'), (v) => countOf(f.language, v));
      regions = byCount(seenRegions);
      fillRegions(shown);
    } else {
      for (const name of ['category', 'population', 'cost']) {
        for (const input of root.querySelectorAll(`input[name="${name}"]`)) disable(input, countOf(f[name], input.value));
      }
      for (const input of root.querySelectorAll('input[name="service-option"]')) {
        disable(input, countOf(input.value === 'moud' ? f.moud : f.open_now, 'true'));
      }
      for (const input of root.querySelectorAll('input[name="housing"]')) {
        const v = input.value;
        const [facet, key] = v.startsWith('narr-') ? ['narr_level', v.slice(5)] : HOUSING_FACET[v] || ['gender', v];
        disable(input, countOf(f[facet], key));
      }
      languages(byCount(seenLanguages), shown);
      selectFacet($('service-language'), (v) => countOf(f.language, v));
    }
  }

  return { fill, fillServices, show, facets, closeFilters };
}
