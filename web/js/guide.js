// The "first meeting" page: its words from the catalogs (guide.*), in the
// URL's language or the browser's, with the same switch as the finder.
// Links back to the finder keep the language.

import { LANGUAGES, currentLanguage, languageName, pickLanguage, setLanguage, t, translatePage } from './i18n.js';
import { h } from './dom.js';

async function show(code) {
  await setLanguage(pickLanguage(code));
  translatePage();
  document.title = `${t('guide.title')} · ${t('page.title')}`;
  const lang = currentLanguage();
  const home = lang === pickLanguage('') ? './' : `./?lang=${lang}`;
  for (const id of ['guide-home', 'guide-back']) document.getElementById(id).href = home;
  return lang;
}

async function start() {
  const select = document.getElementById('ui-lang');
  const asked = new URLSearchParams(window.location.search).get('lang') || '';
  const lang = await show(asked);
  select.replaceChildren(...LANGUAGES.map((code) => h('option', { value: code, lang: code }, languageName(code, code))));
  select.value = lang;
  select.addEventListener('change', async () => {
    const url = new URL(window.location.href);
    url.searchParams.set('lang', select.value);
    window.history.replaceState(null, '', url);
    await show(select.value);
  });
}

start();
