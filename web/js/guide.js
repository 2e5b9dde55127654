// The "first meeting" page: its words from the catalogs (guide.*), in the
// URL's language or the browser's, with the same switch as the finder.
// Links back to the finder keep the language.

import { finderHref, startLanguage, t } from './i18n.js';

startLanguage({
  select: document.getElementById('ui-lang'),
  redraw: () => {
    document.title = `${t('guide.title')} · ${t('page.title')}`;
    for (const id of ['guide-home', 'guide-back']) document.getElementById(id).href = finderHref();
  },
});
