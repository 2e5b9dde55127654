// Wires the page: the form's parameters go to the API, the answer to the
// result list, failures to the alert. Holds the state of the search shown.

import { strings } from './strings.js';
import { findMeetings, getHealth } from './api.js';
import { setupSearch } from './search.js';
import { appendMeetings, clearMeetings, showCount } from './results.js';

const PAGE_SIZE = 25;

const page = {
  form: document.getElementById('search-form'),
  section: document.getElementById('results-section'),
  results: document.getElementById('results'),
  count: document.getElementById('result-count'),
  more: document.getElementById('more'),
  error: document.getElementById('error'),
  demo: document.getElementById('demo-notice'),
};

// The search on screen: its parameters, how many meetings are listed, and
// the request in flight (aborted when a newer one starts).
const current = { params: null, shown: 0, request: null };

// The HTML holds the English text too, so the page reads well before this
// runs; here it is replaced from strings.js, the one source of the wording.
function applyStrings() {
  document.documentElement.lang = strings.lang;
  document.title = strings.title;
  for (const node of document.querySelectorAll('[data-text]')) {
    const text = strings[node.dataset.text];
    if (typeof text === 'string') node.textContent = text;
  }
}

function showError(message) {
  page.error.hidden = message === '';
  page.error.textContent = message;
}

function setBusy(busy) {
  page.section.setAttribute('aria-busy', String(busy));
  page.more.disabled = busy;
}

// Fetches the page of the current search that starts at offset: offset 0
// replaces the list, any other offset adds to it and moves focus to the
// first new meeting so that keyboard and screen reader users continue there.
async function load(offset) {
  current.request?.abort();
  const request = new AbortController();
  current.request = request;
  setBusy(true);
  if (offset === 0) page.count.textContent = strings.searching;
  try {
    const body = await findMeetings({ ...current.params, limit: PAGE_SIZE, offset }, request.signal);
    const meetings = Array.isArray(body.meetings) ? body.meetings : [];
    if (offset === 0) clearMeetings(page.results);
    const first = appendMeetings(page.results, meetings);
    current.shown = offset + meetings.length;
    const total = Number.isInteger(body.count) ? body.count : current.shown;
    showCount(page.count, total);
    page.more.hidden = meetings.length === 0 || current.shown >= total;
    if (offset > 0 && first) {
      first.tabIndex = -1;
      first.focus();
    }
  } catch (err) {
    if (err.name === 'AbortError') return;
    if (offset === 0) {
      clearMeetings(page.results);
      page.count.textContent = '';
      page.more.hidden = true;
    }
    showError(err.message);
  } finally {
    if (current.request === request) {
      current.request = null;
      setBusy(false);
    }
  }
}

async function showDemoNotice() {
  try {
    const health = await getHealth();
    page.demo.hidden = health.demo !== true;
  } catch {
    // The search itself reports an unreachable API; the notice can wait.
  }
}

applyStrings();
setupSearch(page.form, {
  onSearch(params) {
    current.params = params;
    current.shown = 0;
    load(0);
  },
  onError: showError,
});
page.more.addEventListener('click', () => {
  showError('');
  load(current.shown);
});
showDemoNotice();
