/*
 * Unit tests for fcgi/src/import_hsds.c: the normalising functions (tables
 * with the hostile cases in them), then whole inputs, HSDS 3.0 JSON in its
 * shapes (services, organizations with their services, service_at_locations,
 * locations, Pages and lists of them, the tabular package as JSON), the 3.0
 * CSV package and the Ohana form, read into staged records whose documents
 * are checked field by field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "import_hsds.h"
#include "import_norm.h"

#define LIT(s) s, sizeof(s) - 1

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* ---- Normalising ------------------------------------------------------ */

static const struct {
	const char *input, *want;
} language_cases[] = {
	{"es", "es"},
	{"Spanish", "es"},
	{"spa", "es"},
	{"SPANISH", "es"},
	{" español ", "es"},
	{"eng", "en"},
	{"English", "en"},
	{"ur", "ur"},
	{"Urdu", "ur"},
	{"urd", "ur"},
	{"Chinese (Cantonese)", "zh"},
	{"Chinese (Mandarin)", "zh"},
	{"Cantonese", "zh"},
	{"Taiwanese", "zh"},
	{"Tagalog", "tl"},
	{"fil", "tl"},
	{"Farsi", "fa"},
	{"per", "fa"},
	{"fre", "fr"},
	{"en-US", "en"},
	{"pt_BR", "pt"},
	{"Haitian Creole", "ht"},
	/* Not known. */
	{"Klingon", NULL},
	{"", NULL},
	{"   ", NULL},
	{"e", NULL},
	{"xx", NULL},
	{"(Cantonese)", NULL},
	{"-", NULL},
	{"english!", NULL},
	{"hmn", NULL},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL},
};

static void test_language_code(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(language_cases) / sizeof(*language_cases); i++) {
		const char *got = import_hsds_language_code(language_cases[i].input);

		if (!same(got, language_cases[i].want)) {
			print_error("language \"%s\": got %s, want %s\n", language_cases[i].input,
				    got ? got : "(null)",
				    language_cases[i].want ? language_cases[i].want : "(null)");
			failed++;
		}
	}
	assert_null(import_hsds_language_code(NULL));
	assert_int_equal(failed, 0);
}

static const struct {
	const char *input, *want; /* want NULL: -1 */
} byday_cases[] = {
	{"TH,FR", "TH,FR"},
	{"mo", "MO"},
	{"Monday", "MO"},
	{"Monday, tue", "MO,TU"},
	{"2MO", "2MO"},
	{"-1fr", "-1FR"},
	{" SU , SA ", "SU,SA"},
	{"domingo", "SU"},
	/* Not days. */
	{"", NULL},
	{",", NULL},
	{"MO,", NULL},
	{"XX", NULL},
	{"6MO", NULL},
	{"--1FR", NULL},
	{"2Monday", NULL},
	{"MO TU", NULL},
	{"MOO", NULL},
	{"-MO", NULL},
	{"TH,\xff", NULL},
	{"1", NULL},
};

static void test_byday(void **state)
{
	char out[64];
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(byday_cases) / sizeof(*byday_cases); i++) {
		int rc = import_hsds_byday(byday_cases[i].input, out, sizeof(out));
		const char *got = rc == 0 ? out : NULL;

		if (!same(got, byday_cases[i].want) || (rc != 0 && out[0] != '\0')) {
			print_error("byday \"%s\": got %s, want %s\n", byday_cases[i].input,
				    got ? got : "(-1)",
				    byday_cases[i].want ? byday_cases[i].want : "(-1)");
			failed++;
		}
	}
	/* Too long for the buffer: -1, never a cut list. */
	assert_int_equal(import_hsds_byday("MO,TU,WE", out, 6), -1);
	assert_string_equal(out, "");
	assert_int_equal(failed, 0);
}

/* HSDS 1.x weekdays: ISO numbers (1 Monday ... 7 Sunday; 0 Sunday too, as
 * the Sunday-first numbering agrees on 1-6), names, lists of both. */
static const struct {
	const char *input, *want; /* want NULL: -1 */
} weekday_cases[] = {
	{"1", "MO"},
	{"2", "TU"},
	{"3", "WE"},
	{"4", "TH"},
	{"5", "FR"},
	{"6", "SA"},
	{"7", "SU"},
	{"0", "SU"},
	{" 3 ", "WE"},
	{"1,3,5", "MO,WE,FR"},
	{"Mon, 5", "MO,FR"},
	{"Monday", "MO"},
	{"tue", "TU"},
	{"SU", "SU"},
	/* Not days. */
	{"8", NULL},
	{"-1", NULL},
	{"12", NULL},
	{"", NULL},
	{"1,", NULL},
	{",1", NULL},
	{"1.0", NULL},
	{"one", NULL},
	{"\xff", NULL},
};

static void test_weekday(void **state)
{
	char out[64];
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(weekday_cases) / sizeof(*weekday_cases); i++) {
		int rc = import_hsds_weekday(weekday_cases[i].input, out, sizeof(out));
		const char *got = rc == 0 ? out : NULL;

		if (!same(got, weekday_cases[i].want) || (rc != 0 && out[0] != '\0')) {
			print_error("weekday \"%s\": got %s, want %s\n", weekday_cases[i].input,
				    got ? got : "(-1)",
				    weekday_cases[i].want ? weekday_cases[i].want : "(-1)");
			failed++;
		}
	}
	assert_int_equal(import_hsds_weekday(NULL, out, sizeof(out)), -1);
	assert_int_equal(import_hsds_weekday("1,2,3", out, 6), -1);
	assert_string_equal(out, "");
	assert_int_equal(failed, 0);
}

/* Times as HSDS 1.x writes them: with a UTC offset, a "Z", a date. */
static const struct {
	const char *input;
	int want;
	const char *offset;
} clock_cases[] = {
	{"09:00", 540, ""},
	{"9am", 540, ""},
	{"4:00 PM", 960, ""},
	{"17:30:00", 1050, ""},
	{"09:00-05:00", 540, "-05:00"},
	{"17:30:00+01:00", 1050, "+01:00"},
	{"09:00Z", 540, ""},
	{"2000-01-01T09:00:00.000Z", 540, ""},
	{"2000-01-01 18:00", 1080, ""},
	{"2013-11-05T13:15:30Z", 795, ""},
	/* Not times. */
	{"noonish", -1, ""},
	{"25:00", -1, ""},
	{"-05:00", -1, ""},
	{"Z", -1, ""},
	{"2000-01-01T", -1, ""},
	{"09:00-5:00", -1, ""},
	{"", -1, ""},
	{"0000000000000000000000000000000000000000000009:00", -1, ""},
};

static void test_clock(void **state)
{
	char offset[7];
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(clock_cases) / sizeof(*clock_cases); i++) {
		int got = import_hsds_clock(clock_cases[i].input, offset);

		if (got != clock_cases[i].want ||
		    (got >= 0 && strcmp(offset, clock_cases[i].offset) != 0)) {
			print_error("clock \"%s\": got %d \"%s\", want %d \"%s\"\n",
				    clock_cases[i].input, got, offset, clock_cases[i].want,
				    clock_cases[i].offset);
			failed++;
		}
	}
	assert_int_equal(import_hsds_clock(NULL, offset), -1);
	assert_int_equal(failed, 0);
}

static void test_date_and_iso3166(void **state)
{
	char date[11], country[3], region[4];

	(void)state;
	assert_int_equal(import_hsds_date("2005-01-01", date), 0);
	assert_string_equal(date, "2005-01-01");
	assert_int_equal(import_hsds_date("12/24/2015", date), 0);
	assert_string_equal(date, "2015-12-24");
	assert_int_equal(import_hsds_date("2023-02-30", date), -1);
	assert_int_equal(import_hsds_date("January 01, 0001", date), -1);
	assert_int_equal(import_hsds_date("", date), -1);
	assert_int_equal(import_hsds_date(NULL, date), -1);

	assert_int_equal(import_hsds_iso3166("US-MO", country, region), 0);
	assert_string_equal(country, "US");
	assert_string_equal(region, "MO");
	assert_int_equal(import_hsds_iso3166("ca-on", country, region), 0);
	assert_string_equal(country, "CA");
	assert_string_equal(region, "ON");
	assert_int_equal(import_hsds_iso3166("us", country, region), 0);
	assert_string_equal(region, "");
	assert_int_equal(import_hsds_iso3166("USA", country, region), -1);
	assert_int_equal(import_hsds_iso3166("US-", country, region), -1);
	assert_int_equal(import_hsds_iso3166("US-ABCD", country, region), -1);
	assert_int_equal(import_hsds_iso3166("U1", country, region), -1);
	assert_int_equal(import_hsds_iso3166("US-M O", country, region), -1);
	assert_int_equal(import_hsds_iso3166("", country, region), -1);
}

/* ---- Whole inputs -------------------------------------------------------- */

static const struct hsds_record *find(const struct hsds_batch *b, enum hsds_kind kind,
				      const char *key)
{
	for (size_t i = 0; i < b->count; i++)
		if (b->records[i].kind == kind && strcmp(b->records[i].key, key) == 0)
			return &b->records[i];
	return NULL;
}

/* The string at a path of object keys and array indexes ("phones/0/number")
 * in a record's document; NULL when there is nothing there. */
static const char *at(const struct hsds_record *r, const char *path)
{
	json_object *o = r ? r->doc : NULL;
	char buf[200], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *part = strtok_r(buf, "/", &save); o != NULL && part != NULL;
	     part = strtok_r(NULL, "/", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)strtoul(part, NULL, 10));
		else if (!json_object_object_get_ex(o, part, &o))
			o = NULL;
	}
	return o ? json_object_get_string(o) : NULL;
}

static int warned(const struct hsds_batch *b, const char *phrase)
{
	for (size_t i = 0; i < b->issues.nwarnings; i++)
		if (strstr(b->issues.warnings[i].message, phrase) != NULL)
			return 1;
	return 0;
}

static const char full_service[] =
	"{\"id\": \"AC148810-d857-441c-9679-408f346de14b\", \"name\": \" Community  Counselling\","
	" \"status\": \"Active\", \"minimum_age\": 12, \"assured_date\": \"2005-01-01\","
	" \"last_modified\": \"2023-03-15T10:30:45.123Z\", \"moud\": \"yes\","
	" \"organization\": {\"id\": \"org-9\", \"name\": \"Example Org\"},"
	" \"phones\": [{\"id\": \"1554f2e2-a373-45db-a3fa-9fc48a61c15e\","
	"   \"number\": \"\\\"+44 1234 234567\\\"\", \"extension\": 100},"
	"   {\"number\": \"  \"}],"
	" \"schedules\": [{\"freq\": \"WEEKLY\", \"byday\": \"TH,FR\", \"opens_at\": \"10:00:00\","
	"   \"closes_at\": \"6pm\", \"timezone\": 3, \"tz\": \"+03:00\"},"
	"   {\"byday\": \"Friday\", \"opens_at\": \"22:00\", \"closes_at\": \"2am\"},"
	"   {\"byday\": \"XX\", \"opens_at\": \"noonish\", \"freq\": \"DAILY\"}],"
	" \"languages\": [{\"name\": \"Urdu\", \"code\": \"urd\"}, {\"name\": \"Spanish\"},"
	"   {\"name\": \"Klingon\"}, {\"code\": \"tlh\"}],"
	" \"cost_options\": [{\"option\": \"Under 18s\", \"currency\": \"gbp\", \"amount\": 35,"
	"   \"valid_from\": \"2020-01-01\"}],"
	" \"service_areas\": [{\"name\": \"MO\", \"extent_type\": \"iso3166-2\", \"extent\": \"US-MO\"},"
	"   {\"name\": \"poly\", \"extent_type\": \"geojson\", \"extent\": \"{\\\"type\\\": "
	"\\\"Polygon\\\", \\\"coordinates\\\": [[[0,0],[1,0],[1,1],[0,0]]]}\"},"
	"   {\"name\": \"x\", \"extent_type\": \"geojson\", \"extent\": \"extent\"}],"
	" \"recovery_housing\": {\"narr_level\": \"III\", \"beds\": -2, \"gender_served\": \"men\"},"
	" \"attributes\": [{\"taxonomy_term\": {\"code\": \"peer-support\","
	"   \"taxonomy_detail\": {\"name\": \"recovery-support\"}}}, {\"value\": \"no term\"}],"
	" \"service_at_locations\": [{\"id\": \"e94c9f38-1e8f-4564-91d4-d53501ab1765\","
	"   \"location\": {\"id\": \"loc-1\", \"name\": \"Civic\", \"latitude\": 100,"
	"   \"longitude\": 101, \"timezone\": \"Europe/London\","
	"   \"addresses\": [{\"city\": \"MyCity\", \"address_type\": \"postal\"}]}},"
	"  {\"location\": {\"id\": \"loc-2\", \"name\": \"Home\", \"latitude\": \"38.5\","
	"   \"longitude\": \"-90.25\"}}]}";

static void test_json_service(void **state)
{
	struct hsds_batch b = {0};
	const struct hsds_record *svc, *loc;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(full_service), &b), 0);
	assert_int_equal(b.services, 1);
	svc = find(&b, HSDS_SERVICE, "AC148810-d857-441c-9679-408f346de14b");
	assert_non_null(svc);
	assert_non_null(find(&b, HSDS_ORGANIZATION, "org-9"));
	assert_string_equal(at(svc, "name"), "Community Counselling");
	assert_string_equal(at(svc, "organization"), "org-9");
	assert_string_equal(at(svc, "status"), "active");
	assert_string_equal(at(svc, "minimum_age"), "12");
	assert_string_equal(at(svc, "last_modified"), "2023-03-15T10:30:45.123Z");
	assert_string_equal(at(svc, "moud"), "true");
	/* Phones: quotes gone, the one without a number left out. */
	assert_string_equal(at(svc, "phones/0/number"), "+44 1234 234567");
	assert_string_equal(at(svc, "phones/0/extension"), "100");
	assert_string_equal(at(svc, "phones/0/id"), "1554f2e2-a373-45db-a3fa-9fc48a61c15e");
	assert_null(at(svc, "phones/1"));
	assert_true(warned(&b, "a phone has no number"));
	/* Schedules. */
	assert_string_equal(at(svc, "schedules/0/byday"), "TH,FR");
	assert_string_equal(at(svc, "schedules/0/opens_at"), "10:00");
	assert_string_equal(at(svc, "schedules/0/closes_at"), "18:00");
	assert_string_equal(at(svc, "schedules/0/timezone"), "3");
	assert_string_equal(at(svc, "schedules/0/tz"), "+03:00");
	assert_string_equal(at(svc, "schedules/1/byday"), "FR");
	assert_string_equal(at(svc, "schedules/1/freq"), "WEEKLY");
	assert_string_equal(at(svc, "schedules/1/closes_at"), "02:00");
	assert_true(warned(&b, "closes_at 02:00 is not after opens_at 22:00"));
	assert_null(at(svc, "schedules/2/byday"));
	assert_null(at(svc, "schedules/2/freq"));
	assert_null(at(svc, "schedules/2/opens_at"));
	/* Languages: codes from codes and names; unknown ones kept. */
	assert_string_equal(at(svc, "languages/0/code"), "ur");
	assert_string_equal(at(svc, "languages/1/code"), "es");
	assert_string_equal(at(svc, "languages/2/name"), "Klingon");
	assert_null(at(svc, "languages/2/code"));
	assert_string_equal(at(svc, "languages/3/code"), "tlh");
	assert_true(warned(&b, "\"Klingon\" is not an ISO 639"));
	/* Costs, areas, extensions, attributes. */
	assert_string_equal(at(svc, "cost_options/0/amount"), "35");
	assert_string_equal(at(svc, "cost_options/0/valid_from"), "2020-01-01");
	assert_string_equal(at(svc, "service_areas/0/country"), "US");
	assert_string_equal(at(svc, "service_areas/0/region"), "MO");
	assert_non_null(at(svc, "service_areas/1/geojson"));
	assert_null(at(svc, "service_areas/2/geojson"));
	assert_string_equal(at(svc, "service_areas/2/extent"), "extent");
	assert_string_equal(at(svc, "recovery_housing/narr_level"), "3");
	assert_null(at(svc, "recovery_housing/beds"));
	assert_string_equal(at(svc, "recovery_housing/gender_served"), "men");
	assert_string_equal(at(svc, "attributes/0/taxonomy_term/taxonomy_detail/name"),
			    "recovery-support");
	assert_null(at(svc, "attributes/1"));
	/* Locations: coordinates kept, whether they are a place said. */
	assert_string_equal(at(svc, "locations/0/location"), "loc-1");
	assert_string_equal(at(svc, "locations/0/id"), "e94c9f38-1e8f-4564-91d4-d53501ab1765");
	loc = find(&b, HSDS_LOCATION, "loc-1");
	assert_string_equal(at(loc, "latitude"), "100");
	assert_string_equal(at(loc, "point"), "false");
	assert_string_equal(at(loc, "timezone"), "Europe/London");
	assert_string_equal(at(loc, "organization"), "org-9");
	assert_string_equal(at(loc, "addresses/0/address_type"), "postal");
	loc = find(&b, HSDS_LOCATION, "loc-2");
	assert_string_equal(at(loc, "point"), "true");
	assert_string_equal(at(loc, "longitude"), "-90.25");
	assert_int_equal(b.issues.nrejects, 0);
	import_hsds_batch_free(&b);
}

/* Areas the gazetteer is asked about: by name only, or a country's code
 * with a name; not a state's code, a polygon or a nameless area. */
static const char areas_service[] =
	"{\"id\": \"s-1\", \"name\": \"Lines\", \"organization\": {\"name\": \"Org\"},"
	" \"service_areas\": [{\"name\": \"Georgia\"}, {\"name\": \"MO\", \"extent_type\":"
	"   \"iso3166-2\", \"extent\": \"US-MO\"}, {\"name\": \"Texas\", \"extent_type\":"
	"   \"iso3166-1\", \"extent\": \"us\"}, {\"name\": \"Kansas City metro\"},"
	"   {\"extent\": \"State of Ohio\"}, {\"description\": \"nameless\"},"
	"   {\"name\": \"Somewhere\", \"extent_type\": \"postcode\", \"extent\": \"AB1\"}]}";

static void test_areas_by_name(void **state)
{
	static const char *const want_names[] = {"Georgia", "Texas", "Kansas City metro",
						 "State of Ohio", "Somewhere"};
	struct hsds_batch b = {0};
	struct hsds_area_ref *refs;
	size_t n;
	json_object *query, *q;
	const struct hsds_record *svc;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(areas_service), &b), 0);
	svc = find(&b, HSDS_SERVICE, "s-1");
	assert_non_null(svc);
	query = import_hsds_areas_unplaced(&b, &refs, &n);
	assert_int_equal(n, 5);
	assert_int_equal(json_object_array_length(query), 5);
	for (size_t i = 0; i < n; i++) {
		q = json_object_array_get_idx(query, i);
		assert_string_equal(json_object_get_string(json_object_object_get(q, "name")),
				    want_names[i]);
		assert_ptr_equal(refs[i].service, svc);
	}
	q = json_object_array_get_idx(query, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(q, "country")), "US");
	assert_null(json_object_object_get(json_object_array_get_idx(query, 0), "country"));

	/* Georgia found; Texas under the country's code found, with a warning;
	 * the metro and the postcode not found: a warning for the metro only
	 * (the postcode's extent was warned about when read). */
	import_hsds_area_placed(&b, &refs[0], "US", "GA", "region");
	import_hsds_area_placed(&b, &refs[1], "US", "TX", "region");
	import_hsds_area_placed(&b, &refs[2], NULL, NULL, NULL);
	import_hsds_area_placed(&b, &refs[3], "US", "OH", "region");
	import_hsds_area_placed(&b, &refs[4], NULL, NULL, NULL);
	assert_string_equal(at(svc, "service_areas/0/country"), "US");
	assert_string_equal(at(svc, "service_areas/0/region"), "GA");
	assert_string_equal(at(svc, "service_areas/2/region"), "TX");
	assert_null(at(svc, "service_areas/3/country"));
	assert_string_equal(at(svc, "service_areas/4/region"), "OH");
	assert_null(at(svc, "service_areas/6/region"));
	assert_int_equal(b.issues.nwarnings, 3);
	assert_non_null(strstr(b.issues.warnings[1].message, "taken as US-TX"));
	assert_non_null(strstr(b.issues.warnings[2].message, "Kansas City metro"));
	json_object_put(query);
	free(refs);

	/* Placed areas are not asked about again. */
	query = import_hsds_areas_unplaced(&b, &refs, &n);
	assert_int_equal(n, 2);
	json_object_put(query);
	free(refs);
	import_hsds_batch_free(&b);
}

/* What the gazetteer's answer does to an area: a country's name, a guess
 * between a state and a country, nothing under a country's code. */
static const char answers_service[] =
	"{\"id\": \"s-2\", \"name\": \"Lines\", \"organization\": {\"name\": \"Org\"},"
	" \"service_areas\": [{\"name\": \"Canada\"}, {\"name\": \"Georgia\"},"
	"   {\"name\": \"San Mateo County\", \"extent_type\": \"iso3166-1\", \"extent\": \"US\"},"
	"   {\"name\": \"Georgia\", \"extent_type\": \"iso3166-1\", \"extent\": \"GE\"}]}";

static void test_areas_answers(void **state)
{
	struct hsds_batch b = {0};
	struct hsds_area_ref *refs;
	size_t n;
	json_object *query;
	const struct hsds_record *svc;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(answers_service), &b), 0);
	svc = find(&b, HSDS_SERVICE, "s-2");
	query = import_hsds_areas_unplaced(&b, &refs, &n);
	assert_int_equal(n, 4);
	/* The service says nowhere where it is: no "near". */
	assert_null(json_object_object_get(json_object_array_get_idx(query, 1), "near"));
	import_hsds_area_placed(&b, &refs[0], "CA", NULL, "country");
	import_hsds_area_placed(&b, &refs[1], "US", "GA", "guess");
	import_hsds_area_placed(&b, &refs[2], NULL, NULL, NULL);
	import_hsds_area_placed(&b, &refs[3], "GE", NULL, "country");
	assert_string_equal(at(svc, "service_areas/0/country"), "CA");
	assert_null(at(svc, "service_areas/0/region"));
	assert_string_equal(at(svc, "service_areas/1/region"), "GA");
	assert_string_equal(at(svc, "service_areas/2/country"), "US");
	assert_null(at(svc, "service_areas/2/region"));
	assert_string_equal(at(svc, "service_areas/3/country"), "GE");
	assert_null(at(svc, "service_areas/3/region"));
	assert_int_equal(b.issues.nwarnings, 2);
	assert_non_null(strstr(b.issues.warnings[0].message,
			       "\"Georgia\" is taken as US-GA, though "
			       "a country has that name too"));
	assert_non_null(strstr(b.issues.warnings[1].message,
			       "\"San Mateo County\" names no region "
			       "of US the gazetteer knows: kept as all of US"));
	json_object_put(query);
	free(refs);
	import_hsds_batch_free(&b);
}

/* An organization with its services nested (HSDS 3.0 /organizations/{id}):
 * the organization, its own locations, each service of it; where the
 * services are, for their areas, from their own locations, else the
 * organization's, else most of the input's. */
static const char organization_full[] =
	"{\"id\": \"org-ge\", \"name\": \"Tbilisi Recovery\", \"website\": \"http://example.org\","
	" \"locations\": [{\"id\": \"l-tb\", \"name\": \"Office\", \"latitude\": 41.7,"
	"   \"longitude\": 44.8, \"addresses\": [{\"city\": \"Tbilisi\", \"country\": \"GE\"}]}, 5],"
	" \"services\": ["
	"  {\"id\": \"s-line\", \"name\": \"Helpline\", \"service_areas\": [{\"name\": \"Georgia\"}],"
	"   \"regular_schedule\": [{\"weekday\": 1, \"opens_at\": \"09:00+04:00\","
	"     \"closes_at\": \"17:00+04:00\"}]},"
	"  {\"id\": \"s-us\", \"name\": \"Atlanta Office\", \"service_areas\": [{\"name\": \"Georgia\"}],"
	"   \"service_at_locations\": [{\"location\": {\"id\": \"l-atl\", \"name\": \"Atlanta\","
	"     \"addresses\": [{\"city\": \"Atlanta\", \"country\": \"USA\"}]}}]},"
	"  {\"id\": \"s-own\", \"name\": \"Partner Line\", \"organization\": {\"id\": \"org-2\","
	"   \"name\": \"Partner\"}},"
	"  \"text\", {\"id\": \"s-nameless\"}]}";

static void test_json_organization(void **state)
{
	struct hsds_batch b = {0};
	const struct hsds_record *line, *us, *own;
	struct hsds_area_ref *refs;
	size_t n;
	json_object *query;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(organization_full), &b), 0);
	assert_int_equal(b.services, 3);
	assert_string_equal(at(find(&b, HSDS_ORGANIZATION, "org-ge"), "name"), "Tbilisi Recovery");
	assert_string_equal(at(find(&b, HSDS_LOCATION, "l-tb"), "organization"), "org-ge");
	line = find(&b, HSDS_SERVICE, "s-line");
	us = find(&b, HSDS_SERVICE, "s-us");
	own = find(&b, HSDS_SERVICE, "s-own");
	assert_non_null(line);
	assert_non_null(us);
	assert_non_null(own);
	assert_int_equal(line->row, 1);
	assert_string_equal(at(line, "organization"), "org-ge");
	assert_string_equal(at(us, "organization"), "org-ge");
	assert_string_equal(at(own, "organization"), "org-2");
	assert_non_null(find(&b, HSDS_ORGANIZATION, "org-2"));
	/* HSDS 1.x's regular_schedule, a numbered weekday, an offset. */
	assert_string_equal(at(line, "schedules/0/byday"), "MO");
	assert_string_equal(at(line, "schedules/0/freq"), "WEEKLY");
	assert_string_equal(at(line, "schedules/0/opens_at"), "09:00");
	assert_string_equal(at(line, "schedules/0/closes_at"), "17:00");
	assert_string_equal(at(line, "schedules/0/tz"), "+04:00");
	/* Where each service is. */
	assert_string_equal(line->country, "GE");
	assert_string_equal(us->country, "USA");
	assert_null(own->country);
	query = import_hsds_areas_unplaced(&b, &refs, &n);
	assert_int_equal(n, 2);
	assert_string_equal(json_object_get_string(json_object_object_get(
				    json_object_array_get_idx(query, 0), "near")),
			    "GE");
	assert_string_equal(json_object_get_string(json_object_object_get(
				    json_object_array_get_idx(query, 1), "near")),
			    "USA");
	json_object_put(query);
	free(refs);
	/* The two that are no services, each said why. */
	assert_int_equal(b.issues.nrejects, 2);
	assert_non_null(strstr(b.issues.rejects[0].message, "services[3] of the organization"));
	assert_string_equal(b.issues.rejects[1].message, "the service has no name");
	import_hsds_batch_free(&b);
}

/* A Page of organizations without their services (the list form), a
 * nameless one among them; a location on its own. */
static void test_json_organizations_locations(void **state)
{
	static const char page[] =
		"{\"contents\": ["
		"{\"id\": \"o-1\", \"name\": \"One\", \"tax_status\": \"x\"},"
		"{\"id\": \"o-2\", \"name\": \"Two\", \"services\": []},"
		"{\"id\": \"o-3\", \"legal_status\": \"x\", \"services\": [{\"name\": \"S\"}]}]}";
	static const char location[] =
		"{\"id\": \"l-9\", \"location_type\": \"physical\","
		" \"name\": \"Hall\", \"latitude\": 38.5, \"longitude\": -90.25,"
		" \"regular_schedules\": [{\"weekday\": \"7\", \"opens_at\": \"10am\"}],"
		" \"holiday_schedules\": [{\"closed\": true, \"start_date\": \"2024-12-25\","
		"   \"end_date\": \"2024-12-25\"}]}";
	struct hsds_batch b = {0};
	const struct hsds_record *loc;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(page), &b), 0);
	assert_int_equal(b.services, 0);
	assert_int_equal(b.count, 2);
	assert_non_null(find(&b, HSDS_ORGANIZATION, "o-1"));
	assert_non_null(find(&b, HSDS_ORGANIZATION, "o-2"));
	assert_int_equal(b.issues.nrejects, 2);
	assert_int_equal(b.issues.rejects[0].row, 3);
	assert_string_equal(b.issues.rejects[0].message, "the organization has no name");
	assert_string_equal(b.issues.rejects[1].message, "the service has no organization name");
	assert_true(warned(&b, "no services: they are kept"));
	import_hsds_batch_free(&b);

	assert_int_equal(import_hsds_parse_json(LIT(location), &b), 0);
	loc = find(&b, HSDS_LOCATION, "l-9");
	assert_non_null(loc);
	assert_null(at(loc, "organization"));
	assert_string_equal(at(loc, "point"), "true");
	assert_string_equal(at(loc, "schedules/0/byday"), "SU");
	assert_string_equal(at(loc, "schedules/0/opens_at"), "10:00");
	assert_string_equal(at(loc, "schedules/1/valid_from"), "2024-12-25");
	assert_non_null(strstr(at(loc, "schedules/1/description"), "Closed"));
	import_hsds_batch_free(&b);
}

/* service_at_locations with their services (HSDS 3.0's
 * /service_at_locations): a service at two locations is one service with
 * both. */
static void test_json_service_at_locations(void **state)
{
	static const char page[] =
		"{\"contents\": ["
		"{\"id\": \"sal-1\", \"description\": \"first\", \"location\": {\"id\": \"l-1\","
		"  \"name\": \"North\"}, \"service\": {\"id\": \"s-1\", \"name\": \"Coaching\","
		"  \"organization\": {\"id\": \"o-1\", \"name\": \"Org\"}}},"
		"{\"id\": \"sal-2\", \"location\": {\"id\": \"l-2\", \"name\": \"South\"},"
		"  \"service\": {\"id\": \"s-1\", \"name\": \"Coaching\","
		"  \"organization\": {\"id\": \"o-1\", \"name\": \"Org\"}}},"
		"{\"id\": \"sal-3\", \"location\": {\"id\": \"l-1\", \"name\": \"North\"},"
		"  \"service\": {\"id\": \"s-2\", \"name\": \"Housing\","
		"  \"organization\": {\"id\": \"o-1\", \"name\": \"Org\"}}},"
		"{\"id\": \"sal-4\", \"service_id\": \"s-9\", \"location_id\": \"l-9\"}]}";
	struct hsds_batch b = {0};
	const struct hsds_record *svc;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(page), &b), 0);
	assert_int_equal(b.services, 2);
	svc = find(&b, HSDS_SERVICE, "s-1");
	assert_int_equal(svc->row, 1);
	assert_string_equal(at(svc, "locations/0/location"), "l-1");
	assert_string_equal(at(svc, "locations/0/description"), "first");
	assert_string_equal(at(svc, "locations/1/location"), "l-2");
	assert_null(at(svc, "locations/2"));
	assert_string_equal(at(find(&b, HSDS_SERVICE, "s-2"), "locations/0/location"), "l-1");
	assert_int_equal(b.issues.nrejects, 1);
	assert_int_equal(b.issues.rejects[0].row, 4);
	assert_non_null(strstr(b.issues.rejects[0].message, "without its service"));
	import_hsds_batch_free(&b);
}

/* The tabular package written as JSON, rows typed as JSON writes them. */
static void test_json_tabular(void **state)
{
	static const char tabular[] =
		"{\"services.csv\": [{\"id\": \"s-1\", \"name\": \"Line\","
		" \"organization_id\": \"o-1\", \"minimum_age\": 12}, 7],"
		" \"organizations.csv\": [{\"id\": \"o-1\", \"name\": \"Org\"}],"
		" \"schedules.csv\": [{\"id\": \"h-1\", \"service_id\": \"s-1\", \"byday\": \"MO\","
		"   \"opens_at\": \"09:00\"}],"
		" \"metadata.csv\": []}";
	static const char no_services[] = "{\"services.csv\": 5, \"organizations.csv\": []}";
	struct hsds_batch b = {0};
	const struct hsds_record *svc;

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(tabular), &b), 0);
	assert_int_equal(b.services, 1);
	svc = find(&b, HSDS_SERVICE, "s-1");
	assert_int_equal(svc->row, 1);
	assert_string_equal(at(svc, "organization"), "o-1");
	assert_string_equal(at(svc, "minimum_age"), "12");
	assert_string_equal(at(svc, "schedules/0/byday"), "MO");
	import_hsds_batch_free(&b);
	/* services.csv that is no list: no tabular package, and no record. */
	assert_int_equal(import_hsds_parse_json(LIT(no_services), &b), -1);
	assert_non_null(strstr(b.issues.error, "not HSDS services"));
	import_hsds_batch_free(&b);
}

static void test_json_shapes(void **state)
{
	static const char page[] =
		"{\"total_items\": 2, \"contents\": ["
		"{\"id\": \"a\", \"name\": \"A\", \"organization\": {\"name\": \"O\"}},"
		"{\"id\": \"b\", \"name\": \"B\", \"organization\": {\"name\": \"O\"},"
		" \"service_at_locations\": [{\"location\": {\"name\": \"Hall\"}}]},"
		"{\"id\": \"c\", \"name\": \"\"},"
		"{\"id\": \"d\", \"name\": \"D\"},"
		"{\"id\": \"a\", \"name\": \"A again\", \"organization\": {\"name\": \"O\"}},"
		"[1]]}";
	static const char list[] = " [{\"name\": \"No id\", \"organization\": {\"name\": \"O\"}}] ";
	struct hsds_batch b = {0};

	(void)state;
	assert_int_equal(import_hsds_parse_json(LIT(page), &b), 0);
	assert_int_equal(b.services, 2);
	/* One organization record for the two services that share it. */
	assert_int_equal(b.count, 4);
	assert_int_equal(b.issues.nrejects, 4);
	assert_string_equal(b.issues.rejects[0].message, "the service has no name");
	assert_int_equal(b.issues.rejects[1].row, 4);
	assert_string_equal(b.issues.rejects[1].message, "the service has no organization name");
	assert_int_equal(b.issues.rejects[2].row, 5);
	assert_int_equal(b.issues.rejects[3].row, 6);
	import_hsds_batch_free(&b);

	/* A service without an id gets a key from its name, the same each time. */
	assert_int_equal(import_hsds_parse_json(LIT(list), &b), 0);
	assert_int_equal(b.services, 1);
	assert_non_null(strstr(b.records[b.count - 1].key, "no-id-"));
	import_hsds_batch_free(&b);
}

static void test_json_unusable(void **state)
{
	static const struct {
		const char *data;
		const char *phrase;
	} cases[] = {
		{"", "not JSON"},
		{"{\"contents\": [{\"name\": \"A\"}", "ends in the middle"},
		{"[1, 2", "ends in the middle"},
		{"<taxonomy/>", "not JSON"},
		{"{\"contents\": 5}", "not HSDS services"},
		{"42", "not HSDS services"},
		{"\"text\"", "not HSDS services"},
		{"[] x", "not JSON"},
		{"{\"name\": \"A\"} {}", "not JSON"},
		{"[1, \"two\", null]", "nothing in the list is a service"},
		{"{\"contents\": [{\"id\": \"t\", \"name\": \"n\", \"code\": \"c\","
		 " \"taxonomy_detail\": {}}]}",
		 "taxonomies or taxonomy terms"},
		{"{\"id\": \"x\", \"name\": \"tax\", \"uri\": \"u\", \"version\": \"1\"}",
		 "taxonomies"},
		{"{\"name\": \"hsds\", \"resources\": [{\"path\": \"services.csv\"}]}",
		 "a Data Package descriptor"},
		{"{\"version\": \"3.0\", \"openapi_url\": \"https://x\"}", "root document"},
		{"{\"version\": \"3.0\"}", "not HSDS services"},
	};
	char deep[400];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct hsds_batch b = {0};

		assert_int_equal(import_hsds_parse_json(cases[i].data, strlen(cases[i].data), &b),
				 -1);
		if (strstr(b.issues.error, cases[i].phrase) == NULL)
			fail_msg("\"%s\": error \"%s\" lacks \"%s\"", cases[i].data, b.issues.error,
				 cases[i].phrase);
		assert_int_equal(b.count, 0);
		import_hsds_batch_free(&b);
	}
	/* Nesting past the limit is refused, not recursed into. */
	memset(deep, '[', sizeof(deep));
	{
		struct hsds_batch b = {0};

		assert_int_equal(import_hsds_parse_json(deep, sizeof(deep), &b), -1);
		import_hsds_batch_free(&b);
	}
}

static void test_tables_hsds3(void **state)
{
	static const char services[] = "id,organization_id,name,status,minimum_age\r\n"
				       "s-1,o-1,\"Counselling, \"\"Community\"\"\",active,12\r\n"
				       "s-2,o-missing,Orphan,active,\r\n"
				       "\r\n";
	static const char orgs[] = "\xEF\xBB\xBFid,name\no-1,Example Org\n";
	static const char locs[] = "id,organization_id,name,latitude,longitude\n"
				   "l-1,o-1,Hall,37.5,-122.25\n";
	static const char sal[] = "id,service_id,location_id\nx-1,s-1,l-1\n";
	static const char phones[] = "id,service_id,location_id,number\np-1,s-1,l-1,555-0100\n";
	static const char schedules[] = "id,service_id,byday,opens_at,closes_at\n"
					"h-1,s-1,\"MO,TU\",9am,5:30 PM\n";
	static const char terms[] = "id,code,name,taxonomy_id\nt-1,C1,Peer Support,x-1\n";
	static const char taxes[] = "id,name\nx-1,Local\n";
	static const char attrs[] =
		"id,link_id,taxonomy_term_id,link_entity\na-1,s-1,t-1,service\n";
	const struct hsds_table tables[] = {
		{"services", LIT(services)},    {"organizations", LIT(orgs)},
		{"locations", LIT(locs)},       {"service_at_location", LIT(sal)},
		{"phones", LIT(phones)},        {"schedules", LIT(schedules)},
		{"taxonomy_terms", LIT(terms)}, {"taxonomies", LIT(taxes)},
		{"attributes", LIT(attrs)},
	};
	struct hsds_batch b = {0};
	const struct hsds_record *svc;

	(void)state;
	assert_int_equal(import_hsds_parse_tables(tables, sizeof(tables) / sizeof(*tables), &b), 0);
	assert_int_equal(b.services, 1);
	assert_int_equal(b.issues.nrejects, 1);
	assert_int_equal(b.issues.rejects[0].row, 3);
	svc = find(&b, HSDS_SERVICE, "s-1");
	assert_non_null(svc);
	assert_int_equal(svc->row, 2);
	assert_string_equal(at(svc, "name"), "Counselling, \"Community\"");
	assert_string_equal(at(svc, "organization"), "o-1");
	assert_string_equal(at(svc, "phones/0/number"), "555-0100");
	assert_string_equal(at(svc, "schedules/0/byday"), "MO,TU");
	assert_string_equal(at(svc, "schedules/0/opens_at"), "09:00");
	assert_string_equal(at(svc, "schedules/0/closes_at"), "17:30");
	assert_string_equal(at(svc, "locations/0/location"), "l-1");
	assert_string_equal(at(svc, "attributes/0/taxonomy_term/name"), "Peer Support");
	assert_string_equal(at(svc, "attributes/0/taxonomy_term/taxonomy_detail/name"), "Local");
	assert_string_equal(at(find(&b, HSDS_LOCATION, "l-1"), "phones/0/number"), "555-0100");
	assert_string_equal(at(find(&b, HSDS_ORGANIZATION, "o-1"), "name"), "Example Org");
	import_hsds_batch_free(&b);
}

static void test_tables_ohana(void **state)
{
	static const char services[] =
		"id,location_id,name,languages,service_areas,status\n"
		"22,22,Food Pantry,\"Spanish, Tagalog\",\"Colma, Daly City\","
		"defunct\n";
	static const char orgs[] = "id,name\n1,Food Bank\n";
	static const char locs[] = "id,organization_id,name,latitude,longitude,languages,"
				   "accessibility,virtual\n"
				   "22,1,Pantry,37.77,-122.41,\"Chinese (Mandarin), Korean\","
				   "\"ramp, restroom\",false\n";
	static const char regular[] = "id,location_id,service_id,weekday,opens_at,closes_at\n"
				      "1,22,,Monday,08:00,17:00\n"
				      "9,,22,Monday,14:00,4:00 PM\n"
				      "10,,22,Wednesday,10:00,3pm\n"
				      "11,,22,5,09:00,12:00\n"
				      "12,,22,9,09:00,12:00\n";
	static const char holiday[] = "id,location_id,service_id,start_date,end_date,closed,"
				      "opens_at,closes_at\n"
				      "2,22,,12/24/2015,12/24/15,false,10:00,16:00\n";
	static const char addresses[] = "id,location_id,address_1,city,state_province,postal_code\n"
					"1,22,1 Main St,San Francisco,CA,94103\n";
	const struct hsds_table tables[] = {
		{"services", LIT(services)},
		{"organizations", LIT(orgs)},
		{"locations", LIT(locs)},
		{"regular_schedules", LIT(regular)},
		{"holiday_schedules", LIT(holiday)},
		{"addresses", LIT(addresses)},
	};
	struct hsds_batch b = {0};
	const struct hsds_record *svc, *loc;

	(void)state;
	assert_int_equal(import_hsds_parse_tables(tables, sizeof(tables) / sizeof(*tables), &b), 0);
	assert_int_equal(b.services, 1);
	svc = find(&b, HSDS_SERVICE, "22");
	assert_string_equal(at(svc, "organization"), "1");
	assert_string_equal(at(svc, "status"), "defunct");
	assert_string_equal(at(svc, "languages/0/code"), "es");
	assert_string_equal(at(svc, "languages/1/code"), "tl");
	assert_string_equal(at(svc, "service_areas/1/name"), "Daly City");
	assert_string_equal(at(svc, "schedules/0/byday"), "MO");
	assert_string_equal(at(svc, "schedules/0/closes_at"), "16:00");
	assert_string_equal(at(svc, "schedules/1/byday"), "WE");
	assert_string_equal(at(svc, "schedules/1/closes_at"), "15:00");
	/* HSDS 1.x numbers its weekdays from Monday; a number past 7 is none. */
	assert_string_equal(at(svc, "schedules/2/byday"), "FR");
	assert_null(at(svc, "schedules/3/byday"));
	assert_true(warned(&b, "weekday \"9\" is not a list of days"));
	loc = find(&b, HSDS_LOCATION, "22");
	assert_string_equal(at(loc, "point"), "true");
	assert_string_equal(at(loc, "languages/0/code"), "zh");
	assert_string_equal(at(loc, "languages/1/code"), "ko");
	assert_string_equal(at(loc, "accessibility/1/description"), "restroom");
	assert_string_equal(at(loc, "addresses/0/postal_code"), "94103");
	assert_string_equal(at(loc, "addresses/0/address_type"), "physical");
	assert_string_equal(at(loc, "schedules/0/byday"), "MO");
	assert_string_equal(at(loc, "schedules/1/valid_from"), "2015-12-24");
	assert_null(at(loc, "schedules/1/valid_to"));
	assert_true(warned(&b, "valid_to \"12/24/15\" is not a date"));
	import_hsds_batch_free(&b);
}

static void test_tables_unusable(void **state)
{
	static const char cut[] = "id,name,organization_id\ns-1,\"Cut off,o-1\n";
	static const char orgs[] = "id,name\n";
	const struct hsds_table broken[] = {{"services", LIT(cut)}, {"organizations", LIT(orgs)}};
	const struct hsds_table none[] = {{"organizations", LIT(orgs)}};
	struct hsds_batch b = {0};

	(void)state;
	assert_int_equal(import_hsds_parse_tables(broken, 2, &b), -1);
	assert_non_null(strstr(b.issues.error, "services.csv is not CSV"));
	assert_int_equal(b.count, 0);
	import_hsds_batch_free(&b);
	assert_int_equal(import_hsds_parse_tables(none, 1, &b), -1);
	assert_non_null(strstr(b.issues.error, "no services.csv"));
	import_hsds_batch_free(&b);
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
		cmocka_unit_test(test_language_code),
		cmocka_unit_test(test_byday),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_date_and_iso3166),
		cmocka_unit_test(test_json_service),
		cmocka_unit_test(test_areas_by_name),
		cmocka_unit_test(test_areas_answers),
		cmocka_unit_test(test_json_organization),
		cmocka_unit_test(test_json_organizations_locations),
		cmocka_unit_test(test_json_service_at_locations),
		cmocka_unit_test(test_json_tabular),
		cmocka_unit_test(test_json_shapes),
		cmocka_unit_test(test_json_unusable),
		cmocka_unit_test(test_tables_hsds3),
		cmocka_unit_test(test_tables_ohana),
		cmocka_unit_test(test_tables_unusable),
	};

	return cmocka_run_group_tests_name("import_hsds", tests, setup, teardown);
}
