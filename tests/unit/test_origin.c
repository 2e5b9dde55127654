/*
 * Unit tests for fcgi/src/origin.c: the origin the Meeting Guide feed links
 * meetings to, made from a request (the handler) or parsed from PUBLIC_URL
 * (`finder feeds`). The two must agree for the same host, so both are
 * tables over the same hosts, the hostile ones included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "origin.h"

struct make_case {
	const char *scheme, *host, *port;
	const char *want; /* NULL: refused */
};

static const struct make_case make_cases[] = {
	{"http", "127.0.0.1:8080", "8080", "http://127.0.0.1:8080"},
	{"http", "127.0.0.1", "8080", "http://127.0.0.1:8080"},
	{"http", "example.org", "80", "http://example.org"},
	{"https", "example.org", "443", "https://example.org"},
	{"https", "example.org", "80", "https://example.org:80"},
	{"http", "example.org:80", "80", "http://example.org:80"}, /* as the client sent it */
	{"http", "Example.ORG", NULL, "http://Example.ORG"},
	{"http", "[::1]:8080", "8080", "http://[::1]:8080"},
	{"http", "[::1]", "9000", "http://[::1]:9000"},
	{"http", "example.org", "", "http://example.org"},
	{"http", "example.org", "80a", "http://example.org"}, /* a bad port is left out */
	{"http", "example.org", "123456", "http://example.org"},
	/* Refused: nothing that could leave the URL or the JSON string. */
	{"ftp", "example.org", "21", NULL},
	{NULL, "example.org", "80", NULL},
	{"http", "", "80", NULL},
	{"http", "exa mple.org", "80", NULL},
	{"http", "example.org/x", "80", NULL},
	{"http", "a\"b", "80", NULL},
	{"http", "user@example.org", "80", NULL},
	{"http", "example.org:", "80", NULL},
	{"http", "example.org:123456", "80", NULL},
	{"http", "example.org:8o", "80", NULL},
	{"http", "[]", "80", NULL},
	{"http", "[::1", "80", NULL},
	{"http", "[::g]", "80", NULL},
	{"http", "[::1]x", "80", NULL},
};

static void test_origin_make(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(make_cases) / sizeof(make_cases[0]); i++) {
		const struct make_case *c = &make_cases[i];
		char out[ORIGIN_MAX];
		int rc = origin_make(c->scheme, c->host, strlen(c->host), c->port, out,
				     sizeof(out));

		if (c->want == NULL) {
			if (rc != -1)
				fail_msg("case %zu (%s): accepted as %s", i, c->host, out);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu (%s): refused", i, c->host);
		assert_string_equal(out, c->want);
	}
}

static void test_origin_host_limits(void **state)
{
	char host[300];
	char out[ORIGIN_MAX];
	size_t port_at;

	(void)state;
	memset(host, 'a', sizeof(host));
	assert_true(origin_host_ok(host, 255, &port_at));
	assert_int_equal(port_at, 255);
	assert_false(origin_host_ok(host, 256, &port_at));
	assert_true(origin_host_ok("a:1", 3, &port_at));
	assert_int_equal(port_at, 1);
	/* A NUL inside the given length is not a host character. */
	assert_false(origin_host_ok("ab\0c", 4, &port_at));
	/* Too long to fit: refused, never cut. */
	assert_int_equal(origin_make("http", host, 255, NULL, out, 20), -1);
}

struct parse_case {
	const char *url;
	const char *want; /* NULL: refused */
};

static const struct parse_case parse_cases[] = {
	{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
	{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
	{"https://finder.example.org", "https://finder.example.org"},
	{"https://finder.example.org:443", "https://finder.example.org"},
	{"http://finder.example.org:80/", "http://finder.example.org"},
	{"https://finder.example.org:8443", "https://finder.example.org:8443"},
	{"http://[::1]:18090", "http://[::1]:18090"},
	{"http://localhost", "http://localhost"},
	{"", NULL},
	{"finder.example.org", NULL},
	{"http://", NULL},
	{"http:///", NULL},
	{"ftp://finder.example.org", NULL},
	{"HTTP://finder.example.org", NULL},
	{"http://finder.example.org/path", NULL},
	{"http://finder.example.org//", NULL},
	{"http://finder.example.org?x=1", NULL},
	{"http://user@finder.example.org", NULL},
	{"http://finder.example.org:", NULL},
	{"http://finder.example.org:99999x", NULL},
	{"http://finder example.org", NULL},
	{"http://finder.example.org\n", NULL},
	{"http://finder.example.org\"", NULL},
};

static void test_origin_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		char out[ORIGIN_MAX];
		int rc = origin_parse(c->url, strlen(c->url), out, sizeof(out));

		if (c->want == NULL) {
			if (rc != -1)
				fail_msg("case %zu (%s): accepted as %s", i, c->url, out);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu (%s): refused", i, c->url);
		assert_string_equal(out, c->want);
	}
}

/* The configured origin and a request to that host and port give the same
 * links. */
static void test_origin_parse_agrees_with_make(void **state)
{
	char parsed[ORIGIN_MAX], made[ORIGIN_MAX];

	(void)state;
	assert_int_equal(origin_parse("http://127.0.0.1:18090", 22, parsed, sizeof(parsed)), 0);
	assert_int_equal(origin_make("http", "127.0.0.1:18090", 15, "18090", made, sizeof(made)),
			 0);
	assert_string_equal(parsed, made);
	assert_int_equal(origin_parse("https://finder.example.org", 26, parsed, sizeof(parsed)), 0);
	assert_int_equal(origin_make("https", "finder.example.org", 18, "443", made, sizeof(made)),
			 0);
	assert_string_equal(parsed, made);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin_make),
		cmocka_unit_test(test_origin_host_limits),
		cmocka_unit_test(test_origin_parse),
		cmocka_unit_test(test_origin_parse_agrees_with_make),
	};

	return cmocka_run_group_tests_name("origin", tests, NULL, NULL);
}
