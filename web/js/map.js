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

// A map in container. show(items, kind, hrefFor) puts a marker for each item
// with a position; it resolves to the number of items without one.
export function createMap(container) {
  let map = null;
  let layer = null;
  let leaflet = null;

  async function ready() {
    if (map) return;
    const { L, config } = await load();
    leaflet = L;
    L.Icon.Default.imagePath = `${LEAFLET}images/`;
    map = L.map(container, { scrollWheelZoom: false, attributionControl: false });
    L.control.attribution({ prefix: '<a href="https://leafletjs.com/">Leaflet</a>' }).addTo(map);
    L.tileLayer(config.map_tiles, {
      maxZoom: 19,
      attribution: escapeHtml(config.map_attribution || ''),
      referrerPolicy: 'no-referrer',
      crossOrigin: false,
    }).addTo(map);
    layer = L.layerGroup().addTo(map);
  }

  async function show(items, kind, hrefFor, center) {
    await ready();
    const L = leaflet;
    layer.clearLayers();
    const points = [];
    for (const item of items) {
      const where = item.location;
      if (!where || typeof where.lat !== 'number' || typeof where.lng !== 'number') continue;
      if (kind === 'meeting' && item.attendance === 'online') continue;
      const link = h('a', { href: hrefFor(kind, item.id), class: 'open', dataset: { kind, id: String(item.id) } }, item.name);
      const marker = L.marker([where.lat, where.lng], { title: item.name, alt: item.name, keyboard: true });
      marker.bindPopup(h('div', { class: 'popup' }, link, h('p', {}, where.name || where.address || '')));
      marker.addTo(layer);
      points.push([where.lat, where.lng]);
    }
    map.invalidateSize();
    if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
    else if (center) map.setView([center.lat, center.lng], 11);
    else map.setView([39.5, -98.35], 3);
    return items.length - points.length;
  }

  return { show, label: () => t('map.label') };
}
