// The only module that talks to the server. Every call returns the parsed
// JSON body or throws an Error whose message can be shown to the searcher;
// an aborted call rethrows the browser's AbortError untouched.

import { strings } from './strings.js';

const API_ROOT = '/api/v1';

export class ApiError extends Error {
  constructor(message, status = 0, code = null, param = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

// Builds "?a=1&b=x,y" from an object, leaving out unset values (the API
// answers 400 to an empty parameter) and joining arrays with commas.
function queryString(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) query.set(key, value.join(','));
    } else {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

async function getJson(path, params = {}, signal = undefined) {
  let response;
  try {
    response = await fetch(API_ROOT + path + queryString(params), {
      signal,
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(strings.errors.network);
  }

  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
  }
  if (!response.ok || body === null) {
    const error = body && body.error;
    if (error && typeof error.message === 'string') {
      throw new ApiError(error.message, response.status, error.code, error.param);
    }
    throw new ApiError(strings.errors.server(response.status), response.status);
  }
  return body;
}

// { status, database, demo }
export function getHealth(signal) {
  return getJson('/health', {}, signal);
}

// { meetings, count, limit, offset } for the search parameters in params.
export function findMeetings(params, signal) {
  return getJson('/meetings', params, signal);
}
