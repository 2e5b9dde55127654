/*
 * Unit tests for fcgi/src/import_settle.c: each case is a Meeting Guide feed
 * (read by import_mg.c), settled as import_db.c settles each chunk, and
 * written out one line per row: its key and slug, whether its place is
 * approximate, whether it is closed, its attendance or why it cannot be
 * attended; then the warnings the settling gave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "import_norm.h"

#define BASE "\"name\":\"A\",\"day\":1,\"time\":\"19:00\""
#define STREET "\"address\":\"1 Main St\",\"city\":\"Springfield\",\"state\":\"IL\""
#define CITY "\"city\":\"Springfield\",\"state\":\"IL\""
#define ZOOM "\"conference_url\":\"https://zoom.us/j/1\""

struct settle_case {
	const char *name;
	const char *feed;
	const char *want;
};

static void append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

static void describe(struct import_meeting *m, char *buf, size_t cap)
{
	static const char *const approx[] = {"", " approximate=no", " approximate"};
	const char *why = NULL;
	const char *how = import_settle_attendance(m, &why);

	append(buf, cap, "%s[%s] slug=%s%s%s %s", buf[0] ? "\n" : "", m->key, m->slug,
	       approx[m->approximate], m->closed ? " closed" : "", how ? how : why);
}

/* Parses and settles the feed; the description in got. */
static void settle_feed(const char *feed, char *got, size_t cap)
{
	struct import_batch batch = {0};
	struct import_options options = {0};
	struct import_keys taken = {0};
	size_t read_warnings;

	got[0] = '\0';
	assert_int_equal(import_mg_parse(feed, strlen(feed), &options, &batch), 0);
	read_warnings = batch.nwarnings;
	import_settle_keys(&batch, &taken);
	for (size_t i = 0; i < batch.count; i++)
		describe(&batch.meetings[i], got, cap);
	for (size_t i = read_warnings; i < batch.nwarnings; i++)
		append(got, cap, "\nwarn #%d: %s", batch.warnings[i].row,
		       batch.warnings[i].message);
	import_settle_keys_free(&taken);
	import_batch_free(&batch);
}

static int run_cases(const struct settle_case *cases, size_t n)
{
	static char got[16384];
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		settle_feed(cases[i].feed, got, sizeof(got));
		if (strcmp(got, cases[i].want) != 0) {
			print_error("%s:\n  got  \"%s\"\n  want \"%s\"\n", cases[i].name, got,
				    cases[i].want);
			failed++;
		}
	}
	return failed;
}

#define LONG_100 \
	"a_23456789b_23456789c_23456789d_23456789e_23456789" \
	"f_23456789g_23456789h_23456789i_23456789j_23456789"
#define LONG_248 LONG_100 LONG_100 "k_23456789l_23456789m_23456789n_23456789o_234567"
#define LONG_250 LONG_248 "89"

/* Slugs are kept as written; the finder's own slug beside them is what
 * earlier imports made the key (a-b for A_B), unique in the feed. */
static const struct settle_case key_cases[] = {
	{"a slug", "[{" BASE ",\"slug\":\"a\"," STREET "}]", "[a] slug=a in_person"},
	{"underscores and capitals kept", "[{" BASE ",\"slug\":\"Big_Book\"," STREET "}]",
	 "[Big_Book] slug=big-book in_person"},
	{"a slug of 100 characters kept whole", "[{" BASE ",\"slug\":\"" LONG_100 "\"," STREET "}]",
	 "[" LONG_100 "] slug=a-23456789b-23456789c-23456789d-23456789e-23456789f-23456-ebba76 "
	 "in_person"},
	{"a slug of 250 characters kept whole", "[{" BASE ",\"slug\":\"" LONG_250 "\"," STREET "}]",
	 "[" LONG_250 "] slug=a-23456789b-23456789c-23456789d-23456789e-23456789f-23456-ebba76 "
	 "in_person"},
	{"longer than 255: cut, told apart by the digest, said",
	 "[{" BASE ",\"slug\":\"" LONG_250 "xxxxxxx\"," STREET "}]",
	 "[" LONG_248
	 "-ebba76] slug=a-23456789b-23456789c-23456789d-23456789e-23456789f-23456-ebba76 "
	 "in_person\n"
	 "warn #1: slug is 257 characters long, more than 255; kept as \"" LONG_248 "-ebba76\""},
	{"two slugs with one slug form",
	 "[{" BASE ",\"slug\":\"A_B\"," STREET "},{\"name\":\"B\",\"day\":2,\"time\":\"9:00\","
	 "\"slug\":\"a-b\"," STREET "}]",
	 "[A_B] slug=a-b in_person\n[a-b] slug=a-b-176b27 in_person"},
	{"a repeated slug",
	 "[{" BASE ",\"slug\":\"A_B\"," STREET "},{\"name\":\"B\",\"day\":2,\"time\":\"9:00\","
	 "\"slug\":\"A_B\"," STREET "}]",
	 "[A_B] slug=a-b in_person\n[A_B-176b27] slug=a-b-176b27 in_person\n"
	 "warn #2: slug \"A_B\" is used by an earlier row; this one is kept under a slug of its "
	 "own"},
	{"a control character", "[{" BASE ",\"slug\":\"a\\tb\"," STREET "}]",
	 "[a-ebba76] slug=a-ebba76 in_person\n"
	 "warn #1: slug holds a control character; the meeting gets a slug of its own"},
	{"no slug", "[{" BASE "," STREET "}]", "[a-ebba76] slug=a-ebba76 in_person"},
	{"several days",
	 "[{\"name\":\"A\",\"day\":[1,4],\"time\":\"19:00\",\"slug\":\"Noon_Group\"," STREET "}]",
	 "[Noon_Group-mon] slug=noon-group-mon in_person\n"
	 "[Noon_Group-thu] slug=noon-group-thu in_person"},
};

/* approximate: what the feed said, else yes for a place with no street
 * and no point; the attendance follows (a link at a place that is only
 * near is online, not hybrid). TC without a link or a phone: kept,
 * closed. */
static const struct settle_case place_cases[] = {
	{"a street, not said", "[{" BASE ",\"slug\":\"a\"," STREET "}]", "[a] slug=a in_person"},
	{"a street and a link: hybrid", "[{" BASE ",\"slug\":\"a\"," STREET "," ZOOM "}]",
	 "[a] slug=a hybrid"},
	{"a city only: approximate", "[{" BASE ",\"slug\":\"a\"," CITY "}]",
	 "[a] slug=a approximate in_person"},
	{"a city only and a link: online, not hybrid",
	 "[{" BASE ",\"slug\":\"a\"," CITY "," ZOOM ",\"types\":[\"ONL\"]}]",
	 "[a] slug=a approximate online"},
	{"a city only said hybrid: online",
	 "[{" BASE ",\"slug\":\"a\"," CITY "," ZOOM ",\"attendance_option\":\"hybrid\"}]",
	 "[a] slug=a approximate online"},
	{"a city only said not approximate",
	 "[{" BASE ",\"slug\":\"a\"," CITY ",\"approximate\":\"no\"," ZOOM "}]",
	 "[a] slug=a approximate=no hybrid"},
	{"a point of its own, not said",
	 "[{" BASE ",\"slug\":\"a\"," CITY ",\"latitude\":39.8,\"longitude\":-89.6}]",
	 "[a] slug=a in_person"},
	{"a street said approximate, with a link",
	 "[{" BASE ",\"slug\":\"a\"," STREET ",\"approximate\":\"yes\"," ZOOM "}]",
	 "[a] slug=a approximate online"},
	{"no place, a link", "[{" BASE ",\"slug\":\"a\"," ZOOM "}]", "[a] slug=a online"},
	{"TC without a link: closed",
	 "[{" BASE ",\"slug\":\"a\"," STREET ",\"types\":[\"O\",\"TC\"]}]",
	 "[a] slug=a closed in_person"},
	{"tc in lower case, said inactive: closed",
	 "[{" BASE ",\"slug\":\"a\"," STREET
	 ",\"types\":\"tc\",\"attendance_option\":\"inactive\"}]",
	 "[a] slug=a closed in_person"},
	{"TC with a link: online",
	 "[{" BASE ",\"slug\":\"a\"," STREET ",\"types\":[\"TC\",\"ONL\"]," ZOOM "}]",
	 "[a] slug=a online"},
	{"TC with a phone, said hybrid: online",
	 "[{" BASE ",\"slug\":\"a\"," STREET ",\"types\":[\"TC\"],"
	 "\"conference_phone\":\"+16468769923,,85012345678#\",\"attendance_option\":\"hybrid\"}]",
	 "[a] slug=a online"},
	{"TC and nowhere", "[{" BASE ",\"slug\":\"a\",\"types\":[\"TC\"]}]",
	 "[a] slug=a its location is temporarily closed (TC) and it has no address, online link "
	 "or phone"},
	{"inactive without TC",
	 "[{" BASE ",\"slug\":\"a\"," STREET ",\"attendance_option\":\"inactive\"}]",
	 "[a] slug=a the feed marks it inactive"},
	{"nowhere", "[{" BASE ",\"slug\":\"a\"}]",
	 "[a] slug=a it has no address, no online link and no phone: nowhere to go"},
};

static void test_settle_keys(void **state)
{
	(void)state;
	assert_int_equal(run_cases(key_cases, sizeof(key_cases) / sizeof(key_cases[0])), 0);
}

static void test_settle_place(void **state)
{
	(void)state;
	assert_int_equal(run_cases(place_cases, sizeof(place_cases) / sizeof(place_cases[0])), 0);
}

/* Keys stay unique across the chunks a large feed is settled in. */
static void test_settle_chunks(void **state)
{
	struct import_keys taken = {0};
	const char *feed = "[{" BASE ",\"slug\":\"A_B\"," STREET "}]";
	char *slugs[2];

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct import_batch batch = {0};
		struct import_options options = {0};

		assert_int_equal(import_mg_parse(feed, strlen(feed), &options, &batch), 0);
		import_settle_keys(&batch, &taken);
		slugs[i] = strdup(batch.meetings[0].slug);
		assert_int_equal(batch.nwarnings, (size_t)i);
		import_batch_free(&batch);
	}
	assert_string_equal(slugs[0], "a-b");
	assert_string_equal(slugs[1], "a-b-ebba76");
	free(slugs[0]);
	free(slugs[1]);
	import_settle_keys_free(&taken);
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
		cmocka_unit_test(test_settle_keys),
		cmocka_unit_test(test_settle_place),
		cmocka_unit_test(test_settle_chunks),
	};

	return cmocka_run_group_tests_name("import_settle", tests, setup, teardown);
}
