/*
 * BMLT, the NA meeting server: its semantic API's GetSearchResults reply
 * read into import meetings (import.h).
 *
 * The reply is an array of meeting objects, or, asked with get_used_formats,
 * an object {"meetings": [...], "formats": [...]}. Every value is a string
 * ("1", "19:30:00"); numbers are accepted too. A meeting's formats are read
 * by their ids (format_shared_id_list) against the formats known from a
 * GetFormats file (options->formats_json) and the embedded list, else by
 * their key strings (formats), and turned into Meeting Guide type codes
 * through the format's world_id, the NAWS code that means the same on every
 * server (world_table below).
 *
 * Values from servers upgraded from old versions may carry their field's
 * prompt: "ÖPNV#@-@#U1, U3 Kottbusser Tor". Free text keeps it as
 * "ÖPNV: U1, U3 Kottbusser Tor"; a one-line value keeps the value only.
 *
 * Custom fields some servers add are kept where a reader looks for them:
 * public_transport, train_lines and bus_lines go to the place's notes,
 * format_comments and seat_reservation to the meeting's notes, each on a
 * line of its own, after the prompt when the value has one, else after an
 * English label ("Public transport: U7 Richard-Wagner-Platz"; the comments
 * on the format need none).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "dynbuf.h"
#include "import.h"
#include "import_norm.h"
#include "number.h"

#define BMLT_PROMPT_SEPARATOR "#@-@#"
#define BMLT_KEY_MAX 64   /* id_bigint as the meeting's key */
#define BMLT_CODE_MAX 64  /* a format's key_string or id */
#define BMLT_ZONE_MAX 64  /* an IANA zone name */
#define BMLT_LIST_MAX 100 /* items read from one meeting's format list */
#define BMLT_QUOTE_MAX 40 /* bytes of a bad value quoted in a message */

/* ---- Formats and the Meeting Guide codes they stand for -------------- */

enum world_action {
	WORLD_CODE,     /* the Meeting Guide code in `code` */
	WORLD_NONE,     /* no type: the meaning is said elsewhere or is the default */
	WORLD_KEEP,     /* no Meeting Guide code means it: keep the format's key */
	WORLD_LANGUAGE, /* a language, named by the format's key (language_table) */
};

struct world_row {
	const char *world_id;
	enum world_action action;
	const char *code;
};

/*
 * NAWS world_id -> Meeting Guide code. Every world_id in the real GetFormats
 * replies (a German server, 67 formats; the BMLT test server, 44) and in the
 * formats they embed is here, with the rest of the NAWS list. Compared
 * without regard to case.
 *
 *   OPEN open -> O                     CLOSED closed -> C
 *   BEG beginners, newcomers -> BE     WCHR wheelchair access -> X
 *   DISC discussion -> D               TOP topic -> D
 *   PART participation -> D            QA questions and answers -> D
 *   SPK speaker -> SP                  STEP, SWG (Step Working Guide),
 *   TRAD traditions -> TR                ST step study -> ST
 *   BT Basic Text, LIT literature, IP pamphlets, IW It Works, JFT Just for
 *     Today, LC Living Clean, GP Guiding Principles, SPAD A Spiritual
 *     Principle a Day, CPT the Twelve Concepts: NA literature studies -> LIT
 *     (Meeting Guide's B is the AA Big Book, its SP a speaker)
 *   MED meditation -> MED              CAN candlelight -> CAN
 *   M men -> M   W women -> W          Y young people -> Y
 *   GL gay and lesbian, LGBTQ -> LGBTQ CW children welcome -> CF
 *   SMOK smoking -> SM                 NS non-smoking -> none (the default)
 *   VM virtual meeting -> ONL          HY, HYBR hybrid -> none (venue_type)
 *   TC facility temporarily closed -> TC
 *   LANG a language -> by key_string (language_table)
 *   NC no children, CH closed on holidays, RA restricted access, VAR format
 *     varies -> the format's key, as no Meeting Guide code means them
 *
 * A world_id not in the table, or none, keeps the format's key too.
 */
static const struct world_row world_table[] = {
	{"OPEN", WORLD_CODE, "O"},      {"CLOSED", WORLD_CODE, "C"},    {"BEG", WORLD_CODE, "BE"},
	{"WCHR", WORLD_CODE, "X"},      {"DISC", WORLD_CODE, "D"},      {"TOP", WORLD_CODE, "D"},
	{"PART", WORLD_CODE, "D"},      {"QA", WORLD_CODE, "D"},        {"SPK", WORLD_CODE, "SP"},
	{"STEP", WORLD_CODE, "ST"},     {"SWG", WORLD_CODE, "ST"},      {"ST", WORLD_CODE, "ST"},
	{"TRAD", WORLD_CODE, "TR"},     {"BT", WORLD_CODE, "LIT"},      {"LIT", WORLD_CODE, "LIT"},
	{"IP", WORLD_CODE, "LIT"},      {"IW", WORLD_CODE, "LIT"},      {"JFT", WORLD_CODE, "LIT"},
	{"LC", WORLD_CODE, "LIT"},      {"GP", WORLD_CODE, "LIT"},      {"SPAD", WORLD_CODE, "LIT"},
	{"CPT", WORLD_CODE, "LIT"},     {"MED", WORLD_CODE, "MED"},     {"CAN", WORLD_CODE, "CAN"},
	{"M", WORLD_CODE, "M"},         {"W", WORLD_CODE, "W"},         {"Y", WORLD_CODE, "Y"},
	{"GL", WORLD_CODE, "LGBTQ"},    {"LGBTQ", WORLD_CODE, "LGBTQ"}, {"CW", WORLD_CODE, "CF"},
	{"SMOK", WORLD_CODE, "SM"},     {"NS", WORLD_NONE, NULL},       {"VM", WORLD_CODE, "ONL"},
	{"HY", WORLD_NONE, NULL},       {"HYBR", WORLD_NONE, NULL},     {"TC", WORLD_CODE, "TC"},
	{"LANG", WORLD_LANGUAGE, NULL}, {"NC", WORLD_KEEP, NULL},       {"CH", WORLD_KEEP, NULL},
	{"RA", WORLD_KEEP, NULL},       {"VAR", WORLD_KEEP, NULL},
};

/* A language format's key (ISO 639-1 or -2, any case) -> Meeting Guide code. */
static const char *const language_table[][2] = {
	{"EN", "EN"},   {"ENG", "EN"},  {"ES", "S"},    {"SPA", "S"},   {"S", "S"},
	{"ESP", "S"},   {"DE", "DE"},   {"GER", "DE"},  {"DEU", "DE"},  {"FR", "FR"},
	{"FRE", "FR"},  {"FRA", "FR"},  {"IT", "ITA"},  {"ITA", "ITA"}, {"RU", "RUS"},
	{"RUS", "RUS"}, {"FA", "FA"},   {"PER", "FA"},  {"FAS", "FA"},  {"PL", "POL"},
	{"POL", "POL"}, {"AR", "AR"},   {"ARA", "AR"},  {"HU", "HU"},   {"HUN", "HU"},
	{"UK", "UK"},   {"UKR", "UK"},  {"PT", "POR"},  {"POR", "POR"}, {"NL", "NL"},
	{"DUT", "NL"},  {"NLD", "NL"},  {"SV", "SV"},   {"SWE", "SV"},  {"DA", "DA"},
	{"DAN", "DA"},  {"FI", "FI"},   {"FIN", "FI"},  {"NO", "NO"},   {"NOR", "NO"},
	{"EL", "EL"},   {"GRE", "EL"},  {"ELL", "EL"},  {"HE", "HE"},   {"HEB", "HE"},
	{"HI", "HI"},   {"HIN", "HI"},  {"HR", "HR"},   {"HRV", "HR"},  {"JA", "JA"},
	{"JPN", "JA"},  {"KO", "KOR"},  {"KOR", "KOR"}, {"TR", "TUR"},  {"TUR", "TUR"},
	{"TH", "TH"},   {"THA", "TH"},  {"TL", "TL"},   {"TGL", "TL"},  {"LT", "LT"},
	{"LIT", "LT"},  {"SK", "SK"},   {"SLK", "SK"},  {"SLO", "SK"},  {"SL", "SL"},
	{"SLV", "SL"},  {"BG", "BG"},   {"BUL", "BG"},  {"AF", "AF"},   {"AFR", "AF"},
	{"AM", "AM"},   {"AMH", "AM"},  {"KA", "KA"},   {"KAT", "KA"},  {"GEO", "KA"},
	{"IS", "IS"},   {"ISL", "IS"},  {"ICE", "IS"},  {"MT", "MT"},   {"MLT", "MT"},
	{"NE", "NE"},   {"NEP", "NE"},  {"ML", "ML"},   {"MAL", "ML"},  {"PA", "PUN"},
	{"PAN", "PUN"}, {"ASL", "ASL"},
};

/*
 * The Meeting Guide codes the import reads a type as, in any case
 * (meeting_types, sql/migrations/002_reference_data.sql and 012_imports.sql;
 * keep in step). A key kept as written that is one of these would be read
 * as that code: the German server's "p" is a break, not Professionals, and
 * the test server's "SL" is sign language, not Slovenian. Such a key is
 * kept by its format's name instead.
 */
static const char *const meeting_guide_codes[] = {
	"11",   "12x12",   "A",   "ABSI", "AC",    "AF",  "AL",  "AL-AN", "ALATEEN", "AM",  "AR",
	"ASL",  "B",       "BA",  "BE",   "BG",    "BI",  "BRK", "BV-I",  "C",       "CAN", "CF",
	"D",    "D-HOH",   "DA",  "DB",   "DD",    "DE",  "DR",  "EL",    "EN",      "FA",  "FF",
	"FI",   "FR",      "G",   "GR",   "H",     "HE",  "HI",  "HR",    "HU",      "IS",  "ITA",
	"JA",   "KA",      "KOR", "L",    "LGBTQ", "LIT", "LS",  "LT",    "M",       "MED", "ML",
	"MOUD", "MT",      "N",   "NB",   "NDG",   "NE",  "NL",  "NO",    "O",       "ONL", "OUT",
	"P",    "PARENTS", "POA", "POC",  "POL",   "POR", "PUN", "RUS",   "S",       "SEN", "SK",
	"SL",   "SM",      "SP",  "ST",   "SV",    "T",   "TC",  "TH",    "TL",      "TR",  "TUR",
	"UK",   "W",       "X",   "XB",   "XT",    "Y",
};

#define COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* A format from GetFormats or the embedded list. */
struct bmlt_format {
	char *id;         /* NULL when the entry has none */
	char *key;        /* key_string */
	char *name;       /* name_string, or NULL */
	char *world_id;   /* NULL when empty */
	int language;     /* format_type_enum LANG */
	int resolved;     /* type is worked out (at the first meeting using it) */
	const char *type; /* a Meeting Guide code, key or name; NULL: no type */
};

struct bmlt_parser {
	struct import_batch *batch;
	struct bmlt_format *formats;
	size_t nformats, formats_cap;
	char **missing_ids; /* ids no format has, each warned about once */
	size_t nmissing, missing_cap;
	int warned_no_formats;
};

/* One meeting being read: where it is in the file and what it became. */
struct bmlt_row {
	struct bmlt_parser *p;
	json_object *obj;
	int row;
	struct import_meeting *m;
	char reason[256]; /* why it is rejected */
	int types_full;
};

/* A field's text, after any legacy prompt; prompt NULL when none. */
struct bmlt_value {
	const char *s; /* NUL-terminated */
	size_t len;
	const char *prompt;
	size_t prompt_len;
};

static char *copy_string(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		import_batch_out_of_memory();
	return p;
}

/* ---- Reading values ---------------------------------------------------- */

static const char *issue_key(const struct bmlt_row *r)
{
	return r->m->key ? r->m->key : r->m->name;
}

static void warn(struct bmlt_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reject(struct bmlt_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct bmlt_row *r, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	import_batch_warn(r->p->batch, r->row, issue_key(r), "%s", message);
}

/* Records why the meeting is rejected; returns -1 for the caller to pass on. */
static int reject(struct bmlt_row *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* The field's text in *v: a string as is, a number or boolean as JSON writes
 * it, split at a legacy prompt. False when the field is missing, null, an
 * object or an array, or empty. */
static int field(const struct bmlt_row *r, const char *name, struct bmlt_value *v)
{
	json_object *o;
	const char *s, *sep;
	size_t len;

	memset(v, 0, sizeof(*v));
	if (!json_object_object_get_ex(r->obj, name, &o) || o == NULL)
		return 0;
	switch (json_object_get_type(o)) {
	case json_type_string:
		s = json_object_get_string(o);
		len = (size_t)json_object_get_string_len(o);
		break;
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		s = json_object_get_string(o);
		len = strlen(s);
		break;
	default: return 0;
	}
	sep = memmem(s, len, BMLT_PROMPT_SEPARATOR, strlen(BMLT_PROMPT_SEPARATOR));
	if (sep != NULL) {
		v->prompt = s;
		v->prompt_len = (size_t)(sep - s);
		len -= v->prompt_len + strlen(BMLT_PROMPT_SEPARATOR);
		s = sep + strlen(BMLT_PROMPT_SEPARATOR);
	}
	v->s = s;
	v->len = len;
	return len > 0;
}

/* v without spaces around it, for the fields that hold a code. */
static void trim(struct bmlt_value *v)
{
	while (v->len > 0 && (v->s[0] == ' ' || v->s[0] == '\t')) {
		v->s++;
		v->len--;
	}
	while (v->len > 0 && (v->s[v->len - 1] == ' ' || v->s[v->len - 1] == '\t'))
		v->len--;
}

static int value_is(const struct bmlt_value *v, const char *s)
{
	return v->len == strlen(s) && memcmp(v->s, s, v->len) == 0;
}

/* The start of a bad value for a message: at most BMLT_QUOTE_MAX bytes, cut
 * at a character boundary, control characters as '?'. */
static const char *quote(const struct bmlt_value *v, char out[BMLT_QUOTE_MAX + 1])
{
	size_t n = v->len < BMLT_QUOTE_MAX ? v->len : BMLT_QUOTE_MAX;

	if (n < v->len)
		while (n > 0 && ((unsigned char)v->s[n] & 0xC0) == 0x80)
			n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v->s[i];

		out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	out[n] = '\0';
	return out;
}

/* One line of a field into *dest (which must be NULL), at most max
 * characters; a longer value is cut, with a warning. */
static void read_line(struct bmlt_row *r, const char *name, size_t max, char **dest)
{
	struct bmlt_value v;
	int cut = 0;

	if (!field(r, name, &v))
		return;
	*dest = import_norm_line(v.s, v.len, max, &cut);
	if (cut)
		warn(r, "%s cut to %zu characters", name, max);
}

/* A whole number from text made only of digits (at most 9), at most max;
 * -1 otherwise. */
static long small_number(const struct bmlt_value *v, long max)
{
	long long n;

	if (v->len > 9 || number_integer(v->s, v->len, NUMBER_DIGITS, 0, max, &n) != 0)
		return -1;
	return (long)n;
}

/* "H:MM", "HH:MM" or "HH:MM:SS" as a length of time in whole minutes
 * (seconds dropped); -1 when it is not one. */
static int duration_minutes(const struct bmlt_value *v)
{
	const char *s = v->s;
	size_t len = v->len, colon;
	struct bmlt_value hours, minutes, seconds = {"00", 2, NULL, 0};
	long h, m;

	for (colon = 0; colon < len && s[colon] != ':'; colon++)
		;
	if (colon == 0 || colon > 2 || colon + 3 > len)
		return -1;
	hours = (struct bmlt_value){s, colon, NULL, 0};
	minutes = (struct bmlt_value){s + colon + 1, 2, NULL, 0};
	if (len != colon + 3) {
		if (len != colon + 6 || s[colon + 3] != ':')
			return -1;
		seconds = (struct bmlt_value){s + colon + 4, 2, NULL, 0};
	}
	h = small_number(&hours, 99);
	m = small_number(&minutes, 59);
	if (h < 0 || m < 0 || small_number(&seconds, 59) < 0)
		return -1;
	return (int)(h * 60 + m);
}

/* A coordinate: a JSON number, or text as the importers read numbers
 * (number.c's NUMBER_LOOSE: -12.345, no exponent, hex, NaN or inf; up to
 * 20 decimals, where the API stops at 15). Returns 0 and sets *out, or -1
 * when it is not a number. */
static int coordinate(const struct bmlt_row *r, const char *name, double *out)
{
	json_object *o;
	struct bmlt_value v;

	if (!json_object_object_get_ex(r->obj, name, &o) || o == NULL)
		return -1;
	if (json_object_is_type(o, json_type_double) || json_object_is_type(o, json_type_int)) {
		*out = json_object_get_double(o);
		return isfinite(*out) ? 0 : -1;
	}
	if (!field(r, name, &v))
		return -1;
	trim(&v);
	if (v.prompt != NULL)
		return -1;
	return number_double(v.s, v.len, NUMBER_LOOSE, -HUGE_VAL, HUGE_VAL, out);
}

/* ---- Free text, with prompts and the custom fields ------------------- */

struct text_part {
	const char *field;
	const char *label; /* said before a value that has no prompt; or NULL */
};

static const struct text_part meeting_note_parts[] = {
	{"comments", NULL},
	{"format_comments", NULL},
	{"seat_reservation", "Seat reservation"},
};

static const struct text_part location_note_parts[] = {
	{"location_info", NULL},
	{"public_transport", "Public transport"},
	{"train_lines", "Train"},
	{"bus_lines", "Bus"},
};

static const struct text_part conference_note_parts[] = {
	{"virtual_meeting_additional_info", NULL},
};

/* The parts are the file's own text: within its cap, only memory can run
 * out. */
static void text_append(struct dynbuf *b, const char *s, size_t len)
{
	if (dynbuf_append(b, s, len) != 0)
		import_batch_out_of_memory();
}

/* The fields of `parts` that are present, one a line ("prompt: value"), as
 * free text of at most IMPORT_TEXT_MAX characters (a longer one is cut, with
 * a warning naming `what`); NULL when none is present. */
static char *read_text(struct bmlt_row *r, const struct text_part *parts, size_t nparts,
		       const char *what)
{
	struct dynbuf b;
	char *text;
	int cut = 0;

	dynbuf_init(&b, IMPORT_MAX_BYTES);

	for (size_t i = 0; i < nparts; i++) {
		struct bmlt_value v;
		const char *label = parts[i].label;
		size_t label_len = label ? strlen(label) : 0;

		if (!field(r, parts[i].field, &v))
			continue;
		if (b.len > 0)
			text_append(&b, "\n", 1);
		if (v.prompt_len > 0) {
			label = v.prompt;
			label_len = v.prompt_len;
		}
		if (label != NULL) {
			text_append(&b, label, label_len);
			text_append(&b, ": ", 2);
		}
		text_append(&b, v.s, v.len);
	}
	if (b.len == 0) {
		dynbuf_free(&b);
		return NULL;
	}
	text = import_norm_text(b.data, b.len, IMPORT_TEXT_MAX, &cut);
	dynbuf_free(&b);
	if (cut)
		warn(r, "%s cut to %d characters", what, IMPORT_TEXT_MAX);
	return text;
}

/* ---- The meeting's fields --------------------------------------------- */

/* id_bigint, meeting_name and published. */
static int read_identity(struct bmlt_row *r)
{
	struct bmlt_value v;
	int key_cut = 0, cut = 0;

	if (field(r, "id_bigint", &v)) {
		r->m->key = import_norm_line(v.s, v.len, BMLT_KEY_MAX, &key_cut);
		if (key_cut) {
			free(r->m->key);
			r->m->key = NULL;
		}
	}
	if (field(r, "meeting_name", &v))
		r->m->name = import_norm_line(v.s, v.len, IMPORT_NAME_MAX, &cut);
	if (r->m->name == NULL)
		return reject(r, "no meeting_name");
	if (cut)
		return reject(r, "meeting_name is longer than %d characters", IMPORT_NAME_MAX);
	if (key_cut)
		warn(r, "id_bigint is longer than %d characters; not used as the key",
		     BMLT_KEY_MAX);
	if (field(r, "published", &v)) {
		trim(&v);
		if (value_is(&v, "0") || value_is(&v, "false"))
			return reject(r, "not published");
	}
	return 0;
}

/* weekday_tinyint, start_time, duration_time and time_zone. */
static int read_schedule(struct bmlt_row *r)
{
	struct bmlt_value v;
	char q[BMLT_QUOTE_MAX + 1];
	long day;
	int duration;

	if (!field(r, "weekday_tinyint", &v))
		return reject(r, "no weekday_tinyint");
	trim(&v);
	day = small_number(&v, 7);
	if (day < 1)
		return reject(r,
			      "weekday_tinyint \"%s\" is not a day from 1 (Sunday) to 7 (Saturday)",
			      quote(&v, q));
	r->m->day = (int)day - 1;
	if (!field(r, "start_time", &v))
		return reject(r, "no start_time");
	r->m->start_min = import_norm_time(v.s);
	if (r->m->start_min < 0 || memchr(v.s, '\0', v.len) != NULL)
		return reject(r, "start_time \"%s\" is not a time of day", quote(&v, q));
	if (field(r, "duration_time", &v)) {
		trim(&v);
		duration = duration_minutes(&v);
		if (duration < 0 || duration >= 24 * 60)
			warn(r,
			     "duration_time \"%s\" is not a length of time under 24 hours; no "
			     "end time",
			     quote(&v, q));
		else if (duration > 0)
			r->m->end_min = (r->m->start_min + duration) % (24 * 60);
	}
	read_line(r, "time_zone", BMLT_ZONE_MAX, &r->m->timezone);
	return 0;
}

static void read_venue_type(struct bmlt_row *r)
{
	static const enum import_attendance venues[] = {ATTEND_IN_PERSON, ATTEND_ONLINE,
							ATTEND_HYBRID};
	struct bmlt_value v;
	char q[BMLT_QUOTE_MAX + 1];
	long venue;

	if (!field(r, "venue_type", &v))
		return;
	trim(&v);
	venue = small_number(&v, 3);
	if (venue < 1) {
		warn(r, "venue_type \"%s\" is not 1 (in person), 2 (virtual) or 3 (hybrid)",
		     quote(&v, q));
		return;
	}
	r->m->attendance = venues[venue - 1];
}

/* Appends a copy of `region` to the meeting's regions, unless it is the
 * city or already there. */
static void add_region(struct import_meeting *m, char *region)
{
	if (region == NULL)
		return;
	if ((m->city != NULL && strcmp(m->city, region) == 0) ||
	    (m->nregions > 0 && strcmp(m->regions[m->nregions - 1], region) == 0)) {
		free(region);
		return;
	}
	if (m->regions == NULL) {
		m->regions = calloc(2, sizeof(*m->regions));
		if (m->regions == NULL)
			import_batch_out_of_memory();
	}
	m->regions[m->nregions++] = region;
}

/* The address. The city is location_municipality, else the city's part
 * (location_city_subsection, then location_neighborhood); the parts below
 * the city become Meeting Guide regions ("Kreuzberg"). */
static void read_place(struct bmlt_row *r)
{
	struct import_meeting *m = r->m;
	char *subsection = NULL, *neighborhood = NULL;

	read_line(r, "location_text", IMPORT_NAME_MAX, &m->location_name);
	read_line(r, "location_street", IMPORT_NAME_MAX, &m->address);
	read_line(r, "location_municipality", IMPORT_NAME_MAX, &m->city);
	read_line(r, "location_city_subsection", IMPORT_NAME_MAX, &subsection);
	read_line(r, "location_neighborhood", IMPORT_NAME_MAX, &neighborhood);
	read_line(r, "location_province", IMPORT_NAME_MAX, &m->region);
	read_line(r, "location_postal_code_1", IMPORT_NAME_MAX, &m->postal_code);
	read_line(r, "location_nation", IMPORT_NAME_MAX, &m->country);
	if (m->city == NULL && subsection != NULL) {
		m->city = subsection;
		subsection = NULL;
	} else if (m->city == NULL && neighborhood != NULL) {
		m->city = neighborhood;
		neighborhood = NULL;
	}
	add_region(m, subsection);
	add_region(m, neighborhood);
	m->location_notes = read_text(r, location_note_parts, COUNT(location_note_parts),
				      "the location notes");
}

/* latitude and longitude. A virtual meeting's are ignored: servers fill in
 * their default map centre. "0" or nothing is no point. */
static void read_point(struct bmlt_row *r)
{
	struct bmlt_value lat_text, lng_text;
	char q1[BMLT_QUOTE_MAX + 1], q2[BMLT_QUOTE_MAX + 1];
	double lat, lng;

	if (r->m->attendance == ATTEND_ONLINE)
		return;
	if (!field(r, "latitude", &lat_text) || !field(r, "longitude", &lng_text))
		return;
	if (coordinate(r, "latitude", &lat) != 0 || coordinate(r, "longitude", &lng) != 0) {
		warn(r, "latitude \"%s\", longitude \"%s\" is not a point; none kept",
		     quote(&lat_text, q1), quote(&lng_text, q2));
		return;
	}
	if (lat == 0 || lng == 0)
		return;
	if (lat < -90 || lat > 90 || lng < -180 || lng > 180) {
		warn(r, "latitude %g, longitude %g is out of range; no point kept", lat, lng);
		return;
	}
	r->m->has_point = 1;
	r->m->lat = lat;
	r->m->lng = lng;
	r->m->approximate = APPROX_NO;
}

/* The link, the phone, and the notes on them (for the phone when there is
 * no link). */
static void read_online(struct bmlt_row *r)
{
	struct import_meeting *m = r->m;
	struct bmlt_value v;
	char q[BMLT_QUOTE_MAX + 1];
	char *notes;

	if (field(r, "virtual_meeting_link", &v)) {
		m->conference_url = import_norm_url(v.s);
		if (m->conference_url == NULL)
			warn(r, "virtual_meeting_link \"%s\" is not a web link; dropped",
			     quote(&v, q));
	}
	if (field(r, "phone_meeting_number", &v)) {
		m->conference_phone = import_norm_phone(v.s);
		if (m->conference_phone == NULL)
			warn(r, "phone_meeting_number \"%s\" is not a phone number; dropped",
			     quote(&v, q));
	}
	notes = read_text(r, conference_note_parts, COUNT(conference_note_parts),
			  "virtual_meeting_additional_info");
	if (m->conference_url == NULL && m->conference_phone != NULL)
		m->conference_phone_notes = notes;
	else
		m->conference_url_notes = notes;
}

/* The group's and people's contact details, as a JSON object with the
 * Meeting Guide names (as import_mg.c keeps them); the servers that dropped
 * the underscore (contact_name1) are read too. */
static void read_contacts(struct bmlt_row *r)
{
	static const char *const fields[][3] = {
		{"email", "email_contact", NULL},
		{"contact_1_name", "contact_name_1", "contact_name1"},
		{"contact_1_email", "contact_email_1", "contact_email1"},
		{"contact_1_phone", "contact_phone_1", "contact_phone1"},
		{"contact_2_name", "contact_name_2", "contact_name2"},
		{"contact_2_email", "contact_email_2", "contact_email2"},
		{"contact_2_phone", "contact_phone_2", "contact_phone2"},
	};
	json_object *contacts = NULL;

	for (size_t i = 0; i < COUNT(fields); i++) {
		char *value = NULL;

		for (size_t k = 1; k < 3 && fields[i][k] != NULL && value == NULL; k++)
			read_line(r, fields[i][k], IMPORT_NAME_MAX, &value);
		if (value == NULL)
			continue;
		if (contacts == NULL && (contacts = json_object_new_object()) == NULL)
			import_batch_out_of_memory();
		if (json_object_object_add(contacts, fields[i][0], json_object_new_string(value)))
			import_batch_out_of_memory();
		free(value);
	}
	if (contacts == NULL)
		return;
	r->m->contacts = copy_string(json_object_to_json_string_ext(
		contacts, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(contacts);
}

/* ---- The meeting's types ---------------------------------------------- */

static const struct world_row *find_world(const char *world_id)
{
	for (size_t i = 0; i < COUNT(world_table); i++)
		if (strcasecmp(world_table[i].world_id, world_id) == 0)
			return &world_table[i];
	return NULL;
}

static const char *language_code(const char *key)
{
	for (size_t i = 0; i < COUNT(language_table); i++)
		if (strcasecmp(language_table[i][0], key) == 0)
			return language_table[i][1];
	return NULL;
}

static const char *meeting_guide_code(const char *s)
{
	for (size_t i = 0; i < COUNT(meeting_guide_codes); i++)
		if (strcasecmp(meeting_guide_codes[i], s) == 0)
			return meeting_guide_codes[i];
	return NULL;
}

/* The format's own key as its type, unless the import would read it as a
 * Meeting Guide code: then its name (a name the import knows, as "French",
 * becomes that code), with a warning. */
static const char *kept_key(struct bmlt_row *r, const struct bmlt_format *f)
{
	const char *code = meeting_guide_code(f->key);

	if (code == NULL)
		return f->key;
	if (f->name != NULL)
		warn(r,
		     "format %s (%s) would read as the Meeting Guide code %s; kept by its "
		     "name",
		     f->key, f->name, code);
	else
		warn(r,
		     "format %s would read as the Meeting Guide code %s, and has no name; "
		     "dropped",
		     f->key, code);
	return f->name;
}

/* The type a format stands for, worked out at its first use. */
static const char *format_type(struct bmlt_row *r, struct bmlt_format *f)
{
	const struct world_row *w = f->world_id ? find_world(f->world_id) : NULL;
	const char *code;

	if (f->resolved)
		return f->type;
	f->resolved = 1;
	if (w != NULL && w->action == WORLD_CODE)
		f->type = w->code;
	else if (w != NULL && w->action == WORLD_NONE)
		f->type = NULL;
	else if (((w != NULL && w->action == WORLD_LANGUAGE) || (w == NULL && f->language)) &&
		 (code = language_code(f->key)) != NULL)
		f->type = code;
	else
		f->type = kept_key(r, f);
	return f->type;
}

/* Adds a copy of `type` to the meeting's types, once; a meeting has at most
 * IMPORT_TYPES_MAX. */
static void add_type(struct bmlt_row *r, const char *type)
{
	struct import_meeting *m = r->m;

	if (type == NULL)
		return;
	for (size_t i = 0; i < m->ntypes; i++)
		if (strcmp(m->types[i], type) == 0)
			return;
	if (m->ntypes == IMPORT_TYPES_MAX) {
		if (!r->types_full)
			warn(r, "more than %d types; the rest dropped", IMPORT_TYPES_MAX);
		r->types_full = 1;
		return;
	}
	if (m->types == NULL) {
		m->types = calloc(IMPORT_TYPES_MAX, sizeof(*m->types));
		if (m->types == NULL)
			import_batch_out_of_memory();
	}
	m->types[m->ntypes++] = copy_string(type);
}

static struct bmlt_format *find_format_by_id(struct bmlt_parser *p, const char *id)
{
	for (size_t i = 0; i < p->nformats; i++)
		if (p->formats[i].id != NULL && strcmp(p->formats[i].id, id) == 0)
			return &p->formats[i];
	return NULL;
}

static struct bmlt_format *find_format_by_key(struct bmlt_parser *p, const char *key)
{
	for (size_t i = 0; i < p->nformats; i++)
		if (strcmp(p->formats[i].key, key) == 0)
			return &p->formats[i];
	return NULL;
}

/* Warns about a format id no format has, the first time it is met. */
static void missing_id(struct bmlt_row *r, const char *id)
{
	struct bmlt_parser *p = r->p;

	for (size_t i = 0; i < p->nmissing; i++)
		if (strcmp(p->missing_ids[i], id) == 0)
			return;
	p->missing_ids = import_batch_grow(p->missing_ids, &p->missing_cap, p->nmissing,
					   sizeof(char *));
	p->missing_ids[p->nmissing++] = copy_string(id);
	warn(r,
	     "format id %s is in no formats list; read by its key string where the "
	     "meeting has one (this warning is given once)",
	     id);
}

/* The items of a comma list, each trimmed and normalised, into items
 * (at most BMLT_LIST_MAX; the caller frees them). Returns their number. */
static size_t split_list(struct bmlt_row *r, const char *name, char **items)
{
	struct bmlt_value v;
	size_t n = 0, start = 0;

	if (!field(r, name, &v))
		return 0;
	for (size_t i = 0; i <= v.len; i++) {
		if (i < v.len && v.s[i] != ',')
			continue;
		if (n == BMLT_LIST_MAX) {
			warn(r, "%s holds more than %d formats; the rest ignored", name,
			     BMLT_LIST_MAX);
			break;
		}
		items[n] = import_norm_line(v.s + start, i - start, BMLT_CODE_MAX, NULL);
		n += items[n] != NULL;
		start = i + 1;
	}
	return n;
}

static void free_items(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

/* Whether one of the formats found has this key. */
static int key_among(struct bmlt_format *const *found, size_t nfound, const char *key)
{
	for (size_t i = 0; i < nfound; i++)
		if (strcmp(found[i]->key, key) == 0)
			return 1;
	return 0;
}

/* The meeting's formats as types: by id where a formats list has the id;
 * when an id is in no list, or there are no ids, the key strings that no
 * format found by id has, by their format, else as written. */
static void read_types(struct bmlt_row *r)
{
	struct bmlt_parser *p = r->p;
	char *ids[BMLT_LIST_MAX], *keys[BMLT_LIST_MAX];
	struct bmlt_format *found[BMLT_LIST_MAX];
	size_t nids = 0, nfound = 0, nkeys = split_list(r, "formats", keys);
	size_t nkeys_to_read = nkeys;

	if (p->nformats == 0) {
		if (nkeys > 0 && !p->warned_no_formats)
			warn(r,
			     "no formats list (a GetFormats file, or get_used_formats): key "
			     "strings kept as the server wrote them (this warning is given once)");
		p->warned_no_formats = p->warned_no_formats || nkeys > 0;
	} else {
		nids = split_list(r, "format_shared_id_list", ids);
	}
	for (size_t i = 0; i < nids; i++) {
		struct bmlt_format *f = find_format_by_id(p, ids[i]);

		if (f != NULL) {
			found[nfound++] = f;
			add_type(r, format_type(r, f));
		} else {
			missing_id(r, ids[i]);
		}
	}
	if (nids > 0 && nfound == nids)
		nkeys_to_read = 0; /* the key strings only say the same again */
	for (size_t i = 0; i < nkeys_to_read; i++) {
		struct bmlt_format *f;

		if (key_among(found, nfound, keys[i]))
			continue;
		f = find_format_by_key(p, keys[i]);
		add_type(r, f ? format_type(r, f) : keys[i]);
	}
	free_items(ids, nids);
	free_items(keys, nkeys);
}

/* ---- Meetings ------------------------------------------------------------ */

static int read_meeting(struct bmlt_row *r)
{
	if (read_identity(r) != 0 || read_schedule(r) != 0)
		return -1;
	read_venue_type(r);
	read_place(r);
	read_point(r);
	read_online(r);
	r->m->notes = read_text(r, meeting_note_parts, COUNT(meeting_note_parts), "the notes");
	read_contacts(r);
	read_types(r);
	return 0;
}

static void parse_meeting(struct bmlt_parser *p, json_object *obj, int row)
{
	struct bmlt_row r = {.p = p, .obj = obj, .row = row};

	if (!json_object_is_type(obj, json_type_object)) {
		import_batch_reject(p->batch, row, NULL, "not a meeting object");
		return;
	}
	r.m = import_batch_add(p->batch, row);
	if (read_meeting(&r) != 0) {
		import_batch_reject(p->batch, row, issue_key(&r), "%s", r.reason);
		import_batch_drop_last(p->batch);
	}
}

/* ---- Formats lists -------------------------------------------------------- */

/* A string member of a format object, normalised to one line; NULL when
 * missing, empty or not text. */
static char *format_member(json_object *obj, const char *name, size_t max)
{
	struct bmlt_row r = {.obj = obj};
	struct bmlt_value v;

	if (!field(&r, name, &v))
		return NULL;
	return import_norm_line(v.s, v.len, max, NULL);
}

/* Adds the formats of a GetFormats list; returns how many entries were not
 * formats (not objects, or without a key_string). */
static size_t add_formats(struct bmlt_parser *p, json_object *list)
{
	size_t skipped = 0, n = json_object_array_length(list);

	for (size_t i = 0; i < n; i++) {
		json_object *obj = json_object_array_get_idx(list, i);
		struct bmlt_format f = {0};
		char *kind;

		if (!json_object_is_type(obj, json_type_object) ||
		    (f.key = format_member(obj, "key_string", BMLT_CODE_MAX)) == NULL) {
			skipped++;
			continue;
		}
		f.id = format_member(obj, "id", BMLT_CODE_MAX);
		f.name = format_member(obj, "name_string", IMPORT_NAME_MAX);
		f.world_id = format_member(obj, "world_id", BMLT_CODE_MAX);
		kind = format_member(obj, "format_type_enum", BMLT_CODE_MAX);
		f.language = kind != NULL && strcasecmp(kind, "LANG") == 0;
		free(kind);
		p->formats = import_batch_grow(p->formats, &p->formats_cap, p->nformats, sizeof(f));
		p->formats[p->nformats++] = f;
	}
	return skipped;
}

static void parser_free(struct bmlt_parser *p)
{
	for (size_t i = 0; i < p->nformats; i++) {
		free(p->formats[i].id);
		free(p->formats[i].key);
		free(p->formats[i].name);
		free(p->formats[i].world_id);
	}
	free(p->formats);
	for (size_t i = 0; i < p->nmissing; i++)
		free(p->missing_ids[i]);
	free(p->missing_ids);
}

/* ---- The whole file ------------------------------------------------------- */

/* Fails the batch with where the JSON broke, as line and column (counted in
 * characters) of data[0..offset). */
static void fail_json(struct import_batch *batch, const char *what, const char *data, size_t offset,
		      const char *error)
{
	unsigned long line = 1, column = 1;

	for (size_t i = 0; i < offset; i++) {
		if (data[i] == '\n') {
			line++;
			column = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			column++;
		}
	}
	import_batch_fail(batch, "%snot JSON: %s at line %lu, column %lu", what, error, line,
			  column);
}

/* Parses data[0..len) as one JSON value with nothing but spaces after it
 * into *root, which the caller must json_object_put (NULL for a JSON null).
 * Returns 0, or -1 after failing the batch; `what` starts the message (""
 * or "formats file: "). */
static int parse_json(struct import_batch *batch, const char *what, const char *data, size_t len,
		      json_object **root)
{
	struct json_tokener *tok;
	enum json_tokener_error error;
	size_t end;

	*root = NULL;
	if (len > IMPORT_MAX_BYTES) {
		import_batch_fail(batch, "%slarger than %u bytes", what, IMPORT_MAX_BYTES);
		return -1;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3; /* a byte order mark, which some servers send */
		len -= 3;
	}
	tok = json_tokener_new();
	if (tok == NULL)
		import_batch_out_of_memory();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	*root = json_tokener_parse_ex(tok, data, (int)len);
	end = json_tokener_get_parse_end(tok);
	error = json_tokener_get_error(tok);
	if (error == json_tokener_continue) {
		/* A NUL ends what may go on, such as a number at the very end. */
		*root = json_tokener_parse_ex(tok, "", 1);
		error = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);
	while (error == json_tokener_success && end < len && data[end] != '\0' &&
	       strchr(" \t\r\n", data[end]) != NULL)
		end++;
	if (error == json_tokener_success && end == len)
		return 0;
	fail_json(batch, what, data, end,
		  error == json_tokener_success ? "more after the JSON value"
						: json_tokener_error_desc(error));
	json_object_put(*root);
	*root = NULL;
	return -1;
}

/* The array member `name` of an object, or NULL. */
static json_object *array_member(json_object *obj, const char *name)
{
	json_object *list;

	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, name, &list) ||
	    !json_object_is_type(list, json_type_array))
		return NULL;
	return list;
}

/* Reads the GetFormats file: an array of formats (or an object with a
 * formats array, as get_used_formats gives). */
static int read_formats_file(struct bmlt_parser *p, const struct import_options *options)
{
	json_object *root, *list;
	size_t skipped;

	if (options == NULL || options->formats_json == NULL)
		return 0;
	if (parse_json(p->batch, "formats file: ", options->formats_json, options->formats_len,
		       &root) != 0)
		return -1;
	list = json_object_is_type(root, json_type_array) ? root : array_member(root, "formats");
	if (list == NULL) {
		import_batch_fail(
			p->batch,
			"formats file: expected BMLT GetFormats: a JSON array of formats");
		json_object_put(root);
		return -1;
	}
	skipped = add_formats(p, list);
	if (skipped > 0)
		import_batch_warn(p->batch, 0, NULL,
				  "formats file: %zu entries are not formats; skipped", skipped);
	json_object_put(root);
	return 0;
}

/* The meetings array of a GetSearchResults reply (and its formats, added to
 * the parser's), or NULL after failing the batch. */
static json_object *meetings_of(struct bmlt_parser *p, json_object *root)
{
	json_object *meetings, *formats;
	size_t skipped;

	if (json_object_is_type(root, json_type_array))
		return root;
	meetings = array_member(root, "meetings");
	if (meetings == NULL) {
		import_batch_fail(p->batch,
				  "expected BMLT GetSearchResults: a JSON array of meetings, or "
				  "an object with a meetings array");
		return NULL;
	}
	formats = array_member(root, "formats");
	if (formats == NULL && json_object_object_get_ex(root, "formats", NULL))
		import_batch_warn(p->batch, 0, NULL, "formats is not an array of formats; ignored");
	if (formats != NULL && (skipped = add_formats(p, formats)) > 0)
		import_batch_warn(p->batch, 0, NULL,
				  "formats: %zu entries are not formats; skipped", skipped);
	return meetings;
}

/*
 * Reads a BMLT GetSearchResults reply into batch (import.h). The formats
 * embedded in the reply come before those of the GetFormats file, so that
 * key strings are looked up in the reply's own language first.
 */
int import_bmlt_parse(const char *data, size_t len, const struct import_options *options,
		      struct import_batch *batch)
{
	struct bmlt_parser p = {.batch = batch};
	json_object *root, *meetings;
	int status = -1;

	if (parse_json(batch, "", data, len, &root) != 0)
		return -1;
	meetings = meetings_of(&p, root);
	if (meetings == NULL || read_formats_file(&p, options) != 0)
		goto done;
	for (size_t i = 0, n = json_object_array_length(meetings); i < n; i++)
		parse_meeting(&p, json_object_array_get_idx(meetings, i), (int)(i + 1));
	status = 0;
done:
	parser_free(&p);
	json_object_put(root);
	return status;
}
