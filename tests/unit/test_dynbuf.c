/*
 * Unit tests for fcgi/src/dynbuf.c: the cap is exact (max bytes fit, one
 * more fails), a failure is sticky and frees the text, reset clears it,
 * and appendf formats as printf does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dynbuf.h"

static void test_appends(void **state)
{
	struct dynbuf b;

	(void)state;
	dynbuf_init(&b, 100);
	assert_int_equal(dynbuf_appends(&b, "ab"), 0);
	assert_int_equal(dynbuf_append(&b, "cdef", 2), 0);
	assert_int_equal(dynbuf_appendf(&b, "-%d-%s", 42, "x"), 0);
	assert_string_equal(b.data, "abcd-42-x");
	assert_int_equal(b.len, 9);
	dynbuf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

/* Exactly max bytes fit; the byte after fails, frees the text, and every
 * later append fails too. */
static void test_cap_exact(void **state)
{
	struct dynbuf b;
	char big[1000];

	(void)state;
	memset(big, 'x', sizeof big);
	dynbuf_init(&b, 1000);
	assert_int_equal(dynbuf_append(&b, big, 999), 0);
	assert_int_equal(dynbuf_append(&b, "y", 1), 0);
	assert_int_equal(b.len, 1000);
	assert_true(b.cap <= 1001);
	assert_int_equal(dynbuf_append(&b, "z", 1), -1);
	assert_int_equal(b.error, E2BIG);
	assert_null(b.data);
	assert_int_equal(dynbuf_appends(&b, ""), -1);
	assert_int_equal(dynbuf_appendf(&b, "%s", "a"), -1);
	assert_null(dynbuf_take(&b));
	dynbuf_free(&b);
}

/* A formatted append is checked against the cap before it is written. */
static void test_cap_appendf(void **state)
{
	struct dynbuf b;

	(void)state;
	dynbuf_init(&b, 8);
	assert_int_equal(dynbuf_appendf(&b, "%05d", 123), 0);
	assert_int_equal(dynbuf_appendf(&b, "%d", 1234), -1);
	assert_int_equal(b.error, E2BIG);
	dynbuf_reset(&b);
	assert_int_equal(b.error, 0);
	assert_int_equal(dynbuf_appendf(&b, "%08d", 1), 0);
	assert_string_equal(b.data, "00000001");
	dynbuf_free(&b);
}

/* A length that would overflow len + n is past any cap. */
static void test_cap_overflow(void **state)
{
	struct dynbuf b;

	(void)state;
	dynbuf_init(&b, SIZE_MAX);
	assert_int_equal(dynbuf_appends(&b, "abc"), 0);
	assert_int_equal(dynbuf_append(&b, "x", SIZE_MAX - 1), -1);
	assert_int_equal(b.error, E2BIG);
	dynbuf_free(&b);
}

/* reset keeps the memory; take hands the text over. */
static void test_reset_take(void **state)
{
	struct dynbuf b;
	char *text;

	(void)state;
	dynbuf_init(&b, 64);
	assert_int_equal(dynbuf_appends(&b, "first"), 0);
	dynbuf_reset(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(dynbuf_appends(&b, "second"), 0);
	text = dynbuf_take(&b);
	assert_string_equal(text, "second");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(text);
	assert_null(dynbuf_take(&b));
}

/* An empty append makes the text "" (not NULL) within the cap. */
static void test_empty(void **state)
{
	struct dynbuf b;

	(void)state;
	dynbuf_init(&b, 1);
	assert_int_equal(dynbuf_append(&b, "", 0), 0);
	assert_string_equal(b.data, "");
	assert_int_equal(dynbuf_append(&b, "ab", 2), -1);
	dynbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appends),     cmocka_unit_test(test_cap_exact),
		cmocka_unit_test(test_cap_appendf), cmocka_unit_test(test_cap_overflow),
		cmocka_unit_test(test_reset_take),  cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
