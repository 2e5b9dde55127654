/*
 * Unit tests for fcgi/src/import_bmlt.c: BMLT GetSearchResults replies, with
 * and without a GetFormats file, read into import meetings. Every behaviour
 * is a row in a table of inline JSON, the hostile inputs included; the
 * batch a reply becomes is written out as text (describe_batch) and
 * compared whole.
 *
 * The values go through import_norm.c, so the inputs keep to plain text
 * whose normal form is plain: no markup, single spaces.
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

/* A meeting with what every meeting needs; `more` adds fields. */
#define MEETING(id, more) \
	"{\"id_bigint\":\"" id "\",\"meeting_name\":\"Just for Today\"," \
	"\"weekday_tinyint\":\"2\",\"start_time\":\"19:00:00\"" more "}"
#define ONE(more) "[" MEETING("7", more) "]"
/* How that meeting comes out, before the fields `more` adds. */
#define BASE(id) "#1 key=" id " name=Just for Today day=1 start=19:00"

#define CHARS10 "abcdefghij"
#define CHARS50 CHARS10 CHARS10 CHARS10 CHARS10 CHARS10
#define CHARS255 CHARS50 CHARS50 CHARS50 CHARS50 CHARS50 "abcde"
#define CHARS250 CHARS50 CHARS50 CHARS50 CHARS50 CHARS50
#define CHARS1000 CHARS250 CHARS250 CHARS250 CHARS250

#define DEEP20 "[[[[[[[[[[[[[[[[[[[["
#define CLOSE20 "]]]]]]]]]]]]]]]]]]]]"

#define NOT_SEARCH_RESULTS \
	"expected BMLT GetSearchResults: a JSON array of meetings, or an object with a " \
	"meetings array"

/* A GetFormats reply in the shape of a real one (the German server's):
 * ids, key strings, world_ids, some empty. */
static const char formats_file[] =
	"[{\"key_string\":\"O\",\"name_string\":\"Open\",\"id\":\"2\",\"world_id\":\"OPEN\","
	"\"format_type_enum\":\"O-*\",\"lang\":\"en\"},"
	"{\"key_string\":\"Beh\",\"name_string\":\"wheelchair\",\"id\":\"33\","
	"\"world_id\":\"WCHR\",\"format_type_enum\":\"FC2\"},"
	"{\"key_string\":\"VM\",\"name_string\":\"Virtual Meeting\",\"id\":\"213\","
	"\"world_id\":\"VM\",\"format_type_enum\":\"\"},"
	"{\"key_string\":\"HY\",\"name_string\":\"Hybrid\",\"id\":\"212\",\"world_id\":\"HYBR\"},"
	"{\"key_string\":\"BT\",\"name_string\":\"Basic Text\",\"id\":\"118\",\"world_id\":\"BT\"},"
	"{\"key_string\":\"nfh\",\"name_string\":\"Just for Today\",\"id\":\"111\","
	"\"world_id\":\"JFT\"},"
	"{\"key_string\":\"Sp\",\"name_string\":\"Speaker\",\"id\":\"115\",\"world_id\":\"SPK\"},"
	"{\"key_string\":\"SPAD\",\"name_string\":\"A Spiritual Principle a Day\",\"id\":\"228\","
	"\"world_id\":\"SPAD\"},"
	"{\"key_string\":\"S\",\"name_string\":\"Step\",\"id\":\"113\",\"world_id\":\"STEP\"},"
	"{\"key_string\":\"T\",\"name_string\":\"Topic\",\"id\":\"116\",\"world_id\":\"TOP\"},"
	"{\"key_string\":\"kf\",\"name_string\":\"kids welcome\",\"id\":\"91\",\"world_id\":\"CW\"},"
	"{\"key_string\":\"glbtiiq\",\"name_string\":\"LGBTQ*\",\"id\":\"10\",\"world_id\":\"GL\"},"
	"{\"key_string\":\"KK\",\"name_string\":\"No kids\",\"id\":\"204\",\"world_id\":\"NC\"},"
	"{\"key_string\":\"TC\",\"name_string\":\"Facility closed\",\"id\":\"223\","
	"\"world_id\":\"TC\"},"
	"{\"key_string\":\"es\",\"name_string\":\"Spanish\",\"id\":\"232\",\"world_id\":\"LANG\","
	"\"format_type_enum\":\"LANG\"},"
	"{\"key_string\":\"fr\",\"name_string\":\"French\",\"id\":\"211\",\"world_id\":\"\","
	"\"format_type_enum\":\"LANG\"},"
	"{\"key_string\":\"hbs\",\"name_string\":\"Serbo-Croatian\",\"id\":\"210\","
	"\"world_id\":\"\",\"format_type_enum\":\"LANG\"},"
	"{\"key_string\":\"Sp1\",\"name_string\":\"Week 1: Speaker\",\"id\":\"126\","
	"\"world_id\":\"\"},"
	"{\"key_string\":\"p\",\"name_string\":\"Break\",\"id\":\"106\",\"world_id\":\"\"},"
	"{\"key_string\":\"B\",\"id\":\"300\",\"world_id\":\"\"},"
	"{\"key_string\":\"XYZ\",\"name_string\":\"New\",\"id\":\"301\",\"world_id\":\"NEWCODE\"}]";

struct bmlt_case {
	const char *name;
	const char *input;
	size_t len;
	const char *formats; /* a GetFormats body, or NULL */
	int rc;
	/* rc 0: describe_batch(); rc -1: batch.error, or its start when the
	 * want ends in "..." (json-c's own words follow) */
	const char *want;
};

static const struct bmlt_case cases[] = {
	/* The file as a whole. */
	{"empty array", LIT("[]"), NULL, 0, ""},
	{"empty meetings object", LIT("{\"meetings\":[],\"formats\":[]}"), NULL, 0, ""},
	{"spaces around", LIT(" \n[]\n "), NULL, 0, ""},
	{"byte order mark", LIT("\xEF\xBB\xBF[]"), NULL, 0, ""},
	{"empty file", LIT(""), NULL, -1, "not JSON: ..."},
	{"only spaces", LIT("   "), NULL, -1, "not JSON: ..."},
	{"html", LIT("<html>"), NULL, -1, "not JSON: unexpected character at line 1, column 1"},
	{"cut short", LIT("[{\"id_bigint\":\"1\""), NULL, -1, "not JSON: ..."},
	{"error on line 3", LIT("[\n{\"a\":\"b\"},\n{\"a\": x}]"), NULL, -1,
	 "not JSON: unexpected character at line 3, column 7"},
	{"column counts characters", LIT("[\"\xC3\x96\xC3\x96\", x]"), NULL, -1,
	 "not JSON: unexpected character at line 1, column 8"},
	{"two values", LIT("[][]"), NULL, -1, "not JSON: unexpected character at line 1, column 3"},
	{"NUL after the value", LIT("[]\0"), NULL, -1,
	 "not JSON: more after the JSON value at line 1, column 3"},
	{"single quotes", LIT("['a']"), NULL, -1, "not JSON: ..."},
	{"nested too deep", LIT(DEEP20 DEEP20 CLOSE20 CLOSE20), NULL, -1, "not JSON: ..."},
	{"a number", LIT("5"), NULL, -1, NOT_SEARCH_RESULTS},
	{"a string", LIT("\"meetings\""), NULL, -1, NOT_SEARCH_RESULTS},
	{"null", LIT("null"), NULL, -1, NOT_SEARCH_RESULTS},
	{"object without meetings", LIT("{\"id_bigint\":\"1\"}"), NULL, -1, NOT_SEARCH_RESULTS},
	{"meetings is an object", LIT("{\"meetings\":{\"id_bigint\":\"1\"}}"), NULL, -1,
	 NOT_SEARCH_RESULTS},
	{"meetings is a string", LIT("{\"meetings\":\"[]\"}"), NULL, -1, NOT_SEARCH_RESULTS},
	{"formats file not JSON", LIT("[]"), "{", -1, "formats file: not JSON: ..."},
	{"formats file an object", LIT("[]"), "{\"key_string\":\"O\"}", -1,
	 "formats file: expected BMLT GetFormats: a JSON array of formats"},
	{"formats file a number", LIT("[]"), "1", -1,
	 "formats file: expected BMLT GetFormats: a JSON array of formats"},
	{"formats file with get_used_formats", LIT("[]"), "{\"formats\":[]}", 0, ""},
	{"formats file entries that are not formats", LIT("[]"),
	 "[1,{\"id\":\"1\"},{\"key_string\":\"O\",\"world_id\":\"OPEN\"}]", 0,
	 "warn #0: formats file: 2 entries are not formats; skipped"},
	{"embedded formats not a list", LIT("{\"meetings\":[],\"formats\":{}}"), NULL, 0,
	 "warn #0: formats is not an array of formats; ignored"},
	{"entries that are not meetings", LIT("[5,\"x\",null,[]," MEETING("7", "") "]"), NULL, 0,
	 "reject #1: not a meeting object\n"
	 "reject #2: not a meeting object\n"
	 "reject #3: not a meeting object\n"
	 "reject #4: not a meeting object\n"
	 "#5 key=7 name=Just for Today day=1 start=19:00"},

	/* The least a meeting needs, and values as numbers. */
	{"the least", LIT(ONE("")), NULL, 0, BASE("7")},
	{"numbers instead of strings",
	 LIT("[{\"id_bigint\":10818,\"meeting_name\":\"Just for Today\",\"weekday_tinyint\":2,"
	     "\"start_time\":\"19:00:00\",\"venue_type\":1,\"latitude\":52.5,\"longitude\":13.25,"
	     "\"published\":1}]"),
	 NULL, 0,
	 "#1 key=10818 name=Just for Today day=1 start=19:00 att=in_person point=52.5,13.25"},
	{"no id",
	 LIT("[{\"meeting_name\":\"A\",\"weekday_tinyint\":\"1\",\"start_time\":\"08:00:00\"}]"),
	 NULL, 0, "#1 name=A day=0 start=08:00"},
	{"id too long", LIT(ONE(",\"id_bigint\":\"" CHARS50 CHARS50 "\"")), NULL, 0,
	 "warn #1 [Just for Today]: id_bigint is longer than 64 characters; not used as the key\n"
	 "#1 name=Just for Today day=1 start=19:00"},
	{"no name",
	 LIT("[{\"id_bigint\":\"3\",\"weekday_tinyint\":\"1\",\"start_time\":\"08:00:00\"}]"), NULL,
	 0, "reject #1 [3]: no meeting_name"},
	{"empty name", LIT(ONE(",\"meeting_name\":\"  \"")), NULL, 0,
	 "reject #1 [7]: no meeting_name"},
	{"name an object", LIT(ONE(",\"meeting_name\":{\"a\":\"b\"}")), NULL, 0,
	 "reject #1 [7]: no meeting_name"},
	{"name of 255", LIT(ONE(",\"meeting_name\":\"" CHARS255 "\"")), NULL, 0,
	 "#1 key=7 name=" CHARS255 " day=1 start=19:00"},
	{"name of 256", LIT(ONE(",\"meeting_name\":\"" CHARS255 "x\"")), NULL, 0,
	 "reject #1 [7]: meeting_name is longer than 255 characters"},
	{"not published", LIT(ONE(",\"published\":\"0\"")), NULL, 0,
	 "reject #1 [7]: not published"},
	{"published false", LIT(ONE(",\"published\":false")), NULL, 0,
	 "reject #1 [7]: not published"},
	{"published", LIT(ONE(",\"published\":\"1\"")), NULL, 0, BASE("7")},

	/* Days and times. */
	{"Sunday", LIT(ONE(",\"weekday_tinyint\":\"1\"")), NULL, 0,
	 "#1 key=7 name=Just for Today day=0 start=19:00"},
	{"Saturday", LIT(ONE(",\"weekday_tinyint\":\"7\"")), NULL, 0,
	 "#1 key=7 name=Just for Today day=6 start=19:00"},
	{"weekday 9", LIT(ONE(",\"weekday_tinyint\":\"9\"")), NULL, 0,
	 "reject #1 [7]: weekday_tinyint \"9\" is not a day from 1 (Sunday) to 7 (Saturday)"},
	{"weekday 0", LIT(ONE(",\"weekday_tinyint\":0")), NULL, 0,
	 "reject #1 [7]: weekday_tinyint \"0\" is not a day from 1 (Sunday) to 7 (Saturday)"},
	{"weekday -1", LIT(ONE(",\"weekday_tinyint\":\"-1\"")), NULL, 0,
	 "reject #1 [7]: weekday_tinyint \"-1\" is not a day from 1 (Sunday) to 7 (Saturday)"},
	{"weekday 1.0", LIT(ONE(",\"weekday_tinyint\":\"1.0\"")), NULL, 0,
	 "reject #1 [7]: weekday_tinyint \"1.0\" is not a day from 1 (Sunday) to 7 (Saturday)"},
	{"weekday a name", LIT(ONE(",\"weekday_tinyint\":\"Monday\"")), NULL, 0,
	 "reject #1 [7]: weekday_tinyint \"Monday\" is not a day from 1 (Sunday) to 7 "
	 "(Saturday)"},
	{"weekday empty", LIT(ONE(",\"weekday_tinyint\":\"\"")), NULL, 0,
	 "reject #1 [7]: no weekday_tinyint"},
	{"weekday null", LIT(ONE(",\"weekday_tinyint\":null")), NULL, 0,
	 "reject #1 [7]: no weekday_tinyint"},
	{"weekday in a list", LIT(ONE(",\"weekday_tinyint\":[\"2\"]")), NULL, 0,
	 "reject #1 [7]: no weekday_tinyint"},
	{"weekday quoted with control characters", LIT(ONE(",\"weekday_tinyint\":\"\\n8\"")), NULL,
	 0, "reject #1 [7]: weekday_tinyint \"?8\" is not a day from 1 (Sunday) to 7 (Saturday)"},
	{"start 25:99:00", LIT(ONE(",\"start_time\":\"25:99:00\"")), NULL, 0,
	 "reject #1 [7]: start_time \"25:99:00\" is not a time of day"},
	{"start with a NUL", LIT(ONE(",\"start_time\":\"19:00\\u0000x\"")), NULL, 0,
	 "reject #1 [7]: start_time \"19:00?x\" is not a time of day"},
	{"no start",
	 LIT("[{\"id_bigint\":\"7\",\"meeting_name\":\"A\",\"weekday_tinyint\":\"2\"}]"), NULL, 0,
	 "reject #1 [7]: no start_time"},
	{"start 00:00:00", LIT(ONE(",\"start_time\":\"00:00:00\"")), NULL, 0,
	 "#1 key=7 name=Just for Today day=1 start=00:00"},
	{"duration", LIT(ONE(",\"duration_time\":\"01:30:00\"")), NULL, 0, BASE("7") " end=20:30"},
	{"duration HH:MM", LIT(ONE(",\"duration_time\":\"00:35\"")), NULL, 0,
	 BASE("7") " end=19:35"},
	{"duration over midnight",
	 LIT(ONE(",\"start_time\":\"23:30:00\",\"duration_time\":\"01:00:00\"")), NULL, 0,
	 "#1 key=7 name=Just for Today day=1 start=23:30 end=00:30"},
	{"duration to midnight",
	 LIT(ONE(",\"start_time\":\"23:00:00\",\"duration_time\":\"01:00:00\"")), NULL, 0,
	 "#1 key=7 name=Just for Today day=1 start=23:00 end=00:00"},
	{"duration zero", LIT(ONE(",\"duration_time\":\"00:00:00\"")), NULL, 0, BASE("7")},
	{"duration empty", LIT(ONE(",\"duration_time\":\"\"")), NULL, 0, BASE("7")},
	{"duration of a day", LIT(ONE(",\"duration_time\":\"24:00:00\"")), NULL, 0,
	 "warn #1 [7]: duration_time \"24:00:00\" is not a length of time under 24 hours; no "
	 "end time\n" BASE("7")},
	{"duration 25:99:00", LIT(ONE(",\"duration_time\":\"25:99:00\"")), NULL, 0,
	 "warn #1 [7]: duration_time \"25:99:00\" is not a length of time under 24 hours; no "
	 "end time\n" BASE("7")},
	{"duration words", LIT(ONE(",\"duration_time\":\"one hour\"")), NULL, 0,
	 "warn #1 [7]: duration_time \"one hour\" is not a length of time under 24 hours; no "
	 "end time\n" BASE("7")},
	{"duration a number", LIT(ONE(",\"duration_time\":90")), NULL, 0,
	 "warn #1 [7]: duration_time \"90\" is not a length of time under 24 hours; no end "
	 "time\n" BASE("7")},
	{"time zone", LIT(ONE(",\"time_zone\":\"Europe/Berlin\"")), NULL, 0,
	 BASE("7") " tz=Europe/Berlin"},
	{"time zone empty", LIT(ONE(",\"time_zone\":\"\"")), NULL, 0, BASE("7")},

	/* Attendance and the point. */
	{"in person", LIT(ONE(",\"venue_type\":\"1\"")), NULL, 0, BASE("7") " att=in_person"},
	{"virtual", LIT(ONE(",\"venue_type\":\"2\"")), NULL, 0, BASE("7") " att=online"},
	{"hybrid", LIT(ONE(",\"venue_type\":\"3\"")), NULL, 0, BASE("7") " att=hybrid"},
	{"venue type 4", LIT(ONE(",\"venue_type\":\"4\"")), NULL, 0,
	 "warn #1 [7]: venue_type \"4\" is not 1 (in person), 2 (virtual) or 3 (hybrid)\n" BASE(
		 "7")},
	{"venue type empty", LIT(ONE(",\"venue_type\":\"\"")), NULL, 0, BASE("7")},
	{"a point",
	 LIT(ONE(",\"venue_type\":\"1\",\"latitude\":\"52.5200066\","
		 "\"longitude\":\"13.404954\"")),
	 NULL, 0, BASE("7") " att=in_person point=52.5200066,13.404954"},
	{"virtual on the placeholder point",
	 LIT(ONE(",\"venue_type\":\"2\",\"latitude\":\"34.235918\",\"longitude\":\"-118.563659\"")),
	 NULL, 0, BASE("7") " att=online"},
	{"virtual with nonsense coordinates",
	 LIT(ONE(",\"venue_type\":\"2\",\"latitude\":\"x\",\"longitude\":\"999\"")), NULL, 0,
	 BASE("7") " att=online"},
	{"hybrid keeps its point",
	 LIT(ONE(",\"venue_type\":\"3\",\"latitude\":\"-33.8688\",\"longitude\":\"151.2093\"")),
	 NULL, 0, BASE("7") " att=hybrid point=-33.8688,151.2093"},
	{"point zero", LIT(ONE(",\"latitude\":\"0\",\"longitude\":\"0\"")), NULL, 0, BASE("7")},
	{"point empty", LIT(ONE(",\"latitude\":\"\",\"longitude\":\"\"")), NULL, 0, BASE("7")},
	{"only a latitude", LIT(ONE(",\"latitude\":\"52.5\"")), NULL, 0, BASE("7")},
	{"latitude 91", LIT(ONE(",\"latitude\":\"91\",\"longitude\":\"13.4\"")), NULL, 0,
	 "warn #1 [7]: latitude 91, longitude 13.4 is out of range; no point kept\n" BASE("7")},
	{"longitude -181", LIT(ONE(",\"latitude\":\"52\",\"longitude\":-181")), NULL, 0,
	 "warn #1 [7]: latitude 52, longitude -181 is out of range; no point kept\n" BASE("7")},
	{"coordinates in words", LIT(ONE(",\"latitude\":\"north\",\"longitude\":\"13.4\"")), NULL,
	 0,
	 "warn #1 [7]: latitude \"north\", longitude \"13.4\" is not a point; none kept\n" BASE(
		 "7")},
	{"coordinates with exponents", LIT(ONE(",\"latitude\":\"5e1\",\"longitude\":\"1e1\"")),
	 NULL, 0,
	 "warn #1 [7]: latitude \"5e1\", longitude \"1e1\" is not a point; none kept\n" BASE("7")},
	{"coordinates NaN", LIT(ONE(",\"latitude\":\"NaN\",\"longitude\":\"inf\"")), NULL, 0,
	 "warn #1 [7]: latitude \"NaN\", longitude \"inf\" is not a point; none kept\n" BASE("7")},
	{"coordinates with a decimal comma",
	 LIT(ONE(",\"latitude\":\"52,5\",\"longitude\":\"13\"")), NULL, 0,
	 "warn #1 [7]: latitude \"52,5\", longitude \"13\" is not a point; none kept\n" BASE("7")},
	{"coordinate a huge number", LIT(ONE(",\"latitude\":1e999,\"longitude\":13")), NULL, 0,
	 "warn #1 [7]: latitude \"1e999\", longitude \"13\" is not a point; none kept\n" BASE("7")},
	{"coordinates with spaces and many decimals",
	 LIT(ONE(",\"latitude\":\" 52.52000660000000001 \",\"longitude\":\"13.25\"")), NULL, 0,
	 BASE("7") " point=52.5200066,13.25"},

	/* The place. */
	{"an address",
	 LIT(ONE(",\"location_text\":\"HeileHaus\",\"location_info\":\"3. OG\","
		 "\"location_street\":\"Waldemarstr. 36\",\"location_municipality\":\"Berlin\","
		 "\"location_city_subsection\":\"Kreuzberg\",\"location_neighborhood\":\"\","
		 "\"location_province\":\"Berlin\",\"location_postal_code_1\":\"10999\","
		 "\"location_nation\":\"Deutschland\"")),
	 NULL, 0,
	 BASE("7") " loc=HeileHaus lnotes=3. OG addr=Waldemarstr. 36 city=Berlin state=Berlin "
		   "zip=10999 country=Deutschland regions=Kreuzberg"},
	{"city from the subsection",
	 LIT(ONE(",\"location_city_subsection\":\"Dallgow\",\"location_neighborhood\":\"Nord\"")),
	 NULL, 0, BASE("7") " city=Dallgow regions=Nord"},
	{"city from the neighborhood", LIT(ONE(",\"location_neighborhood\":\"Gesundbrunnen\"")),
	 NULL, 0, BASE("7") " city=Gesundbrunnen"},
	{"parts that repeat the city",
	 LIT(ONE(",\"location_municipality\":\"Berlin\",\"location_city_subsection\":\"Berlin\","
		 "\"location_neighborhood\":\"Berlin\"")),
	 NULL, 0, BASE("7") " city=Berlin"},
	{"subsection and neighborhood alike",
	 LIT(ONE(",\"location_municipality\":\"Berlin\","
		 "\"location_city_subsection\":\"Charlottenburg\","
		 "\"location_neighborhood\":\"Charlottenburg\"")),
	 NULL, 0, BASE("7") " city=Berlin regions=Charlottenburg"},
	{"street cut", LIT(ONE(",\"location_street\":\"" CHARS255 "xyz\"")), NULL, 0,
	 "warn #1 [7]: location_street cut to 255 characters\n" BASE("7") " addr=" CHARS255},

	/* Prompts and the custom fields. */
	{"public transport with a prompt",
	 LIT(ONE(",\"public_transport\":\"\xC3\x96PNV#@-@#U1, U3, U8 Kottbusser Tor\"")), NULL, 0,
	 BASE("7") " lnotes=\xC3\x96PNV: U1, U3, U8 Kottbusser Tor"},
	{"public transport without a prompt",
	 LIT(ONE(",\"public_transport\":\"U7 Richard-Wagner-Platz\"")), NULL, 0,
	 BASE("7") " lnotes=Public transport: U7 Richard-Wagner-Platz"},
	{"an empty prompt",
	 LIT(ONE(",\"location_info\":\"#@-@#Raum 1\",\"public_transport\":\"#@-@#S+U Pankow\"")),
	 NULL, 0, BASE("7") " lnotes=Raum 1\\nPublic transport: S+U Pankow"},
	{"a prompt and no value", LIT(ONE(",\"public_transport\":\"\xC3\x96PNV#@-@#\"")), NULL, 0,
	 BASE("7")},
	{"bus and train lines",
	 LIT(ONE(",\"location_info\":\"Room 2\",\"train_lines\":\"S1\",\"bus_lines\":\"M41\"")),
	 NULL, 0, BASE("7") " lnotes=Room 2\\nTrain: S1\\nBus: M41"},
	{"a prompt in a one-line field",
	 LIT(ONE(",\"location_municipality\":\"Stadt#@-@#Potsdam\"")), NULL, 0,
	 BASE("7") " city=Potsdam"},
	{"comments and format comments",
	 LIT(ONE(",\"comments\":\"Write in silence\","
		 "\"format_comments\":\"Erweiterung zum Format#@-@#Sprechermeeting\","
		 "\"seat_reservation\":\"yes\",\"zone\":\"\"")),
	 NULL, 0,
	 BASE("7") " notes=Write in silence\\nErweiterung zum Format: Sprechermeeting\\n"
		   "Seat reservation: yes"},
	{"notes cut", LIT(ONE(",\"comments\":\"" CHARS1000 CHARS1000 CHARS1000 CHARS1000 "x\"")),
	 NULL, 0, "warn #1 [7]: the notes cut to 4000 characters\n" BASE("7") " notes=(4000)"},

	/* Online. */
	{"link, phone and notes",
	 LIT(ONE(",\"venue_type\":\"2\",\"virtual_meeting_link\":\"https://zoom.us/j/1\","
		 "\"phone_meeting_number\":\"+1 555 123 4567\","
		 "\"virtual_meeting_additional_info\":\"Passwort: 647529\"")),
	 NULL, 0,
	 BASE("7") " att=online url=https://zoom.us/j/1 urlnotes=Passwort: 647529 "
		   "phone=+15551234567"},
	{"phone only: the notes are the phone's",
	 LIT(ONE(",\"phone_meeting_number\":\"+1 555 123 4567\","
		 "\"virtual_meeting_additional_info\":\"PIN 1234\"")),
	 NULL, 0, BASE("7") " phone=+15551234567 phonenotes=PIN 1234"},
	{"not a link",
	 LIT(ONE(",\"virtual_meeting_link\":\"ask the group\","
		 "\"virtual_meeting_additional_info\":\"ID 123\"")),
	 NULL, 0,
	 "warn #1 [7]: virtual_meeting_link \"ask the group\" is not a web link; dropped\n" BASE(
		 "7") " urlnotes=ID 123"},
	{"not a phone", LIT(ONE(",\"phone_meeting_number\":\"none\"")), NULL, 0,
	 "warn #1 [7]: phone_meeting_number \"none\" is not a phone number; dropped\n" BASE("7")},

	/* Contacts. */
	{"contacts",
	 LIT(ONE(",\"contact_name_1\":\"Ann\",\"contact_email1\":\"ann@example.org\","
		 "\"contact_phone_2\":\"030 1234\",\"contact_name1\":\"not read\","
		 "\"email_contact\":\"group@example.org\",\"contact_email2\":\"\"")),
	 NULL, 0,
	 BASE("7") " contacts={\"email\":\"group@example.org\",\"contact_1_name\":\"Ann\","
		   "\"contact_1_email\":\"ann@example.org\",\"contact_2_phone\":\"030 1234\"}"},
	{"no contacts",
	 LIT(ONE(",\"contact_name1\":\"\",\"contact_email1\":\"\",\"contact_name2\":null")), NULL,
	 0, BASE("7")},

	/* Types. */
	{"types by id", LIT(ONE(",\"format_shared_id_list\":\"2,33,213,212\",\"formats\":\"x\"")),
	 formats_file, 0, BASE("7") " types=O,X,ONL"},
	{"NA literature and speakers",
	 LIT(ONE(",\"format_shared_id_list\":\"118,111,115,228,113,116,91,10,204,223\"")),
	 formats_file, 0, BASE("7") " types=LIT,SP,ST,D,CF,LGBTQ,KK,TC"},
	{"languages", LIT(ONE(",\"format_shared_id_list\":\"232,211,210\"")), formats_file, 0,
	 BASE("7") " types=S,FR,hbs"},
	{"no world_id keeps the key; an unknown world_id too",
	 LIT(ONE(",\"format_shared_id_list\":\"126,301\"")), formats_file, 0,
	 BASE("7") " types=Sp1,XYZ"},
	{"a key that reads as another code",
	 LIT("[" MEETING("1", ",\"format_shared_id_list\":\"106,300\"") "," MEETING(
		 "2", ",\"format_shared_id_list\":\"106\"") "]"),
	 formats_file, 0,
	 "warn #1 [1]: format p (Break) would read as the Meeting Guide code P; kept by its "
	 "name\n"
	 "warn #1 [1]: format B would read as the Meeting Guide code B, and has no name; "
	 "dropped\n"
	 "#1 key=1 name=Just for Today day=1 start=19:00 types=Break\n"
	 "#2 key=2 name=Just for Today day=1 start=19:00 types=Break"},
	{"ids missing from the formats, warned once",
	 LIT("[" MEETING("1", ",\"format_shared_id_list\":\"2,218\",\"formats\":\"O,Aussen\"") "," MEETING(
		 "2", ",\"format_shared_id_list\":\"218,999\",\"formats\":\"Beh,Aussen\"") "]"),
	 formats_file, 0,
	 "warn #1 [1]: format id 218 is in no formats list; read by its key string where the "
	 "meeting has one (this warning is given once)\n"
	 "warn #2 [2]: format id 999 is in no formats list; read by its key string where the "
	 "meeting has one (this warning is given once)\n"
	 "#1 key=1 name=Just for Today day=1 start=19:00 types=O,Aussen\n"
	 "#2 key=2 name=Just for Today day=1 start=19:00 types=X,Aussen"},
	{"key strings when there are no ids", LIT(ONE(",\"formats\":\"O, Beh,,nfh,Unknown\"")),
	 formats_file, 0, BASE("7") " types=O,X,LIT,Unknown"},
	{"key strings are case sensitive", LIT(ONE(",\"formats\":\"o\"")), formats_file, 0,
	 BASE("7") " types=o"},
	{"embedded formats, read by key",
	 LIT("{\"meetings\":[" MEETING(
		 "7",
		 ",\"formats\":\"WC,O\"") "],\"formats\":["
					  "{\"key_string\":\"WC\",\"name_string\":\"Wheelchair\",\"id\":\"33\","
					  "\"world_id\":\"WCHR\"},{\"key_string\":\"O\",\"id\":\"17\",\"world_id\":\"OPEN\"}]}"),
	 NULL, 0, BASE("7") " types=X,O"},
	{"embedded formats come first",
	 LIT("{\"meetings\":[" MEETING(
		 "7",
		 ",\"formats\":\"S\"") "],\"formats\":["
				       "{\"key_string\":\"S\",\"id\":\"9\",\"world_id\":\"LANG\"}]}"),
	 formats_file, 0, BASE("7") " types=S"},
	{"no formats list: keys as written, warned once",
	 LIT("[" MEETING("1", ",\"formats\":\"O,WC\",\"format_shared_id_list\":\"17,33\"") "," MEETING(
		 "2", ",\"formats\":\"B\"") "]"),
	 NULL, 0,
	 "warn #1 [1]: no formats list (a GetFormats file, or get_used_formats): key strings "
	 "kept as the server wrote them (this warning is given once)\n"
	 "#1 key=1 name=Just for Today day=1 start=19:00 types=O,WC\n"
	 "#2 key=2 name=Just for Today day=1 start=19:00 types=B"},
	{"formats as a number", LIT(ONE(",\"format_shared_id_list\":213")), formats_file, 0,
	 BASE("7") " types=ONL"},
	{"formats an object", LIT(ONE(",\"format_shared_id_list\":{\"a\":1},\"formats\":[\"O\"]")),
	 formats_file, 0, BASE("7")},
	{"the same type twice", LIT(ONE(",\"format_shared_id_list\":\"118,111,2,2\"")),
	 formats_file, 0, BASE("7") " types=LIT,O"},
	{"more than 40 types",
	 LIT(ONE(",\"formats\":\"a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,"
		 "a19,a20,a21,a22,a23,a24,a25,a26,a27,a28,a29,a30,a31,a32,a33,a34,a35,a36,a37,a38,"
		 "a39,a40,a41,a42\"")),
	 NULL, 0,
	 "warn #1 [7]: no formats list (a GetFormats file, or get_used_formats): key strings "
	 "kept as the server wrote them (this warning is given once)\n"
	 "warn #1 [7]: more than 40 types; the rest dropped\n" BASE("7") " types=(40)"},
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

/* " name=value", with line breaks written as \n; a value over 300 bytes as
 * its length in characters, "(4000)". */
static void append_text(char *buf, size_t cap, const char *name, const char *value)
{
	size_t chars = 0;

	if (value == NULL)
		return;
	for (const char *p = value; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (strlen(value) > 300) {
		append(buf, cap, " %s=(%zu)", name, chars);
		return;
	}
	append(buf, cap, " %s=", name);
	for (const char *p = value; *p; p++) {
		if (*p == '\n')
			append(buf, cap, "\\n");
		else
			append(buf, cap, "%c", *p);
	}
}

static void append_list(char *buf, size_t cap, const char *name, char **items, size_t n,
			const char *sep)
{
	if (n == 0)
		return;
	if (n > 20) {
		append(buf, cap, " %s=(%zu)", name, n);
		return;
	}
	append(buf, cap, " %s=", name);
	for (size_t i = 0; i < n; i++)
		append(buf, cap, "%s%s", i ? sep : "", items[i]);
}

static void describe_meeting(const struct import_meeting *m, char *buf, size_t cap)
{
	static const char *const attendance[] = {"", "in_person", "online", "hybrid", "inactive"};

	append(buf, cap, "#%d", m->row);
	append_text(buf, cap, "key", m->key);
	append_text(buf, cap, "name", m->name);
	append(buf, cap, " day=%d start=%02d:%02d", m->day, m->start_min / 60, m->start_min % 60);
	if (m->end_min >= 0)
		append(buf, cap, " end=%02d:%02d", m->end_min / 60, m->end_min % 60);
	append_text(buf, cap, "tz", m->timezone);
	if (m->attendance != ATTEND_UNSAID)
		append(buf, cap, " att=%s", attendance[m->attendance]);
	append_list(buf, cap, "types", m->types, m->ntypes, ",");
	append_text(buf, cap, "loc", m->location_name);
	append_text(buf, cap, "lnotes", m->location_notes);
	append_text(buf, cap, "addr", m->address);
	append_text(buf, cap, "city", m->city);
	append_text(buf, cap, "state", m->region);
	append_text(buf, cap, "zip", m->postal_code);
	append_text(buf, cap, "country", m->country);
	append_list(buf, cap, "regions", m->regions, m->nregions, "/");
	if (m->has_point)
		append(buf, cap, " point=%.10g,%.10g%s", m->lat, m->lng,
		       m->approximate == APPROX_YES ? " approximate" : "");
	append_text(buf, cap, "notes", m->notes);
	append_text(buf, cap, "url", m->conference_url);
	append_text(buf, cap, "urlnotes", m->conference_url_notes);
	append_text(buf, cap, "phone", m->conference_phone);
	append_text(buf, cap, "phonenotes", m->conference_phone_notes);
	append_text(buf, cap, "contacts", m->contacts);
	append_text(buf, cap, "group", m->group_name);
	append_text(buf, cap, "fellowship", m->fellowship);
}

static void describe_issue(const char *kind, const struct import_issue *issue, char *buf,
			   size_t cap)
{
	append(buf, cap, "%s #%d", kind, issue->row);
	if (issue->key != NULL)
		append(buf, cap, " [%s]", issue->key);
	append(buf, cap, ": %s\n", issue->message);
}

/* Rejects, then warnings, then meetings, a line each. */
static void describe_batch(const struct import_batch *b, char *buf, size_t cap)
{
	size_t n;

	buf[0] = '\0';
	for (size_t i = 0; i < b->nrejects; i++)
		describe_issue("reject", &b->rejects[i], buf, cap);
	for (size_t i = 0; i < b->nwarnings; i++)
		describe_issue("warn", &b->warnings[i], buf, cap);
	for (size_t i = 0; i < b->count; i++) {
		describe_meeting(&b->meetings[i], buf, cap);
		append(buf, cap, "\n");
	}
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

static int matches(const char *got, const char *want)
{
	size_t n = strlen(want);

	if (n >= 3 && strcmp(want + n - 3, "...") == 0)
		return strncmp(got, want, n - 3) == 0;
	return strcmp(got, want) == 0;
}

static int run_case(const struct bmlt_case *c)
{
	/* Copies, so that ASan sees any read past the given length. */
	char *input = malloc(c->len > 0 ? c->len : 1);
	size_t formats_len = c->formats ? strlen(c->formats) : 0;
	char *formats = c->formats ? malloc(formats_len > 0 ? formats_len : 1) : NULL;
	struct import_options options = {formats, formats_len};
	struct import_batch batch = {0};
	static char got[16384];
	int rc, ok = 1;

	assert_non_null(input);
	memcpy(input, c->input, c->len);
	if (formats != NULL)
		memcpy(formats, c->formats, formats_len);
	rc = import_bmlt_parse(input, c->len, &options, &batch);
	if (rc == 0)
		describe_batch(&batch, got, sizeof(got));
	else
		snprintf(got, sizeof(got), "%s", batch.error);
	if (rc != c->rc || !matches(got, c->want)) {
		print_error("%s: %d\n\"%s\"\nwant %d\n\"%s\"\n", c->name, rc, got, c->rc, c->want);
		ok = 0;
	}
	if (rc != 0 && (batch.count != 0 || batch.error[0] == '\0')) {
		print_error("%s: a failed parse must leave no meetings and say why\n", c->name);
		ok = 0;
	}
	import_batch_free(&batch);
	free(formats);
	free(input);
	return ok;
}

static void test_import_bmlt_cases(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failed += !run_case(&cases[i]);
	assert_int_equal(failed, 0);
}

/* A parse appends to a batch that already holds meetings, keeping them. */
static void test_import_bmlt_appends(void **state)
{
	struct import_batch batch = {0};
	const char *data = ONE("");

	(void)state;
	assert_int_equal(import_bmlt_parse(data, strlen(data), NULL, &batch), 0);
	assert_int_equal(import_bmlt_parse(data, strlen(data), NULL, &batch), 0);
	assert_int_equal(batch.count, 2);
	assert_string_equal(batch.meetings[1].name, "Just for Today");
	import_batch_free(&batch);
}

/* Every prefix of a real-shaped reply either parses or fails cleanly. */
static void test_import_bmlt_prefixes(void **state)
{
	static const char reply[] = "{\"meetings\":[" MEETING(
		"7",
		",\"venue_type\":\"1\",\"latitude\":\"52.5\","
		"\"longitude\":\"13.4\",\"formats\":\"O,Beh\","
		"\"format_shared_id_list\":\"2,33\"") "],\"formats\":[{\"key_string\":\"O\",\"id\":\"2\",\"world_id\":\"OPEN\"}]}";

	(void)state;
	for (size_t n = 0; n <= sizeof(reply) - 1; n++) {
		char *input = malloc(n > 0 ? n : 1);
		struct import_batch batch = {0};
		int rc;

		assert_non_null(input);
		memcpy(input, reply, n);
		rc = import_bmlt_parse(input, n, NULL, &batch);
		assert_true(rc == (n == sizeof(reply) - 1 ? 0 : -1));
		import_batch_free(&batch);
		free(input);
	}
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
		cmocka_unit_test(test_import_bmlt_cases),
		cmocka_unit_test(test_import_bmlt_appends),
		cmocka_unit_test(test_import_bmlt_prefixes),
	};

	return cmocka_run_group_tests_name("import_bmlt", tests, setup, teardown);
}
