// The partners page: builds the widget's snippet from the choices and shows
// it live, by running the very snippet in the preview.

import { api } from './api.js';
import { checkbox, h } from './dom.js';
import { LANGUAGES, languageName, localName, pickLanguage, setLanguage, t, translatePage } from './i18n.js';

const $ = (id) => document.getElementById(id);
const PREVIEW_DELAY_MS = 400;

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// The presets chosen, as data-* attributes in the snippet's order.
function presets(form) {
  const fellowships = [...form.querySelectorAll('input[name="fellowship"]:checked')].map((i) => i.value);
  return [
    ['tab', form.elements.tab.value === 'services' ? 'services' : ''],
    ['for', form.elements.for.value],
    ['fellowship', fellowships.join(',')],
    ['lang', form.elements.lang.value],
    ['near', form.elements.near.value.trim()],
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

async function start() {
  await setLanguage(pickLanguage(new URLSearchParams(window.location.search).get('lang')));
  translatePage();
  document.title = t('partners.title');
  const form = $('partner-form');
  form.elements.tab.replaceChildren(h('option', { value: 'meetings' }, t('tabs.meetings')),
    h('option', { value: 'services' }, t('tabs.services')));
  form.elements.for.replaceChildren(h('option', { value: '' }, t('filters.forAnyone')),
    h('option', { value: 'recovery' }, t('filters.forRecovery')), h('option', { value: 'family' }, t('filters.forFamily')));
  form.elements.lang.replaceChildren(h('option', { value: '' }, t('partners.visitorLanguage')),
    ...LANGUAGES.map((code) => h('option', { value: code, lang: code }, languageName(code, code))));
  try {
    const { fellowships } = await api.fellowships();
    const box = $('p-fellowship');
    box.append(...fellowships.map((f) => checkbox(`p-fellowship-${f.slug}`, 'fellowship', f.slug, localName(f.name, f.slug))));
  } catch {
    $('p-fellowship').hidden = true;
  }

  let timer = 0;
  const update = () => {
    const attrs = presets(form);
    $('snippet').value = snippetText(window.location.origin, attrs);
    clearTimeout(timer);
    timer = setTimeout(() => preview($('preview'), attrs), PREVIEW_DELAY_MS);
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  $('copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('snippet').value);
      $('copy-status').textContent = t('detail.copied');
    } catch {
      $('snippet').select();
      $('copy-status').textContent = t('partners.copyByHand');
    }
  });
  $('snippet').value = snippetText(window.location.origin, []);
  preview($('preview'), []);
}

start();
