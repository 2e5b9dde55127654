/*
 * Unit tests for fcgi/src/feedback.c: the body of POST /api/v1/feedback,
 * parsed and checked. Every behaviour is a row in a table, the hostile
 * inputs included; an error names the key at fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"
#include "patterns.h"

/* A literal and its length, so that an input may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

#define UUID "0b7e5c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"

struct parse_case {
	const char *body;
	size_t len;
	int status;        /* 0: accepted */
	const char *param; /* the key an error names ("" for none) */
};

static const struct parse_case parse_cases[] = {
	{LIT("{\"kind\":\"meeting\",\"id\":12,\"message\":\"Moved to room 4\"}"), 0, ""},
	{LIT("{\"kind\":\"service\",\"id\":\"" UUID
	     "\",\"message\":\"x\",\"contact\":\"a@b.org\"}"),
	 0, ""},
	{LIT(" {\"kind\":\"meeting\",\"id\":1,\"message\":\"line\\nline\\tcol\"}\n"), 0, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":null}"), 0, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"caf\\u00e9 \xc3\xa9\"}"), 0, ""},
	/* Not one JSON object. */
	{LIT(""), 400, ""},
	{LIT("[]"), 400, ""},
	{LIT("\"text\""), 400, ""},
	{LIT("{\"kind\":\"meeting\""), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\"} {}"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\xff\"}"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\"}\0"), 400, ""},
	{LIT("{'kind':'meeting'}"), 400, ""},
	/* Unknown keys, named. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"ip\":\"1.2.3.4\"}"), 400, "ip"},
	{LIT("{\"Kind\":\"meeting\",\"id\":1,\"message\":\"x\"}"), 400, "Kind"},
	/* kind */
	{LIT("{\"id\":1,\"message\":\"x\"}"), 400, "kind"},
	{LIT("{\"kind\":\"group\",\"id\":1,\"message\":\"x\"}"), 400, "kind"},
	{LIT("{\"kind\":\"meeting\\u0000\",\"id\":1,\"message\":\"x\"}"), 400, "kind"},
	{LIT("{\"kind\":1,\"id\":1,\"message\":\"x\"}"), 400, "kind"},
	/* id */
	{LIT("{\"kind\":\"meeting\",\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"meeting\",\"id\":0,\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"meeting\",\"id\":-3,\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"meeting\",\"id\":1.5,\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"meeting\",\"id\":\"12\",\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"meeting\",\"id\":null,\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"service\",\"id\":12,\"message\":\"x\"}"), 400, "id"},
	{LIT("{\"kind\":\"service\",\"id\":\"0B7E5C1A-2F3D-4E5F-8A9B-0C1D2E3F4A5B\",\"message\":\"x\"}"),
	 400, "id"},
	{LIT("{\"kind\":\"service\",\"id\":\"" UUID "x\",\"message\":\"x\"}"), 400, "id"},
	/* message */
	{LIT("{\"kind\":\"meeting\",\"id\":1}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":null}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":7}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\u0000b\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\rb\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\u001bb\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\u0085b\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\u007fb\"}"), 400, "message"},
	/* contact */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":\"a\\nb\"}"), 400,
	 "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":\"a\\tb\"}"), 400,
	 "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":[]}"), 400, "contact"},
	/* Strict JSON, what json-c would let pass. Escapes, pairs and raw UTF-8
	 * are fine. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\nb \\\"q\\\" \\\\ \\/ \\t\"}"), 0,
	 ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"smile \\ud83d\\ude00\"}"), 0, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\uD83D\\uDE00 \xf0\x9f\x98\x80 \xe6\x97\xa5\"}"),
	 0, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\\"}{,\\\"kind\\\":\"}"), 0, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\uffff \\ue000 \\ud7ff\"}"), 0, ""},
	/* Duplicate keys, named, however they are spelled. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"message\":\"y\"}"), 400,
	 "message"},
	{LIT("{\"kind\":\"service\",\"kind\":\"meeting\",\"id\":1,\"message\":\"x\"}"), 400,
	 "kind"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"id\":2}"), 400, "id"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"\\u006bind\":\"meeting\"}"), 400,
	 "kind"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":null,\"contact\":null}"),
	 400, "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"ip\":1,\"ip\":2}"), 400, "ip"},
	/* ... but a key in a nested value is no key of the report's. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":{\"kind\":1}}"), 400,
	 "contact"},
	/* Raw control characters in a string, named by the key they are under. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\nb\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\tb\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\0b\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\x1f\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":\"a\rb\"}"), 400,
	 "contact"},
	{LIT("{\"kind\":\"meet\x01ing\",\"id\":1,\"message\":\"x\"}"), 400, "kind"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":[\"\x02\"]}"), 400,
	 "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"con\ntact\":\"y\"}"), 400, ""},
	/* Lone surrogates, named. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\ud800\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"a\\uDBFFb\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\udc00\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\ude00\\ud83d\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\ud83d\\u0041\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\ud83d\\ud83d\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\ud83d\\n\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\ud83d\\ude0\"}"), 400, "message"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":\"\\ud800\"}"), 400,
	 "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"\\ud800\":\"y\"}"), 400, ""},
	/* A surrogate in raw UTF-8 (ED A0 80), which json-c takes, is not UTF-8. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\xed\xa0\x80\"}"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"\xed\xa0\x80\":1}"), 400, ""},
	/* Broken escapes and strings are not JSON. */
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\x41\"}"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\u12\"}"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"\\u12g4\"}"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\\"), 400, ""},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x"), 400, ""},
};

static void test_feedback_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct feedback *fb = malloc(sizeof(*fb));
		struct api_error err = {0};
		int rc;

		assert_non_null(fb);
		rc = feedback_parse(c->body, c->len, fb, &err);
		if (c->status == 0 ? rc != 0
				   : rc == 0 || err.status != c->status ||
					     strcmp(err.param, c->param) != 0)
			fail_msg("case %zu (%s): rc %d, status %d, param \"%s\": %s", i, c->body,
				 rc, err.status, err.param, err.message);
		free(fb);
	}
}

/* What an accepted body becomes. */
static void test_feedback_values(void **state)
{
	static const char body[] = "{\"message\":\"Wrong \\\"room\\\"\",\"contact\":\"\","
				   "\"id\":9223372036854775807,\"kind\":\"meeting\"}";
	struct feedback *fb = malloc(sizeof(*fb));
	struct api_error err = {0};

	(void)state;
	assert_non_null(fb);
	assert_int_equal(feedback_parse(body, sizeof(body) - 1, fb, &err), 0);
	assert_int_equal(fb->kind, FEEDBACK_MEETING);
	assert_string_equal(feedback_kind_name(fb->kind), "meeting");
	assert_string_equal(fb->id, "9223372036854775807");
	assert_string_equal(fb->message, "Wrong \"room\"");
	assert_string_equal(fb->contact, "");
	free(fb);
}

/* The limits, at and just past each. */
static void test_feedback_limits(void **state)
{
	static const char head[] = "{\"kind\":\"meeting\",\"id\":1,\"message\":\"";
	char *body = malloc(FEEDBACK_BODY_MAX * 2);
	struct feedback *fb = malloc(sizeof(*fb));
	struct api_error err = {0};
	size_t n;

	(void)state;
	assert_non_null(body);
	assert_non_null(fb);
	/* 2,000 characters of two bytes each fit in 4 KiB; one more does not
	 * pass as a message. */
	for (int chars = FEEDBACK_MESSAGE_MAX; chars <= FEEDBACK_MESSAGE_MAX + 1; chars++) {
		n = (size_t)snprintf(body, FEEDBACK_BODY_MAX * 2, "%s", head);
		for (int i = 0; i < chars; i++)
			n += (size_t)snprintf(body + n, FEEDBACK_BODY_MAX * 2 - n, "\xc3\xa9");
		n += (size_t)snprintf(body + n, FEEDBACK_BODY_MAX * 2 - n, "\"}");
		assert_int_equal(feedback_parse(body, n, fb, &err),
				 chars == FEEDBACK_MESSAGE_MAX ? 0 : -1);
		if (chars > FEEDBACK_MESSAGE_MAX)
			assert_string_equal(err.param, "message");
	}
	/* A body over the cap is 413 before it is parsed. */
	memset(body, ' ', FEEDBACK_BODY_MAX + 1);
	assert_int_equal(feedback_parse(body, FEEDBACK_BODY_MAX + 1, fb, &err), -1);
	assert_int_equal(err.status, 413);
	/* contact: 200 characters, not 201. */
	for (int chars = FEEDBACK_CONTACT_MAX; chars <= FEEDBACK_CONTACT_MAX + 1; chars++) {
		n = (size_t)snprintf(body, FEEDBACK_BODY_MAX * 2, "%s",
				     "{\"kind\":\"meeting\",\"id\":1,"
				     "\"message\":\"x\",\"contact\":\"");
		memset(body + n, 'c', (size_t)chars);
		n += (size_t)chars;
		n += (size_t)snprintf(body + n, FEEDBACK_BODY_MAX * 2 - n, "\"}");
		assert_int_equal(feedback_parse(body, n, fb, &err),
				 chars == FEEDBACK_CONTACT_MAX ? 0 : -1);
	}
	free(body);
	free(fb);
}

static void test_feedback_text_length(void **state)
{
	(void)state;
	assert_int_equal(feedback_text_length(LIT("caf\xc3\xa9"), 0), 4);
	assert_int_equal(feedback_text_length(LIT("a\nb\tc"), 1), 5);
	assert_int_equal(feedback_text_length(LIT("a\nb"), 0), -1);
	assert_int_equal(feedback_text_length(LIT("a\rb"), 1), -1);
	assert_int_equal(feedback_text_length(LIT("a\0b"), 1), -1);
	assert_int_equal(feedback_text_length(LIT("\xc2\x85"), 1), -1);
	assert_int_equal(feedback_text_length(LIT("\xc2\xa0"), 1), 1);
	assert_int_equal(feedback_text_length(LIT("\xc3"), 1), -1);
	assert_int_equal(feedback_text_length(LIT("\xed\xa0\x80"), 1), -1);
	assert_int_equal(feedback_text_length(LIT(""), 1), 0);
}

/* A long key is named cut at a character's edge, never inside one. */
static void test_feedback_key_names(void **state)
{
	static const char body[] = "{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\","
				   "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9\":1}";
	static const char dup[] = "{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\","
				  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9\":1,"
				  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\u00e9\xc3\xa9\":2}";
	struct feedback *fb = malloc(sizeof(*fb));
	struct api_error err = {0};

	(void)state;
	assert_non_null(fb);
	assert_int_equal(feedback_parse(body, sizeof(body) - 1, fb, &err), -1);
	assert_string_equal(err.code, "unknown_parameter");
	assert_string_equal(err.param, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9");
	assert_int_equal(feedback_parse(dup, sizeof(dup) - 1, fb, &err), -1);
	assert_string_equal(err.code, "duplicate_parameter");
	assert_string_equal(err.param, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9");
	free(fb);
}

/* What escapes decode to, the pair included. */
static void test_feedback_escapes(void **state)
{
	static const char body[] = "{\"kind\":\"meeting\",\"id\":1,"
				   "\"message\":\"\\ud83d\\ude00 caf\xc3\xa9\\n\\\"q\\\"\"}";
	struct feedback *fb = malloc(sizeof(*fb));
	struct api_error err = {0};

	(void)state;
	assert_non_null(fb);
	assert_int_equal(feedback_parse(body, sizeof(body) - 1, fb, &err), 0);
	assert_string_equal(fb->message, "\xf0\x9f\x98\x80 caf\xc3\xa9\n\"q\"");
	free(fb);
}

struct ctype_case {
	const char *content_type;
	int ok;
	const char *named; /* a charset the message must name, or NULL */
};

static void test_feedback_content_type(void **state)
{
	static const struct ctype_case cases[] = {
		{"application/json", 1, NULL},
		{"Application/JSON", 1, NULL},
		{"application/json; charset=utf-8", 1, NULL},
		{"application/json;charset=UTF-8", 1, NULL},
		{"application/json; charset=\"utf-8\"", 1, NULL},
		{"application/json ; Charset=Utf-8 ; foo=bar", 1, NULL},
		{"application/json;", 1, NULL},
		{"application/json; charset=latin1", 0, "latin1"},
		{"application/json; charset=\"ISO-8859-1\"", 0, "ISO-8859-1"},
		{"application/json; charset=utf-16", 0, "utf-16"},
		{"application/json; charset=utf8", 0, "utf8"},
		{"application/json; charset=", 0, NULL},
		{"application/json; foo=1; charset=us-ascii", 0, "us-ascii"},
		{"application/json; charset=utf-8; charset=latin1", 0, "latin1"},
		{"application/json; charset=\"utf-8", 0, NULL},
		{NULL, 0, NULL},
		{"", 0, NULL},
		{"text/plain", 0, NULL},
		{"application/jsonp", 0, NULL},
		{"application/json x", 0, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct api_error err = {0};
		int rc = feedback_content_type(cases[i].content_type, &err);

		if (cases[i].ok ? rc != 0
				: rc == 0 || err.status != 415 ||
					  (cases[i].named != NULL &&
					   strstr(err.message, cases[i].named) == NULL))
			fail_msg("case %zu (%s): rc %d, status %d: %s", i,
				 cases[i].content_type ? cases[i].content_type : "(none)", rc,
				 err.status, err.message);
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
		cmocka_unit_test(test_feedback_parse),
		cmocka_unit_test(test_feedback_values),
		cmocka_unit_test(test_feedback_limits),
		cmocka_unit_test(test_feedback_text_length),
		cmocka_unit_test(test_feedback_key_names),
		cmocka_unit_test(test_feedback_escapes),
		cmocka_unit_test(test_feedback_content_type),
	};

	return cmocka_run_group_tests_name("feedback", tests, setup, teardown);
}
