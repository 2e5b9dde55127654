// The place box: a combobox (WAI-ARIA 1.2 pattern) that completes town
// names and ZIP codes from /api/v1/places as they are typed. Arrow keys
// move through the options, Enter takes one, Escape closes the list. The
// text typed is sent to the finder's own API only.

import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const DELAY_MS = 150;
const MIN_CHARS = 2;

// Wires input (role=combobox) and its listbox. onPick(place) is called when
// an option is taken, with the API's place ({label, lat, lng, …}).
export function setupPlaces(input, listbox, { onPick }) {
  let places = [];
  let active = -1;
  let timer = 0;
  let request = null;

  function close() {
    highlight(-1);
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...listbox.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', listbox.children[index].id);
      listbox.children[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function show(found) {
    places = found;
    listbox.replaceChildren(...found.map((place, i) => h('li', {
      id: `place-option-${i}`, role: 'option', 'aria-selected': 'false', class: 'option',
      onmousedown: (event) => event.preventDefault(), // keep focus in the box
      onclick: () => pick(i),
    }, place.label)));
    if (found.length === 0) {
      close();
      return;
    }
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  }

  function pick(index) {
    const place = places[index];
    if (!place) return;
    input.value = place.label;
    close();
    onPick(place);
  }

  async function complete() {
    const text = input.value.trim();
    request?.abort();
    if (text.length < MIN_CHARS) {
      show([]);
      return;
    }
    request = new AbortController();
    try {
      const body = await api.places(text, request.signal);
      if (input.value.trim() === text && document.activeElement === input) show(body.places || []);
    } catch (err) {
      if (err.name !== 'AbortError') show([]);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(complete, DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden && places.length > 0;
    if (event.key === 'ArrowDown' && open) {
      event.preventDefault();
      highlight((active + 1) % places.length);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      highlight(active <= 0 ? places.length - 1 : active - 1);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 0));
  listbox.setAttribute('aria-label', t('search.places'));

  return { close };
}
