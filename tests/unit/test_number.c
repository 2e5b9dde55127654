/*
 * Unit tests for fcgi/src/number.c: the one number parser. Every spelling
 * is a row in a table, with what each form makes of it, the hostile inputs
 * (trailing junk, spaces, hex, exponents, inf and nan, NUL bytes, overflow,
 * too many digits) included; and a point is read as a point in a locale
 * whose decimal separator is a comma (skipped unless one is installed: with
 * no locales package, `localedef -i de_DE -f UTF-8 DIR/de_DE.UTF-8` and
 * LOCPATH=DIR run it in the plain build; glibc keeps the LOCPATH it parsed,
 * which the ASan build's leak check reports).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "number.h"

/* A literal and its length, so that an input may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

#define NO (-1)

struct double_case {
	const char *s;
	size_t len;
	int strict, digits, loose; /* 0 or NO for each form */
	double value;              /* when accepted */
};

static const struct double_case double_cases[] = {
	{LIT("0"), 0, 0, 0, 0},
	{LIT("7"), 0, 0, 0, 7},
	{LIT("-12.5"), 0, NO, 0, -12.5},
	{LIT("-87.6298"), 0, NO, 0, -87.6298},
	{LIT("-0"), 0, NO, 0, 0},
	{LIT("-0.0"), 0, NO, 0, 0},
	{LIT("007"), NO, 0, 0, 7},
	{LIT("01.5"), NO, NO, 0, 1.5},
	{LIT("+1"), NO, NO, 0, 1},
	{LIT(".5"), NO, NO, 0, 0.5},
	{LIT("-.5"), NO, NO, 0, -0.5},
	{LIT("5."), NO, NO, 0, 5},
	{LIT("1234567890123456"), 0, 0, 0, 1234567890123456.0},
	{LIT("0.12345678901234567890"), 0, NO, 0, 0.12345678901234567890},
	/* Spellings no form takes. */
	{LIT(""), NO, NO, NO, 0},
	{LIT("-"), NO, NO, NO, 0},
	{LIT("+"), NO, NO, NO, 0},
	{LIT("."), NO, NO, NO, 0},
	{LIT("-."), NO, NO, NO, 0},
	{LIT("--1"), NO, NO, NO, 0},
	{LIT("+-1"), NO, NO, NO, 0},
	{LIT("1.2.3"), NO, NO, NO, 0},
	{LIT("1e5"), NO, NO, NO, 0},
	{LIT("1E5"), NO, NO, NO, 0},
	{LIT("0x10"), NO, NO, NO, 0},
	{LIT("0x1p3"), NO, NO, NO, 0},
	{LIT("inf"), NO, NO, NO, 0},
	{LIT("-infinity"), NO, NO, NO, 0},
	{LIT("nan"), NO, NO, NO, 0},
	{LIT("NAN(1)"), NO, NO, NO, 0},
	{LIT(" 1"), NO, NO, NO, 0},
	{LIT("1 "), NO, NO, NO, 0},
	{LIT("\t1"), NO, NO, NO, 0},
	{LIT("1\n"), NO, NO, NO, 0},
	{LIT("1,5"), NO, NO, NO, 0},
	{LIT("1abc"), NO, NO, NO, 0},
	{LIT("1\0"
	     "2"),
	 NO, NO, NO, 0},
	{LIT("\0"), NO, NO, NO, 0},
	{LIT("\xd9\xa1"), NO, NO, NO, 0},                /* ARABIC-INDIC DIGIT ONE */
	{LIT("12345678901234567"), NO, NO, NO, 0},       /* 17 digits */
	{LIT("0.123456789012345678901"), NO, NO, NO, 0}, /* 21 after the point */
	{LIT("00000000000000000000000000000000000000001"), NO, NO, NO, 0}, /* 41 bytes */
};

static void test_double_forms(void **state)
{
	static const enum number_form forms[] = {NUMBER_STRICT, NUMBER_DIGITS, NUMBER_LOOSE};

	(void)state;
	for (size_t i = 0; i < sizeof(double_cases) / sizeof(double_cases[0]); i++) {
		const struct double_case *c = &double_cases[i];
		const int want[] = {c->strict, c->digits, c->loose};

		for (size_t f = 0; f < 3; f++) {
			double v = 42;
			int rc = number_double(c->s, c->len, forms[f], -DBL_MAX, DBL_MAX, &v);

			if (rc != want[f])
				fail_msg("\"%.*s\" in form %zu: %d, expected %d", (int)c->len, c->s,
					 f, rc, want[f]);
			if (rc == 0)
				assert_true(v == c->value);
			else
				assert_true(v == 42); /* left alone */
		}
	}
}

/* "-0" is zero, not negative zero. */
static void test_double_negative_zero(void **state)
{
	double v;

	(void)state;
	assert_int_equal(number_double(LIT("-0.0"), NUMBER_LOOSE, -1, 1, &v), 0);
	assert_false(signbit(v));
}

/* min and max are inclusive. */
static void test_double_range(void **state)
{
	double v;

	(void)state;
	assert_int_equal(number_double(LIT("-90"), NUMBER_STRICT, -90, 90, &v), 0);
	assert_int_equal(number_double(LIT("90"), NUMBER_STRICT, -90, 90, &v), 0);
	assert_int_equal(number_double(LIT("90.000001"), NUMBER_STRICT, -90, 90, &v), -1);
	assert_int_equal(number_double(LIT("-90.1"), NUMBER_STRICT, -90, 90, &v), -1);
	assert_int_equal(number_double(LIT("0.1"), NUMBER_STRICT, 0.1, 500, &v), 0);
	assert_int_equal(number_double(LIT("0.09"), NUMBER_STRICT, 0.1, 500, &v), -1);
}

/* Only len bytes are read: the number may be a span of a longer text. */
static void test_double_span(void **state)
{
	double v;

	(void)state;
	assert_int_equal(number_double("12.5;junk", 4, NUMBER_STRICT, 0, 100, &v), 0);
	assert_true(v == 12.5);
}

struct integer_case {
	const char *s;
	size_t len;
	int strict, digits, loose;
	long long value;
};

static const struct integer_case integer_cases[] = {
	{LIT("0"), 0, 0, 0, 0},
	{LIT("42"), 0, 0, 0, 42},
	{LIT("-42"), 0, NO, 0, -42},
	{LIT("09"), NO, 0, 0, 9},
	{LIT("+5"), NO, NO, 0, 5},
	{LIT("-0"), NO, NO, 0, 0},
	{LIT("9223372036854775807"), 0, 0, 0, LLONG_MAX},
	{LIT("-9223372036854775808"), 0, NO, 0, LLONG_MIN},
	{LIT("9223372036854775808"), NO, NO, NO, 0}, /* overflow */
	{LIT("-9223372036854775809"), NO, NO, NO, 0},
	{LIT("99999999999999999999999999"), NO, NO, NO, 0},
	{LIT("1.0"), NO, NO, NO, 0},
	{LIT("1."), NO, NO, NO, 0},
	{LIT(".1"), NO, NO, NO, 0},
	{LIT(""), NO, NO, NO, 0},
	{LIT(" 1"), NO, NO, NO, 0},
	{LIT("1 "), NO, NO, NO, 0},
	{LIT("1%"), NO, NO, NO, 0},
	{LIT("0x1f"), NO, NO, NO, 0},
	{LIT("1e3"), NO, NO, NO, 0},
	{LIT("1\0"), NO, NO, NO, 0},
};

static void test_integer_forms(void **state)
{
	static const enum number_form forms[] = {NUMBER_STRICT, NUMBER_DIGITS, NUMBER_LOOSE};

	(void)state;
	for (size_t i = 0; i < sizeof(integer_cases) / sizeof(integer_cases[0]); i++) {
		const struct integer_case *c = &integer_cases[i];
		const int want[] = {c->strict, c->digits, c->loose};

		for (size_t f = 0; f < 3; f++) {
			long long v = 42;
			int rc = number_integer(c->s, c->len, forms[f], LLONG_MIN, LLONG_MAX, &v);

			if (rc != want[f])
				fail_msg("\"%.*s\" in form %zu: %d, expected %d", (int)c->len, c->s,
					 f, rc, want[f]);
			assert_true(v == (rc == 0 ? c->value : 42));
		}
	}
}

static void test_integer_range(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(number_integer(LIT("1"), NUMBER_STRICT, 1, 100, &v), 0);
	assert_int_equal(number_integer(LIT("100"), NUMBER_STRICT, 1, 100, &v), 0);
	assert_int_equal(number_integer(LIT("0"), NUMBER_STRICT, 1, 100, &v), -1);
	assert_int_equal(number_integer(LIT("101"), NUMBER_STRICT, 1, 100, &v), -1);
	assert_int_equal(number_integer(LIT("59"), NUMBER_DIGITS, 0, 59, &v), 0);
	assert_int_equal(number_integer(LIT("60"), NUMBER_DIGITS, 0, 59, &v), -1);
}

/* In a locale that writes 1,5 the parser still reads 1.5 and refuses 1,5.
 * The locale is made current for this thread only (uselocale). Skipped when
 * no such locale is installed. */
static void test_locale(void **state)
{
	static const char *const names[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "es_ES.UTF-8",
					    "de_DE.utf8", NULL};
	locale_t comma = (locale_t)0;
	double v;

	(void)state;
	for (size_t i = 0; names[i] != NULL && comma == (locale_t)0; i++)
		comma = newlocale(LC_NUMERIC_MASK, names[i], (locale_t)0);
	if (comma == (locale_t)0)
		skip();
	uselocale(comma);
	assert_int_equal(number_double(LIT("1.5"), NUMBER_STRICT, 0, 2, &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(number_double(LIT("1,5"), NUMBER_LOOSE, 0, 2, &v), -1);
	uselocale(LC_GLOBAL_LOCALE);
	freelocale(comma);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_forms),  cmocka_unit_test(test_double_negative_zero),
		cmocka_unit_test(test_double_range),  cmocka_unit_test(test_double_span),
		cmocka_unit_test(test_integer_forms), cmocka_unit_test(test_integer_range),
		cmocka_unit_test(test_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
