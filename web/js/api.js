// The only module that talks to the server. Every call returns the parsed
// JSON body or throws an ApiError whose message can be shown to the
// searcher (in the page's language); an aborted call rethrows the
// browser's AbortError untouched.

import { t } from './i18n.js';

const API_ROOT = new URL('/api/v1', import.meta.url).href;

// An answer that is not a success. Its message is worded when it is read,
// in the page's language of that moment (a first search may fail before
// the catalog has loaded).
export class ApiError extends Error {
  constructor(status = 0, error = null, body = null) {
    super();
    this.name = 'ApiError';
    this.status = status;
    this.code = error?.code ?? (status === 0 ? 'network' : null);
    this.param = error?.param ?? null;
    this.body = body;
  }

  get message() {
    return errorMessage(this.status, this.code, this.param);
  }
}

// "?a=1&b=x,y" from an object, leaving out unset values and empty lists
// (the API answers 400 to an empty parameter) and joining lists by commas.
export function queryString(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) query.set(key, value.join(','));
    } else {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

export function apiUrl(path, params = {}) {
  return API_ROOT + path + queryString(params);
}

async function request(url, options) {
  let response;
  try {
    response = await fetch(url, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      ...options,
      headers: { Accept: 'application/json', ...(options.headers || {}) },
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
  }
  if (!response.ok || body === null) throw new ApiError(response.status || 500, body?.error, body);
  return body;
}

// The words of the filter a parameter comes from, for a 400 that names it.
const PARAM_WORDS = {
  near: 'search.place', lat: 'search.place', lng: 'search.place', radius_km: 'search.radius', q: 'search.keywords',
  day: 'filters.day', time: 'filters.time', region: 'filters.region', lang: 'filters.language',
  fellowship: 'filters.fellowship', type: 'filters.type', attendance: 'filters.attendance', for: 'filters.for',
  category: 'filters.category', population: 'filters.population', cost: 'filters.cost',
};

// The searcher reads the catalog's wording for every error, in the page's
// language, never the API's English.
function errorMessage(status, code, param) {
  if (code === 'network') return t('errors.network');
  if (code === 'unknown_place') return t('errors.unknownPlace');
  if (status === 429) return t('errors.tooMany');
  if (status === 503 || status === 502 || status === 504) return t('errors.unavailable');
  if (status === 404) return t('errors.notFound');
  if (status >= 500 || status < 400) return t('errors.server', { status });
  return PARAM_WORDS[param] ? t('errors.invalidFilter', { filter: t(PARAM_WORDS[param]) }) : t('errors.invalid');
}

function get(path, params, signal) {
  return request(apiUrl(path, params), { signal });
}

export const api = {
  health: (signal) => get('/health', {}, signal),
  meetings: (params, signal) => get('/meetings', params, signal),
  meetingFacets: (params, signal) => get('/meetings/facets', params, signal),
  meeting: (id, params, signal) => get(`/meetings/${encodeURIComponent(id)}`, params, signal),
  services: (params, signal) => get('/services', params, signal),
  serviceFacets: (params, signal) => get('/services/facets', params, signal),
  service: (id, params, signal) => get(`/services/${encodeURIComponent(id)}`, params, signal),
  places: (q, signal) => get('/places', { q }, signal),
  fellowships: (signal) => get('/fellowships', {}, signal),
  types: (signal) => get('/types', {}, signal),
  categories: (signal) => get('/categories', {}, signal),
  // POST /api/v1/feedback: { kind, id, message, contact }.
  feedback: (report) => request(`${API_ROOT}/feedback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(report),
  }),
};

export function calendarUrl(id) {
  return `${API_ROOT}/meetings/${encodeURIComponent(id)}.ics`;
}
