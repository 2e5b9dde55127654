// The search form: the Meetings and Services tabs, the place box, "use my
// location", the filters of each tab and the facets that disable the
// choices that would find nothing. It reads and writes the state object of
// state.js and knows nothing of fetch or of how results are shown: main.js
// passes it the callbacks.

import { checkbox, h } from './dom.js';
import { KM_PER_MILE, languageName, localName, t, termName, usesMiles, weekdayName } from './i18n.js';
import { emptyState, roundCoordinate } from './state.js';
import { setupPlaces } from './places.js';

const TIMES = ['morning', 'midday', 'evening', 'night'];
const ATTENDANCE = ['in_person', 'hybrid', 'online'];
// Meeting Guide codes offered as filters, in the order shown.
const MEETING_TYPES = ['O', 'C', 'BE', 'W', 'M', 'Y', 'LGBTQ', 'POC', 'SEN', 'A', 'SP', 'D', 'ST', 'B', 'LIT', 'MED', 'CF', 'BA'];
const ACCESS_TYPES = ['X', 'XB', 'ASL', 'D-HOH', 'BV-I', 'FF'];
const RADII_KM = [5, 10, 50, 100, 200]; // and the API's default, 25
const RADII_MI = [2, 5, 10, 30, 60, 120]; // and the default, about 15
const CHANGE_DELAY_MS = 250;

function option(value, label) {
  return h('option', { value }, label);
}

function fillSelect(select, options) {
  const value = select.value;
  select.replaceChildren(...options.map(([v, label]) => option(v, label)));
  if (options.some(([v]) => v === value)) select.value = value;
}

function checkboxes(fieldset, name, items) {
  const legend = fieldset.querySelector('legend');
  const boxes = items.map(([value, label]) => checkbox(`${name}-${value}`.replace(/[^A-Za-z0-9_-]/g, '_'), name, value, label));
  fieldset.replaceChildren(legend, ...boxes);
}

function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}

function setChecked(form, name, values) {
  for (const input of form.querySelectorAll(`input[name="${name}"]`)) input.checked = values.includes(input.value);
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

// Wires the form. refs holds the reference lists ({fellowships, types,
// categories}); onChange(partial) is called with the state keys the
// searcher changed (main.js searches and records the URL); onError(message)
// shows a message ('' clears it). Returns { fill(state, lang) (the choices,
// in the page's language), fillServices(state) (once refs.categories is
// there), show(state), facets(tab, counts) }.
export function setupSearch(form, refs, { onChange, onError }) {
  const $ = (id) => form.querySelector(`#${id}`) || document.getElementById(id);
  const tabs = { meetings: $('tab-meetings'), services: $('tab-services') };
  const panels = { meetings: $('meeting-filters'), services: $('service-filters') };
  const place = $('place');
  const locateButton = $('locate');
  const locateStatus = $('locate-status');
  let shown = emptyState();
  let timer = 0;
  let lang = 'en';

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
    fillSelect($('day'), [['', t('filters.anyDay')], ['today', t('time.today')], ['tomorrow', t('time.tomorrow')],
      ...[0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), weekdayName(d)])]);
    fillSelect($('time'), [['', t('filters.anyTime')], ...TIMES.map((w) => [w, t(`filters.times.${w}`)])]);
    fillSelect($('when'), [['', t('filters.anyStart')], ['soon', t('filters.soon')], ['now', t('filters.now')]]);
    fillSelect($('for'), [['', t('filters.forAnyone')], ['recovery', t('filters.forRecovery')],
      ['family', t('filters.forFamily')]]);
    fillSelect($('sort'), [['', t('results.sortDefault')], ['next', t('results.sortNext')],
      ['distance', t('results.sortDistance')]]);
    checkboxes($('attendance'), 'attendance', ATTENDANCE.map((a) => [a, t(`attendance.${a}`)]));
    checkboxes($('meeting-options'), 'meeting-option', [['moud', t('filters.moud')]]);
    checkboxes($('service-options'), 'service-option', [['open_now', t('filters.openNow')], ['moud', t('filters.moud')]]);
    const fellowships = [...refs.fellowships].sort((a, b) => localName(a.name).localeCompare(localName(b.name), lang));
    checkboxes($('fellowship'), 'fellowship', fellowships.map((f) => [f.slug, localName(f.name, f.slug)]));
    const typeLabel = (code) => localName(refs.types.find((x) => x.code === code)?.label, code);
    checkboxes($('type'), 'type', MEETING_TYPES.map((c) => [c, typeLabel(c)]));
    checkboxes($('access'), 'type', ACCESS_TYPES.map((c) => [c, typeLabel(c)]));
    fillServices(state);
    languages([], state);
    show(state);
  }

  // The services' vocabularies, which may arrive after the rest (main.js
  // does not hold the first meetings search back for them).
  function fillServices(state) {
    checkboxes($('category'), 'category', refs.categories.categories.map((c) => [c.code, termName(c)]));
    checkboxes($('population'), 'population', refs.categories.populations.map((c) => [c.code, termName(c)]));
    checkboxes($('cost'), 'cost', refs.categories.costs.map((c) => [c.code, termName(c)]));
    setChecked(form, 'category', state.category);
    setChecked(form, 'population', state.population);
    setChecked(form, 'cost', state.cost);
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

  // ---- state in, state out ----

  function show(state) {
    shown = state;
    for (const [tab, button] of Object.entries(tabs)) {
      const selected = tab === state.tab;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      panels[tab].hidden = !selected;
    }
    place.value = state.near || (state.lat !== null ? t('search.myLocation') : '');
    setSelect($('radius'), state.radius_km === null ? '' : String(state.radius_km),
      () => t('units.km', { n: state.radius_km }));
    $('q').value = state.q;
    setSelect($('day'), state.day, () => state.day);
    $('time').value = state.time;
    $('when').value = state.when;
    $('for').value = state.for;
    $('sort').value = state.sort;
    $('sort').closest('.field').hidden = state.tab !== 'meetings';
    setChecked(form, 'attendance', state.attendance);
    setChecked(form, 'fellowship', state.fellowship);
    setChecked(form, 'type', state.type);
    setChecked(form, 'meeting-option', state.moud ? ['moud'] : []);
    setChecked(form, 'service-option', [state.open_now && 'open_now', state.moud && 'moud'].filter(Boolean));
    setChecked(form, 'category', state.category);
    setChecked(form, 'population', state.population);
    setChecked(form, 'cost', state.cost);
    for (const select of [$('meeting-language'), $('service-language')]) {
      setSelect(select, state.language, () => languageName(state.language, lang));
    }
    const n = filterCount(state);
    $('filter-count').textContent = n ? t('filters.chosen', { count: n }) : '';
    $('clear').hidden = n === 0 && !state.q;
  }

  // Sets a select to value, adding it as an option when it is not one (a
  // link may carry a radius or a list of days the choices do not have).
  function setSelect(select, value, label) {
    if (value && ![...select.options].some((o) => o.value === value)) select.append(option(value, label()));
    select.value = value;
  }

  function filterCount(s) {
    if (s.tab === 'services') {
      return s.category.length + s.population.length + s.cost.length + (s.language ? 1 : 0)
        + (s.moud ? 1 : 0) + (s.open_now ? 1 : 0);
    }
    return (s.day ? 1 : 0) + (s.time ? 1 : 0) + (s.when ? 1 : 0) + (s.for ? 1 : 0) + (s.language ? 1 : 0)
      + (s.moud ? 1 : 0) + s.attendance.length + s.fellowship.length + s.type.length;
  }

  // The filters as the form has them now (the place is kept as it was: it
  // changes only when a place is picked, typed and searched, or located).
  function read() {
    const panel = panels[shown.tab];
    const services = shown.tab === 'services';
    const serviceOptions = checkedValues(form, 'service-option');
    const radius = $('radius').value;
    return {
      radius_km: radius === '' ? null : Number(radius),
      q: $('q').value.trim().slice(0, 200),
      day: $('day').value,
      time: $('time').value,
      when: $('when').value,
      for: $('for').value,
      sort: $('sort').value,
      attendance: checkedValues(form, 'attendance'),
      fellowship: checkedValues(form, 'fellowship'),
      type: checkedValues(form, 'type'),
      language: panel.querySelector('select[name="language"]').value,
      moud: services ? serviceOptions.includes('moud') : checkedValues(form, 'meeting-option').includes('moud'),
      open_now: serviceOptions.includes('open_now'),
      category: checkedValues(form, 'category'),
      population: checkedValues(form, 'population'),
      cost: checkedValues(form, 'cost'),
    };
  }

  function placeChange() {
    const text = place.value.trim();
    if (text === '') return { near: '', lat: null, lng: null };
    if (shown.lat !== null && text === t('search.myLocation')) return {};
    return { near: text, lat: null, lng: null };
  }

  // ---- events ----

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    places.close();
    onError('');
    onChange({ ...read(), ...placeChange() });
  });

  // A changed filter searches at once (after a short pause, so that arrow
  // keys through a select do not each send a search).
  form.addEventListener('change', (event) => {
    if (event.target === place || event.target === $('q')) return;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(read()), CHANGE_DELAY_MS);
  });
  $('sort').addEventListener('change', () => onChange({ sort: $('sort').value }));

  $('clear').addEventListener('click', () => {
    const empty = emptyState();
    const keep = ['tab', 'near', 'lat', 'lng', 'radius_km', 'view', 'lang'];
    const cleared = {};
    for (const key of Object.keys(empty)) if (!keep.includes(key)) cleared[key] = empty[key];
    onChange(cleared);
    $('q').focus();
  });

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
      onChange({ ...read(), near: '', lat: here.lat, lng: here.lng });
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
  function facets(tab, found, seenLanguages) {
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
      for (const name of ['attendance', 'fellowship', 'type']) {
        for (const input of form.querySelectorAll(`input[name="${name}"]`)) disable(input, countOf(f[name], input.value));
      }
      for (const input of form.querySelectorAll('input[name="meeting-option"]')) disable(input, countOf(f.moud, 'true'));
      selectFacet($('time'), (v) => countOf(f.time, v));
      selectFacet($('day'), (v) => (/^[0-6]$/.test(v) ? countOf(f.day, v) : undefined));
      selectFacet($('for'), (v) => countOf(f.for, v));
      languages(byCount(seenLanguages), shown);
      selectFacet($('meeting-language'), (v) => countOf(f.language, v));
    } else {
      for (const name of ['category', 'population', 'cost']) {
        for (const input of form.querySelectorAll(`input[name="${name}"]`)) disable(input, countOf(f[name], input.value));
      }
      for (const input of form.querySelectorAll('input[name="service-option"]')) {
        disable(input, countOf(input.value === 'moud' ? f.moud : f.open_now, 'true'));
      }
      languages(byCount(seenLanguages), shown);
      selectFacet($('service-language'), (v) => countOf(f.language, v));
    }
  }

  // Filters open by default where there is room for them.
  if (window.matchMedia('(min-width: 60rem)').matches) $('filters').open = true;

  return { fill, fillServices, show, facets };
}
