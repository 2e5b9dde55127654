#ifndef FINDER_PATTERNS_H
#define FINDER_PATTERNS_H

#include <stddef.h>

/* The input patterns, compiled once at start-up and matched anchored at both
 * ends against whole values. */
enum pattern {
	PATTERN_DECIMAL,    /* -12.5: no exponent, hex, sign '+', NaN or inf */
	PATTERN_INTEGER,    /* 0 or digits without a leading zero */
	PATTERN_SLUG,       /* lower-case words joined by '-' */
	PATTERN_TYPE_CODE,  /* a meeting type code such as O, 12x12, BV-I */
	PATTERN_DAY,        /* 0 (Sunday) ... 6 */
	PATTERN_ID,         /* a positive row id */
	PATTERN_LANGUAGE,   /* an ISO 639-1 code such as es */
	PATTERN_TIMEZONE,   /* an IANA zone name such as America/New_York */
	PATTERN_DATETIME,   /* ISO 8601: 2026-03-08T19:00[:00][Z|+01:00] */
	PATTERN_TIME_RANGE, /* morning, midday, evening, night or HH:MM-HH:MM */
	PATTERN_UUID,       /* a uuid in its canonical text form, lower case */
	PATTERN_COUNTRY,    /* an ISO 3166-1 alpha-2 code such as US */
	PATTERN_PLACE_NAME, /* a region or city name: no comma, quote, backslash or
			     * control character */
	PATTERN__MAX
};

/* Compiles every pattern; returns 0, or -1 after printing why to stderr.
 * Call once per process before any match; patterns_free() releases them. */
int patterns_init(void);
void patterns_free(void);

/* The pattern's PCRE2 source (matched anchored at both ends), or NULL. */
const char *patterns_source(enum pattern p);

/* Whether s[0..len) matches the whole pattern. */
int patterns_match(enum pattern p, const char *s, size_t len);

#endif
