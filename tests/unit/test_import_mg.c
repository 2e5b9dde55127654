/*
 * Unit tests for fcgi/src/import_mg.c (Meeting Guide JSON) and, since every
 * spreadsheet row goes through the same record reader, for
 * fcgi/src/import_csv.c. Each case is a whole file and the batch it must
 * give, written out by describe_batch(): one line per meeting (only the
 * fields that are set), then the rejects, then the warnings. The hostile
 * inputs are rows of the same tables.
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

/* A literal and its length, so that an input may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

/* The fields most records need, and how they are described. */
#define BASE "\"name\":\"A\",\"day\":1,\"time\":\"19:00\""
#define BASE_OUT "#1 name='A' day=1 start=19:00"
#define OUT_OF_PLACE "the meeting is placed from its address instead"

/* 64 three-byte characters: a header cell as long as is read, in bytes
 * three times that (the fuzzer found a buffer sized in characters). */
#define SMILES_4 "\xe2\x98\xba\xe2\x98\xba\xe2\x98\xba\xe2\x98\xba"
#define SMILES_16 SMILES_4 SMILES_4 SMILES_4 SMILES_4
#define SMILES_64 SMILES_16 SMILES_16 SMILES_16 SMILES_16
#define E_10 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"

struct batch_case {
	const char *name;
	const char *input;
	size_t len;
	int rc;
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

/* ` name='value'`, with line breaks shown as \n. */
static void text(char *buf, size_t cap, const char *name, const char *value)
{
	if (value == NULL)
		return;
	append(buf, cap, " %s='", name);
	for (const char *p = value; *p; p++)
		append(buf, cap, *p == '\n' ? "\\n" : "%c", *p);
	append(buf, cap, "'");
}

static void list(char *buf, size_t cap, const char *name, char **items, size_t n)
{
	if (n == 0)
		return;
	append(buf, cap, " %s=[", name);
	for (size_t i = 0; i < n; i++)
		append(buf, cap, "%s%s", i ? "," : "", items[i]);
	append(buf, cap, "]");
}

static void describe_meeting(const struct import_meeting *m, char *buf, size_t cap)
{
	static const char *const attendance[] = {"", "in_person", "online", "hybrid", "inactive"};

	append(buf, cap, "#%d", m->row);
	text(buf, cap, "key", m->key);
	text(buf, cap, "name", m->name);
	if (m->day >= 0)
		append(buf, cap, " day=%d", m->day);
	if (m->start_min >= 0)
		append(buf, cap, " start=%02d:%02d", m->start_min / 60, m->start_min % 60);
	if (m->end_min >= 0)
		append(buf, cap, " end=%02d:%02d", m->end_min / 60, m->end_min % 60);
	if (m->day < 0 && m->start_min < 0)
		append(buf, cap, " by-appointment");
	text(buf, cap, "tz", m->timezone);
	if (m->attendance != ATTEND_UNSAID)
		append(buf, cap, " attendance=%s", attendance[m->attendance]);
	list(buf, cap, "types", m->types, m->ntypes);
	text(buf, cap, "notes", m->notes);
	text(buf, cap, "group", m->group_name);
	text(buf, cap, "group_notes", m->group_notes);
	text(buf, cap, "conference_url", m->conference_url);
	text(buf, cap, "conference_url_notes", m->conference_url_notes);
	text(buf, cap, "conference_phone", m->conference_phone);
	text(buf, cap, "conference_phone_notes", m->conference_phone_notes);
	text(buf, cap, "location", m->location_name);
	text(buf, cap, "location_notes", m->location_notes);
	text(buf, cap, "address", m->address);
	text(buf, cap, "city", m->city);
	text(buf, cap, "region", m->region);
	text(buf, cap, "postal_code", m->postal_code);
	text(buf, cap, "country", m->country);
	text(buf, cap, "formatted_address", m->formatted_address);
	list(buf, cap, "regions", m->regions, m->nregions);
	if (m->has_point)
		append(buf, cap, " point=%.5f,%.5f", m->lat, m->lng);
	if (m->approximate != APPROX_UNSAID)
		append(buf, cap, m->approximate == APPROX_YES ? " approximate" : " approximate=no");
	text(buf, cap, "url", m->url);
	text(buf, cap, "feedback_url", m->feedback_url);
	text(buf, cap, "venmo", m->venmo);
	text(buf, cap, "paypal", m->paypal);
	text(buf, cap, "square", m->square);
	text(buf, cap, "updated", m->updated);
	text(buf, cap, "fellowship", m->fellowship);
	text(buf, cap, "contacts", m->contacts);
}

static void describe_batch(const struct import_batch *b, int rc, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (rc != 0)
		append(buf, cap, "error: %s", b->error);
	for (size_t i = 0; i < b->count; i++) {
		append(buf, cap, "%s", buf[0] ? "\n" : "");
		describe_meeting(&b->meetings[i], buf, cap);
	}
	for (size_t i = 0; i < b->nrejects; i++)
		append(buf, cap, "%sreject #%d [%s]: %s", buf[0] ? "\n" : "", b->rejects[i].row,
		       b->rejects[i].key ? b->rejects[i].key : "", b->rejects[i].message);
	for (size_t i = 0; i < b->nwarnings; i++)
		append(buf, cap, "%swarn #%d [%s]: %s", buf[0] ? "\n" : "", b->warnings[i].row,
		       b->warnings[i].key ? b->warnings[i].key : "", b->warnings[i].message);
}

typedef int (*parser)(const char *, size_t, const struct import_options *, struct import_batch *);

/* Runs one case on a copy of its input that has no NUL after it. */
static int run_case(parser parse, const struct batch_case *c)
{
	static char got[16384];
	struct import_batch batch = {0};
	struct import_options options = {0};
	char *input = malloc(c->len ? c->len : 1);
	int rc, ok = 1;

	assert_non_null(input);
	memcpy(input, c->input, c->len);
	rc = parse(input, c->len, &options, &batch);
	describe_batch(&batch, rc, got, sizeof(got));
	if (rc != c->rc || strcmp(got, c->want) != 0) {
		print_error("%s:\n  got  %d \"%s\"\n  want %d \"%s\"\n", c->name, rc, got, c->rc,
			    c->want);
		ok = 0;
	}
	import_batch_free(&batch);
	free(input);
	return ok;
}

static const struct batch_case file_cases[] = {
	{"empty array", LIT("[]"), 0, ""},
	{"byte order mark", LIT("\xEF\xBB\xBF[]"), 0, ""},
	{"an object", LIT("{\"name\":\"A\"}"), -1,
	 "error: expected a JSON array of meetings; the file holds an object"},
	{"a string", LIT("\"meetings\""), -1,
	 "error: expected a JSON array of meetings; the file holds a string"},
	{"a number", LIT("42"), -1,
	 "error: expected a JSON array of meetings; the file holds a number"},
	{"null", LIT("null"), -1, "error: expected a JSON array of meetings; the file holds null"},
	{"true", LIT("true"), -1,
	 "error: expected a JSON array of meetings; the file holds a boolean"},
	{"empty file", LIT(""), -1, "error: the file is empty"},
	{"only spaces", LIT(" \r\n\t "), -1, "error: the file is empty"},
	{"only a byte order mark", LIT("\xEF\xBB\xBF"), -1, "error: the file is empty"},
	{"cut short", LIT("[{\"name\":\"A\"},"), -1,
	 "error: not JSON: the file ends before the JSON does at line 1, column 15"},
	{"bad value on line 3", LIT("[\n {\"name\":\"A\"},\n {\"name\": }\n]"), -1,
	 "error: not JSON: unexpected character at line 3, column 11"},
	{"column counts characters", LIT("[\"é\", x]"), -1,
	 "error: not JSON: unexpected character at line 1, column 7"},
	{"text after the array", LIT("[] x"), -1,
	 "error: not JSON: more text after the end of the JSON at line 1, column 4"},
	{"two arrays", LIT("[]\n[]"), -1,
	 "error: not JSON: more text after the end of the JSON at line 2, column 1"},
	{"NUL byte", LIT("[\"a\0\"]"), -1, "error: not JSON: a NUL byte at line 1, column 4"},
	{"binary", LIT("\x89PNG\r\n"), -1,
	 "error: not JSON: unexpected character at line 1, column 1"},
	{"too deep",
	 LIT("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
	 -1, "error: not JSON: nesting too deep at line 1, column 33"},
	{"rows that are not objects", LIT("[\"x\", null, 3, [], true, {" BASE "}]"), 0,
	 "#6 name='A' day=1 start=19:00\n"
	 "reject #1 []: row is a string, not an object\n"
	 "reject #2 []: row is null, not an object\n"
	 "reject #3 []: row is a number, not an object\n"
	 "reject #4 []: row is an array, not an object\n"
	 "reject #5 []: row is a boolean, not an object"},
	{"every other key ignored",
	 LIT("[{" BASE ",\"id\":7,\"edit_url\":\"https://x.org/e\",\"author\":\"me\","
	     "\"location_url\":\"https://x.org/l\",\"time_formatted\":\"7 pm\",\"append\":\" \","
	     "\"entity\":\"Intergroup\",\"last_contact\":\"2023-08-28\",\"nested\":{\"a\":[1]}}]"),
	 0, BASE_OUT},
};

#define SLUG100 \
	"a_23456789b_23456789c_23456789d_23456789e_23456789" \
	"f_23456789g_23456789h_23456789i_23456789j_23456789"

static const struct batch_case key_name_cases[] = {
	{"the minimal meeting",
	 LIT("[{\"name\":\"A\",\"slug\":\"a\",\"day\":1,\"time\":\"19:30\"}]"), 0,
	 "#1 key='a' name='A' day=1 start=19:30"},
	{"integer slug", LIT("[{" BASE ",\"slug\":254}]"), 0,
	 "#1 key='254' name='A' day=1 start=19:00"},
	/* Slugs are kept as the feed wrote them, character for character,
	 * so that the export gives them back (import.c checks their length
	 * and characters). */
	{"slug kept as written, spaces and all", LIT("[{" BASE ",\"slug\":\"  Big Book \"}]"), 0,
	 "#1 key='  Big Book ' name='A' day=1 start=19:00"},
	{"slug with underscores and capitals", LIT("[{" BASE ",\"slug\":\"Big_Book-Study\"}]"), 0,
	 "#1 key='Big_Book-Study' name='A' day=1 start=19:00"},
	{"slug with markup and accents", LIT("[{" BASE ",\"slug\":\"<b>caf\u00e9</b>&amp;\"}]"), 0,
	 "#1 key='<b>caf\xc3\xa9</b>&amp;' name='A' day=1 start=19:00"},
	{"slug of 100 characters", LIT("[{" BASE ",\"slug\":\"" SLUG100 "\"}]"), 0,
	 "#1 key='" SLUG100 "' name='A' day=1 start=19:00"},
	{"empty slug", LIT("[{" BASE ",\"slug\":\"\"}]"), 0, BASE_OUT},
	{"blank slug", LIT("[{" BASE ",\"slug\":\" \\t \"}]"), 0, BASE_OUT},
	{"boolean slug", LIT("[{" BASE ",\"slug\":true}]"), 0,
	 BASE_OUT "\nwarn #1 []: slug is a boolean, not text; the meeting gets a slug of its own"},
	{"slug with a NUL byte", LIT("[{" BASE ",\"slug\":\"a\\u0000b\"}]"), 0,
	 BASE_OUT "\nwarn #1 []: slug holds a NUL byte; the meeting gets a slug of its own"},
	{"no name", LIT("[{\"slug\":\"a\",\"day\":1,\"time\":\"19:00\"}]"), 0,
	 "reject #1 [a]: no name"},
	{"empty name", LIT("[{\"name\":\"\",\"day\":1}]"), 0, "reject #1 []: no name"},
	{"blank name", LIT("[{\"name\":\" \\t\\n \",\"day\":1}]"), 0, "reject #1 []: no name"},
	{"markup-only name", LIT("[{\"name\":\"<br>\",\"day\":1}]"), 0, "reject #1 []: no name"},
	{"null name", LIT("[{\"name\":null,\"day\":1}]"), 0, "reject #1 []: no name"},
	{"array name", LIT("[{\"name\":[\"A\"],\"day\":1}]"), 0, "reject #1 []: no name"},
	{"number name", LIT("[{\"name\":123,\"day\":1,\"time\":\"19:00\"}]"), 0,
	 "#1 name='123' day=1 start=19:00"},
	{"name with markup and breaks",
	 LIT("[{\"name\":\"<b>Tom</b> &amp; Jerry\\nGroup\\u0000\",\"day\":1,\"time\":\"19:00\"}]"),
	 0, "#1 name='Tom & Jerry Group' day=1 start=19:00"},
	/* An issue keeps 80 bytes of its key: cut between characters. */
	{"a long key in two-byte characters",
	 LIT("[{\"name\":\"" E_10 E_10 E_10 E_10 E_10 "\",\"day\":\"x\"}]"), 0,
	 "reject #1 [" E_10 E_10 E_10 E_10 "]: day \"x\" is not a day of the week"},
	{"no name is rejected before a bad day", LIT("[{\"day\":9}]"), 0, "reject #1 []: no name"},
};

static const struct batch_case day_time_cases[] = {
	{"by appointment", LIT("[{\"name\":\"A\"}]"), 0, "#1 name='A' by-appointment"},
	{"by appointment with nulls",
	 LIT("[{\"name\":\"A\",\"day\":null,\"time\":null,\"end_time\":null,\"types\":null,"
	     "\"notes\":null,\"latitude\":null,\"longitude\":null,\"regions\":null,"
	     "\"conference_url\":null,\"attendance_option\":null,\"updated\":null}]"),
	 0, "#1 name='A' by-appointment"},
	{"a day but no time", LIT("[{\"name\":\"A\",\"day\":2}]"), 0,
	 "#1 name='A' by-appointment\n"
	 "warn #1 [A]: a day but no time: listed as by appointment"},
	{"a day and an empty time", LIT("[{\"name\":\"A\",\"day\":2,\"time\":\"\"}]"), 0,
	 "#1 name='A' by-appointment\n"
	 "warn #1 [A]: a day but no time: listed as by appointment"},
	{"a time but no day", LIT("[{\"name\":\"A\",\"time\":\"19:00\",\"end_time\":\"20:00\"}]"),
	 0,
	 "#1 name='A' by-appointment\n"
	 "warn #1 [A]: a time but no day: listed as by appointment"},
	{"day names and forms",
	 LIT("[{\"name\":\"A\",\"day\":\"Tuesday\",\"time\":\"7 pm\"},"
	     "{\"name\":\"B\",\"day\":\"domingo\",\"time\":\"8:00 AM\"},"
	     "{\"name\":\"C\",\"day\":\"3\",\"time\":\"19:30:00\"},"
	     "{\"name\":\"D\",\"day\":6.0,\"time\":\"noon\"}]"),
	 0,
	 "#1 name='A' day=2 start=19:00\n#2 name='B' day=0 start=08:00\n"
	 "#3 name='C' day=3 start=19:30\n#4 name='D' day=6 start=12:00"},
	{"several days", LIT("[{\"name\":\"A\",\"slug\":\"a\",\"day\":[4,1],\"time\":\"7 pm\"}]"),
	 0, "#1 key='a-mon' name='A' day=1 start=19:00\n#1 key='a-thu' name='A' day=4 start=19:00"},
	{"several days without a slug", LIT("[{\"name\":\"A\",\"day\":[0,6],\"time\":\"07:00\"}]"),
	 0, "#1 name='A' day=0 start=07:00\n#1 name='A' day=6 start=07:00"},
	{"several days in a string",
	 LIT("[{\"name\":\"A\",\"slug\":\"a\",\"day\":\"Monday, Thursday\",\"time\":\"19:00\","
	     "\"types\":[\"O\"],\"regions\":[\"R\"]}]"),
	 0,
	 "#1 key='a-mon' name='A' day=1 start=19:00 types=[O] regions=[R]\n"
	 "#1 key='a-thu' name='A' day=4 start=19:00 types=[O] regions=[R]"},
	{"one day in an array",
	 LIT("[{\"name\":\"A\",\"slug\":\"6\",\"day\":[6],\"time\":\"11:00 AM\"}]"), 0,
	 "#1 key='6' name='A' day=6 start=11:00"},
	{"repeated days",
	 LIT("[{\"name\":\"A\",\"slug\":\"a\",\"day\":[1,1,\"Monday\",null],\"time\":\"9:00\"}]"),
	 0, "#1 key='a' name='A' day=1 start=09:00"},
	{"empty day array", LIT("[{\"name\":\"A\",\"day\":[],\"time\":\"9:00\"}]"), 0,
	 "#1 name='A' by-appointment\nwarn #1 [A]: a time but no day: listed as by appointment"},
	{"day -0", LIT("[{\"name\":\"A\",\"day\":-0,\"time\":\"9:00\"}]"), 0,
	 "#1 name='A' day=0 start=09:00"},
	{"day 7", LIT("[{\"name\":\"A\",\"day\":7,\"time\":\"9:00\"}]"), 0,
	 "reject #1 [A]: day \"7\" is not a day of the week"},
	{"day -1", LIT("[{\"name\":\"A\",\"slug\":\"s\",\"day\":-1}]"), 0,
	 "reject #1 [s]: day \"-1\" is not a day of the week"},
	{"day 1.5", LIT("[{\"name\":\"A\",\"day\":1.5}]"), 0,
	 "reject #1 [A]: day \"1.5\" is not a day of the week"},
	{"day Funday", LIT("[{\"name\":\"A\",\"day\":\"Funday\"}]"), 0,
	 "reject #1 [A]: day \"Funday\" is not a day of the week"},
	{"one bad day in a list", LIT("[{\"name\":\"A\",\"day\":[1,\"x\"]}]"), 0,
	 "reject #1 [A]: day \"x\" is not a day of the week"},
	{"one bad day in a string", LIT("[{\"name\":\"A\",\"day\":\"Monday, Caturday\"}]"), 0,
	 "reject #1 [A]: day \"Caturday\" is not a day of the week"},
	{"day object", LIT("[{\"name\":\"A\",\"day\":{}}]"), 0,
	 "reject #1 [A]: day is an object, not a day of the week"},
	{"day boolean", LIT("[{\"name\":\"A\",\"day\":true}]"), 0,
	 "reject #1 [A]: day is a boolean, not a day of the week"},
	{"nested day array", LIT("[{\"name\":\"A\",\"day\":[[1]]}]"), 0,
	 "reject #1 [A]: day is an array, not a day of the week"},
	{"a long bad day is cut in the message",
	 LIT("[{\"name\":\"A\",\"day\":\"abcdefghijabcdefghijabcdefghijabcdefghijXYZ\"}]"), 0,
	 "reject #1 [A]: day \"abcdefghijabcdefghijabcdefghijabcdefghij...\" is not a day of the "
	 "week"},
	{"time 25:99", LIT("[{\"name\":\"A\",\"day\":1,\"time\":\"25:99\"}]"), 0,
	 "reject #1 [A]: time \"25:99\" is not a time of day"},
	{"time as a number", LIT("[{\"name\":\"A\",\"day\":1,\"time\":1930}]"), 0,
	 "reject #1 [A]: time \"1930\" is not a time of day"},
	{"bad time without a day", LIT("[{\"name\":\"A\",\"time\":\"later\"}]"), 0,
	 "reject #1 [A]: time \"later\" is not a time of day"},
	{"end past midnight", LIT("[{" BASE ",\"end_time\":\"00:00\"}]"), 0, BASE_OUT " end=00:00"},
	{"bad end time", LIT("[{" BASE ",\"end_time\":\"soon\"}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: end_time \"soon\" is not a time of day; the meeting has no end "
		  "time"},
	{"twelve-hour end", LIT("[{" BASE ",\"end_time\":\"8:15 PM\"}]"), 0, BASE_OUT " end=20:15"},
};

static const struct batch_case field_cases[] = {
	{"types as an array",
	 LIT("[{" BASE ",\"types\":[\"O\",1,\" \",\"O\",null,{},\"onl\",\"ONL\"]}]"), 0,
	 BASE_OUT " types=[O,1,onl,ONL]"},
	{"types as a string", LIT("[{" BASE ",\"types\":\"O, C,,W , \"}]"), 0,
	 BASE_OUT " types=[O,C,W]"},
	{"types as full names", LIT("[{" BASE ",\"types\":[\"Closed\",\"Wheelchair Access\"]}]"), 0,
	 BASE_OUT " types=[Closed,Wheelchair Access]"},
	{"a type too long",
	 LIT("[{" BASE ",\"types\":[\"O\",\"This meeting is for anyone who wants to stop "
	     "drinking\"]}]"),
	 0,
	 BASE_OUT " types=[O]\nwarn #1 [A]: type \"This meeting is for anyone who wants to...\" "
		  "is longer than 40 characters; dropped"},
	{"types of other kinds", LIT("[{" BASE ",\"types\":{\"O\":1}}]"), 0, BASE_OUT},
	{"notes with markup",
	 LIT("[{" BASE ",\"notes\":\"Zoom ID: 123<br>Passcode: 4<br/><br/>&nbsp;Be kind &amp; "
	     "on time\",\"group_notes\":\"\\t\\t\\t            \",\"location_notes\":\"<p>Side "
	     "door</p>\"}]"),
	 0,
	 BASE_OUT " notes='Zoom ID: 123\\nPasscode: 4\\n\\nBe kind & on time' "
		  "location_notes='Side door'"},
	{"coordinates as numbers",
	 LIT("[{" BASE ",\"latitude\":33.6850173,\"longitude\":-117.8720761}]"), 0,
	 BASE_OUT " point=33.68502,-117.87208"},
	{"coordinates as strings",
	 LIT("[{" BASE ",\"latitude\":\" 41.5 \",\"longitude\":\"-87.25\"}]"), 0,
	 BASE_OUT " point=41.50000,-87.25000"},
	{"coordinates zero", LIT("[{" BASE ",\"latitude\":0,\"longitude\":0.0}]"), 0, BASE_OUT},
	{"coordinates empty", LIT("[{" BASE ",\"latitude\":\"\",\"longitude\":\"\"}]"), 0,
	 BASE_OUT},
	{"latitude out of range", LIT("[{" BASE ",\"latitude\":200,\"longitude\":10}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: latitude 200 is out of range; " OUT_OF_PLACE},
	{"longitude out of range", LIT("[{" BASE ",\"latitude\":\"10\",\"longitude\":\"-180.5\"}]"),
	 0, BASE_OUT "\nwarn #1 [A]: longitude -180.5 is out of range; " OUT_OF_PLACE},
	{"NaN", LIT("[{" BASE ",\"latitude\":NaN,\"longitude\":1}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: latitude nan is out of range; " OUT_OF_PLACE},
	{"infinity", LIT("[{" BASE ",\"latitude\":1,\"longitude\":-Infinity}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: longitude -inf is out of range; " OUT_OF_PLACE},
	{"latitude not a number", LIT("[{" BASE ",\"latitude\":\"41,5\",\"longitude\":\"1e2\"}]"),
	 0,
	 BASE_OUT "\nwarn #1 [A]: latitude \"41,5\" is not a number; " OUT_OF_PLACE
		  "\nwarn #1 [A]: longitude \"1e2\" is not a number; " OUT_OF_PLACE},
	{"latitude an array", LIT("[{" BASE ",\"latitude\":[1],\"longitude\":1}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: latitude is an array, not a number; " OUT_OF_PLACE},
	{"latitude alone", LIT("[{" BASE ",\"latitude\":41}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: latitude without longitude; " OUT_OF_PLACE},
	{"approximate yes", LIT("[{" BASE ",\"approximate\":\"yes\"}]"), 0,
	 BASE_OUT " approximate"},
	{"approximate true", LIT("[{" BASE ",\"approximate\":true}]"), 0, BASE_OUT " approximate"},
	{"approximate no", LIT("[{" BASE ",\"approximate\":\"no\"}]"), 0,
	 BASE_OUT " approximate=no"},
	{"approximate false", LIT("[{" BASE ",\"approximate\":false}]"), 0,
	 BASE_OUT " approximate=no"},
	/* Not said is not "no": import_settle.c decides from the address. */
	{"approximate absent", LIT("[{" BASE "}]"), 0, BASE_OUT},
	{"approximate null", LIT("[{" BASE ",\"approximate\":null}]"), 0, BASE_OUT},
	{"approximate other", LIT("[{" BASE ",\"approximate\":\"maybe\"}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: approximate \"maybe\" is not yes or no; taken as not said"},
	{"formatted address fills the parts",
	 LIT("[{" BASE ",\"location\":\"Watermark OC Church\","
	     "\"formatted_address\":\"3186 Pullman St, Costa Mesa, CA 92626, USA\"}]"),
	 0,
	 BASE_OUT " location='Watermark OC Church' address='3186 Pullman St' city='Costa Mesa' "
		  "region='CA' postal_code='92626' country='USA' "
		  "formatted_address='3186 Pullman St, Costa Mesa, CA 92626, USA'"},
	{"given parts win",
	 LIT("[{" BASE ",\"city\":\"Costa Mesa North\","
	     "\"formatted_address\":\"3186 Pullman St, Costa Mesa, CA 92626, USA\"}]"),
	 0,
	 BASE_OUT " address='3186 Pullman St' city='Costa Mesa North' region='CA' "
		  "postal_code='92626' "
		  "country='USA' formatted_address='3186 Pullman St, Costa Mesa, CA 92626, USA'"},
	{"a line made from parts without a street (this finder's own feed)",
	 LIT("[{" BASE ",\"city\":\"Berlin\",\"state\":\"Berlin\",\"country\":\"DE\","
	     "\"formatted_address\":\"Berlin, Berlin, DE\"}]"),
	 0,
	 BASE_OUT " city='Berlin' region='Berlin' country='DE' "
		  "formatted_address='Berlin, Berlin, DE'"},
	{"formatted address that cannot be split",
	 LIT("[{" BASE ",\"formatted_address\":\"California, USA\"}]"), 0,
	 BASE_OUT " formatted_address='California, USA'"},
	{"a whole address in address",
	 LIT("[{" BASE ",\"address\":\"8318 104 St, Edmonton, Alberta, T6E 4E8, Canada\","
	     "\"region\":\"Edmonton\",\"location\":\"\"}]"),
	 0,
	 BASE_OUT
	 " address='8318 104 St' city='Edmonton' region='Alberta' postal_code='T6E 4E8' "
	 "country='Canada' formatted_address='8318 104 St, Edmonton, Alberta, T6E 4E8, Canada' "
	 "regions=[Edmonton]"},
	{"address parts",
	 LIT("[{" BASE ",\"address\":\"6101 Ward Pkwy \",\"city\":\"Kansas City\",\"state\":\"MO\","
	     "\"postal_code\":64113,\"country\":\"USA\"}]"),
	 0,
	 BASE_OUT " address='6101 Ward Pkwy' city='Kansas City' region='MO' postal_code='64113' "
		  "country='USA'"},
	{"address with a comma left at its end",
	 LIT("[{" BASE ",\"address\":\"51st & Wornall,  \",\"city\":\"Kansas City\"}]"), 0,
	 BASE_OUT " address='51st & Wornall' city='Kansas City'"},
	{"address with a comma that is not a whole address",
	 LIT("[{" BASE ",\"address\":\"Suite 5, 12 Elm St\"}]"), 0,
	 BASE_OUT " address='Suite 5, 12 Elm St'"},
	{"regions",
	 LIT("[{" BASE ",\"regions\":[\"Orange County\",\"\",\"COSTA MESA\"],\"region\":\"X\"}]"),
	 0, BASE_OUT " regions=[Orange County,COSTA MESA]"},
	{"region and sub_region",
	 LIT("[{" BASE ",\"region\":\"North\",\"sub_region\":\"Lakeside\"}]"), 0,
	 BASE_OUT " regions=[North,Lakeside]"},
	{"empty regions fall back", LIT("[{" BASE ",\"regions\":[],\"region\":\"North\"}]"), 0,
	 BASE_OUT " regions=[North]"},
	{"online",
	 LIT("[{" BASE ",\"conference_url\":\"zoom.us/j/1\",\"conference_url_notes\":\"Password: "
	     "x\","
	     "\"conference_phone\":\"+1 929 205 6099,,123#\",\"conference_phone_notes\":\"ID 123\","
	     "\"attendance_option\":\"online\"}]"),
	 0,
	 BASE_OUT " attendance=online conference_url='https://zoom.us/j/1' "
		  "conference_url_notes='Password: x' conference_phone='+19292056099,,123#' "
		  "conference_phone_notes='ID 123'"},
	{"bad link and phone",
	 LIT("[{" BASE ",\"conference_url\":\"see notes\",\"conference_phone\":\"+11\","
	     "\"url\":\"javascript:alert(1)\"}]"),
	 0,
	 BASE_OUT "\nwarn #1 [A]: conference_url \"see notes\" is not a web link; dropped"
		  "\nwarn #1 [A]: conference_phone \"+11\" is not a phone number; dropped"
		  "\nwarn #1 [A]: url \"javascript:alert(1)\" is not a web link; dropped"},
	{"empty link and phone",
	 LIT("[{" BASE ",\"conference_url\":\"\",\"conference_phone\":\" \"}]"), 0, BASE_OUT},
	{"attendance options",
	 LIT("[{" BASE ",\"attendance_option\":\"In Person\"},{" BASE ","
	     "\"attendance_option\":\"hybrid\"},"
	     "{" BASE ",\"attendance_option\":\"inactive\"},{" BASE ","
	     "\"attendance_option\":\"virtual\"}]"),
	 0,
	 BASE_OUT
	 " attendance=in_person\n"
	 "#2 name='A' day=1 start=19:00 attendance=hybrid\n"
	 "#3 name='A' day=1 start=19:00 attendance=inactive\n"
	 "#4 name='A' day=1 start=19:00\n"
	 "warn #4 [A]: attendance_option \"virtual\" is not in_person, online, hybrid or inactive; "
	 "ignored"},
	{"url, updated, timezone, fellowship",
	 LIT("[{" BASE ",\"url\":\"https://x.org/m/1\",\"updated\":\"8/25/2022 11:17:07 AM\","
	     "\"timezone\":\"America/Chicago\",\"fellowship\":\"al-anon\"}]"),
	 0,
	 BASE_OUT " tz='America/Chicago' url='https://x.org/m/1' updated='2022-08-25 11:17:07' "
		  "fellowship='al-anon'"},
	{"bad updated and timezone",
	 LIT("[{" BASE ",\"updated\":\"soon\",\"timezone\":\"Mars/Base One\"}]"), 0,
	 BASE_OUT
	 "\nwarn #1 [A]: timezone \"Mars/Base One\" is not a time zone name; "
	 "the source's zone is used\nwarn #1 [A]: updated \"soon\" is not a date; ignored"},
	{"contacts",
	 LIT("[{" BASE ",\"contact_1_name\":\"Pat\",\"contact_1_phone\":\"\",\"email\":\"a@x.org\","
	     "\"feedback_emails\":[\"f@x.org\",\"\",null],\"venmo\":\"@grp\",\"website\":null,"
	     "\"contact_2_email\":\" \",\"paypal\":\"https://paypal.me/x\"}]"),
	 0,
	 BASE_OUT " venmo='@grp' paypal='https://paypal.me/x' "
		  "contacts='{\"email\":\"a@x.org\",\"feedback_emails\":[\"f@x.org\"],"
		  "\"contact_1_name\":\"Pat\"}'"},
	/* Contribution handles are the group's to publish: kept apart from
	 * the contacts, as written, when they name an account. */
	{"contribution handles",
	 LIT("[{" BASE ",\"venmo\":\" @AA-Group_1 \",\"paypal\":\"paypal.me/AAGroup\","
	     "\"square\":\"$AAGroup\"}]"),
	 0, BASE_OUT " venmo='@AA-Group_1' paypal='paypal.me/AAGroup' square='$AAGroup'"},
	{"contribution handles as links",
	 LIT("[{" BASE ",\"venmo\":\"https://venmo.com/u/AAGroup\","
	     "\"paypal\":\"https://www.paypal.com/paypalme/AA.Group\","
	     "\"square\":\"https://cash.app/$AAGroup\"}]"),
	 0,
	 BASE_OUT
	 " venmo='https://venmo.com/u/AAGroup' "
	 "paypal='https://www.paypal.com/paypalme/AA.Group' square='https://cash.app/$AAGroup'"},
	{"contribution handles that name no account",
	 LIT("[{" BASE ",\"venmo\":\"ask the treasurer\",\"paypal\":\"Password: Surr419!\","
	     "\"square\":\"https://example.org/$AAGroup\"}]"),
	 0,
	 BASE_OUT
	 "\nwarn #1 [A]: venmo \"ask the treasurer\" is not a Venmo handle; dropped"
	 "\nwarn #1 [A]: paypal \"Password: Surr419!\" is not a PayPal.me name; dropped"
	 "\nwarn #1 [A]: square \"https://example.org/$AAGroup\" is not a Cash App $cashtag; "
	 "dropped"},
	{"feedback_url",
	 LIT("[{" BASE ",\"feedback_url\":\"https://aa.example.org/feedback?m=1\"}]"), 0,
	 BASE_OUT " feedback_url='https://aa.example.org/feedback?m=1'"},
	{"feedback_url not a link", LIT("[{" BASE ",\"feedback_url\":\"write to us\"}]"), 0,
	 BASE_OUT "\nwarn #1 [A]: feedback_url \"write to us\" is not a web link; dropped"},
	{"no contacts", LIT("[{" BASE ",\"email\":\"\",\"feedback_emails\":[]}]"), 0, BASE_OUT},
	{"contact with a quote", LIT("[{" BASE ",\"contact_1_name\":\"Pat \\\"P\\\" Q\"}]"), 0,
	 BASE_OUT " contacts='{\"contact_1_name\":\"Pat \\\"P\\\" Q\"}'"},
	{"group", LIT("[{" BASE ",\"group\":\"  Chapter   House \"}]"), 0,
	 BASE_OUT " group='Chapter House'"},
};

static const struct batch_case csv_cases[] = {
	{"one row", LIT("name,day,time\nA,Monday,7:30 PM\n"), 0, "#2 name='A' day=1 start=19:30"},
	{"no newline at the end", LIT("name,day,time\nA,1,19:00"), 0,
	 "#2 name='A' day=1 start=19:00"},
	{"quoting", LIT("name,notes,day,time\r\n\"A, B\",\"say \"\"hi\"\"\r\nnext\",1,19:00\r\n"),
	 0, "#2 name='A, B' day=1 start=19:00 notes='say \"hi\"\\nnext'"},
	{"text after a closing quote", LIT("name\n\"a\"b\n"), 0, "#2 name='ab' by-appointment"},
	{"a quote inside a field", LIT("name\nab\"c\n"), 0, "#2 name='ab\"c' by-appointment"},
	{"header names loosely",
	 LIT("\xEF\xBB\xBF Name ,Postal Code,END-TIME,DAY,time\nA,02713,20:00,1,19:00\n"), 0,
	 "#2 name='A' day=1 start=19:00 end=20:00 postal_code='02713'"},
	{"unknown columns", LIT("name,foo,Bar Baz,,day\nA,1,2,3,\n"), 0,
	 "#2 name='A' by-appointment\nwarn #1 []: unknown columns ignored: \"foo\", \"bar_baz\""},
	{"a long header cell in wide characters", LIT("name," SMILES_64 "x\nA,1\n"), 0,
	 "#2 name='A' by-appointment\nwarn #1 []: unknown columns ignored: \"" SMILES_64 "\""},
	{"many long unknown columns",
	 LIT("name," SMILES_64 "," SMILES_16 "1," SMILES_16 "2," SMILES_16 "3," SMILES_16 "4\n"
	     "A\n"),
	 0,
	 "#2 name='A' by-appointment\nwarn #1 []: unknown columns ignored: \"" SMILES_64
	 "\", \"" SMILES_16 "1\", \"" SMILES_16 "2\", \"" SMILES_16 "3\" and more"},
	{"a column twice", LIT("name,Name\nA,B\n"), 0,
	 "#2 name='A' by-appointment\nwarn #1 []: column name appears twice; the first is read"},
	{"no name column", LIT("title,day\nA,1\n"), -1,
	 "error: the first row must name the columns, as the template does (name, day, time, ...); "
	 "it has no name column\nwarn #1 []: unknown columns ignored: \"title\""},
	{"empty", LIT(""), -1, "error: the file is empty"},
	{"blank", LIT("\xEF\xBB\xBF\r\n  \n"), -1, "error: the file is empty"},
	{"UTF-16", LIT("\xFF\xFEn\0a\0"), -1,
	 "error: the file is UTF-16; save it as \"CSV UTF-8\""},
	{"quote never ends", LIT("name\nA\n\"B\n"), -1,
	 "error: not CSV: the quoted field that starts on row 3 never ends\n#2 name='A' "
	 "by-appointment"},
	{"quote never ends in the header", LIT("\"name\n"), -1,
	 "error: not CSV: a quoted field in the first row never ends"},
	{"blank rows before the header", LIT("\r\n,,\nname,day,time\nA,1,19:00\n"), 0,
	 "#4 name='A' day=1 start=19:00"},
	{"only empty cells", LIT(",,\n,\n"), -1,
	 "error: the file holds no header row, only empty cells"},
	{"warnings name the header's row", LIT("\nname,x\nA,1\n"), 0,
	 "#3 name='A' by-appointment\nwarn #2 []: unknown columns ignored: \"x\""},
	{"blank rows skipped, rows counted", LIT("name,day,time\n,,\n\n  ,\t\nB,1,19:00\n"), 0,
	 "#5 name='B' day=1 start=19:00"},
	{"a row without a name", LIT("name,day\n  ,1\n"), 0, "reject #2 []: no name"},
	{"semicolons", LIT("name;day;time\nA;1;19:00\n"), 0, "#2 name='A' day=1 start=19:00"},
	{"tabs", LIT("name\tday\ttime\nA\t1\t19:00\n"), 0, "#2 name='A' day=1 start=19:00"},
	{"CR line ends", LIT("name\rA\rB"), 0,
	 "#2 name='A' by-appointment\n#3 name='B' by-appointment"},
	{"more fields than columns", LIT("name\nA,extra,more\n"), 0, "#2 name='A' by-appointment"},
	{"fewer fields than columns", LIT("name,day,time\nA\n"), 0, "#2 name='A' by-appointment"},
	{"not UTF-8", LIT("name\ncaf\xe9\n"), 0,
	 "#2 name='caf' by-appointment\nwarn #0 []: the file is not UTF-8, so letters such as é "
	 "were dropped; save it as \"CSV UTF-8\""},
	{"NUL in a field", LIT("name\nA\0B\n"), 0, "#2 name='AB' by-appointment"},
	{"every template field",
	 LIT("slug,name,day,time,end_time,timezone,types,notes,group,location,address,city,state,"
	     "postal_code,country,region,sub_region,latitude,longitude,approximate,conference_url,"
	     "conference_phone,url,updated,attendance_option,email\n"
	     "s,A,\"Monday, Thursday\",19:00,20:00,America/Chicago,\"O, D\",Side door,G,Hall,"
	     "1 Main St,Springfield,IL,62701,USA,North,Lakeside,39.5,-89.6,no,zoom.us/j/1,"
	     "+1 555 0100,https://x.org,2024-01-02,hybrid,g@x.org\n"),
	 0,
	 "#2 key='s-mon' name='A' day=1 start=19:00 end=20:00 tz='America/Chicago' "
	 "attendance=hybrid types=[O,D] notes='Side door' group='G' "
	 "conference_url='https://zoom.us/j/1' conference_phone='+15550100' location='Hall' "
	 "address='1 Main St' city='Springfield' region='IL' postal_code='62701' country='USA' "
	 "regions=[North,Lakeside] point=39.50000,-89.60000 approximate=no url='https://x.org' "
	 "updated='2024-01-02 00:00:00' contacts='{\"email\":\"g@x.org\"}'\n"
	 "#2 key='s-thu' name='A' day=4 start=19:00 end=20:00 tz='America/Chicago' "
	 "attendance=hybrid types=[O,D] notes='Side door' group='G' "
	 "conference_url='https://zoom.us/j/1' conference_phone='+15550100' location='Hall' "
	 "address='1 Main St' city='Springfield' region='IL' postal_code='62701' country='USA' "
	 "regions=[North,Lakeside] point=39.50000,-89.60000 approximate=no url='https://x.org' "
	 "updated='2024-01-02 00:00:00' contacts='{\"email\":\"g@x.org\"}'"},
	{"bad values as in JSON", LIT("name,day,time\nA,Funday,19:00\nB,1,25:99\nC,1,19:00\n"), 0,
	 "#4 name='C' day=1 start=19:00\n"
	 "reject #2 [A]: day \"Funday\" is not a day of the week\n"
	 "reject #3 [B]: time \"25:99\" is not a time of day"},
};

static int run_table(parser parse, const struct batch_case *cases, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !run_case(parse, &cases[i]);
	return failed;
}

#define RUN_TABLE(parse, cases) run_table(parse, cases, sizeof(cases) / sizeof((cases)[0]))

static void test_mg_file(void **state)
{
	(void)state;
	assert_int_equal(RUN_TABLE(import_mg_parse, file_cases), 0);
}

static void test_mg_key_name(void **state)
{
	(void)state;
	assert_int_equal(RUN_TABLE(import_mg_parse, key_name_cases), 0);
}

static void test_mg_day_time(void **state)
{
	(void)state;
	assert_int_equal(RUN_TABLE(import_mg_parse, day_time_cases), 0);
}

static void test_mg_fields(void **state)
{
	(void)state;
	assert_int_equal(RUN_TABLE(import_mg_parse, field_cases), 0);
}

static void test_csv(void **state)
{
	(void)state;
	assert_int_equal(RUN_TABLE(import_csv_parse, csv_cases), 0);
}

/* A record with one field of n copies of unit, built at run time. */
static char *record_with(const char *key, const char *unit, size_t n)
{
	size_t len = strlen(unit) * n + 200;
	char *json = malloc(len);
	size_t o;

	assert_non_null(json);
	o = (size_t)snprintf(json, len, "[{\"day\":1,\"time\":\"9:00\",\"%s\":\"", key);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(json + o, len - o, "%s", unit);
	snprintf(json + o, len - o, "\"%s}]", strcmp(key, "name") ? ",\"name\":\"A\"" : "");
	return json;
}

static void parse_text(const char *json, struct import_batch *batch)
{
	assert_int_equal(import_mg_parse(json, strlen(json), NULL, batch), 0);
}

static void test_mg_lengths(void **state)
{
	struct import_batch b = {0};
	char *json;

	(void)state;
	json = record_with("name", "x", 10000);
	parse_text(json, &b);
	assert_int_equal(b.count, 0);
	assert_int_equal(b.nrejects, 1);
	assert_string_equal(b.rejects[0].message, "name is 10000 characters long; at most 255");
	import_batch_free(&b);
	free(json);

	json = record_with("name", "é", 255); /* 510 bytes, 255 characters */
	parse_text(json, &b);
	assert_int_equal(b.count, 1);
	assert_int_equal(import_norm_length(b.meetings[0].name), 255);
	import_batch_free(&b);
	free(json);

	json = record_with("notes", "ab ", 2000);
	parse_text(json, &b);
	assert_int_equal(b.count, 1);
	assert_int_equal(import_norm_length(b.meetings[0].notes), IMPORT_TEXT_MAX);
	assert_int_equal(b.nwarnings, 1);
	assert_string_equal(b.warnings[0].message, "notes is longer than 4000 characters; cut");
	import_batch_free(&b);
	free(json);

	json = record_with("location", "y", 300);
	parse_text(json, &b);
	assert_int_equal(import_norm_length(b.meetings[0].location_name), 255);
	assert_string_equal(b.warnings[0].message, "location is longer than 255 characters; cut");
	import_batch_free(&b);
	free(json);

	json = record_with("types", "T,", 60); /* all the same: one type */
	parse_text(json, &b);
	assert_int_equal(b.meetings[0].ntypes, 1);
	import_batch_free(&b);
	free(json);
}

static void test_mg_types_cap(void **state)
{
	char json[1024] = "[{\"name\":\"A\",\"types\":[";
	struct import_batch b = {0};

	(void)state;
	for (int i = 0; i < 50; i++)
		append(json, sizeof(json), "%s\"T%d\"", i ? "," : "", i);
	append(json, sizeof(json), "]}]");
	parse_text(json, &b);
	assert_int_equal(b.meetings[0].ntypes, IMPORT_TYPES_MAX);
	assert_string_equal(b.meetings[0].types[39], "T39");
	assert_int_equal(b.nwarnings, 1);
	assert_string_equal(b.warnings[0].message,
			    "more than 40 types; \"T40\" and any after it are dropped");
	import_batch_free(&b);
}

/* Many rows, each a different day list: every copy owns its strings. */
static void test_mg_many_days(void **state)
{
	const char *json = "[{\"name\":\"A\",\"slug\":\"a\",\"day\":[0,1,2,3,4,5,6],"
			   "\"time\":\"9:00\","
			   "\"types\":[\"O\"],\"regions\":[\"R\"],\"notes\":\"n\","
			   "\"email\":\"e@x.org\"}]";
	struct import_batch b = {0};

	(void)state;
	parse_text(json, &b);
	assert_int_equal(b.count, 7);
	assert_string_equal(b.meetings[6].key, "a-sat");
	assert_true(b.meetings[0].types != b.meetings[1].types);
	assert_true(b.meetings[0].notes != b.meetings[1].notes);
	import_batch_drop_last(&b);
	assert_int_equal(b.count, 6);
	import_batch_free(&b);
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
		cmocka_unit_test(test_mg_file),      cmocka_unit_test(test_mg_key_name),
		cmocka_unit_test(test_mg_day_time),  cmocka_unit_test(test_mg_fields),
		cmocka_unit_test(test_mg_lengths),   cmocka_unit_test(test_mg_types_cap),
		cmocka_unit_test(test_mg_many_days), cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests_name("import_mg", tests, setup, teardown);
}
