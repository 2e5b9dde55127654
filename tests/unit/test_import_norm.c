/*
 * Unit tests for fcgi/src/import_norm.c: how every kind of value real feeds
 * carry is normalised. Each function has a table of cases, the hostile ones
 * (NUL bytes, invalid UTF-8, markup floods, out-of-range numbers) in it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_norm.h"
#include "utf8.h"

/* A literal and its length, so that an input may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

static int failed_case(const char *what, const char *name, const char *got, const char *want)
{
	print_error("%s %s: got \"%s\", want \"%s\"\n", what, name, got ? got : "(null)",
		    want ? want : "(null)");
	return 1;
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

struct time_case {
	const char *input;
	int want;
};

static const struct time_case time_cases[] = {
	{"19:30", 1170},
	{"7:30", 450},
	{"07:30", 450},
	{"00:00", 0},
	{"23:59", 1439},
	{"24:00", 0},
	{"19:30:00", 1170},
	{"19:30:59", 1170},
	{"  19:30  ", 1170},
	{"7:30 PM", 1170},
	{"7:30pm", 1170},
	{"7:30 p.m.", 1170},
	{"7 pm", 1140},
	{"7PM", 1140},
	{"8:00 PM", 1200},
	{"11:00 AM", 660},
	{"12:00 AM", 0},
	{"12:30 am", 30},
	{"12 PM", 720},
	{"12:15 pm", 735},
	{"7.30pm", 1170},
	{"noon", 720},
	{"Noon", 720},
	{"midnight", 0},
	{"MIDNIGHT", 0},
	/* Not times of day. */
	{"25:99", -1},
	{"24:30", -1},
	{"24:01", -1},
	{"19:60", -1},
	{"19:3", -1},
	{"1930", -1},
	{"19", -1},
	{"", -1},
	{"   ", -1},
	{"tbd", -1},
	{"TBA", -1},
	{"13:00 PM", -1},
	{"0:30 AM", -1},
	{"19:30 PM", -1},
	{"7:30 XM", -1},
	{"-1:00", -1},
	{"19:30:00:00", -1},
	{"19h30", -1},
	{"7:30 PM tomorrow", -1},
	{"１９:３０", -1},
	{"19:30\xff", 1170},
	{"0x13:00", -1},
};

static void test_norm_time(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		int got = import_norm_time(time_cases[i].input);

		if (got != time_cases[i].want) {
			print_error("time \"%s\": %d, want %d\n", time_cases[i].input, got,
				    time_cases[i].want);
			failed++;
		}
	}
	assert_int_equal(import_norm_time(NULL), -1);
	assert_int_equal(failed, 0);
}

static const struct time_case day_cases[] = {
	{"0", 0},
	{"6", 6},
	{" 3 ", 3},
	{"Sunday", 0},
	{"sunday", 0},
	{"SUNDAY", 0},
	{"Sun", 0},
	{"sun.", 0},
	{"Sundays", 0},
	{"Monday", 1},
	{"mon", 1},
	{"Tuesday", 2},
	{"tue", 2},
	{"tues", 2},
	{"Wednesday", 3},
	{"wed", 3},
	{"Thursday", 4},
	{"thu", 4},
	{"thur", 4},
	{"Thurs", 4},
	{"Friday", 5},
	{"fri", 5},
	{"Saturday", 6},
	{"sat", 6},
	{"Domingo", 0},
	{"dom", 0},
	{"lunes", 1},
	{"martes", 2},
	{"miércoles", 3},
	{"MIÉRCOLES", 3},
	{"miercoles", 3},
	{"jueves", 4},
	{"viernes", 5},
	{"sábado", 6},
	{"sabado", 6},
	{"Lundi", 1},
	{"samedi", 6},
	{"dimanche", 0},
	/* Not days. */
	{"7", -1},
	{"-1", -1},
	{"01", -1},
	{"1.0", -1},
	{"", -1},
	{"  ", -1},
	{"Funday", -1},
	{"s", -1},
	{"su", -1},
	{"t", -1},
	{"Sundayy", -1},
	{"Monday Tuesday", -1},
	{"mon,tue", -1},
	{"Sun\xff"
	 "day",
	 0},
	{"\xc3", -1},
	{"Mon\x01", 1},
};

static void test_norm_day(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(day_cases) / sizeof(day_cases[0]); i++) {
		int got = import_norm_day(day_cases[i].input);

		if (got != day_cases[i].want) {
			print_error("day \"%s\": %d, want %d\n", day_cases[i].input, got,
				    day_cases[i].want);
			failed++;
		}
	}
	assert_int_equal(import_norm_day(NULL), -1);
	assert_int_equal(failed, 0);
}

struct text_case {
	const char *name;
	const char *input;
	size_t len;
	size_t max;
	int one_line;
	const char *want;
	int truncated;
};

static const struct text_case text_cases[] = {
	{"plain", LIT("Big Book study"), 100, 0, "Big Book study", 0},
	{"trimmed and collapsed", LIT("  a \t  b  "), 100, 0, "a b", 0},
	{"whitespace only", LIT(" \t\t\t            "), 100, 0, NULL, 0},
	{"empty", LIT(""), 100, 0, NULL, 0},
	{"br to a line break", LIT("a<br>b"), 100, 0, "a\nb", 0},
	{"br forms", LIT("a<BR/>b<br />c< br>d"), 100, 0, "a\nb\nc< br>d", 0},
	{"paragraphs", LIT("<p>one</p><p>two</p>"), 100, 0, "one\n\ntwo", 0},
	{"inline tags dropped", LIT("<b>bold</b> and <a href=\"x\">link</a>"), 100, 0,
	 "bold and link", 0},
	{"comment dropped", LIT("a<!-- note -->b"), 100, 0, "ab", 0},
	{"not a tag", LIT("1 < 2 and 3 > 2"), 100, 0, "1 < 2 and 3 > 2", 0},
	{"unclosed tag kept", LIT("a <b"), 100, 0, "a <b", 0},
	{"entities", LIT("Tom &amp; Jerry&#39;s &lt;b&gt; caf&eacute; &#x263A;"), 100, 0,
	 "Tom & Jerry's <b> café ☺", 0},
	{"escaped tag stays text", LIT("&lt;br&gt;"), 100, 0, "<br>", 0},
	{"nbsp is a space",
	 LIT("a&nbsp;&nbsp;b\xc2\xa0"
	     "c"),
	 100, 0, "a b c", 0},
	{"unknown entity kept", LIT("AT&T &bogus; &"), 100, 0, "AT&T &bogus; &", 0},
	{"bad code points dropped", LIT("a&#0;&#xD800;&#x110000;&#1;b"), 100, 0, "ab", 0},
	{"CRLF lines", LIT("a\r\nb\rc"), 100, 0, "a\nb\nc", 0},
	{"blank lines collapsed", LIT("a\n\n\n\n  \n\nb\n\n"), 100, 0, "a\n\nb", 0},
	{"lines trimmed", LIT("  a  \n   b  "), 100, 0, "a\nb", 0},
	{"one line", LIT("a<br>b\n\nc"), 100, 1, "a b c", 0},
	{"NUL dropped", LIT("a\0b"), 100, 0, "ab", 0},
	{"controls dropped",
	 LIT("a\x01\x1b[31mb\x7f"
	     "c"),
	 100, 0, "a[31mbc", 0},
	{"C1 controls dropped",
	 LIT("a\xc2\x85"
	     "b\xc2\x9b"
	     "c"),
	 100, 0, "a\nbc", 0},
	{"invalid UTF-8 dropped", LIT("caf\xe9 \xff\xfe ok"), 100, 0, "caf ok", 0},
	{"overlong dropped", LIT("a\xc0\xafz\xe0\x80\xaf"), 100, 0, "az", 0},
	{"surrogate dropped", LIT("a\xed\xa0\x80z"), 100, 0, "az", 0},
	{"truncated lead byte", LIT("ab\xe2\x82"), 100, 0, "ab", 0},
	{"zero-width and bidi dropped",
	 LIT("a\xe2\x80\x8b"
	     "b\xe2\x80\xae"
	     "c\xef\xbb\xbf"),
	 100, 0, "abc", 0},
	{"four-byte kept", LIT("\xf0\x9f\x98\x80"), 100, 0, "\xf0\x9f\x98\x80", 0},
	{"cut at max", LIT("abcdef"), 3, 0, "abc", 1},
	{"cut at a character", LIT("ééééé"), 2, 0, "éé", 1},
	{"cut then trimmed", LIT("ab cd"), 3, 0, "ab", 1},
	{"exactly max", LIT("abc"), 3, 0, "abc", 0},
	{"max zero", LIT("abc"), 0, 0, NULL, 1},
	{"tag with a newline inside", LIT("a<p\nclass=x>b"), 100, 0, "a\nb", 0},
	{"len shorter than text", "abcdef", 3, 100, 0, "abc", 0},
};

static void test_norm_text(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *c = &text_cases[i];
		char *input = malloc(c->len + 1);
		int cut = !c->truncated;
		char *got;

		assert_non_null(input);
		memcpy(input, c->input, c->len); /* no NUL after: len must be honoured */
		got = c->one_line ? import_norm_line(input, c->len, c->max, &cut)
				  : import_norm_text(input, c->len, c->max, &cut);
		if (!same(got, c->want))
			failed += failed_case("text", c->name, got, c->want);
		else if (cut != c->truncated)
			failed += failed_case("text", c->name, cut ? "cut" : "not cut",
					      c->truncated ? "cut" : "not cut");
		free(got);
		free(input);
	}
	assert_null(import_norm_text(NULL, 0, 10, NULL));
	assert_int_equal(failed, 0);
}

/* Markup floods must stay linear and leave the text intact. */
static void test_norm_text_floods(void **state)
{
	const char *units[] = {"<", "<a", "<!--", "&#", "&amp", "<br>", " \n", "\xff"};
	size_t n = 1 << 20;
	char *input = malloc(n);

	(void)state;
	assert_non_null(input);
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t len = strlen(units[u]);
		char *got;
		int cut;

		for (size_t i = 0; i < n; i++)
			input[i] = units[u][i % len];
		got = import_norm_text(input, n, 4000, &cut);
		assert_true(!got || import_norm_length(got) <= 4000);
		free(got);
	}
	free(input);
}

struct string_case {
	const char *input;
	const char *want;
};

static int run_string_cases(const char *what, char *(*fn)(const char *),
			    const struct string_case *cases, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		char *got = fn(cases[i].input);

		if (!same(got, cases[i].want))
			failed += failed_case(what, cases[i].input, got, cases[i].want);
		free(got);
	}
	return failed;
}

static char *slug_64(const char *s)
{
	return import_norm_slug(s, 64);
}

static const struct string_case slug_cases[] = {
	{"Women's Step Study", "womens-step-study"},
	{"Women’s Step Study", "womens-step-study"},
	{"6", "6"},
	{"  Big   Book  ", "big-book"},
	{"Ça va -- très bien!", "ca-va-tres-bien"},
	{"Straße Æsir Œuvre", "strasse-aesir-oeuvre"},
	{"Łódź", "lodz"},
	{"already-a-slug", "already-a-slug"},
	{"--x--", "x"},
	{"12 & 12", "12-12"},
	{"Tom &amp; Jerry", "tom-jerry"},
	{"<b>Bold</b> group", "bold-group"},
	{"日本語", NULL},
	{"!!!", NULL},
	{"", NULL},
	{"a\xff"
	 "b",
	 "ab"},
};

static void test_norm_slug(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(run_string_cases("slug", slug_64, slug_cases,
					  sizeof(slug_cases) / sizeof(slug_cases[0])),
			 0);
	assert_null(import_norm_slug(NULL, 64));
	/* Cut at the last hyphen before the limit, or at the limit. */
	s = import_norm_slug("abc def ghi", 9);
	assert_string_equal(s, "abc-def");
	free(s);
	s = import_norm_slug("abc def ghi", 7);
	assert_string_equal(s, "abc-def");
	free(s);
	s = import_norm_slug("abcdefghij", 4);
	assert_string_equal(s, "abcd");
	free(s);
	assert_null(import_norm_slug("abc", 0));
}

static const struct string_case phone_cases[] = {
	{"+19292056099,,1234567890#,,,,,##", "+19292056099,,1234567890#,,,,,##"},
	{"(555) 123-4567", "5551234567"},
	{"+1 555.123.4567", "+15551234567"},
	{"tel:+1-555-0100", "+15550100"},
	{"Phone: 555 0100", "5550100"},
	{"+17809098881,,7809098881#,,#,,TUh9bGoakdVV9FsbXAxUDNhUnNK#",
	 "+17809098881,,7809098881#,,#"},
	{"555-0100 ext 12", "5550100"},
	{"*67 555 0100", "*675550100"},
	{"555 0100,,", "5550100"},
	{"+1 555 0100 +1 555 0199", "+15550100"},
	/* One-tap numbers with their passcodes, whole: a + after a pause is a
	 * step of the call, not a second number. */
	{"+1 646 876 9923,,123456#", "+16468769923,,123456#"},
	{"+16468769923,,85012345678#,,,,*123456#", "+16468769923,,85012345678#,,,,*123456#"},
	{"+16468769923,,+85012345678#", "+16468769923,,+85012345678#"},
	{"+1 646 876 9923,,85012345678#,,,,+123456#", "+16468769923,,85012345678#,,,,+123456#"},
	{"+11", NULL},
	{"+99", NULL},
	{"12", NULL},
	{"", NULL},
	{"call us", NULL},
	{"#,,*", NULL},
	/* Over 64: the whole steps that fit. */
	{"+15550100000,,1234567890#,,,,,#123456#,,9999999999999999999999999999",
	 "+15550100000,,1234567890#,,,,,#123456#"},
	{"12345678901234567890123456789012345678901234567890123456789012345", NULL},
};

static const struct string_case url_cases[] = {
	{"https://zoom.us/j/96725109831?pwd=abc", "https://zoom.us/j/96725109831?pwd=abc"},
	{"http://edmontonaa.org/meeting-detail?Id=6", "http://edmontonaa.org/meeting-detail?Id=6"},
	{"zoom.us/j/1", "https://zoom.us/j/1"},
	{"www.example.org", "https://www.example.org"},
	{"//example.org/x", "https://example.org/x"},
	{"HTTPS://Example.ORG/A", "https://Example.ORG/A"},
	{"  https://example.org  ", "https://example.org"},
	{"https://example.org:8443/x", "https://example.org:8443/x"},
	{"https://example.org/a?b=1&amp;c=2", "https://example.org/a?b=1&c=2"},
	{"https://sub-domain.example.co.uk/#frag", "https://sub-domain.example.co.uk/#frag"},
	{"https://example.org/caf\xc3\xa9", "https://example.org/caf\xc3\xa9"},
	/* Not web links. */
	{"javascript:alert(1)", NULL},
	{"ftp://example.org", NULL},
	{"mailto:a@example.org", NULL},
	{"https://user:pw@example.org/", NULL},
	{"http://localhost/", NULL},
	{"https://192.168.1.1/", NULL},
	{"https://", NULL},
	{"https://example", NULL},
	{"https://example.org/a b", NULL},
	{"https://example.org/\"onmouseover=\"x", NULL},
	/* Markup goes before the check: a link inside an anchor is the link. */
	{"https://example.org/<script>", "https://example.org/"},
	{"<a href=\"https://x.org\">https://x.org</a>", "https://x.org"},
	{"https://example.org/<", NULL},
	{"https://example.org:0/", NULL},
	{"https://example.org:65536/", NULL},
	{"https://-bad.example.org/", NULL},
	{"Zoom: https://zoom.us/j/1", NULL},
	{"zoom", NULL},
	{"", NULL},
	{"https://exa\x01mple.org", "https://example.org"},
};

static char *venmo(const char *s)
{
	return import_norm_handle(HANDLE_VENMO, s);
}

static char *paypal(const char *s)
{
	return import_norm_handle(HANDLE_PAYPAL, s);
}

static char *cashtag(const char *s)
{
	return import_norm_handle(HANDLE_SQUARE, s);
}

/* Handles are kept as the group wrote them (trimmed), when they name one
 * account of their kind. */
static const struct string_case venmo_cases[] = {
	{"@AAGroup", "@AAGroup"},
	{" AA-Group_1 ", "AA-Group_1"},
	{"venmo.com/AAGroup", "venmo.com/AAGroup"},
	{"https://venmo.com/u/AAGroup", "https://venmo.com/u/AAGroup"},
	{"https://account.venmo.com/u/AAGroup/", "https://account.venmo.com/u/AAGroup/"},
	{"", NULL},
	{"@", NULL},
	{"ask the treasurer", NULL},
	{"https://example.org/AAGroup", NULL},
	{"@AA Group", NULL},
};

static const struct string_case paypal_cases[] = {
	{"AAGroup", "AAGroup"},
	{"paypal.me/AA.Group", "paypal.me/AA.Group"},
	{"https://www.paypal.me/AAGroup", "https://www.paypal.me/AAGroup"},
	{"https://www.paypal.com/paypalme/AAGroup", "https://www.paypal.com/paypalme/AAGroup"},
	{"Password: Surr419!", NULL},
	{"https://paypal.me/", NULL},
};

static const struct string_case cashtag_cases[] = {
	{"$AAGroup", "$AAGroup"},
	{"AAGroup", "AAGroup"},
	{"https://cash.app/$AAGroup", "https://cash.app/$AAGroup"},
	{"$$AAGroup", NULL},
	{"$ AAGroup", NULL},
};

static void test_norm_handle(void **state)
{
	char long_handle[120];

	(void)state;
	assert_int_equal(run_string_cases("venmo", venmo, venmo_cases,
					  sizeof(venmo_cases) / sizeof(venmo_cases[0])),
			 0);
	assert_int_equal(run_string_cases("paypal", paypal, paypal_cases,
					  sizeof(paypal_cases) / sizeof(paypal_cases[0])),
			 0);
	assert_int_equal(run_string_cases("cashtag", cashtag, cashtag_cases,
					  sizeof(cashtag_cases) / sizeof(cashtag_cases[0])),
			 0);
	assert_null(import_norm_handle(HANDLE_VENMO, NULL));
	/* A name of 64 characters is one; 65 is not. */
	memset(long_handle, 'a', 65);
	long_handle[65] = '\0';
	assert_null(import_norm_handle(HANDLE_VENMO, long_handle));
	long_handle[64] = '\0';
	{
		char *got = import_norm_handle(HANDLE_VENMO, long_handle);

		assert_non_null(got);
		assert_string_equal(got, long_handle);
		free(got);
	}
}

static void test_norm_phone_url(void **state)
{
	char *long_url = malloc(2100);

	(void)state;
	assert_int_equal(run_string_cases("phone", import_norm_phone, phone_cases,
					  sizeof(phone_cases) / sizeof(phone_cases[0])),
			 0);
	assert_int_equal(run_string_cases("url", import_norm_url, url_cases,
					  sizeof(url_cases) / sizeof(url_cases[0])),
			 0);
	assert_null(import_norm_phone(NULL));
	assert_null(import_norm_url(NULL));
	/* 2000 characters with the scheme pass, 2001 do not. */
	assert_non_null(long_url);
	memset(long_url, 'a', 2099);
	memcpy(long_url, "https://example.org/", 20);
	long_url[2000] = '\0';
	{
		char *got = import_norm_url(long_url);

		assert_non_null(got);
		assert_int_equal(strlen(got), 2000);
		free(got);
	}
	long_url[2000] = 'a';
	long_url[2001] = '\0';
	assert_null(import_norm_url(long_url));
	free(long_url);
}

static const struct string_case updated_cases[] = {
	{"2023-08-29 15:56:59", "2023-08-29 15:56:59"},
	{"2023-08-29T15:56:59Z", "2023-08-29 15:56:59"},
	{"2023-08-29T15:56:59.123Z", "2023-08-29 15:56:59"},
	{"2023-08-29T01:30:00+02:00", "2023-08-28 23:30:00"},
	{"2023-12-31T23:00:00-0500", "2024-01-01 04:00:00"},
	{"2023-08-29 15:56", "2023-08-29 15:56:00"},
	{"2023-08-29", "2023-08-29 00:00:00"},
	{"2024-02-29", "2024-02-29 00:00:00"},
	{"8/25/2022 11:17:07 AM", "2022-08-25 11:17:07"},
	{"8/25/2022 12:05:00 AM", "2022-08-25 00:05:00"},
	{"12/1/2022 1:02:03 PM", "2022-12-01 13:02:03"},
	{"8/25/2022", "2022-08-25 00:00:00"},
	{"8/25/2022 17:00", "2022-08-25 17:00:00"},
	/* Not dates. */
	{"2023-02-29", NULL},
	{"2023-02-30", NULL},
	{"2023-13-01", NULL},
	{"0000-00-00 00:00:00", NULL},
	{"1969-12-31", NULL},
	{"1970-01-01T00:00:00+01:00", NULL},
	{"2023-08-29 24:00:00", NULL},
	{"2023-08-29 23:60:00", NULL},
	{"8/25/2022 13:00:00 PM", NULL},
	{"25/8/2022", NULL},
	{"yesterday", NULL},
	{"", NULL},
	{"2023-08-29 15:56:59 and more", NULL},
};

static char *updated_text(const char *s)
{
	char out[20];

	return import_norm_updated(s, out) == 0 ? strdup(out) : NULL;
}

static char *timezone_text(const char *s)
{
	return import_norm_timezone(s);
}

static const struct string_case timezone_cases[] = {
	{"America/New_York", "America/New_York"},
	{" America/Argentina/Buenos_Aires ", "America/Argentina/Buenos_Aires"},
	{"UTC", "UTC"},
	{"Etc/GMT+5", "Etc/GMT+5"},
	{"America/New York", NULL},
	{"../etc/passwd", NULL},
	{"America//X", NULL},
	{"a/b/c/d", NULL},
	{"", NULL},
	{"'; DROP TABLE", NULL},
};

static void test_norm_updated_timezone(void **state)
{
	(void)state;
	assert_int_equal(run_string_cases("updated", updated_text, updated_cases,
					  sizeof(updated_cases) / sizeof(updated_cases[0])),
			 0);
	assert_int_equal(run_string_cases("timezone", timezone_text, timezone_cases,
					  sizeof(timezone_cases) / sizeof(timezone_cases[0])),
			 0);
}

struct number_case {
	const char *input;
	int rc;
	double want;
};

static const struct number_case number_cases[] = {
	{"41.8781", 0, 41.8781},
	{"-87.6298", 0, -87.6298},
	{"+1", 0, 1},
	{".5", 0, 0.5},
	{"1.", 0, 1},
	{" 2 ", 0, 2},
	{"-0", 0, 0},
	{"0", 0, 0},
	{"33.68501730000000000001", 0, 33.6850173},
	{"", -1, 0},
	{"abc", -1, 0},
	{"1e5", -1, 0},
	{"NaN", -1, 0},
	{"inf", -1, 0},
	{"0x10", -1, 0},
	{"1,5", -1, 0},
	{"--1", -1, 0},
	{"1 2", -1, 0},
	{".", -1, 0},
	{"12345678901234567", -1, 0},
};

static void test_norm_number(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++) {
		const struct number_case *c = &number_cases[i];
		double got = 4242;
		int rc = import_norm_number(c->input, &got);

		if (rc != c->rc || (rc == 0 && got != c->want) || (rc != 0 && got != 4242)) {
			print_error("number \"%s\": %d %.17g, want %d %.17g\n", c->input, rc, got,
				    c->rc, c->want);
			failed++;
		}
	}
	assert_int_equal(import_norm_number(NULL, &(double){0}), -1);
	assert_int_equal(failed, 0);
}

struct address_case {
	const char *input;
	const char *want; /* street|city|region|postal|country, "-" for NULL; NULL: -1 */
};

static const struct address_case address_cases[] = {
	{"3186 Pullman St, Costa Mesa, CA 92626, USA", "3186 Pullman St|Costa Mesa|CA|92626|USA"},
	{"123 Main St, Springfield, IL 62701", "123 Main St|Springfield|IL|62701|-"},
	{"Orange County, CA, USA", "-|Orange County|CA|-|USA"},
	{"8318 104 St, Edmonton, Alberta, T6E 4E8, Canada",
	 "8318 104 St|Edmonton|Alberta|T6E 4E8|Canada"},
	{"Edmonton, Alberta, T6X 1W5, Canada", "-|Edmonton|Alberta|T6X 1W5|Canada"},
	{"Edmonton, Alberta, Canada", "-|Edmonton|Alberta|-|Canada"},
	{"Edmonton, Alberta, Canada , Edmonton, Alberta, Canada", "-|Edmonton|Alberta|-|Canada"},
	{"Cuttyhunk Island, Gosnold, MA 02713, USA", "Cuttyhunk Island|Gosnold|MA|02713|USA"},
	{"Sagamore Beach, MA 02562, USA", "-|Sagamore Beach|MA|02562|USA"},
	{"Doheny State Beach, 25300 Dana Point Harbor Dr, Dana Point, CA 92629, USA",
	 "Doheny State Beach, 25300 Dana Point Harbor Dr|Dana Point|CA|92629|USA"},
	{"1 Main St, Springfield IL 62701-1234, United States",
	 "1 Main St|Springfield|IL|62701-1234|United States"},
	{"100 Queen St W, Toronto, ON M5H 2N2, Canada", "100 Queen St W|Toronto|ON|M5H 2N2|Canada"},
	{"1 Calle, Guadalajara, Jalisco, Mexico", "1 Calle|Guadalajara|Jalisco|-|Mexico"},
	{"5 Elm St, Albany, New York 12207, US", "5 Elm St|Albany|New York|12207|US"},
	{"Paris, France", "-|Paris|-|-|France"},
	{"  1 A St ,, Town ,  CA ,  USA  ", "1 A St|Town|CA|-|USA"},
	/* Cannot tell. */
	{"California, USA", NULL},
	{"USA", NULL},
	{"51st & Wornall, ", NULL},
	{"123 Main St, Springfield", NULL},
	{"", NULL},
	{",,,,", NULL},
	{"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q, CA, USA", NULL},
};

static void test_norm_split_address(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(address_cases) / sizeof(address_cases[0]); i++) {
		const struct address_case *c = &address_cases[i];
		char *street, *city, *region, *postal, *country, got[512];
		int rc = import_norm_split_address(c->input, &street, &city, &region, &postal,
						   &country);

		snprintf(got, sizeof(got), "%s|%s|%s|%s|%s", street ? street : "-",
			 city ? city : "-", region ? region : "-", postal ? postal : "-",
			 country ? country : "-");
		if (rc != (c->want ? 0 : -1) || (c->want != NULL && strcmp(got, c->want) != 0) ||
		    (c->want == NULL && strcmp(got, "-|-|-|-|-") != 0))
			failed += failed_case("address", c->input, got, c->want);
		free(street);
		free(city);
		free(region);
		free(postal);
		free(country);
	}
	assert_int_equal(failed, 0);
}

static void test_norm_length_utf8(void **state)
{
	(void)state;
	assert_int_equal(import_norm_length(""), 0);
	assert_int_equal(import_norm_length(NULL), 0);
	assert_int_equal(import_norm_length("abc"), 3);
	assert_int_equal(import_norm_length("é☺\xf0\x9f\x98\x80"), 3);
	assert_true(utf8_valid(LIT("café ☺")));
	assert_true(utf8_valid(LIT("")));
	assert_false(utf8_valid(LIT("caf\xe9")));
	assert_false(utf8_valid(LIT("\xc0\xaf")));
	assert_false(utf8_valid(LIT("\xed\xa0\x80")));
	assert_false(utf8_valid(LIT("\xf4\x90\x80\x80")));
	assert_true(utf8_valid(LIT("a\0b"))); /* NUL is UTF-8; callers drop it */
}

/* A second init does nothing; after free, functions fail closed. */
static void test_norm_lifecycle(void **state)
{
	(void)state;
	assert_int_equal(import_norm_init(), 0);
	import_norm_free();
	assert_int_equal(import_norm_time("19:30"), -1);
	assert_null(import_norm_url("https://example.org"));
	assert_int_equal(import_norm_init(), 0);
	assert_int_equal(import_norm_time("19:30"), 1170);
}

static int setup(void **state)
{
	(void)state;
	return import_norm_init();
}

static int teardown(void **state)
{
	(void)state;
	import_norm_free();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_norm_time),
		cmocka_unit_test(test_norm_day),
		cmocka_unit_test(test_norm_text),
		cmocka_unit_test(test_norm_text_floods),
		cmocka_unit_test(test_norm_slug),
		cmocka_unit_test(test_norm_phone_url),
		cmocka_unit_test(test_norm_handle),
		cmocka_unit_test(test_norm_updated_timezone),
		cmocka_unit_test(test_norm_number),
		cmocka_unit_test(test_norm_split_address),
		cmocka_unit_test(test_norm_length_utf8),
		cmocka_unit_test(test_norm_lifecycle),
	};

	return cmocka_run_group_tests_name("import_norm", tests, setup, teardown);
}
