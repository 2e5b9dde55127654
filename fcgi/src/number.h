#ifndef FINDER_NUMBER_H
#define FINDER_NUMBER_H

#include <stddef.h>

/*
 * The one number parser, for the request (params.c), the settings and
 * command lines, and the importers. The whole of s[0..len) must be the
 * number: no space is skipped (a caller trims what its input allows),
 * nothing may follow, and there is no exponent, hex, inf or nan. Digits
 * and the point are read alike in every locale. Each returns 0 and sets
 * *out, or -1 and leaves *out alone: a spelling the form does not allow,
 * more than NUMBER_LEN_MAX bytes, more digits than the form holds, an
 * overflow, or a value outside [min, max].
 */

#define NUMBER_LEN_MAX 40

/* How a number may be written. */
enum number_form {
	NUMBER_STRICT, /* -12.5, 0, 7: a '-' only, no leading zero, digits on
			  both sides of a point (the API's own spelling) */
	NUMBER_DIGITS, /* 007: digits only (clock fields, counts in feeds) */
	NUMBER_LOOSE,  /* also +1, -007, .5 and 5.: as people write feeds */
};

/* A finite decimal: at most 16 digits before the point (a double holds no
 * more exactly) and 20 after it. "-0" is zero. */
int number_double(const char *s, size_t len, enum number_form form, double min, double max,
		  double *out);

/* A whole number (no point) that fits a long long. */
int number_integer(const char *s, size_t len, enum number_form form, long long min, long long max,
		   long long *out);

#endif
