// Every string the page shows, in one place, so that another language is one
// more object of the same shape. Plurals, times and distances are functions
// because their word order and rules differ between languages.

export const strings = {
  lang: 'en',

  title: 'Recovery Finder',
  tagline: 'Find recovery meetings near you or online: AA, NA, SMART Recovery, Al-Anon and more.',
  demoNotice: 'Demo data: every meeting shown here is fictional.',

  searchHeading: 'Search',
  location: 'Location',
  city: 'City',
  chooseCity: 'Choose a city',
  myLocation: 'My location',
  useMyLocation: 'Use my location',
  locating: 'Finding your location…',
  located: 'Using your location (rounded to about 1 km).',
  radius: 'Distance',
  day: 'Day',
  anyDay: 'Any day',
  fellowship: 'Fellowship',
  anyFellowship: 'Any fellowship',
  attendance: 'Attendance',
  anyAttendance: 'In person, online or hybrid',
  search: 'Search',
  resultsHeading: 'Meetings',
  searching: 'Searching…',
  showMore: 'Show more',

  km: (n) => `${n} km`,
  count: (n) => (n === 0
    ? 'No meetings found. Try a larger distance or fewer filters.'
    : n === 1 ? '1 meeting found' : `${n.toLocaleString('en-US')} meetings found`),
  distance: (km) => `${km.toLocaleString('en-US', { maximumFractionDigits: 1 })} km away`,
  time: (hour, minute) =>
    `${hour % 12 || 12}:${String(minute).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`,
  timeRange: (start, end) => `${start} – ${end}`,
  zoneTime: (time, zoneCity) => `${time} (${zoneCity} time)`,
  dayAndTime: (day, time) => `${day}, ${time}`,
  byAppointment: 'By appointment',
  online: 'Online',
  joinOnline: 'Join online',
  phone: (number) => `Phone: ${number}`,
  meetingTypes: 'Meeting types',

  days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],

  attendanceNames: {
    in_person: 'In person',
    online: 'Online',
    hybrid: 'Hybrid (in person and online)',
  },

  cities: {
    chicago: 'Chicago',
    'new-york': 'New York',
    'los-angeles': 'Los Angeles',
    houston: 'Houston',
    phoenix: 'Phoenix',
    philadelphia: 'Philadelphia',
    denver: 'Denver',
    seattle: 'Seattle',
    boston: 'Boston',
    atlanta: 'Atlanta',
    miami: 'Miami',
    toronto: 'Toronto',
    'mexico-city': 'Mexico City',
  },

  fellowships: {
    aa: 'Alcoholics Anonymous',
    na: 'Narcotics Anonymous',
    smart: 'SMART Recovery',
    'al-anon': 'Al-Anon Family Groups',
    alateen: 'Alateen',
    'nar-anon': 'Nar-Anon Family Groups',
    ca: 'Cocaine Anonymous',
    cma: 'Crystal Meth Anonymous',
    'recovery-dharma': 'Recovery Dharma',
    lifering: 'LifeRing Secular Recovery',
    mara: 'Medication-Assisted Recovery Anonymous',
    'families-anonymous': 'Families Anonymous',
    'smart-family': 'SMART Recovery Family & Friends',
  },

  // Codes not listed here are shown as they are.
  types: {
    O: 'Open',
    C: 'Closed',
    D: 'Discussion',
    SP: 'Speaker',
    B: 'Big Book',
    ST: 'Step study',
    LIT: 'Literature',
    BE: 'Newcomer',
    MED: 'Meditation',
    W: 'Women',
    M: 'Men',
    Y: 'Young people',
    LGBTQ: 'LGBTQ',
    S: 'Spanish',
    EN: 'English',
    ASL: 'American Sign Language',
    MOUD: 'Medication-friendly',
    X: 'Wheelchair access',
    CF: 'Child-friendly',
    BA: 'Babysitting available',
    A: 'Secular',
    TC: 'Location temporarily closed',
  },

  errors: {
    noLocation: 'Choose a city or use your location, or search for online meetings.',
    badChoice: 'One of the choices is not valid. Please reload the page.',
    geoUnsupported: 'This browser cannot share your location. Please choose a city.',
    geoDenied: 'Location permission was not given. Please choose a city instead.',
    geoUnavailable: 'Your location could not be found. Please choose a city instead.',
    network: 'Could not reach Recovery Finder. Check your connection and try again.',
    server: (status) => `The search failed (error ${status}). Please try again later.`,
  },
};
