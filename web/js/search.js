// The search form: fills its choices, finds the searcher's location when
// asked, and turns the form into API parameters. It knows nothing of fetch
// or of how results are shown; main.js passes it the two callbacks.

import { strings } from './strings.js';

// Place-name search comes later; until then, a few cities to choose from.
const CITIES = [
  { id: 'chicago', lat: 41.88, lng: -87.63 },
  { id: 'new-york', lat: 40.71, lng: -74.01 },
  { id: 'los-angeles', lat: 34.05, lng: -118.24 },
  { id: 'houston', lat: 29.76, lng: -95.37 },
  { id: 'phoenix', lat: 33.45, lng: -112.07 },
  { id: 'philadelphia', lat: 39.95, lng: -75.17 },
  { id: 'denver', lat: 39.74, lng: -104.99 },
  { id: 'seattle', lat: 47.61, lng: -122.33 },
  { id: 'boston', lat: 42.36, lng: -71.06 },
  { id: 'atlanta', lat: 33.75, lng: -84.39 },
  { id: 'miami', lat: 25.76, lng: -80.19 },
  { id: 'toronto', lat: 43.65, lng: -79.38 },
  { id: 'mexico-city', lat: 19.43, lng: -99.13 },
];
const FELLOWSHIPS = [
  'aa', 'na', 'smart', 'al-anon', 'alateen', 'nar-anon', 'ca', 'cma',
  'recovery-dharma', 'lifering', 'mara', 'families-anonymous', 'smart-family',
];
const RADII_KM = [5, 10, 25, 50, 100];
const DEFAULT_RADIUS_KM = 25;
const ATTENDANCE = ['in_person', 'online', 'hybrid'];
const HERE = 'here'; // the city option that stands for the searcher's own position

function addOption(select, value, label) {
  const option = document.createElement('option');
  option.value = String(value);
  option.textContent = label;
  select.append(option);
  return option;
}

function fillChoices(fields) {
  addOption(fields.city, '', strings.chooseCity);
  for (const city of CITIES) addOption(fields.city, city.id, strings.cities[city.id]);
  for (const km of RADII_KM) addOption(fields.radius, km, strings.km(km));
  fields.radius.value = String(DEFAULT_RADIUS_KM);
  addOption(fields.day, '', strings.anyDay);
  strings.days.forEach((name, day) => addOption(fields.day, day, name));
  addOption(fields.fellowship, '', strings.anyFellowship);
  for (const slug of FELLOWSHIPS) addOption(fields.fellowship, slug, strings.fellowships[slug]);
  addOption(fields.attendance, '', strings.anyAttendance);
  for (const mode of ATTENDANCE) addOption(fields.attendance, mode, strings.attendanceNames[mode]);
}

// Returns value if it is one of the allowed choices or empty, else throws.
function choice(value, allowed) {
  if (value === '' || allowed.includes(value)) return value;
  throw new Error(strings.errors.badChoice);
}

// Reads the form into API parameters, or throws an Error to show. Online
// meetings can be joined from anywhere, so an online search is not limited
// to a place; every other search needs one.
function readParams(fields, here) {
  const cityId = fields.city.value;
  const place = cityId === HERE ? here : CITIES.find((city) => city.id === cityId);
  if (cityId !== '' && !place) throw new Error(strings.errors.badChoice);
  const attendance = choice(fields.attendance.value, ATTENDANCE);
  const params = {
    day: choice(fields.day.value, ['0', '1', '2', '3', '4', '5', '6']),
    fellowship: choice(fields.fellowship.value, FELLOWSHIPS),
    attendance,
  };
  if (attendance !== 'online') {
    if (!place) throw new Error(strings.errors.noLocation);
    params.lat = place.lat;
    params.lng = place.lng;
    params.radius_km = choice(fields.radius.value, RADII_KM.map(String));
  }
  return params;
}

// Asks the browser for the position, rounded to two decimals (about 1 km):
// where someone looks for a meeting is health information, and a nearby
// point is enough to sort meetings by distance.
function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error(strings.errors.geoUnsupported));
      return;
    }
    const round = (x) => Math.round(x * 100) / 100;
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: round(pos.coords.latitude), lng: round(pos.coords.longitude) }),
      (err) => reject(new Error(err.code === err.PERMISSION_DENIED
        ? strings.errors.geoDenied : strings.errors.geoUnavailable)),
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
    );
  });
}

// Wires the form. onSearch(params) is called with valid API parameters
// (without limit and offset); onError(message) with a message to show, or
// with '' to clear it.
export function setupSearch(form, { onSearch, onError }) {
  const fields = {
    city: form.elements.namedItem('city'),
    radius: form.elements.namedItem('radius'),
    day: form.elements.namedItem('day'),
    fellowship: form.elements.namedItem('fellowship'),
    attendance: form.elements.namedItem('attendance'),
  };
  const locateButton = form.querySelector('#locate');
  const locateStatus = form.querySelector('#locate-status');
  let here = null;

  fillChoices(fields);

  function submit() {
    let params;
    try {
      params = readParams(fields, here);
    } catch (err) {
      onError(err.message);
      return;
    }
    onError('');
    onSearch(params);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  fields.city.addEventListener('change', () => {
    if (fields.city.value !== HERE) locateStatus.textContent = '';
  });

  locateButton.addEventListener('click', async () => {
    locateButton.disabled = true;
    locateStatus.textContent = strings.locating;
    onError('');
    try {
      here = await locate();
      if (!fields.city.querySelector(`option[value="${HERE}"]`)) {
        fields.city.options[0].after(new Option(strings.myLocation, HERE));
      }
      fields.city.value = HERE;
      locateStatus.textContent = strings.located;
      submit();
    } catch (err) {
      locateStatus.textContent = '';
      onError(err.message);
    } finally {
      locateButton.disabled = false;
    }
  });
}
