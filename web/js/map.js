// The map view. Leaflet (from npm, served at /vendor/leaflet/) and the map
// tiles load only when the visitor opens the map: a page that is never
// switched to the map asks no other host for anything. The tile server is
// the deployment's one setting (MAP_TILES), read from /config.json.

import { h } from './dom.js';
import { t } from './i18n.js';

const LEAFLET = new URL('/vendor/leaflet/', import.meta.url).href;

let loading = null;

function loadCss(href) {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`link[href="${href}"]`)) {
      resolve();
      return;
    }
    const link = h('link', { rel: 'stylesheet', href });
    link.addEventListener('load', resolve);
    link.addEventListener('error', () => reject(new Error(`${href} did not load`)));
    document.head.append(link);
  });
}

// Leaflet and the configuration, once.
function load() {
  loading ||= Promise.all([
    import(`${LEAFLET}leaflet-src.esm.js`),
    fetch(new URL('/config.json', import.meta.url), { credentials: 'omit' }).then((r) => {
      if (!r.ok) throw new Error(`config.json: ${r.status}`);
      return r.json();
    }),
    loadCss(`${LEAFLET}leaflet.css`),
  ]).then(([L, config]) => ({ L, config })).catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// A map in container. show(items, kind, hrefFor, center, tileError) marks the items
// that have a position (one marker a place, see clusters) and resolves to
// the number of items without one. tileError() is called when a map image
// does not load.
export function createMap(container) {
  // The map, made at the first show(), and what it shows: drawn is what
  // show() was last given, redrawn at each zoom.
  const view = { L: null, map: null, layer: null, drawn: null, onTileError: null };

  async function show(items, kind, hrefFor, center, tileError = null) {
    view.onTileError = tileError;
    await ready(view, container);
    const placed = groups(items, kind);
    view.drawn = null;
    view.layer.clearLayers();
    view.map.invalidateSize();
    frame(view.map, placed, center);
    view.drawn = { placed, kind, hrefFor };
    draw(view);
    return items.length - placed.reduce((n, g) => n + g.items.length, 0);
  }

  return { show };
}

// Makes the map once, when it is first shown: Leaflet needs the container
// laid out and loads only when the visitor opens the map.
async function ready(view, container) {
  if (view.map) return;
  const { L, config } = await load();
  view.L = L;
  L.Icon.Default.imagePath = `${LEAFLET}images/`;
  const map = L.map(container, { scrollWheelZoom: false, attributionControl: false });
  view.map = map;
  L.control.attribution({ prefix: '<a href="https://leafletjs.com/">Leaflet</a>' }).addTo(map);
  addTiles(view, config);
  view.layer = L.layerGroup().addTo(map);
  map.on('zoomend', () => draw(view));
}

// The deployment's tiles. Leaflet sets the attribution as HTML, and it
// comes from the configuration, so it is escaped.
function addTiles(view, config) {
  view.L.tileLayer(config.map_tiles, {
    maxZoom: 19,
    attribution: escapeHtml(config.map_attribution || ''),
    referrerPolicy: 'no-referrer',
    crossOrigin: false,
  }).on('tileerror', () => view.onTileError?.()).addTo(view.map);
}

// All the places, or else the searched place, or else the whole country.
function frame(map, placed, center) {
  const points = placed.map((g) => [g.where.lat, g.where.lng]);
  if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 15, animate: false });
  else if (center) map.setView([center.lat, center.lng], 11, { animate: false });
  else map.setView([39.5, -98.35], 3, { animate: false });
}

// One marker a place: meetings that share a venue share its marker, whose
// popup lists them all (stacked markers would be targets too small to
// hit, and one Tab stop each).
function groups(items, kind) {
  const byPlace = new Map();
  for (const item of items) {
    const where = item.location;
    if (!where || typeof where.lat !== 'number' || typeof where.lng !== 'number') continue;
    if (kind === 'meeting' && item.attendance === 'online') continue;
    const key = `${where.lat},${where.lng}`;
    if (!byPlace.has(key)) byPlace.set(key, { where, items: [] });
    byPlace.get(key).items.push(item);
  }
  return [...byPlace.values()];
}

// The places whose markers would overlap at the map's zoom share one
// marker: every marker stays a whole target (WCAG 2.5.8), and the popup
// lists what it covers. Leaflet's default marker is 25 x 41 px.
function clusters(map, placed) {
  const found = [];
  for (const group of placed) {
    const point = map.latLngToLayerPoint([group.where.lat, group.where.lng]);
    const near = found.find((c) => Math.abs(c.point.x - point.x) < 30 && Math.abs(c.point.y - point.y) < 46);
    if (near) near.groups.push(group);
    else found.push({ point, groups: [group] });
  }
  return found;
}

function draw(view) {
  if (!view.drawn) return;
  const { placed, kind, hrefFor } = view.drawn;
  view.layer.clearLayers();
  for (const cluster of clusters(view.map, placed)) marker(view.L, cluster, kind, hrefFor).addTo(view.layer);
}

// A cluster's marker, named after what it covers for the screen reader
// and the keyboard.
function marker(L, cluster, kind, hrefFor) {
  const items = cluster.groups.flatMap((g) => g.items);
  const first = cluster.groups[0];
  const title = items.length === 1 ? items[0].name
    : t('map.several', { count: items.length, place: first.where.name || items[0].name });
  return L.marker([first.where.lat, first.where.lng], { title, alt: title, keyboard: true })
    .bindPopup(popup(cluster, kind, hrefFor));
}

// The popup's list: each place, and a link to each item's detail there.
function popup(cluster, kind, hrefFor) {
  return h('div', { class: 'popup' }, cluster.groups.map((group) => [
    h('p', { class: 'popup-place' }, group.where.name || group.where.address || ''),
    h('ul', { class: 'popup-list' }, group.items.map((item) => h('li', {},
      h('a', { href: hrefFor(kind, item.id), class: 'open', dataset: { kind, id: String(item.id) } }, item.name)))),
  ]));
}
