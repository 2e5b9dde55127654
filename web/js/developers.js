// The developer page: made in the browser from the API's own description,
// GET /api/v1/openapi.json, so that it shows the API as the server
// describes it. Each operation gets a section (parameters, answers,
// headers, error codes) and a "Try it" form that calls this origin. The
// page's own words are in the catalogs (dev.*); the endpoints' words are
// the document's English, unless the catalog translates the operation's
// (dev.operations.<operationId>.summary / .description, while the English
// catalog's string there is still the document's). The document's
// info.description is the API's guide: its "## " topics (errors, limits,
// CORS, caching…) are the page's first sections, translated the same way
// (dev.topics.<slug>.heading / .text, the text before the first heading
// under dev.topics._intro).

import { h, webUrl } from './dom.js';
import { currentLanguage, englishText, finderHref, formatNumber, startLanguage, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const DOCUMENT_URL = new URL('/api/v1/openapi.json', window.location.href).href;
const SOURCES_URL = new URL('/api/v1/sources', window.location.href).href;
// What every answer of the Meeting Guide feed carries (nginx adds it).
const FEED_LINK = 'Link: </api/v1/sources>; rel="license"';
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];
// Only these run from the page: the others change something (a report).
const SAFE_METHODS = new Set(['get', 'head']);
// The answer's headers the "Try it" shows, when present.
const SHOWN_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'retry-after', 'allow',
  'access-control-allow-origin', 'link'];
const MAX_REF_DEPTH = 20;
const MAX_SCHEMA_DEPTH = 4;
// A larger answer (the whole Meeting Guide feed) is shown cut, so that the
// page stays quick; the status and headers are the whole answer's.
const MAX_BODY_CHARS = 200000;

// The embed widget's attributes (web/embed.js PRESETS, and data-title).
const WIDGET_OPTIONS = ['tab', 'near', 'for', 'fellowship', 'lang', 'language', 'attendance', 'day', 'time', 'type',
  'moud', 'category', 'population', 'cost', 'radius-km', 'q', 'view', 'region', 'hide', 'title'];
const WIDGET_EXAMPLE = '<script src="{origin}/embed.js" data-for="family"\n'
  + '        data-fellowship="al-anon,nar-anon" data-lang="es"\n'
  + '        data-near="Kansas City, MO" async></script>';
// Ids of the page's own sections, which a topic's id must not take.
const OWN_IDS = new Set(['main', 'toc', 'toc-heading', 'topics', 'doc-intro', 'endpoints', 'operations', 'widget', 'sources']);

let spec = null;

// ---- the document: $ref, names and plain words ----

// The object a local $ref ("#/components/schemas/Meeting") points to, or
// the value itself. A reference that leads nowhere or loops gives {}.
function resolve(value) {
  let node = value;
  for (let depth = 0; node && typeof node === 'object' && typeof node.$ref === 'string'; depth++) {
    if (depth >= MAX_REF_DEPTH || !node.$ref.startsWith('#/')) return {};
    node = node.$ref.slice(2).split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((at, part) => (at && typeof at === 'object' ? at[part] : undefined), spec);
  }
  return node && typeof node === 'object' ? node : {};
}

// A schema with its allOf parts folded in (their properties and required
// lists), for listing fields.
function merged(raw, depth = 0) {
  const schema = resolve(raw);
  if (!Array.isArray(schema.allOf) || depth >= MAX_SCHEMA_DEPTH) return schema;
  const out = { ...schema, properties: { ...(schema.properties || {}) }, required: [...(schema.required || [])] };
  for (const part of schema.allOf.map((x) => merged(x, depth + 1))) {
    Object.assign(out.properties, part.properties || {});
    out.required.push(...(part.required || []));
    if (!out.type && part.type) out.type = part.type;
    if (!out.items && part.items) out.items = part.items;
  }
  return out;
}

// A parameter's or header's schema: its own, or its first media type's.
function schemaOf(item) {
  if (item.schema) return item.schema;
  return Object.values(item.content || {})[0]?.schema || {};
}

function refName(value) {
  return value && typeof value.$ref === 'string' ? value.$ref.split('/').pop() : '';
}

function operations() {
  const found = [];
  for (const [path, item] of Object.entries(spec.paths || {})) {
    const shared = resolve(item);
    for (const method of METHODS) {
      if (shared[method]) found.push({ path, method, op: shared[method], shared });
    }
  }
  return found;
}

// A stable id for an operation's section: its operationId, else its
// method and path.
function operationKey({ method, path, op }) {
  const base = op.operationId || `${method}-${path}`;
  return `op-${base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

// Text with `code` spans, as nodes.
function inline(text) {
  return String(text).split(/(`[^`]+`)/).filter(Boolean)
    .map((part) => (/^`[^`]+`$/.test(part) ? h('code', {}, part.slice(1, -1)) : part));
}

// A description as paragraphs and lists ("- " lines), blank lines between;
// the document's words stay text, never HTML.
function prose(text, lang = null) {
  if (!text) return [];
  return String(text).split(/\n\s*\n/).map((block) => {
    const lines = block.split('\n').map((line) => line.trim()).filter(Boolean);
    if (lines.length && lines.every((line) => /^[-*] /.test(line))) {
      return h('ul', { lang }, lines.map((line) => h('li', {}, inline(line.slice(2)))));
    }
    return h('p', { lang }, inline(lines.join(' ')));
  });
}

// The operation's summary or description in the page's language:
// [text, lang attribute]. A translation (dev.operations.<operationId>) is
// used only while the English catalog's string under the same key is the
// document's text, the English it was made from; else, and in English,
// the document's own words, marked lang="en" on a page in another language.
function operationText(op, field) {
  const text = op[field] || '';
  const key = `dev.operations.${op.operationId}.${field}`;
  if (currentLanguage() === 'en') return [text, null];
  if (op.operationId && text && englishText(key) === text && t(key) !== key) return [t(key), null];
  return [text, 'en'];
}

// info.description as its parts: the text before the first "## " heading,
// and each topic, { heading, text }.
function guide() {
  const intro = [];
  const topics = [];
  for (const line of String(spec.info?.description || '').split('\n')) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) topics.push({ heading: heading[1], lines: [] });
    else (topics.length ? topics[topics.length - 1].lines : intro).push(line);
  }
  const text = (lines) => lines.join('\n').trim();
  return { intro: text(intro), topics: topics.map((x) => ({ heading: x.heading, text: text(x.lines) })) };
}

// A topic's catalog key and section id: its heading in lower case, the
// apostrophes dropped, other runs of anything but letters and digits a dash.
function topicSlug(heading) {
  return heading.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'topic';
}

// A topic (or the intro) in the page's language: { heading, text, lang }.
// The catalog's words are used only while the English catalog holds the
// document's own heading and text under the same key; else the document's
// English, marked lang="en".
function topicText(key, heading, text) {
  const base = `dev.topics.${key}`;
  if (currentLanguage() === 'en') return { heading, text, lang: null };
  const same = englishText(`${base}.text`) === text && (heading === null || englishText(`${base}.heading`) === heading);
  if (same && t(`${base}.text`) !== `${base}.text` && (heading === null || t(`${base}.heading`) !== `${base}.heading`)) {
    return { heading: heading === null ? null : t(`${base}.heading`), text: t(`${base}.text`), lang: null };
  }
  return { heading, text, lang: 'en' };
}

// The topics as the page's first sections, each with its id and heading.
function showGuide() {
  const { intro, topics } = guide();
  const introText = topicText('_intro', null, intro);
  $('doc-intro').replaceChildren(...prose(introText.text, introText.lang));
  const used = new Set(OWN_IDS);
  const shown = topics.map((topic) => {
    const slug = topicSlug(topic.heading);
    let id = slug;
    for (let n = 2; used.has(id) || (document.getElementById(id) && !document.getElementById(id).closest('#topics')); n++) {
      id = `${slug}-${n}`;
    }
    used.add(id);
    const { heading, text, lang } = topicText(slug, topic.heading, topic.text);
    return { id, heading, section: h('section', { id, class: 'topic', 'aria-labelledby': `${id}-heading`, lang },
      h('h2', { id: `${id}-heading` }, inline(heading)), prose(text)) };
  });
  $('topics').replaceChildren(...shown.map((x) => x.section));
  return shown;
}

// ---- schemas in words ----

function typeNames(schema) {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.map((type) => t(`dev.types.${type}`) === `dev.types.${type}` ? type : t(`dev.types.${type}`));
}

function rangeText(schema) {
  const parts = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength === undefined && schema.maxLength !== undefined) {
    parts.push(t('dev.schema.lengthMax', { max: schema.maxLength }));
  } else if (schema.minLength !== undefined) {
    parts.push(t('dev.schema.length', { min: schema.minLength, max: schema.maxLength ?? '∞' }));
  }
  if (schema.minItems !== undefined || schema.maxItems !== undefined) {
    parts.push(t('dev.schema.items', { min: schema.minItems ?? 0, max: schema.maxItems ?? '∞' }));
  }
  if (schema.uniqueItems) parts.push(t('dev.schema.unique'));
  return parts.join(', ');
}

// A schema in a line of nodes: its type (or the named schema it is), the
// range, the allowed values, the format or pattern, the default.
function schemaSummary(raw, depth = 0) {
  const schema = merged(raw);
  const name = refName(raw);
  const out = [];
  const alternatives = schema.oneOf || schema.anyOf;
  if (Array.isArray(alternatives) && depth < MAX_SCHEMA_DEPTH) {
    alternatives.forEach((alt, i) => out.push(i ? ` ${t('dev.schema.or')} ` : '', schemaSummary(alt, depth + 1)));
  } else if (schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'))) {
    out.push(t('dev.schema.arrayOf'), ' ', depth < MAX_SCHEMA_DEPTH ? schemaSummary(schema.items || {}, depth + 1) : '');
  } else {
    const types = typeNames(schema);
    if (name) out.push(h('code', {}, name), types.length ? ` (${types.join(' | ')})` : '');
    else if (types.length) out.push(types.join(' | '));
    else if (schema.const === undefined && !schema.enum) out.push(t('dev.schema.any'));
  }
  const range = rangeText(schema);
  if (range) out.push(`, ${range}`);
  if (schema.const !== undefined) out.push(out.length ? ', ' : '', h('code', {}, JSON.stringify(schema.const)));
  if (Array.isArray(schema.enum)) {
    out.push(out.length ? `, ${t('dev.schema.oneOf')} ` : `${t('dev.schema.oneOf')} `,
      schema.enum.map((v, i) => [i ? ' | ' : '', h('code', {}, typeof v === 'string' ? v : JSON.stringify(v))]));
  }
  if (schema.format) out.push(`, ${t('dev.schema.format')} ${schema.format}`);
  if (schema.pattern) out.push(`, ${t('dev.schema.pattern')} `, h('code', {}, schema.pattern));
  if (schema.default !== undefined) {
    out.push(`, ${t('dev.schema.default')} `, h('code', {}, JSON.stringify(schema.default)));
  }
  return h('span', {}, out);
}

// A parameter's list syntax: OpenAPI's form style without explode is one
// value, comma-separated ("day=1,2"); with explode, the key repeated.
function listSyntax(param, schema) {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types.includes('array')) return null;
  const explode = param.explode ?? ((param.style || 'form') === 'form');
  const style = param.style || (param.in === 'query' ? 'form' : 'simple');
  if (style === 'form' && explode) return t('dev.schema.repeated', { name: param.name });
  if (style === 'pipeDelimited') return t('dev.schema.pipes');
  if (style === 'spaceDelimited') return t('dev.schema.spaces');
  return t('dev.schema.commas');
}

// The example value of a parameter, as the text its input starts with.
function exampleValue(param) {
  const schema = resolve(schemaOf(param));
  let value = param.example;
  if (value === undefined && param.examples) value = resolve(Object.values(param.examples)[0]).value;
  if (value === undefined) value = schema.example ?? (Array.isArray(schema.examples) ? schema.examples[0] : undefined);
  if (value === undefined && param.required) value = schema.default ?? (schema.enum || [])[0];
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(',') : String(value);
}

// ---- one operation ----

function parameters(entry) {
  const byKey = new Map();
  for (const raw of [...(entry.shared.parameters || []), ...(entry.op.parameters || [])]) {
    const param = resolve(raw);
    if (param.name) byKey.set(`${param.in}:${param.name}`, param);
  }
  return [...byKey.values()];
}

// A table cell that names its column (data-label), which a phone's
// stacked rows show before it.
function cell(label, ...children) {
  return h('td', { dataset: { label } }, children);
}

function parameterTable(key, params) {
  if (!params.length) return h('p', { class: 'note' }, t('dev.noParameters'));
  const rows = params.map((param) => {
    const schema = resolve(schemaOf(param));
    const syntax = listSyntax(param, schema);
    return h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, param.name),
        param.required ? h('span', { class: 'required' }, ` (${t('dev.required')})`) : null),
      cell(t('dev.in'), t(`dev.location.${param.in}`) === `dev.location.${param.in}` ? param.in : t(`dev.location.${param.in}`)),
      cell(t('dev.type'), schemaSummary(schemaOf(param)), syntax ? h('span', { class: 'syntax' }, `; ${syntax}`) : null),
      cell(t('dev.description'), param.description ? h('span', { lang: currentLanguage() === 'en' ? null : 'en' },
        inline(param.description)) : ''));
  });
  return h('div', { class: 'table-box' }, h('table', { class: 'spec params' },
    h('caption', { class: 'visually-hidden' }, t('dev.parametersOf', { operation: key })),
    h('thead', {}, h('tr', {}, ['dev.name', 'dev.in', 'dev.type', 'dev.description']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, rows)));
}

// The error codes an answer may carry: those of its examples when it has
// any (they name this answer's own), else the enum or const of its
// schema's error.code.
function errorCodes(response) {
  const given = new Set();
  const allowed = new Set();
  for (const media of Object.values(response.content || {})) {
    const examples = [media.example, ...Object.values(media.examples || {}).map((e) => resolve(e).value)];
    for (const example of examples) if (example?.error?.code) given.add(String(example.error.code));
    const code = resolve(resolve(merged(media.schema).properties?.error).properties?.code);
    for (const value of code.enum || []) allowed.add(String(value));
    if (code.const !== undefined) allowed.add(String(code.const));
  }
  return [...(given.size ? given : allowed)];
}

// The fields of an object schema, nested to a few levels, as a list.
function fields(raw, depth = 0) {
  const schema = merged(raw);
  const target = schema.type === 'array' ? merged(schema.items) : schema;
  const props = Object.entries(target.properties || {});
  if (!props.length || depth >= MAX_SCHEMA_DEPTH) return null;
  const required = new Set(target.required || []);
  return h('ul', { class: 'fields' }, props.map(([name, sub]) => h('li', {},
    h('code', {}, name), required.has(name) ? h('span', { class: 'required' }, ` (${t('dev.required')})`) : null,
    ': ', schemaSummary(sub),
    resolve(sub).description ? h('span', { class: 'note', lang: currentLanguage() === 'en' ? null : 'en' },
      ' — ', inline(resolve(sub).description)) : null,
    fields(sub, depth + 1))));
}

function headerList(headers) {
  const entries = Object.entries(headers || {});
  if (!entries.length) return null;
  return h('dl', { class: 'headers' }, entries.map(([name, raw]) => {
    const header = resolve(raw);
    return [h('dt', {}, h('code', {}, name)), h('dd', {}, schemaSummary(schemaOf(header)),
      header.description ? [' — ', h('span', { lang: currentLanguage() === 'en' ? null : 'en' }, inline(header.description))] : null)];
  }));
}

// A request's or response's bodies: each media type, its schema in a
// line, and its fields behind a disclosure.
function bodies(content) {
  return Object.entries(content || {}).map(([type, media]) => {
    const list = fields(media.schema);
    return h('div', { class: 'body' },
      h('p', {}, t('dev.body', { type }), ' ', schemaSummary(media.schema || {})),
      list ? h('details', {}, h('summary', {}, t('dev.fields')), list) : null);
  });
}

function responseList(op) {
  const entries = Object.entries(op.responses || {});
  if (!entries.length) return null;
  return h('ul', { class: 'responses' }, entries.map(([status, raw]) => {
    const response = resolve(raw);
    const codes = /^[45]/.test(status) || status === 'default' ? errorCodes(response) : [];
    const headers = headerList(response.headers);
    return h('li', { class: 'response' },
      h('p', {}, h('strong', { class: `status s${status[0]}` }, status), ' ',
        h('span', { lang: currentLanguage() === 'en' ? null : 'en' }, inline(response.description || ''))),
      codes.length ? h('p', {}, t('dev.errorCodes'), ' ', codes.map((c, i) => [i ? ', ' : '', h('code', {}, c)])) : null,
      headers ? [h('p', { class: 'sub' }, t('dev.headers')), headers] : null,
      bodies(response.content));
  }));
}

// ---- Try it ----

// The URL from the form's values: path parameters put in place, query
// parameters that have a value appended (as typed: a list stays "a,b").
function requestUrl(entry, form) {
  let path = entry.path;
  const query = [];
  // Commas stay commas: the API's list syntax, easier to read than %2C.
  const encode = (text) => encodeURIComponent(text).replace(/%2C/gi, ',');
  for (const input of form.querySelectorAll('input[data-in]')) {
    const value = input.value.trim();
    if (input.dataset.in === 'path') path = path.replace(`{${input.dataset.name}}`, encodeURIComponent(value));
    else if (input.dataset.in === 'query' && value !== '') query.push(`${encode(input.dataset.name)}=${encode(value)}`);
  }
  return new URL(`${path}${query.length ? `?${query.join('&')}` : ''}`, window.location.href);
}

// The body as the reader should see it: JSON pretty-printed, else as sent.
function bodyText(text, type) {
  let shown = text;
  if (/json/i.test(type || '')) {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      shown = text;
    }
  }
  return shown;
}

function showAnswer(live, out, response, text) {
  const headers = SHOWN_HEADERS.map((name) => [name, response.headers.get(name)]).filter(([, v]) => v !== null);
  const body = bodyText(text, response.headers.get('content-type'));
  live.replaceChildren(t('dev.try.status'), ' ',
    h('strong', { class: `status s${String(response.status)[0]}` }, `${response.status} ${response.statusText}`.trim()));
  out.replaceChildren(h('div', {},
    h('dl', { class: 'headers' }, headers.map(([name, value]) => [h('dt', {}, h('code', {}, name)), h('dd', {}, value)])),
    h('pre', { class: 'code answer', tabindex: '0', 'aria-label': t('dev.try.body') },
      h('code', {}, body.slice(0, MAX_BODY_CHARS))),
    body.length > MAX_BODY_CHARS ? h('p', { class: 'note' }, t('dev.try.cut', { count: MAX_BODY_CHARS })) : null));
}

async function send(entry, form, live, out) {
  const url = requestUrl(entry, form);
  out.setAttribute('aria-busy', 'true');
  out.replaceChildren();
  live.textContent = t('dev.try.sending');
  try {
    const response = await fetch(url, {
      method: entry.method.toUpperCase(), credentials: 'omit', headers: { Accept: 'application/json' },
    });
    showAnswer(live, out, response, await response.text());
  } catch (error) {
    live.textContent = t('dev.try.failed', { reason: error.message });
  } finally {
    out.setAttribute('aria-busy', 'false');
  }
}

function tryIt(entry, key, params) {
  if (!SAFE_METHODS.has(entry.method)) {
    return h('p', { class: 'note try-none' }, t('dev.try.notRun', { method: entry.method.toUpperCase() }));
  }
  const inputs = params.filter((p) => p.in === 'path' || p.in === 'query').map((param) => {
    const id = `${key}-${param.in}-${param.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
    return h('div', { class: 'field' },
      h('label', { for: id }, h('code', {}, param.name), param.required ? ` (${t('dev.required')})` : ''),
      h('input', {
        id, type: 'text', value: exampleValue(param), spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
        required: param.in === 'path' || param.required ? true : null, dataset: { in: param.in, name: param.name },
      }));
  });
  const urlLine = h('code', { class: 'url' });
  const live = h('p', { class: 'answer-status', role: 'status' });
  const out = h('div', { class: 'answer', 'aria-busy': 'false' });
  const form = h('form', { class: 'try-form', novalidate: true },
    inputs.length ? h('div', { class: 'grid' }, inputs) : null,
    h('p', { class: 'request' }, h('span', {}, t('dev.try.request')), ' ',
      h('code', {}, entry.method.toUpperCase()), ' ', urlLine),
    h('p', { class: 'actions' }, h('button', { type: 'submit' }, t('dev.try.send'))));
  const update = () => { urlLine.textContent = requestUrl(entry, form).href; };
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
    send(entry, form, live, out);
  });
  update();
  return h('div', { class: 'try' }, h('h4', {}, t('dev.try.heading')), form, live, out);
}

function operationSection(entry) {
  const key = operationKey(entry);
  const { method, path, op } = entry;
  const params = parameters(entry);
  const [summary, summaryLang] = operationText(op, 'summary');
  const [description, descriptionLang] = operationText(op, 'description');
  const title = `${method.toUpperCase()} ${path}`;
  return h('section', { id: key, class: 'operation', 'aria-labelledby': `${key}-h`, dataset: { method, path } },
    h('h3', { id: `${key}-h` }, h('span', { class: `method m-${method}` }, method.toUpperCase()), ' ', h('code', {}, path)),
    summary ? h('p', { class: 'summary', lang: summaryLang }, inline(summary)) : null,
    op.deprecated ? h('p', { class: 'notice' }, t('dev.deprecated')) : null,
    prose(description, descriptionLang),
    h('h4', {}, t('dev.parameters')),
    parameterTable(title, params),
    op.requestBody ? [h('h4', {}, t('dev.requestBody')), bodies(resolve(op.requestBody).content)] : null,
    h('h4', {}, t('dev.responses')),
    responseList(op),
    tryIt(entry, key, params));
}

// ---- the page ----

function contents(entries, topics) {
  const sections = [...topics.map((topic) => topic.id), 'endpoints', 'widget', 'sources', 'licences'];
  $('toc').replaceChildren(...sections.map((id) => h('li', {},
    h('a', { href: `#${id}` }, $(`${id}-heading`).textContent),
    id === 'endpoints' && entries.length ? h('ul', {}, entries.map((entry) => h('li', {},
      h('a', { href: `#${operationKey(entry)}` }, h('code', {}, `${entry.method.toUpperCase()} ${entry.path}`))))) : null)));
}

function showDocument() {
  const entries = operations();
  const topics = showGuide();
  $('operations').replaceChildren(...entries.map(operationSection));
  const info = spec.info || {};
  $('doc-info').replaceChildren(t('dev.documentIs'), ' ', h('a', { href: DOCUMENT_URL }, h('code', {}, '/api/v1/openapi.json')),
    ` (OpenAPI ${spec.openapi || '?'}; ${info.title || ''} ${t('dev.version')} ${info.version || '?'}).`);
  const license = info.license;
  $('doc-license').replaceChildren(...(license ? [t('dev.licences.document'), ' ',
    webUrl(license.url) ? h('a', { href: webUrl(license.url), lang: 'en' }, license.name || license.url)
      : h('span', { lang: currentLanguage() === 'en' ? null : 'en' }, license.name || license.identifier || '')] : []));
  $('endpoints-language').hidden = currentLanguage() === 'en';
  $('doc-status').textContent = t('dev.loaded', { count: entries.length });
  contents(entries, topics);
}

// A source's name. The demo's names say they are fictional themselves
// (sql/demo), so its flag adds no mark ("Demo data (fictional) (fictional)").
function sourceName(s) {
  return h('th', { scope: 'row' }, s.name || s.slug);
}

// The licence as the source states it, linked to its text when the source
// gives a link; "not stated" when it states none.
function licenceOf(s) {
  if (!s.license) return h('span', { class: 'note' }, t('dev.licences.notStated'));
  return webUrl(s.license_url) ? h('a', { href: webUrl(s.license_url) }, s.license) : s.license;
}

function showLicences(sources) {
  $('licences-rows').replaceChildren(...sources.map((s) => h('tr', { dataset: { source: s.slug } },
    sourceName(s),
    cell(t('dev.licences.licence'), licenceOf(s)),
    cell(t('dev.licences.attribution'), s.attribution || h('span', { class: 'note' }, t('dev.licences.notStated'))))));
  $('licences-box').hidden = false;
}

async function showSources() {
  try {
    const response = await fetch(SOURCES_URL, { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    const { sources = [] } = await response.json();
    $('sources-rows').replaceChildren(...sources.map((s) => h('tr', {},
      sourceName(s),
      cell(t('dev.sources.format'), s.format || ''),
      cell(t('dev.sources.counts'), t('dev.sources.listings', { meetings: formatNumber(s.meetings || 0), services: formatNumber(s.services || 0) })),
      cell(t('dev.sources.origin'), webUrl(s.url) ? h('a', { href: webUrl(s.url) }, new URL(s.url).host) : t('dev.sources.files')))));
    $('sources-box').hidden = false;
    showLicences(sources);
    $('sources-status').textContent = t('dev.sources.count', { count: sources.length });
  } catch (error) {
    $('sources-status').textContent = t('dev.sources.failed', { reason: error.message });
  }
}

function showStatic() {
  $('licences-feed').replaceChildren(t('dev.licences.feed'), ' ', h('code', {}, FEED_LINK), '.');
  $('widget-code').textContent = WIDGET_EXAMPLE.replace('{origin}', window.location.origin);
  $('widget-options').replaceChildren(...WIDGET_OPTIONS.map((name) => h('tr', {},
    h('th', { scope: 'row' }, h('code', {}, `data-${name}`)), cell(t('dev.widget.does'), t(`dev.widget.options.${name}`)))));
}

// What the catalog does not reach: the title, the links back and the parts
// built from the document and the sources. The sources are fetched again,
// and not waited for.
function redraw() {
  document.title = `${t('dev.heading')} · ${t('page.title')}`;
  for (const id of ['dev-home', 'dev-back']) $(id).href = finderHref();
  showStatic();
  if (spec) showDocument();
  showSources();
}

async function loadDocument() {
  try {
    const response = await fetch(DOCUMENT_URL, { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    spec = await response.json();
    showDocument();
  } catch (error) {
    $('doc-status').textContent = t('dev.loadFailed', { reason: error.message });
  }
}

async function start() {
  // The page's words and the translations of the API's description are a
  // catalog part of their own (web/i18n/developers/): the finder's page
  // never loads them.
  await startLanguage({ select: $('ui-lang'), parts: ['developers'], redraw });
  await loadDocument();
  if (window.location.hash) document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
  document.body.dataset.ready = 'true';
}

start();
