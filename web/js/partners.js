// The partners page: builds the widget's snippet from the choices (every
// preset embed.js takes) and shows it live, by running the very snippet in
// the preview.

import { api } from './api.js';
import { checkbox, h } from './dom.js';
import {
  LANGUAGES, languageName, localName, startLanguage, t, termName, weekdayName,
} from './i18n.js';

const $ = (id) => document.getElementById(id);
const PREVIEW_DELAY_MS = 400;
const DAYS = ['today', 'tomorrow', '1', '2', '3', '4', '5', '6', '0'];
const TIMES = ['morning', 'midday', 'evening', 'night'];
const ATTENDANCE = ['in_person', 'hybrid', 'online'];
const TYPES = ['O', 'C', 'BE', 'W', 'M', 'Y', 'LGBTQ', 'A', 'SP', 'D', 'ST', 'X', 'ASL'];
const RADII_KM = [5, 10, 25, 50, 100];
const HIDE = ['header', 'lang', 'demo'];

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function checked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value).join(',');
}

// The presets chosen, as data-* attributes in the snippet's order (the
// names embed.js reads).
function presets(form) {
  const e = form.elements;
  return [
    ['tab', e.tab.value === 'services' ? 'services' : ''],
    ['for', e.for.value],
    ['fellowship', checked(form, 'fellowship')],
    ['lang', e.lang.value],
    ['near', e.near.value.trim()],
    ['radius-km', e.radiusKm.value],
    ['language', e.language.value],
    ['attendance', checked(form, 'attendance')],
    ['day', checked(form, 'day')],
    ['time', checked(form, 'time')],
    ['type', checked(form, 'type')],
    ['moud', checked(form, 'moud')],
    ['category', checked(form, 'category')],
    ['population', checked(form, 'population')],
    ['cost', checked(form, 'cost')],
    ['q', e.q.value.trim()],
    ['view', checked(form, 'view')],
    ['hide', checked(form, 'hide')],
    ['title', e.title.value.trim()],
  ].filter(([, value]) => value);
}

function snippetText(origin, attrs) {
  const data = attrs.map(([key, value]) => ` data-${key}="${escapeAttribute(value)}"`).join('');
  return `<script src="${origin}/embed.js"${data} async></script>`;
}

// The preview runs the snippet itself: a script element with the same
// attributes, which embed.js turns into the iframe.
function preview(container, attrs) {
  const script = h('script', { src: new URL('embed.js', window.location.href).href, async: true });
  for (const [key, value] of attrs) script.setAttribute(`data-${key}`, value);
  container.replaceChildren(script);
}

function boxes(id, name, items) {
  const box = $(id);
  box.append(...items.map(([value, label]) => checkbox(`${id}-${value}`.replace(/[^A-Za-z0-9_-]/g, '_'), name, value, label)));
}

function options(select, items) {
  select.replaceChildren(...items.map(([value, label]) => h('option', { value }, label)));
}

async function start() {
  await startLanguage();
  document.title = t('partners.title');
  const form = $('partner-form');
  const e = form.elements;
  options(e.tab, [['meetings', t('tabs.meetings')], ['services', t('tabs.services')]]);
  options(e.for, [['', t('filters.forAnyone')], ['recovery', t('filters.forRecovery')], ['family', t('filters.forFamily')]]);
  options(e.lang, [['', t('partners.visitorLanguage')], ...LANGUAGES.map((code) => [code, languageName(code, code)])]);
  options(e.language, [['', t('filters.anyLanguage')], ['en', languageName('en')], ['es', languageName('es')]]);
  options(e.radiusKm, [['', t('units.km', { n: 25 })], ...RADII_KM.filter((km) => km !== 25).map((km) => [String(km), t('units.km', { n: km })])]);
  boxes('p-day', 'day', DAYS.map((d) => [d, /^\d$/.test(d) ? weekdayName(Number(d)) : t(`time.${d}`)]));
  boxes('p-time', 'time', TIMES.map((w) => [w, t(`filters.timesShort.${w}`)]));
  boxes('p-attendance', 'attendance', ATTENDANCE.map((a) => [a, t(`attendance.${a}`)]));
  boxes('p-options', 'moud', [['true', t('filters.moud')]]);
  boxes('p-view', 'view', [['map', t('partners.mapFirst')]]);
  boxes('p-hide', 'hide', HIDE.map((x) => [x, t(`partners.hideParts.${x}`)]));
  const [fellowships, types, categories] = await Promise.allSettled([api.fellowships(), api.types(), api.categories()]);
  if (fellowships.status === 'fulfilled') {
    boxes('p-fellowship', 'fellowship', fellowships.value.fellowships.map((f) => [f.slug, localName(f.name, f.slug)]));
  } else {
    $('p-fellowship').hidden = true;
  }
  if (types.status === 'fulfilled') {
    const known = types.value.types;
    boxes('p-type', 'type', TYPES.map((c) => [c, localName(known.find((x) => x.code === c)?.label, c)]));
  } else {
    $('p-type').hidden = true;
  }
  if (categories.status === 'fulfilled') {
    const c = categories.value;
    boxes('p-category', 'category', c.categories.map((x) => [x.code, termName(x)]));
    boxes('p-population', 'population', c.populations.map((x) => [x.code, termName(x)]));
    boxes('p-cost', 'cost', c.costs.map((x) => [x.code, termName(x)]));
  } else {
    $('p-services').hidden = true;
  }

  let timer = 0;
  const update = () => {
    const attrs = presets(form);
    $('snippet').value = snippetText(window.location.origin, attrs);
    $('copy-status').textContent = '';
    clearTimeout(timer);
    timer = setTimeout(() => preview($('preview'), attrs), PREVIEW_DELAY_MS);
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  $('copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('snippet').value);
      $('copy-status').textContent = t('partners.copied');
    } catch {
      $('snippet').select();
      $('copy-status').textContent = t('partners.copyByHand');
    }
  });
  $('snippet').value = snippetText(window.location.origin, []);
  preview($('preview'), []);
}

start();
