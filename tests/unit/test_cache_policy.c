/*
 * Unit tests for fcgi/src/cache_policy.c: which requests are placeless (an
 * answer shared caches may keep), whether a request gives now=, and the
 * seconds left in a minute. The query strings go through query_string_parse
 * first, as in the handler, so keys arrive decoded: an encoded lat is a lat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "cache_policy.h"

struct placeless_case {
	const char *query;
	int placeless;
	int has_now;
};

static const struct placeless_case placeless_cases[] = {
	{"", 1, 0},
	{"limit=25&attendance=online,hybrid&tz=America/Chicago", 1, 0},
	{"attendance=online%2Chybrid&tz=America%2FChicago", 1, 0},
	{"q=springf", 1, 0},
	{"category=peer-support&open_now=true&now=2026-11-27T19:00", 1, 1},
	{"day=today&time=evening&starts_within=60&in_progress=true&sort=next", 1, 0},
	{"fellowship=aa&type=O&for=family&moud=true&lang=es&offset=25", 1, 0},
	{"population=women&cost=free", 1, 0},
	{"scope=national&limit=25", 1, 0},
	{"narr_level=2,3&gender=women,all&beds_available=true&housing_moud=true", 1, 0},
	{"scope=national&near=Chicago", 0, 0},
	/* Anything that may say where the searcher is. */
	{"lat=41.88&lng=-87.63", 0, 0},
	{"attendance=online&lat=41.88", 0, 0},
	{"lng=-87.63", 0, 0},
	{"near=Chicago", 0, 0},
	{"near=60601&now=2026-11-27T19:00", 0, 1},
	{"radius_km=10", 0, 0},
	{"%6Cat=41.88&%6Cng=-87.63", 0, 0},
	{"ne%61r=Chicago", 0, 0},
	/* Unknown, misspelt or differently cased keys are not on the list. */
	{"LAT=41.88", 0, 0},
	{"limit=25&zip=60601", 0, 0},
	{"limitx=1", 0, 0},
	{"limi=1", 0, 0},
	{"now_=1", 0, 0},
	{"NOW=2026-11-27T19:00", 0, 0},
};

static void test_placeless(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(placeless_cases) / sizeof(placeless_cases[0]); i++) {
		const struct placeless_case *c = &placeless_cases[i];
		struct query_string qs;

		assert_int_equal(query_string_parse(c->query, strlen(c->query), &qs, NULL),
				 QUERY_STRING_OK);
		if (cache_policy_placeless(&qs) != c->placeless ||
		    cache_policy_has(&qs, "now") != c->has_now) {
			print_error("\"%s\": placeless %d, now %d; want %d, %d\n", c->query,
				    cache_policy_placeless(&qs), cache_policy_has(&qs, "now"),
				    c->placeless, c->has_now);
			fail();
		}
		query_string_free(&qs);
	}
}

static void test_minute_left(void **state)
{
	static const struct {
		time_t now;
		int left;
	} cases[] = {
		{0, 60},          {1, 59},          {59, 1}, {60, 60},  {1767225599, 1},
		{1767225600, 60}, {1767225630, 30}, {-1, 1}, {-60, 60}, {-59, 59},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(cache_policy_minute_left(cases[i].now), cases[i].left);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeless),
		cmocka_unit_test(test_minute_left),
	};

	return cmocka_run_group_tests_name("cache_policy", tests, NULL, NULL);
}
