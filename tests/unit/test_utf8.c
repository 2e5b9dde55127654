/*
 * Unit tests for fcgi/src/utf8.c's cut: a text kept to a number of bytes
 * never ends inside a character, whatever its length (1 to 4 bytes) and
 * wherever the limit falls in it; a text that fits is kept whole; what is
 * kept is valid UTF-8 when the text was. (The check itself is tested with
 * the importers', in test_import_norm.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "utf8.h"

struct cut_case {
	const char *s;
	size_t max;
	size_t want;
};

/* "é" is 2 bytes, "☺" 3, "😀" 4. */
static const struct cut_case cut_cases[] = {
	{"", 0, 0},
	{"", 5, 0},
	{"abc", 0, 0},
	{"abc", 2, 2},
	{"abc", 3, 3},
	{"abc", 100, 3},
	{"caf\xc3\xa9", 5, 5},              /* fits */
	{"caf\xc3\xa9", 4, 3},              /* inside é: before it */
	{"caf\xc3\xa9", 3, 3},              /* before é */
	{"caf\xc3\xa9!", 5, 5},             /* after é */
	{"\xe2\x98\xba\xe2\x98\xba", 5, 3}, /* ☺☺ inside the second */
	{"\xe2\x98\xba\xe2\x98\xba", 4, 3},
	{"\xe2\x98\xba\xe2\x98\xba", 3, 3},
	{"\xe2\x98\xba\xe2\x98\xba", 2, 0}, /* inside the first: nothing */
	{"a\xf0\x9f\x98\x80z", 2, 1},       /* 😀 after each of its bytes */
	{"a\xf0\x9f\x98\x80z", 3, 1},
	{"a\xf0\x9f\x98\x80z", 4, 1},
	{"a\xf0\x9f\x98\x80z", 5, 5},
	{"a\xf0\x9f\x98\x80z", 1, 1},
	/* Not UTF-8: a run of continuation bytes backs off 3 at most. */
	{"ab\x80\x80\x80\x80\x80", 6, 3},
};

static void test_utf8_cut(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cut_cases) / sizeof(cut_cases[0]); i++) {
		const struct cut_case *c = &cut_cases[i];
		size_t got = utf8_cut(c->s, strlen(c->s), c->max);

		if (got != c->want)
			fail_msg("case %zu (max %zu): %zu bytes kept, not %zu", i, c->max, got,
				 c->want);
	}
}

/* Every limit over a text of mixed widths: at most max bytes, valid, and
 * as long as can be (the next character would not fit). */
static void test_utf8_cut_every_limit(void **state)
{
	static const char text[] = "a\xc3\xa9\xe2\x98\xba\xf0\x9f\x98\x80z\xc3\xa9";
	size_t len = sizeof(text) - 1;

	(void)state;
	for (size_t max = 0; max <= len + 1; max++) {
		size_t got = utf8_cut(text, len, max);
		size_t next;

		assert_true(got <= max);
		assert_true(utf8_valid(text, got));
		if (got < len) {
			assert_true(utf8_decode((const unsigned char *)text + got, len - got,
						&next) >= 0);
			assert_true(got + next > max);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_utf8_cut_every_limit),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
