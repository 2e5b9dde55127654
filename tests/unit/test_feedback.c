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
	{LIT("{\"kind\":\"service\",\"id\":\"" UUID "\",\"message\":\"x\",\"contact\":\"a@b.org\"}"), 0, ""},
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
	{LIT("{\"kind\":\"service\",\"id\":\"0B7E5C1A-2F3D-4E5F-8A9B-0C1D2E3F4A5B\",\"message\":\"x\"}"), 400, "id"},
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
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":\"a\\nb\"}"), 400, "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":\"a\\tb\"}"), 400, "contact"},
	{LIT("{\"kind\":\"meeting\",\"id\":1,\"message\":\"x\",\"contact\":[]}"), 400, "contact"},
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
		if (c->status == 0 ? rc != 0 : rc == 0 || err.status != c->status ||
						      strcmp(err.param, c->param) != 0)
			fail_msg("case %zu (%s): rc %d, status %d, param \"%s\": %s", i, c->body, rc,
				 err.status, err.param, err.message);
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
		n = (size_t)snprintf(body, FEEDBACK_BODY_MAX * 2, "%s", "{\"kind\":\"meeting\",\"id\":1,"
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
	};

	return cmocka_run_group_tests_name("feedback", tests, setup, teardown);
}
