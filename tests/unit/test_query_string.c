/*
 * Unit tests for fcgi/src/query_string.c: splitting and decoding a query
 * string, its UTF-8 check and its error sentences. Every behaviour is a row
 * in a table; the hostile inputs (NUL bytes, bad escapes, invalid UTF-8,
 * lengths at and just past every cap) are rows like any other.
 *
 * Each input is copied into a heap block of exactly its length before the
 * call, so under ASan any read past the length the parser was given fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "query_string.h"
#include "utf8.h"

/* A literal and its length, so that an input may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

/* Runs of 'a', and of "%41" (which decodes to 'A'), to reach the caps. */
#define A4 "aaaa"
#define A16 A4 A4 A4 A4
#define A32 A16 A16
#define A128 A32 A32 A32 A32
#define A512 A128 A128 A128 A128
#define E4 "%41%41%41%41"
#define E32 E4 E4 E4 E4 E4 E4 E4 E4
#define E128 E32 E32 E32 E32
#define E512 E128 E128 E128 E128
#define U4 "AAAA"
#define U32 U4 U4 U4 U4 U4 U4 U4 U4
#define U128 U32 U32 U32 U32
#define U512 U128 U128 U128 U128

/* A query string of exactly QUERY_STRING_MAX_LEN bytes: four pairs. */
#define Q2048 "a=" A512 "&b=" A512 "&c=" A512 "&d=" A128 A128 A128 A32 A32 A32 A16 A4 "a"
_Static_assert(sizeof(Q2048) - 1 == QUERY_STRING_MAX_LEN, "Q2048 is not the cap");

/* QUERY_STRING_MAX_PAIRS pairs, with and without a trailing '&'. */
#define P4 "k=1&k=1&k=1&k=1&"
#define P32_AMP P4 P4 P4 P4 P4 P4 P4 P4
#define P32 P4 P4 P4 P4 P4 P4 P4 "k=1&k=1&k=1&k=1"
_Static_assert(QUERY_STRING_MAX_PAIRS == 32, "P32 no longer matches the cap");

struct pair_want {
	const char *key;
	const char *value;
};

struct parse_case {
	const char *name;
	const char *input;
	size_t len;
	enum query_string_status status;
	const char *bad_key;       /* on failure; NULL: not checked */
	size_t count;              /* on success */
	struct pair_want pairs[4]; /* the first pairs; unlisted ones are not checked */
};

#define PASSES(n) QUERY_STRING_OK, NULL, n
#define FAILS(status, key) \
	status, key, 0, \
	{ \
		{ \
			NULL, NULL \
		} \
	}

static const struct parse_case parse_cases[] = {
	/* What passes. */
	{"empty string", LIT(""), PASSES(0), {{NULL, NULL}}},
	{"one pair", LIT("lat=41.5"), PASSES(1), {{"lat", "41.5"}}},
	{"two pairs", LIT("lat=1&lng=-2"), PASSES(2), {{"lat", "1"}, {"lng", "-2"}}},
	{"bare key is an empty value", LIT("lat"), PASSES(1), {{"lat", ""}}},
	{"empty value", LIT("lat="), PASSES(1), {{"lat", ""}}},
	{"trailing & is accepted", LIT("lat=1&"), PASSES(1), {{"lat", "1"}}},
	{"plus decodes to space", LIT("q=a+b"), PASSES(1), {{"q", "a b"}}},
	{"leading and trailing plus", LIT("q=+1+"), PASSES(1), {{"q", " 1 "}}},
	{"%2B decodes to plus", LIT("q=%2B1"), PASSES(1), {{"q", "+1"}}},
	{"hex digits in either case", LIT("q=%4a%4A"), PASSES(1), {{"q", "JJ"}}},
	{"= inside a value", LIT("a=b=c"), PASSES(1), {{"a", "b=c"}}},
	{"%26 does not split pairs", LIT("q=a%26b%3Dc"), PASSES(1), {{"q", "a&b=c"}}},
	{"escaped key", LIT("l%61t=41"), PASSES(1), {{"lat", "41"}}},
	{"escaped = in a key", LIT("a%3Db=1"), PASSES(1), {{"a=b", "1"}}},
	{"plus in a key", LIT("a+b=1"), PASSES(1), {{"a b", "1"}}},
	{"repeated keys are both kept", LIT("a=1&a=2"), PASSES(2), {{"a", "1"}, {"a", "2"}}},
	{"utf-8 two bytes", LIT("q=%C3%A9"), PASSES(1), {{"q", "\xC3\xA9"}}},
	{"utf-8 three bytes", LIT("q=%E2%82%AC"), PASSES(1), {{"q", "\xE2\x82\xAC"}}},
	{"utf-8 emoji", LIT("q=%F0%9F%98%80"), PASSES(1), {{"q", "\xF0\x9F\x98\x80"}}},
	{"utf-8 U+10FFFF", LIT("q=%F4%8F%BF%BF"), PASSES(1), {{"q", "\xF4\x8F\xBF\xBF"}}},
	{"utf-8 raw bytes", LIT("q=\xC3\xA9"), PASSES(1), {{"q", "\xC3\xA9"}}},
	{"utf-8 in a key", LIT("%C3%A9=1"), PASSES(1), {{"\xC3\xA9", "1"}}},
	{"length shorter than the text", "lat=12345", 6, PASSES(1), {{"lat", "12"}}},
	{"value of exactly the cap", LIT("v=" A512), PASSES(1), {{"v", A512}}},
	{"cap counts decoded bytes", LIT("v=" E512), PASSES(1), {{"v", U512}}},
	{"key of exactly the cap", LIT(A32 "=1"), PASSES(1), {{A32, "1"}}},
	{"exactly the pair cap", LIT(P32), PASSES(32), {{"k", "1"}}},
	{"pair cap and trailing &", LIT(P32_AMP), PASSES(32), {{"k", "1"}}},
	{"string of exactly the cap",
	 LIT(Q2048),
	 PASSES(4),
	 {{"a", A512}, {"b", A512}, {"c", A512}}},

	/* NUL bytes, escaped or raw. */
	{"%00 in a value", LIT("lat=%00"), FAILS(QUERY_STRING_NUL, "lat")},
	{"%00 inside a value", LIT("lat=4%001"), FAILS(QUERY_STRING_NUL, "lat")},
	/* A key that cannot be decoded is named by its raw text. */
	{"%00 in a key", LIT("a%00=1"), FAILS(QUERY_STRING_NUL, "a%00")},
	{"raw NUL in a value",
	 LIT("lat=4\0"
	     "1"),
	 FAILS(QUERY_STRING_NUL, "lat")},
	{"raw NUL ending a value", LIT("lat=1\0"), FAILS(QUERY_STRING_NUL, "lat")},
	{"raw NUL in a key",
	 LIT("la\0"
	     "t=1"),
	 FAILS(QUERY_STRING_NUL, "la")},
	{"raw NUL after a good pair", LIT("a=1&\0"), FAILS(QUERY_STRING_NUL, "")},

	/* Bad escapes. */
	{"lone %", LIT("a=%"), FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"% and one digit", LIT("a=%4"), FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"% and non-hex", LIT("a=%zz"), FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"% and one non-hex", LIT("a=%4g"), FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"%%", LIT("a=%%"), FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"%%41", LIT("a=%%41"), FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"% then raw NUL",
	 LIT("a=%\0"
	     "0"),
	 FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"escape cut by the length", "a=%41", 4, FAILS(QUERY_STRING_BAD_ESCAPE, "a")},
	{"bad escape in a key", LIT("l%zzt=1"), FAILS(QUERY_STRING_BAD_ESCAPE, "l%zzt")},

	/* Invalid UTF-8; bad_key names the (decoded) key. */
	{"%C3%28", LIT("q=%C3%28"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"%FF", LIT("lat=%FF"), FAILS(QUERY_STRING_BAD_UTF8, "lat")},
	{"%FF under an escaped key", LIT("l%61t=%FF"), FAILS(QUERY_STRING_BAD_UTF8, "lat")},
	{"raw 0xFF", LIT("q=\xFF"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"lone continuation byte", LIT("q=%80"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"overlong %C0%AF", LIT("q=%C0%AF"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"overlong %C1%BF", LIT("q=%C1%BF"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"overlong %E0%80%AF", LIT("q=%E0%80%AF"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"overlong %F0%80%80%AF", LIT("q=%F0%80%80%AF"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"surrogate %ED%A0%80", LIT("q=%ED%A0%80"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"surrogate %ED%BF%BF", LIT("q=%ED%BF%BF"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"past U+10FFFF", LIT("q=%F4%90%80%80"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"lead byte F5", LIT("q=%F5%80%80%80"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"truncated 2 of 2", LIT("q=a%C3"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"truncated 2 of 3", LIT("q=%E2%82"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"truncated 3 of 4", LIT("q=%F0%9F%98"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"truncated before the next pair", LIT("q=%C3&r=%A9"), FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"utf-8 cut by the length", "q=\xC3\xA9", 3, FAILS(QUERY_STRING_BAD_UTF8, "q")},
	{"invalid utf-8 key", LIT("%FF=1"), FAILS(QUERY_STRING_BAD_UTF8, "")},
	{"invalid utf-8 after ascii in a key", LIT("ab%FF=1"), FAILS(QUERY_STRING_BAD_UTF8, "ab")},

	/* Caps. */
	{"value one over the cap", LIT("v=" A512 "a"), FAILS(QUERY_STRING_VALUE_TOO_LONG, "v")},
	{"decoded value one over the cap", LIT("v=" E512 "%41"),
	 FAILS(QUERY_STRING_VALUE_TOO_LONG, "v")},
	{"key one over the cap", LIT(A32 "a=1"), FAILS(QUERY_STRING_KEY_TOO_LONG, A32)},
	{"bare key over the cap", LIT(A32 "a"), FAILS(QUERY_STRING_KEY_TOO_LONG, A32)},
	/* No pair is at fault: bad_key is empty, not the last good key. */
	{"one pair over the cap", LIT(P32 "&k=1"), FAILS(QUERY_STRING_TOO_MANY, "")},
	{"string one over the cap", LIT(Q2048 "a"), FAILS(QUERY_STRING_TOO_LONG, "")},
	{"string far over the cap", LIT(Q2048 Q2048), FAILS(QUERY_STRING_TOO_LONG, "")},

	/* Empty keys. */
	{"=1", LIT("=1"), FAILS(QUERY_STRING_EMPTY_KEY, "")},
	{"lone =", LIT("="), FAILS(QUERY_STRING_EMPTY_KEY, "")},
	{"lone &", LIT("&"), FAILS(QUERY_STRING_EMPTY_KEY, "")},
	{"leading &", LIT("&a=1"), FAILS(QUERY_STRING_EMPTY_KEY, "")},
	{"&& between pairs", LIT("a=1&&b=2"), FAILS(QUERY_STRING_EMPTY_KEY, "")},
	{"&& at the end", LIT("a=1&&"), FAILS(QUERY_STRING_EMPTY_KEY, "")},
	{"empty key after a pair", LIT("a=1&=2"), FAILS(QUERY_STRING_EMPTY_KEY, "")},
};

/* Whether the pair holds want (a key or value of len bytes, NUL-terminated). */
static int same_text(const char *got, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(got, want, len) == 0 && got[len] == '\0';
}

static int check_pairs(const struct parse_case *c, const struct query_string *qs)
{
	if (qs->count != c->count) {
		print_error("%s: %zu pairs, want %zu\n", c->name, qs->count, c->count);
		return 0;
	}
	for (size_t i = 0; i < 4 && i < c->count && c->pairs[i].key != NULL; i++) {
		const struct query_pair *p = &qs->pairs[i];

		if (!same_text(p->key, p->key_len, c->pairs[i].key) ||
		    !same_text(p->value, p->value_len, c->pairs[i].value)) {
			print_error("%s: pair %zu is \"%.*s\"=\"%.*s\", want \"%s\"=\"%s\"\n",
				    c->name, i, (int)p->key_len, p->key, (int)p->value_len,
				    p->value, c->pairs[i].key, c->pairs[i].value);
			return 0;
		}
	}
	return 1;
}

static int check_failure(const struct parse_case *c, const char *bad_key)
{
	if (memchr(bad_key, '\0', QUERY_KEY_MAX_LEN + 1) == NULL) {
		print_error("%s: bad_key is not terminated\n", c->name);
		return 0;
	}
	if (c->bad_key != NULL && strcmp(bad_key, c->bad_key) != 0) {
		print_error("%s: bad_key \"%s\", want \"%s\"\n", c->name, bad_key, c->bad_key);
		return 0;
	}
	return 1;
}

static int run_parse_case(const struct parse_case *c)
{
	char *input = malloc(c->len > 0 ? c->len : 1);
	char bad_key[QUERY_KEY_MAX_LEN + 1];
	struct query_string qs;
	enum query_string_status st;
	int ok;

	assert_non_null(input);
	memcpy(input, c->input, c->len);
	memset(bad_key, 'x', sizeof(bad_key));
	st = query_string_parse(input, c->len, &qs, bad_key);
	if (st != c->status) {
		print_error("%s: \"%s\", want \"%s\"\n", c->name, query_string_strerror(st),
			    query_string_strerror(c->status));
		ok = 0;
	} else {
		ok = st == QUERY_STRING_OK ? check_pairs(c, &qs) : check_failure(c, bad_key);
	}
	query_string_free(&qs);
	if (qs.buf != NULL || qs.count != 0) {
		print_error("%s: query_string_free left buf or count set\n", c->name);
		ok = 0;
	}
	free(input);
	return ok;
}

static void test_query_string_parse(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++)
		failed += !run_parse_case(&parse_cases[i]);
	assert_int_equal(failed, 0);
}

/* The parser works on a caller's struct that may hold garbage. */
static void test_query_string_parse_dirty_struct(void **state)
{
	struct query_string qs;
	char bad_key[QUERY_KEY_MAX_LEN + 1];

	(void)state;
	memset(&qs, 0xA5, sizeof(qs));
	assert_int_equal(query_string_parse("a=1", 3, &qs, bad_key), QUERY_STRING_OK);
	assert_int_equal(qs.count, 1);
	query_string_free(&qs);

	memset(&qs, 0xA5, sizeof(qs));
	assert_int_equal(query_string_parse(LIT(Q2048 "a"), &qs, bad_key), QUERY_STRING_TOO_LONG);
	query_string_free(&qs); /* must not free the garbage pointer */

	/* bad_key is optional. */
	assert_int_equal(query_string_parse(LIT("a=%FF"), &qs, NULL), QUERY_STRING_BAD_UTF8);
	query_string_free(&qs);
}

struct utf8_case {
	const char *name;
	const char *bytes;
	size_t len;
	int valid;
};

static const struct utf8_case utf8_cases[] = {
	{"empty", LIT(""), 1},
	{"ascii", LIT("hello"), 1},
	{"NUL is valid utf-8", LIT("\0"), 1},
	{"U+0080", LIT("\xC2\x80"), 1},
	{"U+07FF", LIT("\xDF\xBF"), 1},
	{"U+0800", LIT("\xE0\xA0\x80"), 1},
	{"U+D7FF", LIT("\xED\x9F\xBF"), 1},
	{"U+E000", LIT("\xEE\x80\x80"), 1},
	{"U+FFFF", LIT("\xEF\xBF\xBF"), 1},
	{"U+10000", LIT("\xF0\x90\x80\x80"), 1},
	{"U+10FFFF", LIT("\xF4\x8F\xBF\xBF"), 1},
	{"emoji", LIT("\xF0\x9F\x98\x80"), 1},
	{"lone continuation", LIT("\x80"), 0},
	{"C0 overlong", LIT("\xC0\xAF"), 0},
	{"C1 overlong", LIT("\xC1\xBF"), 0},
	{"3-byte overlong", LIT("\xE0\x80\xAF"), 0},
	{"3-byte overlong U+07FF", LIT("\xE0\x9F\xBF"), 0},
	{"4-byte overlong", LIT("\xF0\x80\x80\xAF"), 0},
	{"4-byte overlong U+FFFF", LIT("\xF0\x8F\xBF\xBF"), 0},
	{"high surrogate", LIT("\xED\xA0\x80"), 0},
	{"low surrogate", LIT("\xED\xBF\xBF"), 0},
	{"U+110000", LIT("\xF4\x90\x80\x80"), 0},
	{"F5 lead", LIT("\xF5\x80\x80\x80"), 0},
	{"F8 lead", LIT("\xF8\x88\x80\x80\x80"), 0},
	{"FF", LIT("\xFF"), 0},
	{"FE", LIT("\xFE"), 0},
	{"second byte not continuation", LIT("\xC3\x28"), 0},
	{"third byte not continuation", LIT("\xE2\x82\x28"), 0},
	{"truncated 1 of 2", LIT("a\xC3"), 0},
	{"truncated 2 of 3", LIT("\xE2\x82"), 0},
	{"truncated 3 of 4", LIT("\xF0\x9F\x98"), 0},
	{"cut by the length", "\xC3\xA9", 1, 0},
	{"valid then invalid", LIT("\xC3\xA9\xFF"), 0},
};

static void test_utf8_valid(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		unsigned char *bytes = malloc(c->len > 0 ? c->len : 1);
		int got;

		assert_non_null(bytes);
		memcpy(bytes, c->bytes, c->len);
		got = utf8_valid((const char *)bytes, c->len);
		if (got != c->valid) {
			print_error("%s: valid %d, want %d\n", c->name, got, c->valid);
			failed++;
		}
		free(bytes);
	}
	assert_int_equal(failed, 0);
}

/* Every status has its own sentence; anything else is "unknown error". */
static void test_query_string_strerror(void **state)
{
	(void)state;
	for (int i = 0; i < QUERY_STRING__MAX; i++) {
		const char *msg = query_string_strerror((enum query_string_status)i);

		assert_non_null(msg);
		assert_true(msg[0] != '\0');
		assert_string_not_equal(msg, "unknown error");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(msg,
						query_string_strerror((enum query_string_status)j));
	}
	assert_string_equal(query_string_strerror(QUERY_STRING_NUL), "NUL bytes are not allowed");
	assert_string_equal(query_string_strerror(QUERY_STRING__MAX), "unknown error");
	assert_string_equal(
		query_string_strerror((enum query_string_status)(QUERY_STRING__MAX + 7)),
		"unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_string_parse),
		cmocka_unit_test(test_query_string_parse_dirty_struct),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_query_string_strerror),
	};

	return cmocka_run_group_tests_name("query_string", tests, NULL, NULL);
}
