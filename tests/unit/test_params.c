/*
 * Unit tests for fcgi/src/params.c: the strict number and whole-number
 * parsers, checking a query string against a route's rule table, and the
 * PostgreSQL array literal for lists. Every behaviour is a row in a table,
 * the hostile inputs included.
 *
 * The rule table below mirrors api_meetings_rules (fcgi/src/api_meetings.c),
 * which the unit tests do not link: keep the two in step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

/* A literal and its length, so that an input may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

#define DAYS20 "1,2,3,4,5,6,0,1,2,3,4,5,6,0,1,2,3,4,5,6"
#define SLUG40 "abcdefghij-abcdefghij-abcdefghij-abcdefg"
_Static_assert(sizeof(SLUG40) - 1 == 40, "SLUG40 is not 40 bytes");
_Static_assert(PARAM_LIST_MAX == 20, "DAYS20 no longer matches the cap");

struct test_params {
	struct param_number lat, lng, radius_km;
	struct param_list day, fellowship, type, attendance;
	struct param_list region;
	struct param_integer limit, offset;
};

static const char *const attendance_choices[] = {"in_person", "online", "hybrid", NULL};

static const struct param_rule rule_rows[] = {
	RULE_NUMBER(test_params, "lat", lat, -90, 90),
	RULE_NUMBER(test_params, "lng", lng, -180, 180),
	RULE_NUMBER(test_params, "radius_km", radius_km, 0.1, 500),
	RULE_LIST(test_params, "day", day, PATTERN_DAY, 1, "days from 0 (Sunday) to 6 (Saturday)"),
	RULE_LIST(test_params, "fellowship", fellowship, PATTERN_SLUG, 40,
		  "fellowship slugs such as aa or al-anon"),
	RULE_LIST(test_params, "type", type, PATTERN_TYPE_CODE, 12,
		  "meeting type codes such as O or W"),
	RULE_LIST_OF(test_params, "attendance", attendance, attendance_choices,
		     "of in_person, online, hybrid"),
	/* As the meetings' region, with names of at most 5 characters. */
	RULE_TEXT_LIST(test_params, "region", region, PATTERN_PLACE_NAME, 5, "names"),
	RULE_INTEGER(test_params, "limit", limit, 1, 100),
	RULE_INTEGER(test_params, "offset", offset, 0, 100000),
};
static const struct param_rules rules = PARAM_RULES(rule_rows);

/* The messages a client sees for a bad value of each parameter. */
#define BAD_LAT "400 invalid_parameter lat: lat must be a number from -90 to 90"
#define BAD_LNG "400 invalid_parameter lng: lng must be a number from -180 to 180"
#define BAD_RADIUS "400 invalid_parameter radius_km: radius_km must be a number from 0.1 to 500"
#define BAD_LIMIT "400 invalid_parameter limit: limit must be a whole number from 1 to 100"
#define BAD_OFFSET "400 invalid_parameter offset: offset must be a whole number from 0 to 100000"
#define BAD_LIST(name, what) \
	"400 invalid_parameter " name ": " name \
	" must be a comma-separated list of at most 20 " what
#define BAD_DAY BAD_LIST("day", "days from 0 (Sunday) to 6 (Saturday)")
#define BAD_FELLOWSHIP BAD_LIST("fellowship", "fellowship slugs such as aa or al-anon")
#define BAD_TYPE BAD_LIST("type", "meeting type codes such as O or W")
#define BAD_ATTENDANCE BAD_LIST("attendance", "of in_person, online, hybrid")
#define UNKNOWN_ATTENDANCE(value) \
	"400 invalid_parameter attendance: attendance: unknown value '" value \
	"'; the values are in_person, online, hybrid"
#define BAD_REGION BAD_LIST("region", "names")
#define EMPTY(name) "400 invalid_parameter " name ": " name " must not be empty"
#define UNKNOWN(name) "400 unknown_parameter " name ": unknown parameter: " name
#define REPEATED(name) "400 repeated_parameter " name ": " name " may be given only once"

struct parse_case {
	const char *name;
	const char *query; /* must pass query_string_parse */
	size_t len;
	int rc;
	const char *want; /* rc 0: describe_params(); rc -1: describe_error() */
};

static const struct parse_case parse_cases[] = {
	/* What passes, shown as the typed values it becomes. */
	{"no parameters", LIT(""), 0, ""},
	{"a location", LIT("lat=41.8781&lng=-87.6298"), 0, "lat=41.8781 lng=-87.6298"},
	{"every parameter",
	 LIT("lat=1&lng=2&radius_km=10&day=1,2&fellowship=aa,na&type=O,W&attendance=online"
	     "&limit=10&offset=20"),
	 0,
	 "lat=1 lng=2 radius_km=10 day=[1,2] fellowship=[aa,na] type=[O,W] attendance=[online] "
	 "limit=10 offset=20"},
	{"escaped key is the real key", LIT("l%61t=41"), 0, "lat=41"},
	{"lat -90", LIT("lat=-90"), 0, "lat=-90"},
	{"lat 90", LIT("lat=90"), 0, "lat=90"},
	{"lat 90.0", LIT("lat=90.0"), 0, "lat=90"},
	{"-0 is zero", LIT("lat=-0"), 0, "lat=0"},
	{"-0.0 is zero", LIT("lng=-0.0"), 0, "lng=0"},
	{"lng -180", LIT("lng=-180"), 0, "lng=-180"},
	{"lng 180", LIT("lng=180"), 0, "lng=180"},
	{"fifteen decimals", LIT("lat=0.123456789012345"), 0, "lat=0.123456789012345"},
	{"radius 0.1", LIT("radius_km=0.1"), 0, "radius_km=0.1"},
	{"radius 500", LIT("radius_km=500"), 0, "radius_km=500"},
	{"limit 1", LIT("limit=1"), 0, "limit=1"},
	{"limit 100", LIT("limit=100"), 0, "limit=100"},
	{"offset 0", LIT("offset=0"), 0, "offset=0"},
	{"offset 100000", LIT("offset=100000"), 0, "offset=100000"},
	{"any order", LIT("offset=5&limit=5"), 0, "limit=5 offset=5"},
	{"every day", LIT("day=1,2,3,4,5,6,0"), 0, "day=[1,2,3,4,5,6,0]"},
	{"20 days", LIT("day=" DAYS20), 0, "day=[" DAYS20 "]"},
	{"repeated days are kept", LIT("day=1,1"), 0, "day=[1,1]"},
	{"two attendances", LIT("attendance=in_person,online"), 0, "attendance=[in_person,online]"},
	{"hybrid", LIT("attendance=hybrid"), 0, "attendance=[hybrid]"},
	{"type codes", LIT("type=O,W,MOUD"), 0, "type=[O,W,MOUD]"},
	{"type codes with digits and dashes", LIT("type=12x12,BV-I"), 0, "type=[12x12,BV-I]"},
	{"type of 12", LIT("type=ABCDEFGHIJKL"), 0, "type=[ABCDEFGHIJKL]"},
	{"fellowship with a dash", LIT("fellowship=al-anon"), 0, "fellowship=[al-anon]"},
	{"fellowship of 40", LIT("fellowship=" SLUG40), 0, "fellowship=[" SLUG40 "]"},

	/* Numbers: one strict form, no exponent, hex, NaN, inf, '+' or spaces. */
	{"1e999", LIT("lat=1e999"), -1, BAD_LAT},
	{"1e2", LIT("lat=1e2"), -1, BAD_LAT},
	{"NaN", LIT("lat=NaN"), -1, BAD_LAT},
	{"nan", LIT("lat=nan"), -1, BAD_LAT},
	{"inf", LIT("lat=inf"), -1, BAD_LAT},
	{"-inf", LIT("lat=-inf"), -1, BAD_LAT},
	{"Infinity", LIT("lat=Infinity"), -1, BAD_LAT},
	{"0x10", LIT("lat=0x10"), -1, BAD_LAT},
	{"%2B1 is +1", LIT("lat=%2B1"), -1, BAD_LAT},
	{"+1 is a space and 1", LIT("lat=+1"), -1, BAD_LAT},
	{"1+ is 1 and a space", LIT("lat=1+"), -1, BAD_LAT},
	{"escaped leading space", LIT("lat=%201"), -1, BAD_LAT},
	{"tab", LIT("lat=%091"), -1, BAD_LAT},
	{"newline", LIT("lat=1%0A"), -1, BAD_LAT},
	{".5", LIT("lat=.5"), -1, BAD_LAT},
	{"1.", LIT("lat=1."), -1, BAD_LAT},
	{"01", LIT("lat=01"), -1, BAD_LAT},
	{"--1", LIT("lat=--1"), -1, BAD_LAT},
	{"lone -", LIT("lat=-"), -1, BAD_LAT},
	{"decimal comma", LIT("lat=1,5"), -1, BAD_LAT},
	{"sixteen decimals", LIT("lat=1.1234567890123456"), -1, BAD_LAT},
	{"lat 90.0000001", LIT("lat=90.0000001"), -1, BAD_LAT},
	{"lat -90.0000001", LIT("lat=-90.0000001"), -1, BAD_LAT},
	{"lat 100", LIT("lat=100"), -1, BAD_LAT},
	{"lng 180.5", LIT("lng=180.5"), -1, BAD_LNG},
	{"lng -180.5", LIT("lng=-180.5"), -1, BAD_LNG},
	{"radius 0", LIT("radius_km=0"), -1, BAD_RADIUS},
	{"radius -0", LIT("radius_km=-0"), -1, BAD_RADIUS},
	{"radius 0.09", LIT("radius_km=0.09"), -1, BAD_RADIUS},
	{"radius 500.1", LIT("radius_km=500.1"), -1, BAD_RADIUS},
	{"the first bad value is named", LIT("lat=1&lng=200"), -1, BAD_LNG},

	/* Whole numbers. */
	{"limit 0", LIT("limit=0"), -1, BAD_LIMIT},
	{"limit 101", LIT("limit=101"), -1, BAD_LIMIT},
	{"limit 01", LIT("limit=01"), -1, BAD_LIMIT},
	{"limit -1", LIT("limit=-1"), -1, BAD_LIMIT},
	{"limit -0", LIT("limit=-0"), -1, BAD_LIMIT},
	{"limit 1.0", LIT("limit=1.0"), -1, BAD_LIMIT},
	{"limit 1e2", LIT("limit=1e2"), -1, BAD_LIMIT},
	{"limit 0x10", LIT("limit=0x10"), -1, BAD_LIMIT},
	{"limit %2B1", LIT("limit=%2B1"), -1, BAD_LIMIT},
	{"limit space 1", LIT("limit=+1"), -1, BAD_LIMIT},
	{"limit 1 space", LIT("limit=1+"), -1, BAD_LIMIT},
	{"offset 100001", LIT("offset=100001"), -1, BAD_OFFSET},
	{"offset past long long", LIT("offset=99999999999999999999"), -1, BAD_OFFSET},
	{"offset 2^64", LIT("offset=18446744073709551616"), -1, BAD_OFFSET},
	{"offset 2^63", LIT("offset=9223372036854775808"), -1, BAD_OFFSET},

	/* Empty values. */
	{"lat=", LIT("lat="), -1, EMPTY("lat")},
	{"bare key", LIT("lat"), -1, EMPTY("lat")},
	{"empty list", LIT("day="), -1, EMPTY("day")},
	{"empty limit", LIT("limit"), -1, EMPTY("limit")},

	/* Keys are compared whole and exactly. */
	{"prefix of a key", LIT("la=1"), -1, UNKNOWN("la")},
	{"key plus a letter", LIT("latt=1"), -1, UNKNOWN("latt")},
	{"key plus underscore", LIT("lat_=1"), -1, UNKNOWN("lat_")},
	{"plural key", LIT("fellowships=aa"), -1, UNKNOWN("fellowships")},
	{"upper case", LIT("LAT=1"), -1, UNKNOWN("LAT")},
	{"capitalised", LIT("Lat=1"), -1, UNKNOWN("Lat")},
	{"trailing space in a key", LIT("lat+=1"), -1, UNKNOWN("lat ")},
	{"unknown before a bad value", LIT("foo=1&lat=100"), -1, UNKNOWN("foo")},
	{"utf-8 key", LIT("%C3%A9=1"), -1, UNKNOWN("\xC3\xA9")},
	{"key of the full length", LIT("abcdefghijabcdefghijabcdefghij12=1"), -1,
	 UNKNOWN("abcdefghijabcdefghijabcdefghij12")},

	/* Repeated keys, however they are spelled. */
	{"lat twice", LIT("lat=1&lat=2"), -1, REPEATED("lat")},
	{"lat twice, once escaped", LIT("lat=1&l%61t=1"), -1, REPEATED("lat")},
	{"day twice", LIT("day=1&day=2"), -1, REPEATED("day")},
	{"limit twice around another", LIT("limit=1&offset=1&limit=1"), -1, REPEATED("limit")},
	{"repeat found before empty", LIT("lat=1&lat="), -1, REPEATED("lat")},

	/* Lists. */
	{"empty item", LIT("day=1,,2"), -1, BAD_DAY},
	{"leading comma", LIT("day=,1"), -1, BAD_DAY},
	{"trailing comma", LIT("day=1,"), -1, BAD_DAY},
	{"lone comma", LIT("day=,"), -1, BAD_DAY},
	{"day 7", LIT("day=7"), -1, BAD_DAY},
	{"day -1", LIT("day=-1"), -1, BAD_DAY},
	{"day 01", LIT("day=01"), -1, BAD_DAY},
	{"day with a space", LIT("day=1,+2"), -1, BAD_DAY},
	{"21 days", LIT("day=" DAYS20 ",3"), -1, BAD_DAY},
	{"attendance not a choice", LIT("attendance=inperson"), -1, UNKNOWN_ATTENDANCE("inperson")},
	{"attendance upper case", LIT("attendance=Online"), -1, UNKNOWN_ATTENDANCE("Online")},
	{"attendance prefix", LIT("attendance=on"), -1, UNKNOWN_ATTENDANCE("on")},
	{"the unknown item is named", LIT("attendance=online,hybrid,onsite"), -1,
	 UNKNOWN_ATTENDANCE("onsite")},
	{"a long unknown item is cut short", LIT("attendance=" SLUG40 "x"), -1,
	 UNKNOWN_ATTENDANCE(SLUG40 "...")},
	{"cut on a character's boundary",
	 LIT("attendance=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%C3%A9"), -1,
	 UNKNOWN_ATTENDANCE("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...")},
	{"attendance trailing comma", LIT("attendance=online,"), -1, BAD_ATTENDANCE},
	{"type with ;", LIT("type=O;DROP"), -1, BAD_TYPE},
	{"type with a quote", LIT("type=O%22"), -1, BAD_TYPE},
	{"type with a brace", LIT("type=O,%7D"), -1, BAD_TYPE},
	{"type leading dash", LIT("type=-O"), -1, BAD_TYPE},
	{"type of 13", LIT("type=ABCDEFGHIJKLM"), -1, BAD_TYPE},
	{"fellowship upper case", LIT("fellowship=AA"), -1, BAD_FELLOWSHIP},
	{"fellowship underscore", LIT("fellowship=a_a"), -1, BAD_FELLOWSHIP},
	{"fellowship double dash", LIT("fellowship=al--anon"), -1, BAD_FELLOWSHIP},
	{"fellowship utf-8", LIT("fellowship=%C3%A9"), -1, BAD_FELLOWSHIP},
	{"fellowship of 41", LIT("fellowship=" SLUG40 "x"), -1, BAD_FELLOWSHIP},

	/* Lists of free text: names counted in characters, not bytes. */
	{"region", LIT("region=Loop"), 0, "region=[Loop]"},
	{"regions", LIT("region=Loop,Ash+G"), 0, "region=[Loop,Ash G]"},
	{"region of 5 characters, 10 bytes", LIT("region=%C3%89%C3%A9%C3%A9%C3%A9%C3%A9"), 0,
	 "region=[\xC3\x89\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9]"},
	{"region with an apostrophe, a dot, a dash", LIT("region=O'k.-"), 0, "region=[O'k.-]"},
	{"region of 6 characters", LIT("region=Uptown"), -1, BAD_REGION},
	{"region of 6 accented characters", LIT("region=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"), -1,
	 BAD_REGION},
	{"region with a quote", LIT("region=a%22b"), -1, BAD_REGION},
	{"region with a backslash", LIT("region=a%5Cb"), -1, BAD_REGION},
	{"region with a newline", LIT("region=a%0Ab"), -1, BAD_REGION},
	{"region with a tab", LIT("region=a%09b"), -1, BAD_REGION},
	{"region with DEL", LIT("region=a%7Fb"), -1, BAD_REGION},
	{"region with a C1 control", LIT("region=a%C2%85b"), -1, BAD_REGION},
	{"region empty item", LIT("region=a,,b"), -1, BAD_REGION},
	{"region trailing comma", LIT("region=a,"), -1, BAD_REGION},
	{"21 regions", LIT("region=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u"), -1, BAD_REGION},
	{"20 regions", LIT("region=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t"), 0,
	 "region=[a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t]"},
};

/* Appends to buf, a string of cap bytes, without overflowing it. */
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

/* The set fields of p, in rule order, e.g. "lat=1 day=[1,2] limit=5". */
static void describe_params(const struct test_params *p, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (size_t i = 0; i < rules.n; i++) {
		const struct param_rule *rule = &rules.rule[i];
		const char *field = (const char *)p + rule->offset;
		const char *sep = buf[0] ? " " : "";

		if (rule->type == PARAM_NUMBER) {
			const struct param_number *n = (const struct param_number *)field;

			if (n->set)
				append(buf, cap, "%s%s=%.15g", sep, rule->name, n->value);
		} else if (rule->type == PARAM_INTEGER) {
			const struct param_integer *n = (const struct param_integer *)field;

			if (n->set)
				append(buf, cap, "%s%s=%lld", sep, rule->name, n->value);
		} else {
			const struct param_list *l = (const struct param_list *)field;

			if (!l->set)
				continue;
			append(buf, cap, "%s%s=[", sep, rule->name);
			for (size_t k = 0; k < l->count; k++)
				append(buf, cap, "%s%.*s", k ? "," : "", (int)l->lens[k],
				       l->items[k]);
			append(buf, cap, "]");
		}
	}
}

static void describe_error(const struct api_error *err, char *buf, size_t cap)
{
	snprintf(buf, cap, "%d %s %s: %s", err->status, err->code ? err->code : "(null)",
		 err->param, err->message);
}

/* No number that parsed may be negative zero: "-0" must come out as 0. */
static int has_negative_zero(const struct test_params *p)
{
	const struct param_number *numbers[] = {&p->lat, &p->lng, &p->radius_km};

	for (size_t i = 0; i < 3; i++) {
		if (numbers[i]->set && numbers[i]->value == 0 && signbit(numbers[i]->value))
			return 1;
	}
	return 0;
}

static int run_parse_case(const struct parse_case *c)
{
	char *input = malloc(c->len > 0 ? c->len : 1);
	struct query_string qs;
	struct test_params p;
	struct api_error err;
	enum query_string_status st;
	char got[1024];
	int rc, ok = 1;

	assert_non_null(input);
	memcpy(input, c->query, c->len);
	memset(&p, 0, sizeof(p));
	memset(&err, 0, sizeof(err));
	st = query_string_parse(input, c->len, &qs, NULL);
	if (st != QUERY_STRING_OK) {
		print_error("%s: query string: %s\n", c->name, query_string_strerror(st));
		ok = 0;
		goto done;
	}
	rc = params_parse(&qs, &rules, &p, &err);
	if (rc == 0)
		describe_params(&p, got, sizeof(got));
	else
		describe_error(&err, got, sizeof(got));
	if (rc != c->rc || strcmp(got, c->want) != 0) {
		print_error("%s: %d \"%s\", want %d \"%s\"\n", c->name, rc, got, c->rc, c->want);
		ok = 0;
	} else if (rc == 0 && has_negative_zero(&p)) {
		print_error("%s: a number is negative zero\n", c->name);
		ok = 0;
	}
done:
	query_string_free(&qs);
	free(input);
	return ok;
}

static void test_params_parse(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++)
		failed += !run_parse_case(&parse_cases[i]);
	assert_int_equal(failed, 0);
}

struct number_case {
	const char *name;
	const char *input;
	size_t len;
	double min, max;
	int rc;
	double want; /* compared with its sign, so 0.0 is not -0.0 */
};

static const struct number_case number_cases[] = {
	{"zero", LIT("0"), -1, 1, 0, 0.0},
	{"-0", LIT("-0"), -1, 1, 0, 0.0},
	{"-0.000", LIT("-0.000"), -1, 1, 0, 0.0},
	{"negative", LIT("-12.5"), -100, 100, 0, -12.5},
	{"at min", LIT("-90"), -90, 90, 0, -90},
	{"at max", LIT("90"), -90, 90, 0, 90},
	{"0.1 at a min of 0.1", LIT("0.1"), 0.1, 500, 0, 0.1},
	{"sixteen integer digits", LIT("1234567890123456"), 0, 1e16, 0, 1234567890123456.0},
	{"longest accepted", LIT("-1234567890123456.123456789012345"), -1e16, 0, 0,
	 -1234567890123456.123456789012345},
	{"length shorter than the text", "12345", 2, 0, 100, 0, 12},
	{"over max", LIT("90.0000001"), -90, 90, -1, 0},
	{"under min", LIT("-90.0000001"), -90, 90, -1, 0},
	{"-0 under a min of 0.1", LIT("-0"), 0.1, 500, -1, 0},
	{"empty", LIT(""), -1, 1, -1, 0},
	{"seventeen integer digits", LIT("12345678901234567"), 0, 1e17, -1, 0},
	{"sixteen decimals", LIT("0.1234567890123456"), 0, 1, -1, 0},
	{"1e999", LIT("1e999"), -1e308, 1e308, -1, 0},
	{"1E5", LIT("1E5"), 0, 1e6, -1, 0},
	{"NaN", LIT("NaN"), -1, 1, -1, 0},
	{"nan", LIT("nan"), -1, 1, -1, 0},
	{"inf", LIT("inf"), -1e308, 1e308, -1, 0},
	{"-inf", LIT("-inf"), -1e308, 1e308, -1, 0},
	{"Infinity", LIT("Infinity"), -1e308, 1e308, -1, 0},
	{"0x10", LIT("0x10"), 0, 100, -1, 0},
	{"+1", LIT("+1"), 0, 10, -1, 0},
	{".5", LIT(".5"), 0, 10, -1, 0},
	{"1.", LIT("1."), 0, 10, -1, 0},
	{"01", LIT("01"), 0, 10, -1, 0},
	{"leading space", LIT(" 1"), 0, 10, -1, 0},
	{"trailing space", LIT("1 "), 0, 10, -1, 0},
	{"trailing newline", LIT("1\n"), 0, 10, -1, 0},
	{"raw NUL inside the length", LIT("1\0"), 0, 10, -1, 0},
	{"raw NUL then digits",
	 LIT("1\0"
	     "2"),
	 0, 100, -1, 0},
	{"longer than any number", LIT("0.00000000000000000000000000000000000000001"), 0, 1, -1, 0},
};

static void test_params_number(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++) {
		const struct number_case *c = &number_cases[i];
		char *input = malloc(c->len > 0 ? c->len : 1);
		double got = 4242.0; /* must stay untouched on failure */
		int rc;

		assert_non_null(input);
		memcpy(input, c->input, c->len);
		rc = params_number(input, c->len, c->min, c->max, &got);
		if (rc != c->rc ||
		    (rc == 0 && (got != c->want || signbit(got) != signbit(c->want))) ||
		    (rc != 0 && got != 4242.0)) {
			print_error("%s: %d %.17g, want %d %.17g\n", c->name, rc, got, c->rc,
				    c->want);
			failed++;
		}
		free(input);
	}
	assert_int_equal(failed, 0);
}

struct integer_case {
	const char *name;
	const char *input;
	size_t len;
	long long min, max;
	int rc;
	long long want;
};

static const struct integer_case integer_cases[] = {
	{"zero", LIT("0"), 0, 10, 0, 0},
	{"at min", LIT("1"), 1, 100, 0, 1},
	{"at max", LIT("100"), 1, 100, 0, 100},
	{"eighteen digits", LIT("999999999999999999"), 0, LLONG_MAX, 0, 999999999999999999LL},
	{"length shorter than the text", "12345", 3, 0, 1000, 0, 123},
	{"under min", LIT("0"), 1, 100, -1, 0},
	{"over max", LIT("101"), 1, 100, -1, 0},
	{"empty", LIT(""), 0, 10, -1, 0},
	{"nineteen digits", LIT("1000000000000000000"), 0, LLONG_MAX, -1, 0},
	{"LLONG_MAX", LIT("9223372036854775807"), 0, LLONG_MAX, -1, 0},
	{"past long long", LIT("99999999999999999999"), 0, LLONG_MAX, -1, 0},
	{"2^64 + 1 would wrap to 1", LIT("18446744073709551617"), 0, LLONG_MAX, -1, 0},
	{"negative", LIT("-1"), LLONG_MIN, LLONG_MAX, -1, 0},
	{"-0", LIT("-0"), -10, 10, -1, 0},
	{"+1", LIT("+1"), 0, 10, -1, 0},
	{"01", LIT("01"), 0, 10, -1, 0},
	{"00", LIT("00"), 0, 10, -1, 0},
	{"1.0", LIT("1.0"), 0, 10, -1, 0},
	{"1e2", LIT("1e2"), 0, 1000, -1, 0},
	{"0x10", LIT("0x10"), 0, 100, -1, 0},
	{"leading space", LIT(" 1"), 0, 10, -1, 0},
	{"trailing space", LIT("1 "), 0, 10, -1, 0},
	{"raw NUL inside the length", LIT("1\0"), 0, 10, -1, 0},
};

static void test_params_real_date(void **state)
{
	(void)state;
	assert_true(params_real_date("2024-02-29"));
	assert_true(params_real_date("2000-02-29T10:00"));
	assert_true(params_real_date("1900-01-01"));
	assert_true(params_real_date("2200-12-31"));
	assert_false(params_real_date("2026-02-29"));
	assert_false(params_real_date("1900-02-29")); /* not a leap year */
	assert_false(params_real_date("2026-04-31"));
	assert_false(params_real_date("1899-12-31"));
	assert_false(params_real_date("2201-01-01"));
}

static void test_params_integer(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(integer_cases) / sizeof(integer_cases[0]); i++) {
		const struct integer_case *c = &integer_cases[i];
		char *input = malloc(c->len > 0 ? c->len : 1);
		long long got = 4242; /* must stay untouched on failure */
		int rc;

		assert_non_null(input);
		memcpy(input, c->input, c->len);
		rc = params_integer(input, c->len, c->min, c->max, &got);
		if (rc != c->rc || (rc == 0 && got != c->want) || (rc != 0 && got != 4242)) {
			print_error("%s: %d %lld, want %d %lld\n", c->name, rc, got, c->rc,
				    c->want);
			failed++;
		}
		free(input);
	}
	assert_int_equal(failed, 0);
}

struct array_case {
	const char *name;
	const char *items; /* comma-separated; "" is an empty list */
	size_t cap;
	int rc;
	const char *want;
};

#define IP4 "in_person,in_person,in_person,in_person"
#define QIP4 "\"in_person\",\"in_person\",\"in_person\",\"in_person\""

static const struct array_case array_cases[] = {
	{"one item, exact fit", "aa", 7, 0, "{\"aa\"}"},
	/* The longest list the meetings route allows fits PARAM_ARRAY_CAP. */
	{"20 in_person, exact fit", IP4 "," IP4 "," IP4 "," IP4 "," IP4, PARAM_ARRAY_CAP(9), 0,
	 "{" QIP4 "," QIP4 "," QIP4 "," QIP4 "," QIP4 "}"},
	{"20 in_person, one byte short", IP4 "," IP4 "," IP4 "," IP4 "," IP4,
	 PARAM_ARRAY_CAP(9) - 1, -1, NULL},
	{"two items, exact fit", "aa,na", 12, 0, "{\"aa\",\"na\"}"},
	{"two items, one byte short", "aa,na", 11, -1, NULL},
	{"two items, roomy", "aa,na", 64, 0, "{\"aa\",\"na\"}"},
	{"one item, one byte spare", "aa", 8, 0, "{\"aa\"}"},
	{"one item, one byte short", "aa", 6, -1, NULL},
	{"three items, exact fit", "O,W,MOUD", 17, 0, "{\"O\",\"W\",\"MOUD\"}"},
	{"three items, one byte short", "O,W,MOUD", 16, -1, NULL},
	{"20 days, exact fit", DAYS20, 82, 0,
	 "{\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"0\","
	 "\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"}"},
	{"20 days, one byte short", DAYS20, 81, -1, NULL},
	{"empty list", "", 3, 0, "{}"},
	{"empty list, one byte short", "", 2, -1, NULL},
	{"no room at all", "aa", 0, -1, NULL},
	{"room for braces only", "aa", 3, -1, NULL},
};

/* Fills list from a comma-separated copy in text; the items are not
 * NUL-terminated, as in a parsed query string. */
static void split_list(char *text, struct param_list *list)
{
	size_t len = strlen(text), start = 0;

	memset(list, 0, sizeof(*list));
	list->set = 1;
	while (len > 0 && start <= len && list->count < PARAM_LIST_MAX) {
		const char *comma = memchr(text + start, ',', len - start);
		size_t end = comma ? (size_t)(comma - text) : len;

		list->items[list->count] = text + start;
		list->lens[list->count] = end - start;
		list->count++;
		start = end + 1;
	}
}

static int run_array_case(const struct array_case *c)
{
	char *text = strdup(c->items);
	char *buf = malloc(c->cap > 0 ? c->cap : 1); /* exactly cap: ASan sees overflows */
	struct param_list list;
	int rc, ok = 1;

	assert_non_null(text);
	assert_non_null(buf);
	split_list(text, &list);
	memset(buf, '#', c->cap > 0 ? c->cap : 1);
	rc = params_list_to_array(&list, buf, c->cap);
	if (rc != c->rc ||
	    (rc == 0 && (memchr(buf, '\0', c->cap) == NULL || strcmp(buf, c->want) != 0))) {
		print_error("%s: %d \"%.*s\", want %d \"%s\"\n", c->name, rc,
			    rc == 0 ? (int)c->cap : 0, buf, c->rc, c->want ? c->want : "");
		ok = 0;
	}
	free(buf);
	free(text);
	return ok;
}

static void test_params_list_to_array(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(array_cases) / sizeof(array_cases[0]); i++)
		failed += !run_array_case(&array_cases[i]);
	assert_int_equal(failed, 0);
}

/* A list parsed from a query string becomes an array literal. */
static void test_params_list_from_query(void **state)
{
	struct query_string qs;
	struct test_params p;
	struct api_error err;
	char buf[12];

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(query_string_parse(LIT("fellowship=aa,na"), &qs, NULL), QUERY_STRING_OK);
	assert_int_equal(params_parse(&qs, &rules, &p, &err), 0);
	assert_int_equal(params_list_to_array(&p.fellowship, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "{\"aa\",\"na\"}");
	assert_int_equal(params_list_to_array(&p.fellowship, buf, sizeof(buf) - 1), -1);
	query_string_free(&qs);
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
		cmocka_unit_test(test_params_parse),
		cmocka_unit_test(test_params_number),
		cmocka_unit_test(test_params_integer),
		cmocka_unit_test(test_params_real_date),
		cmocka_unit_test(test_params_list_to_array),
		cmocka_unit_test(test_params_list_from_query),
	};

	return cmocka_run_group_tests_name("params", tests, setup, teardown);
}
