#include "number.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INT_DIGITS_MAX 16  /* before the point of a decimal */
#define FRAC_DIGITS_MAX 20 /* after it */

/* The spelling of a number, as scanned. */
struct number_shape {
	size_t sign;     /* 0 or 1: the bytes of a leading sign */
	size_t digits;   /* before the point */
	size_t fraction; /* after it */
	int point;       /* 1 when there is a point */
};

static size_t count_digits(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* Scans s[0..len) as [sign] digits [. digits]; -1 when something else is
 * in it, or when the form does not allow what is there. */
static int scan(const char *s, size_t len, enum number_form form, struct number_shape *sh)
{
	size_t at = 0;

	memset(sh, 0, sizeof(*sh));
	if (len == 0 || len > NUMBER_LEN_MAX)
		return -1;
	if (s[0] == '-' || (s[0] == '+' && form == NUMBER_LOOSE))
		at = sh->sign = 1;
	if (sh->sign && form == NUMBER_DIGITS)
		return -1;
	sh->digits = count_digits(s + at, len - at);
	at += sh->digits;
	if (at < len && s[at] == '.') {
		sh->point = 1;
		sh->fraction = count_digits(s + at + 1, len - at - 1);
		at += 1 + sh->fraction;
	}
	if (at != len || sh->digits + sh->fraction == 0)
		return -1;
	if (form == NUMBER_LOOSE)
		return 0;
	/* STRICT and DIGITS: digits before any point, and after one. */
	if (sh->digits == 0 || (sh->point && sh->fraction == 0))
		return -1;
	if (form == NUMBER_STRICT && sh->digits > 1 && s[sh->sign] == '0')
		return -1;
	return form == NUMBER_DIGITS && sh->point ? -1 : 0;
}

/* The "C" locale, made once: strtod_l reads a point as the point whatever
 * setlocale was told. NULL when it cannot be made (out of memory). The
 * handler and the commands have no threads. */
static locale_t c_locale(void)
{
	static locale_t c;

	if (c == (locale_t)0)
		c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c;
}

int number_double(const char *s, size_t len, enum number_form form, double min, double max,
		  double *out)
{
	struct number_shape sh;
	char buf[NUMBER_LEN_MAX + 1];
	locale_t c = c_locale();
	char *end;
	double v;

	if (scan(s, len, form, &sh) != 0 || sh.digits > INT_DIGITS_MAX ||
	    sh.fraction > FRAC_DIGITS_MAX || c == (locale_t)0)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod_l(buf, &end, c);
	if (errno != 0 || end != buf + len || !isfinite(v))
		return -1;
	if (v == 0)
		v = 0; /* "-0" is zero */
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int number_integer(const char *s, size_t len, enum number_form form, long long min, long long max,
		   long long *out)
{
	struct number_shape sh;
	char buf[NUMBER_LEN_MAX + 1];
	char *end;
	long long v;

	if (scan(s, len, form, &sh) != 0 || sh.point)
		return -1;
	if (form == NUMBER_STRICT && s[0] == '-' && s[1] == '0')
		return -1; /* "-0" is not how the API writes zero */
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || end != buf + len || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
