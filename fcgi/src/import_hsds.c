/*
 * HSDS service directories read into staged records (import_hsds.h).
 *
 * Every input is first brought to the shape of an HSDS 3.0 full service
 * (a JSON object with its organization, service_at_locations[].location,
 * phones, schedules and the rest): the 3.0 JSON is in that shape already
 * (a service nested in an organization takes it as its organization, the
 * service of service_at_locations gets their locations), the CSV tables
 * are joined into it by their id columns, and the Ohana and 1.x forms'
 * fields are renamed on the way. One normaliser then turns such a service
 * into staged records, so that the inputs behave the same. Organizations
 * and locations that come without services are staged on their own.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "import_hsds.h"
#include "import_norm.h"
#include "utf8.h"

#define HSDS_LINE_MAX 1000 /* names, emails, links and other one-line fields */
#define HSDS_LIST_MAX 200  /* children of one kind on one record */
#define HSDS_DEPTH_MAX 64  /* nesting a JSON input may have */

const char *const import_hsds_kind_names[HSDS_KIND__MAX] = {"organization", "location", "service"};

const char *const import_hsds_table_names[] = {
	"services",
	"organizations",
	"locations",
	"service_at_location",
	"addresses",
	"phones",
	"schedules",
	"languages",
	"cost_options",
	"service_areas",
	"accessibility",
	"taxonomies",
	"taxonomy_terms",
	"attributes",
	/* Ohana */
	"regular_schedules",
	"holiday_schedules",
	"mail_addresses",
	"taxonomy",
	NULL,
};

/* The service being normalised, for the issues it raises. */
struct ctx {
	struct hsds_batch *batch;
	int row;
	const char *key;
	json_object *seen;   /* service keys taken so far in the input */
	json_object *staged; /* "location\x1fkey" of the records staged so far */
};

/* Whether the record of kind and key was staged already (by an earlier
 * service that shares it); marks it staged. */
static int staged_before(const struct ctx *c, const char *kind, const char *key)
{
	char name[600];

	snprintf(name, sizeof(name), "%s\x1f%.500s", kind, key);
	if (json_object_object_get_ex(c->staged, name, NULL))
		return 1;
	json_object_object_add(c->staged, name, NULL);
	return 0;
}

static void warn(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(const struct ctx *c, const char *fmt, ...)
{
	char message[400], *clean;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* Values quoted from the input, maybe cut inside a character: the
	 * report and the database take valid UTF-8 only. */
	clean = import_norm_line(message, strlen(message), sizeof(message), NULL);
	import_batch_warn(&c->batch->issues, c->row, c->key, "%s", clean ? clean : "?");
	free(clean);
}

static void oom_check(const void *p)
{
	if (p == NULL)
		import_batch_out_of_memory();
}

/* ---- Values ----------------------------------------------------------- */

/* A field's value as text: strings as they are, numbers and booleans as
 * JSON writes them; NULL when absent, null, an object or an array. */
static const char *raw(json_object *o, const char *field)
{
	json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, field, &v) || v == NULL)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
	case json_type_int:
	case json_type_double:
	case json_type_boolean: return json_object_get_string(v);
	default: return NULL;
	}
}

static json_object *child(json_object *o, const char *field, json_type type)
{
	json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, field, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static void put_string(json_object *doc, const char *name, const char *value)
{
	json_object *v = json_object_new_string(value);

	oom_check(v);
	json_object_object_add(doc, name, v);
}

/* A one-line text field, cleaned; nothing when it is empty. */
static char *line_of(json_object *o, const char *field)
{
	const char *s = raw(o, field);

	return s ? import_norm_line(s, strlen(s), HSDS_LINE_MAX, NULL) : NULL;
}

static void put_line(json_object *doc, const char *name, json_object *o, const char *field)
{
	char *s = line_of(o, field);

	if (s != NULL)
		put_string(doc, name, s);
	free(s);
}

static void put_text(json_object *doc, const char *name, json_object *o, const char *field)
{
	const char *s = raw(o, field);
	char *text = s ? import_norm_text(s, strlen(s), IMPORT_TEXT_MAX, NULL) : NULL;

	if (text != NULL)
		put_string(doc, name, text);
	free(text);
}

static void put_lines(json_object *doc, json_object *o, const char *const *fields)
{
	for (; *fields != NULL; fields++)
		put_line(doc, *fields, o, *fields);
}

/* A number field as text ("%.15g": what the source wrote, without the
 * binary noise), within [min, max]; a value that is not one is dropped
 * with a warning. `integer` asks for a whole number. */
static void put_number(const struct ctx *c, json_object *doc, const char *name, json_object *o,
		       const char *field, double min, double max, int integer)
{
	const char *s = raw(o, field);
	char text[40];
	double v;

	if (s == NULL || !*s)
		return;
	if (import_norm_number(s, &v) != 0 || v < min || v > max || (integer && v != floor(v))) {
		char *shown = import_norm_line(s, strlen(s), 40, NULL);

		warn(c, "%s \"%s\" is not a number from %g to %g; left out", field,
		     shown ? shown : "", min, max);
		free(shown);
		return;
	}
	snprintf(text, sizeof(text), "%.15g", v);
	put_string(doc, name, text);
}

/* true/false, yes/no, 1/0 in any case; -1 when it is none of these. */
static int boolean_of(const char *s)
{
	static const char *const yes[] = {"true", "yes", "1", "t", "y"};
	static const char *const no[] = {"false", "no", "0", "f", "n"};

	for (size_t i = 0; s != NULL && i < sizeof(yes) / sizeof(*yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

static void put_boolean(const struct ctx *c, json_object *doc, const char *name, json_object *o,
			const char *field)
{
	const char *s = raw(o, field);
	int b;

	if (s == NULL || !*s)
		return;
	if ((b = boolean_of(s)) < 0) {
		warn(c, "%s is neither true nor false; left out", field);
		return;
	}
	json_object_object_add(doc, name, json_object_new_boolean(b));
}

int import_hsds_date(const char *given, char out[11])
{
	char stamp[20];

	if (given == NULL || import_norm_updated(given, stamp) != 0)
		return -1;
	memcpy(out, stamp, 10);
	out[10] = '\0';
	return 0;
}

static void put_date(const struct ctx *c, json_object *doc, const char *name, json_object *o,
		     const char *field)
{
	const char *s = raw(o, field);
	char date[11];

	if (s == NULL || !*s)
		return;
	if (import_hsds_date(s, date) != 0) {
		char *shown = import_norm_line(s, strlen(s), 40, NULL);

		warn(c, "%s \"%s\" is not a date; left out", field, shown ? shown : "");
		free(shown);
		return;
	}
	put_string(doc, name, date);
}

/* One of a fixed set of words (compared without case); a value outside it
 * is replaced by `otherwise` (NULL: left out), with a warning. */
static void put_enum(const struct ctx *c, json_object *doc, const char *name, json_object *o,
		     const char *field, const char *const *allowed, const char *otherwise)
{
	char *s = line_of(o, field);
	const char *value = otherwise;
	int found = 0;

	if (s != NULL) {
		for (const char *const *a = allowed; *a != NULL && !found; a++)
			if ((found = strcasecmp(s, *a) == 0))
				value = *a;
		if (!found)
			warn(c, "%s \"%s\" is not one of HSDS's values%s%s", field, s,
			     otherwise ? "; read as " : "; left out", otherwise ? otherwise : "");
	}
	if (value != NULL)
		put_string(doc, name, value);
	free(s);
}

static int is_uuid(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* The record's own id, lower case, as "id" when it is a uuid: the apply
 * keeps it when no other record has it. */
static void put_uuid(json_object *doc, json_object *o, const char *field)
{
	const char *s = raw(o, field);
	char id[37];

	if (!is_uuid(s))
		return;
	for (int i = 0; i < 37; i++)
		id[i] = (char)tolower((unsigned char)s[i]);
	put_string(doc, "id", id);
}

static uint32_t fnv(uint32_t h, const char *s)
{
	for (; s != NULL && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	h ^= 0x1f;
	return h * 16777619u;
}

/* A record's key: its id as text, else its name's slug and a digest of
 * the fields that tell it apart (stable from one import to the next). */
static char *record_key(json_object *o, const char *const *fields)
{
	char *id = line_of(o, "id");
	char *base, *key;
	uint32_t h = 2166136261u;
	size_t n;

	if (id != NULL)
		return id;
	for (const char *const *f = fields; *f != NULL; f++)
		h = fnv(h, raw(o, *f));
	base = import_norm_slug(raw(o, fields[0]) ? raw(o, fields[0]) : "record", 48);
	n = (base ? strlen(base) : 0) + 16;
	key = import_batch_xmalloc(n);
	snprintf(key, n, "%s-%08x", base ? base : "record", h);
	free(base);
	return key;
}

/* ---- Languages ------------------------------------------------------- */

/* ISO 639-1 codes with the 639-2 (B and T) or 639-3 codes and English
 * names that mean them. Chinese varieties are zh, as the search asks. */
static const struct {
	const char *code, *names; /* names: '|'-separated, lower case */
} languages[] = {
	{"en", "eng|english"},
	{"es", "spa|spanish|español|espanol|castilian"},
	{"fr", "fra|fre|french|français"},
	{"de", "deu|ger|german|deutsch"},
	{"it", "ita|italian"},
	{"pt", "por|portuguese|português"},
	{"ru", "rus|russian"},
	{"zh", "zho|chi|cmn|yue|nan|chinese|mandarin|cantonese|taiwanese"},
	{"ja", "jpn|japanese"},
	{"ko", "kor|korean"},
	{"vi", "vie|vietnamese"},
	{"tl", "tgl|fil|tagalog|filipino"},
	{"ar", "ara|arabic"},
	{"hi", "hin|hindi"},
	{"ur", "urd|urdu"},
	{"pl", "pol|polish"},
	{"sk", "slk|slo|slovak"},
	{"uk", "ukr|ukrainian"},
	{"fa", "fas|per|persian|farsi|dari"},
	{"so", "som|somali"},
	{"am", "amh|amharic"},
	{"ht", "hat|haitian creole|haitian|kreyol"},
	{"km", "khm|khmer|cambodian"},
	{"lo", "lao|laotian"},
	{"th", "tha|thai"},
	{"my", "mya|bur|burmese"},
	{"ne", "nep|nepali"},
	{"bn", "ben|bengali|bangla"},
	{"pa", "pan|punjabi"},
	{"gu", "guj|gujarati"},
	{"ta", "tam|tamil"},
	{"te", "tel|telugu"},
	{"el", "ell|gre|greek"},
	{"he", "heb|hebrew"},
	{"tr", "tur|turkish"},
	{"nl", "nld|dut|dutch"},
	{"sv", "swe|swedish"},
	{"no", "nor|norwegian"},
	{"da", "dan|danish"},
	{"fi", "fin|finnish"},
	{"ro", "ron|rum|romanian"},
	{"hu", "hun|hungarian"},
	{"cs", "ces|cze|czech"},
	{"sr", "srp|serbian"},
	{"hr", "hrv|croatian"},
	{"bs", "bos|bosnian"},
	{"sq", "sqi|alb|albanian"},
	{"hy", "hye|arm|armenian"},
	{"ka", "kat|geo|georgian"},
	{"sw", "swa|swahili"},
	{"yo", "yor|yoruba"},
	{"ig", "ibo|igbo"},
	{"ti", "tir|tigrinya"},
	{"ps", "pus|pashto"},
	{"ku", "kur|kurdish"},
	{"ml", "mal|malayalam"},
	{"mr", "mar|marathi"},
	{"id", "ind|indonesian"},
	{"ms", "msa|may|malay"},
	{"nv", "nav|navajo"},
	{"sm", "smo|samoan"},
	{"to", "ton|tongan"},
	{"hmn", NULL},
};

static const char *language_lookup(const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < sizeof(languages) / sizeof(*languages); i++) {
		const char *p = languages[i].names;

		if (p == NULL)
			continue;
		if (strcmp(languages[i].code, key) == 0)
			return languages[i].code;
		while (*p) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);

			if (len == n && memcmp(p, key, n) == 0)
				return languages[i].code;
			p += len + (bar != NULL);
		}
	}
	return NULL;
}

const char *import_hsds_language_code(const char *given)
{
	char key[64];
	size_t n = 0;
	const char *code;

	if (given == NULL)
		return NULL;
	while (isspace((unsigned char)*given))
		given++;
	for (; given[n] && n < sizeof(key) - 1; n++)
		key[n] = (char)tolower((unsigned char)given[n]);
	if (given[n])
		return NULL;
	while (n > 0 && isspace((unsigned char)key[n - 1]))
		n--;
	key[n] = '\0';
	if ((code = language_lookup(key)) != NULL)
		return code;
	/* "Chinese (Cantonese)", "en-US": the language before the variety. */
	for (size_t i = 0; i < n; i++) {
		if (key[i] == '(' || key[i] == '-' || key[i] == '_') {
			while (i > 0 && key[i - 1] == ' ')
				i--;
			key[i] = '\0';
			return i > 0 ? language_lookup(key) : NULL;
		}
	}
	return NULL;
}

static int code_shaped(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A language object: its code from the code given, else from the name;
 * an unknown one is kept as given with a warning. NULL when it has
 * neither a name nor a code. */
static json_object *language_doc(const struct ctx *c, json_object *o)
{
	char *name = line_of(o, "name"), *given = line_of(o, "code");
	const char *code = given ? import_hsds_language_code(given) : NULL;
	json_object *doc;

	if (code == NULL && name != NULL)
		code = import_hsds_language_code(name);
	if (name == NULL && given == NULL) {
		free(name);
		return NULL;
	}
	doc = json_object_new_object();
	oom_check(doc);
	put_uuid(doc, o, "id");
	if (name != NULL)
		put_string(doc, "name", name);
	if (code != NULL)
		put_string(doc, "code", code);
	else {
		warn(c,
		     "language \"%s\" is not an ISO 639 language the finder knows; kept as given",
		     given ? given : name);
		if (given != NULL && code_shaped(given))
			put_string(doc, "code", given);
	}
	put_line(doc, "note", o, "note");
	free(name);
	free(given);
	return doc;
}

/* A comma list ("Spanish, Tagalog") as an array of {field: item}. */
static json_object *split_list(const char *s, const char *field)
{
	json_object *list = json_object_new_array();

	oom_check(list);
	while (s != NULL && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		char *item = import_norm_line(s, len, HSDS_LINE_MAX, NULL);

		if (item != NULL) {
			json_object *o = json_object_new_object();

			oom_check(o);
			put_string(o, field, item);
			json_object_array_add(list, o);
			free(item);
		}
		s += len + (comma != NULL);
	}
	return list;
}

/* ---- Schedules -------------------------------------------------------- */

static const char *const day_codes[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

/* One byday entry: "MO", "2MO", "-1FR", or a day's name -> its code. */
static int byday_entry(const char *s, size_t len, char *out, size_t size)
{
	char item[40];
	size_t n = 0, at = 0;

	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(item))
		return -1;
	for (; n < len; n++)
		item[n] = (char)toupper((unsigned char)s[n]);
	item[n] = '\0';
	if (item[0] == '-')
		at++;
	if (item[at] >= '1' && item[at] <= '5')
		at++;
	else if (at == 1)
		return -1; /* "-MO": a minus needs a week number */
	if (n - at == 2) {
		for (int d = 0; d < 7; d++) {
			if (strcmp(item + at, day_codes[d]) == 0)
				return snprintf(out, size, "%s", item) < (int)size ? 0 : -1;
		}
	}
	if (at == 0) {
		memcpy(item, s, len);
		item[len] = '\0';
		int d = import_norm_day(item);

		if (d >= 0)
			return snprintf(out, size, "%s", day_codes[d]) < (int)size ? 0 : -1;
	}
	return -1;
}

int import_hsds_byday(const char *given, char *out, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return -1;
	out[0] = '\0';
	for (int more = given != NULL && *given; more;) {
		const char *comma = strchr(given, ',');
		size_t len = comma ? (size_t)(comma - given) : strlen(given);
		char item[16];

		more = comma != NULL; /* "MO," ends in an empty entry */
		if (byday_entry(given, len, item, sizeof(item)) != 0 ||
		    used + strlen(item) + 2 > size) {
			out[0] = '\0';
			return -1;
		}
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "", item);
		given += len + (comma != NULL);
	}
	return used > 0 ? 0 : -1;
}

int import_hsds_weekday(const char *given, char *out, size_t size)
{
	static const char *const iso_days[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA", "SU"};
	char days[200];
	size_t used = 0;

	if (size == 0)
		return -1;
	out[0] = '\0';
	/* Numbers become codes; names are left to import_hsds_byday(). */
	for (const char *next = given; next != NULL;) {
		const char *item = next, *comma = strchr(item, ',');
		size_t len = comma ? (size_t)(comma - item) : strlen(item);

		next = comma ? comma + 1 : NULL;
		while (len > 0 && isspace((unsigned char)*item))
			item++, len--;
		while (len > 0 && isspace((unsigned char)item[len - 1]))
			len--;
		if (len == 0)
			return -1; /* an empty entry: "", "1,", ",1" */
		if (len == 1 && *item >= '0' && *item <= '7')
			item = iso_days[*item - '0'], len = 2;
		if (used + len + 2 > sizeof(days))
			return -1;
		used += (size_t)snprintf(days + used, sizeof(days) - used, "%s%.*s",
					 used ? "," : "", (int)len, item);
	}
	return used > 0 ? import_hsds_byday(days, out, size) : -1;
}

/* Whether s begins with the shape: 'd' a digit, another character itself
 * ("dd:dd"). */
static int shaped(const char *s, const char *shape)
{
	for (; *shape; s++, shape++)
		if (*shape == 'd' ? !isdigit((unsigned char)*s) : *s != *shape)
			return 0;
	return 1;
}

int import_hsds_clock(const char *given, char offset[7])
{
	char text[40];
	size_t n;

	offset[0] = '\0';
	if (given == NULL || (n = strlen(given)) >= sizeof(text))
		return -1;
	/* A date before the time ("2000-01-01T09:00:00.000Z"): the time. */
	if (n > 11 && shaped(given, "dddd-dd-dd") && (given[10] == 'T' || given[10] == ' '))
		given += 11, n -= 11;
	memcpy(text, given, n + 1);
	if (n > 5 && (text[n - 1] == 'Z' || text[n - 1] == 'z') &&
	    isdigit((unsigned char)text[n - 2]))
		text[--n] = '\0';
	else if (n > 9 && (text[n - 6] == '+' || text[n - 6] == '-') &&
		 shaped(text + n - 5, "dd:dd") && isdigit((unsigned char)text[n - 7])) {
		memcpy(offset, text + n - 6, 7);
		text[n - 6] = '\0';
	}
	return import_norm_time(text);
}

/* A time field as "HH:MM", or -1 (with a warning when it was given); the
 * UTC offset it named, if any, into offset. */
static int put_time(const struct ctx *c, json_object *doc, json_object *o, const char *field,
		    char offset[7])
{
	const char *s = raw(o, field);
	char text[16];
	int m;

	offset[0] = '\0';
	if (s == NULL || !*s)
		return -1;
	if ((m = import_hsds_clock(s, offset)) < 0) {
		char *shown = import_norm_line(s, strlen(s), 40, NULL);

		warn(c, "%s \"%s\" is not a time of day; left out", field, shown ? shown : "");
		free(shown);
		return -1;
	}
	snprintf(text, sizeof(text), "%02d:%02d", m / 60, m % 60);
	put_string(doc, field, text);
	return m;
}

/* The days of a schedule: 3.0's byday, else 1.x's weekday (a number or a
 * name, one a row, every week). */
static void put_days(const struct ctx *c, json_object *doc, json_object *o)
{
	const char *byday = raw(o, "byday"), *weekday = raw(o, "weekday");
	const char *field = byday ? "byday" : "weekday", *given = byday ? byday : weekday;
	char days[200];
	int rc;

	if (given == NULL || !*given)
		return;
	rc = byday ? import_hsds_byday(byday, days, sizeof(days))
		   : import_hsds_weekday(weekday, days, sizeof(days));
	if (rc != 0) {
		warn(c, "%s \"%.60s\" is not a list of days; left out", field, given);
		return;
	}
	put_string(doc, "byday", days);
	if (raw(o, "freq") == NULL)
		put_string(doc, "freq", "WEEKLY");
}

static int digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Exactly "+HH:MM" or "-HH:MM", at most 14 hours: a UTC offset as a
 * schedule's tz gives one. */
static int utc_offset(const char *s)
{
	return strlen(s) == 6 && (s[0] == '+' || s[0] == '-') && digit(s[1]) && digit(s[2]) &&
	       s[3] == ':' && digit(s[4]) && digit(s[5]) &&
	       (s[1] - '0') * 10 + (s[2] - '0') <= 14 && s[4] < '6';
}

/* The schedule's zone: tz as given (an IANA name or a UTC offset), else
 * the offset its times named. */
static void put_zone(const struct ctx *c, json_object *doc, const char *tz, const char *offset)
{
	char *zone;

	if (tz == NULL || !*tz) {
		if (*offset)
			put_string(doc, "tz", offset);
		return;
	}
	zone = import_norm_timezone(tz);
	if (zone != NULL || utc_offset(tz))
		put_string(doc, "tz", zone ? zone : tz);
	else
		warn(c, "tz \"%.60s\" is not a time zone; left out", tz);
	free(zone);
}

static json_object *schedule_doc(const struct ctx *c, json_object *o)
{
	static const char *const freqs[] = {"WEEKLY", "MONTHLY", NULL};
	static const char *const lines[] = {
		"byweekno",      "bymonthday",     "byyearday", "description",
		"schedule_link", "attending_type", "notes",     NULL};
	json_object *doc = json_object_new_object();
	char wkst[16], opens_offset[7], closes_offset[7];
	int opens, closes;

	oom_check(doc);
	put_uuid(doc, o, "id");
	put_date(c, doc, "valid_from", o, "valid_from");
	put_date(c, doc, "valid_to", o, "valid_to");
	put_date(c, doc, "dtstart", o, "dtstart");
	put_date(c, doc, "until", o, "until");
	put_number(c, doc, "timezone", o, "timezone", -14, 14, 0);
	put_number(c, doc, "count", o, "count", 0, 1e6, 1);
	put_number(c, doc, "interval", o, "interval", 0, 1e6, 1);
	if (raw(o, "wkst") != NULL &&
	    byday_entry(raw(o, "wkst"), strlen(raw(o, "wkst")), wkst, sizeof(wkst)) == 0 &&
	    strlen(wkst) == 2)
		put_string(doc, "wkst", wkst);
	put_enum(c, doc, "freq", o, "freq", freqs, NULL);
	put_days(c, doc, o);
	put_lines(doc, o, lines);
	opens = put_time(c, doc, o, "opens_at", opens_offset);
	closes = put_time(c, doc, o, "closes_at", closes_offset);
	if (opens >= 0 && closes >= 0 && closes <= opens)
		warn(c,
		     "closes_at %02d:%02d is not after opens_at %02d:%02d: read as past midnight",
		     closes / 60, closes % 60, opens / 60, opens % 60);
	put_zone(c, doc, raw(o, "tz"), *opens_offset ? opens_offset : closes_offset);
	return doc;
}

/* ---- Phones, costs, areas, accessibility, addresses ------------------- */

/* A child record from its input object, or NULL to leave it out; the
 * lists of children are read by put_children() below. */
typedef json_object *child_fn(const struct ctx *c, json_object *o);
static void schedules_1x(json_object *o);
static void put_children(const struct ctx *c, json_object *doc, const char *name, json_object *o,
			 const char *field, child_fn *fn);

static json_object *phone_doc(const struct ctx *c, json_object *o)
{
	char *number = line_of(o, "number");
	json_object *doc;
	size_t n;

	/* Quotes around the whole number (the 3.0 example has them) are no
	 * part of it. */
	while (number != NULL && (n = strlen(number)) >= 2 && number[0] == '"' &&
	       number[n - 1] == '"') {
		memmove(number, number + 1, n - 2);
		number[n - 2] = '\0';
	}
	if (number == NULL || !*number) {
		warn(c, "a phone has no number; left out");
		free(number);
		return NULL;
	}
	doc = json_object_new_object();
	oom_check(doc);
	put_uuid(doc, o, "id");
	put_string(doc, "number", number);
	put_line(doc, "extension", o, "extension");
	put_line(doc, "type", o, "type");
	put_text(doc, "description", o, "description");
	/* The languages spoken on the line. */
	put_children(c, doc, "languages", o, "languages", language_doc);
	free(number);
	return doc;
}

static json_object *cost_doc(const struct ctx *c, json_object *o)
{
	json_object *doc = json_object_new_object();

	oom_check(doc);
	put_uuid(doc, o, "id");
	put_date(c, doc, "valid_from", o, "valid_from");
	put_date(c, doc, "valid_to", o, "valid_to");
	put_line(doc, "option", o, "option");
	put_line(doc, "currency", o, "currency");
	put_number(c, doc, "amount", o, "amount", -1e12, 1e12, 0);
	put_line(doc, "amount_description", o, "amount_description");
	return doc;
}

int import_hsds_iso3166(const char *extent, char country[3], char region[4])
{
	size_t n = extent ? strlen(extent) : 0, i;

	if (n < 2 || !isalpha((unsigned char)extent[0]) || !isalpha((unsigned char)extent[1]))
		return -1;
	country[0] = (char)toupper((unsigned char)extent[0]);
	country[1] = (char)toupper((unsigned char)extent[1]);
	country[2] = '\0';
	region[0] = '\0';
	if (n == 2)
		return 0;
	if (extent[2] != '-' || n < 4 || n > 6)
		return -1;
	for (i = 3; i < n; i++) {
		if (!isalnum((unsigned char)extent[i]))
			return -1;
		region[i - 3] = (char)toupper((unsigned char)extent[i]);
	}
	region[i - 3] = '\0';
	return 0;
}

/* Whether v is a number or nested arrays of numbers only. */
static int numbers_only(json_object *v, int depth)
{
	if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int))
		return 1;
	if (depth > 6 || !json_object_is_type(v, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(v); i++)
		if (!numbers_only(json_object_array_get_idx(v, i), depth + 1))
			return 0;
	return 1;
}

/* A GeoJSON Polygon or MultiPolygon (or a Feature holding one) as compact
 * text of its type and coordinates only; NULL when it is not one. */
static char *geojson_polygon(const char *s)
{
	json_object *g = s ? json_tokener_parse(s) : NULL, *type, *geometry;
	char *text = NULL;

	if (g != NULL && json_object_object_get_ex(g, "geometry", &geometry) &&
	    json_object_is_type(geometry, json_type_object)) {
		json_object_get(geometry);
		json_object_put(g);
		g = geometry;
	}
	if (g != NULL && json_object_is_type(g, json_type_object) &&
	    json_object_object_get_ex(g, "type", &type) &&
	    json_object_is_type(type, json_type_string) &&
	    (strcmp(json_object_get_string(type), "Polygon") == 0 ||
	     strcmp(json_object_get_string(type), "MultiPolygon") == 0) &&
	    child(g, "coordinates", json_type_array) != NULL &&
	    numbers_only(child(g, "coordinates", json_type_array), 0)) {
		json_object *clean = json_object_new_object();

		oom_check(clean);
		json_object_object_add(clean, "type", json_object_get(type));
		json_object_object_add(clean, "coordinates",
				       json_object_get(child(g, "coordinates", json_type_array)));
		text = import_batch_xstrdup(
			json_object_to_json_string_ext(clean, JSON_C_TO_STRING_PLAIN));
		json_object_put(clean);
	}
	json_object_put(g);
	return text;
}

static json_object *area_doc(const struct ctx *c, json_object *o)
{
	json_object *doc = json_object_new_object();
	char *type = line_of(o, "extent_type");
	const char *extent = raw(o, "extent");
	char country[3], region[4], *polygon = NULL;

	oom_check(doc);
	put_uuid(doc, o, "id");
	put_line(doc, "name", o, "name");
	put_text(doc, "description", o, "description");
	put_line(doc, "uri", o, "uri");
	if (type != NULL)
		put_string(doc, "extent_type", type);
	if (type != NULL &&
	    (strcasecmp(type, "iso3166-1") == 0 || strcasecmp(type, "iso3166-2") == 0) &&
	    import_hsds_iso3166(extent, country, region) == 0 &&
	    (*region != '\0') == (strcasecmp(type, "iso3166-2") == 0)) {
		put_string(doc, "country", country);
		if (*region)
			put_string(doc, "region", region);
		put_string(doc, "extent", extent);
	} else if (type != NULL && strcasecmp(type, "geojson") == 0 &&
		   (polygon = geojson_polygon(extent)) != NULL) {
		put_string(doc, "extent", polygon);
		put_string(doc, "geojson", polygon);
	} else if (extent != NULL && *extent) {
		char *text = import_norm_text(extent, strlen(extent), IMPORT_TEXT_MAX, NULL);

		if (text != NULL) {
			put_string(doc, "extent", text);
			if (type != NULL)
				warn(c,
				     "service area extent is not %s the finder reads; kept as text",
				     strcasecmp(type, "geojson") == 0 ? "a GeoJSON polygon"
								      : "an area of a type");
		}
		free(text);
	}
	free(polygon);
	free(type);
	return doc;
}

static json_object *accessibility_doc(const struct ctx *c, json_object *o)
{
	json_object *doc = json_object_new_object();

	(void)c;
	oom_check(doc);
	put_uuid(doc, o, "id");
	put_text(doc, "description", o, "description");
	put_text(doc, "details", o, "details");
	put_line(doc, "url", o, "url");
	return doc;
}

static json_object *address_doc(const struct ctx *c, json_object *o)
{
	static const char *const lines[] = {"attention",   "address_1", "address_2",
					    "city",        "region",    "state_province",
					    "postal_code", "country",   NULL};
	static const char *const types[] = {"physical", "postal", "virtual", NULL};
	json_object *doc = json_object_new_object();

	oom_check(doc);
	put_uuid(doc, o, "id");
	put_lines(doc, o, lines);
	put_enum(c, doc, "address_type", o, "address_type", types, "physical");
	return doc;
}

/* ---- Attributes -------------------------------------------------------- */

static json_object *attribute_doc(const struct ctx *c, json_object *o)
{
	static const char *const term_lines[] = {"code",     "name",     "taxonomy",
						 "language", "term_uri", NULL};
	static const char *const detail_lines[] = {"name", "uri", "version", NULL};
	json_object *term = child(o, "taxonomy_term", json_type_object);
	json_object *detail = child(term, "taxonomy_detail", json_type_object);
	json_object *doc, *t, *d;
	const char *parent = raw(term, "parent_id");

	if (term == NULL || (raw(term, "name") == NULL && raw(term, "code") == NULL)) {
		warn(c, "an attribute has no taxonomy term; left out");
		return NULL;
	}
	doc = json_object_new_object();
	t = json_object_new_object();
	oom_check(doc);
	oom_check(t);
	put_uuid(doc, o, "id");
	put_line(doc, "link_type", o, "link_type");
	put_line(doc, "value", o, "value");
	put_uuid(t, term, "id");
	put_lines(t, term, term_lines);
	put_text(t, "description", term, "description");
	if (is_uuid(parent)) {
		json_object *p = json_object_new_object();

		put_uuid(p, term, "parent_id");
		json_object_object_add(t, "parent_id",
				       json_object_get(json_object_object_get(p, "id")));
		json_object_put(p);
	}
	if (detail != NULL) {
		d = json_object_new_object();
		oom_check(d);
		put_uuid(d, detail, "id");
		put_lines(d, detail, detail_lines);
		put_text(d, "description", detail, "description");
		json_object_object_add(t, "taxonomy_detail", d);
	}
	json_object_object_add(doc, "taxonomy_term", t);
	return doc;
}

/* ---- Lists of children -------------------------------------------------- */

/* The array `field` of o, each element through fn, as `name` on doc (left
 * out when nothing is left). */
static void put_children(const struct ctx *c, json_object *doc, const char *name, json_object *o,
			 const char *field, child_fn *fn)
{
	json_object *items = child(o, field, json_type_array), *list;
	size_t n = items ? json_object_array_length(items) : 0;

	if (n == 0)
		return;
	if (n > HSDS_LIST_MAX) {
		warn(c, "%zu %s; the first %d are read", n, field, HSDS_LIST_MAX);
		n = HSDS_LIST_MAX;
	}
	list = json_object_new_array();
	oom_check(list);
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(items, i), *out;

		if (!json_object_is_type(item, json_type_object))
			continue;
		if ((out = fn(c, item)) != NULL)
			json_object_array_add(list, out);
	}
	if (json_object_array_length(list) > 0)
		json_object_object_add(doc, name, list);
	else
		json_object_put(list);
}

/* ---- Records ---------------------------------------------------------- */

static void add_record(struct hsds_batch *batch, int row, enum hsds_kind kind, const char *key,
		       json_object *doc)
{
	struct hsds_record *r;

	batch->records = import_batch_grow(batch->records, &batch->cap, batch->count, sizeof(*r));
	r = &batch->records[batch->count++];
	r->row = row;
	r->kind = kind;
	r->key = import_batch_xstrdup(key);
	r->doc = doc;
	r->country = NULL;
	if (kind == HSDS_SERVICE)
		batch->services++;
}

static const char *const org_key_fields[] = {"name", NULL};
static const char *const location_key_fields[] = {"name", "latitude", "longitude", "address_1",
						  NULL};
static const char *const service_key_fields[] = {"name", "description", NULL};

/* The organization's record; its key, or NULL when it has no name. */
static char *organization_record(const struct ctx *c, json_object *o)
{
	static const char *const lines[] = {"alternate_name", "email",  "website",
					    "tax_status",     "tax_id", "legal_status",
					    "logo",           "uri",    NULL};
	char *name = line_of(o, "name"), *key;
	json_object *doc;

	if (name == NULL)
		return NULL;
	key = record_key(o, org_key_fields);
	if (staged_before(c, "organization", key)) {
		free(name);
		return key;
	}
	doc = json_object_new_object();
	oom_check(doc);
	if (import_norm_length(name) > IMPORT_NAME_MAX)
		warn(c, "organization name is longer than %d characters", IMPORT_NAME_MAX);
	put_string(doc, "name", name);
	put_lines(doc, o, lines);
	put_text(doc, "description", o, "description");
	put_number(c, doc, "year_incorporated", o, "year_incorporated", 1000, 3000, 1);
	put_uuid(doc, o, "parent_organization_id");
	if (json_object_object_get_ex(doc, "id", NULL)) {
		json_object_object_add(doc, "parent_organization_id",
				       json_object_get(json_object_object_get(doc, "id")));
		json_object_object_del(doc, "id");
	}
	add_record(c->batch, c->row, HSDS_ORGANIZATION, key, doc);
	free(name);
	return key;
}

/* Latitude and longitude as given; `point` says whether they are a place
 * on Earth (not out of range, not 0,0). */
static void put_coordinates(const struct ctx *c, json_object *doc, json_object *o)
{
	const char *lat = raw(o, "latitude"), *lng = raw(o, "longitude");
	double y, x;
	int ok;

	if ((lat == NULL || !*lat) && (lng == NULL || !*lng))
		return;
	ok = lat != NULL && lng != NULL && import_norm_number(lat, &y) == 0 &&
	     import_norm_number(lng, &x) == 0;
	if (ok) {
		char text[40];

		snprintf(text, sizeof(text), "%.15g", y);
		put_string(doc, "latitude", text);
		snprintf(text, sizeof(text), "%.15g", x);
		put_string(doc, "longitude", text);
		ok = fabs(y) <= 90 && fabs(x) <= 180 && !(y == 0 && x == 0);
	}
	if (!ok)
		warn(c,
		     "location \"%.60s\": latitude %.20s, longitude %.20s are not a place on "
		     "Earth; placed from its address if it can be",
		     raw(o, "name") ? raw(o, "name") : "", lat ? lat : "-", lng ? lng : "-");
	json_object_object_add(doc, "point", json_object_new_boolean(ok));
}

/* A location's key: its id, else a digest of its name, coordinates and
 * first address line. */
static char *location_key(json_object *o)
{
	json_object *addresses = child(o, "addresses", json_type_array);
	json_object *address = addresses ? json_object_array_get_idx(addresses, 0) : NULL;
	json_object *keyed = json_object_new_object();
	char *key;

	oom_check(keyed);
	for (const char *const *f = location_key_fields; *f != NULL; f++) {
		json_object *v = json_object_object_get(strcmp(*f, "address_1") == 0 ? address : o,
							*f);

		if (v != NULL)
			json_object_object_add(keyed, *f, json_object_get(v));
	}
	if (raw(o, "id") != NULL)
		json_object_object_add(keyed, "id",
				       json_object_get(json_object_object_get(o, "id")));
	key = record_key(keyed, location_key_fields);
	json_object_put(keyed);
	return key;
}

/* A location's record; its key. `org` is the service's organization key:
 * the location belongs to it unless it names another (NULL: a location
 * read on its own, of no organization). */
static char *location_record(const struct ctx *c, json_object *o, const char *org)
{
	static const char *const lines[] = {
		"url", "name", "alternate_name", "external_identifier", "external_identifier_type",
		NULL};
	static const char *const types[] = {"physical", "postal", "virtual", NULL};
	json_object *doc;
	const char *owner = raw(o, "organization_id");
	const char *tz = raw(o, "timezone");
	char *key = location_key(o);

	if (staged_before(c, "location", key))
		return key;
	schedules_1x(o);
	doc = json_object_new_object();
	oom_check(doc);
	put_lines(doc, o, lines);
	put_text(doc, "description", o, "description");
	put_text(doc, "transportation", o, "transportation");
	put_enum(c, doc, "location_type", o, "location_type", types, "physical");
	put_coordinates(c, doc, o);
	if (tz != NULL && *tz) {
		char *zone = import_norm_timezone(tz);

		if (zone != NULL)
			put_string(doc, "timezone", zone);
		else
			warn(c, "timezone \"%.60s\" is not an IANA time zone; left out", tz);
		free(zone);
	}
	if (org != NULL && (owner == NULL || strcmp(owner, org) == 0))
		put_string(doc, "organization", org);
	put_children(c, doc, "addresses", o, "addresses", address_doc);
	put_children(c, doc, "accessibility", o, "accessibility", accessibility_doc);
	put_children(c, doc, "phones", o, "phones", phone_doc);
	put_children(c, doc, "schedules", o, "schedules", schedule_doc);
	put_children(c, doc, "languages", o, "languages", language_doc);
	add_record(c->batch, c->row, HSDS_LOCATION, key, doc);
	return key;
}

static void put_locations(const struct ctx *c, json_object *doc, json_object *svc, const char *org)
{
	json_object *items = child(svc, "service_at_locations", json_type_array), *list;
	size_t n = items ? json_object_array_length(items) : 0;

	if (n == 0)
		return;
	if (n > HSDS_LIST_MAX)
		n = HSDS_LIST_MAX;
	list = json_object_new_array();
	oom_check(list);
	for (size_t i = 0; i < n; i++) {
		json_object *sal = json_object_array_get_idx(items, i);
		json_object *loc = child(sal, "location", json_type_object), *out;
		char *key;

		if (loc == NULL) {
			warn(c, "a service_at_location has no location; left out");
			continue;
		}
		key = location_record(c, loc, org);
		out = json_object_new_object();
		oom_check(out);
		put_uuid(out, sal, "id");
		put_string(out, "location", key);
		put_text(out, "description", sal, "description");
		json_object_array_add(list, out);
		free(key);
	}
	json_object_object_add(doc, "locations", list);
}

/* The recovery extensions: moud, recovery_housing, peer_support. */
static void put_extensions(const struct ctx *c, json_object *doc, json_object *svc)
{
	static const char *const statuses[] = {"certified", "pending", "not-certified", "expired",
					       NULL};
	static const char *const genders[] = {"men", "women", "all", NULL};
	json_object *h = child(svc, "recovery_housing", json_type_object);
	json_object *p = child(svc, "peer_support", json_type_object);

	put_boolean(c, doc, "moud", svc, "moud");
	if (h != NULL) {
		json_object *out = json_object_new_object();
		const char *level = raw(h, "narr_level");
		static const char *const roman[] = {"I", "II", "III", "IV"};

		oom_check(out);
		for (int i = 0; level != NULL && i < 4; i++) {
			if (strcasecmp(level, roman[i]) == 0) {
				char n[2] = {(char)('1' + i), '\0'};

				put_string(out, "narr_level", n);
			}
		}
		if (!json_object_object_get_ex(out, "narr_level", NULL))
			put_number(c, out, "narr_level", h, "narr_level", 1, 4, 1);
		put_line(out, "certifying_body", h, "certifying_body");
		put_enum(c, out, "certification_status", h, "certification_status", statuses, NULL);
		put_boolean(c, out, "moud_allowed", h, "moud_allowed");
		put_enum(c, out, "gender_served", h, "gender_served", genders, NULL);
		put_line(out, "population_served", h, "population_served");
		put_number(c, out, "beds", h, "beds", 0, 1e6, 1);
		put_number(c, out, "beds_available", h, "beds_available", 0, 1e6, 1);
		json_object_object_add(doc, "recovery_housing", out);
	}
	if (p != NULL) {
		json_object *out = json_object_new_object();

		oom_check(out);
		put_line(out, "credential", p, "credential");
		put_line(out, "credentialing_body", p, "credentialing_body");
		json_object_object_add(doc, "peer_support", out);
	}
}

/* Whether s is "YYYY-MM-DDTHH:MM:SS" with an optional fraction of up to 6
 * digits and an optional "Z" or "+HH:MM" (what PostgreSQL reads as given). */
static int iso_timestamp(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i = 0, digits = 0;

	for (; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i])
				    : s[i] != shape[i] && !(shape[i] == 'T' && s[i] == ' '))
			return 0;
	}
	s += i;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	if (digits > 6)
		return 0;
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
		       s[3] == ':' && isdigit((unsigned char)s[4]) &&
		       isdigit((unsigned char)s[5]) && s[6] == '\0';
	return *s == '\0';
}

static void put_service_fields(const struct ctx *c, json_object *doc, json_object *svc)
{
	static const char *const lines[] = {"alternate_name", "url",  "email",
					    "wait_time",      "fees", "assurer_email",
					    "licenses",       NULL};
	static const char *const texts[] = {"description",
					    "interpretation_services",
					    "application_process",
					    "fees_description",
					    "accreditations",
					    "eligibility_description",
					    "alert",
					    NULL};
	static const char *const statuses[] = {"active", "inactive", "defunct",
					       "temporarily closed", NULL};
	const char *modified = raw(svc, "last_modified");
	char stamp[20];

	put_lines(doc, svc, lines);
	for (const char *const *t = texts; *t != NULL; t++)
		put_text(doc, *t, svc, *t);
	put_enum(c, doc, "status", svc, "status", statuses, "active");
	put_number(c, doc, "minimum_age", svc, "minimum_age", 0, 200, 0);
	put_number(c, doc, "maximum_age", svc, "maximum_age", 0, 200, 0);
	put_date(c, doc, "assured_date", svc, "assured_date");
	if (modified != NULL && *modified) {
		if (import_norm_updated(modified, stamp) == 0) {
			char text[40];

			/* ISO 8601 as written keeps its fraction and offset (an
			 * export re-imports unchanged); another form is UTC. */
			if (iso_timestamp(modified))
				snprintf(text, sizeof(text), "%s", modified);
			else
				snprintf(text, sizeof(text), "%sZ", stamp);
			put_string(doc, "last_modified", text);
		} else
			warn(c, "last_modified is not a date and time; left out");
	}
}

/* The country of the first of a location's addresses that gives one, as
 * written; NULL when none does. */
static const char *address_country(json_object *loc)
{
	json_object *addresses = child(loc, "addresses", json_type_array);

	for (size_t i = 0; addresses != NULL && i < json_object_array_length(addresses); i++) {
		const char *country = raw(json_object_array_get_idx(addresses, i), "country");

		if (country != NULL && *country)
			return country;
	}
	return NULL;
}

/* Where a service is: the country of its first location that says. */
static const char *service_country(json_object *svc)
{
	json_object *items = child(svc, "service_at_locations", json_type_array);
	const char *country = NULL;

	for (size_t i = 0; items != NULL && i < json_object_array_length(items) && country == NULL;
	     i++)
		country = address_country(
			child(json_object_array_get_idx(items, i), "location", json_type_object));
	return country;
}

/* One full service: its organization, its locations and itself. `parent`
 * is the organization it is nested in, if any (its own `organization`
 * comes first), and `near` where that organization is (its locations'
 * country), for a service of it that does not say where it is. */
static void service_record(struct hsds_batch *batch, int row, json_object *svc, json_object *parent,
			   const char *near, json_object *seen)
{
	char *name = line_of(svc, "name");
	char *key = record_key(svc, service_key_fields), *org;
	struct ctx c = {batch, row, key, seen, seen};
	json_object *doc, *own = child(svc, "organization", json_type_object);
	const char *country = service_country(svc);

	if (name == NULL) {
		import_batch_reject(&batch->issues, row, key, "the service has no name");
		goto done;
	}
	if (json_object_object_get_ex(seen, key, NULL)) {
		import_batch_reject(&batch->issues, row, key,
				    "the id is used by an earlier service in the file");
		goto done;
	}
	org = organization_record(&c, own ? own : parent);
	if (org == NULL) {
		import_batch_reject(&batch->issues, row, key,
				    "the service has no organization name");
		goto done;
	}
	json_object_object_add(seen, key, NULL);
	schedules_1x(svc);
	doc = json_object_new_object();
	oom_check(doc);
	if (import_norm_length(name) > IMPORT_NAME_MAX)
		warn(&c, "name is longer than %d characters", IMPORT_NAME_MAX);
	put_string(doc, "name", name);
	put_string(doc, "organization", org);
	put_service_fields(&c, doc, svc);
	put_extensions(&c, doc, svc);
	put_locations(&c, doc, svc, org);
	put_children(&c, doc, "phones", svc, "phones", phone_doc);
	put_children(&c, doc, "schedules", svc, "schedules", schedule_doc);
	put_children(&c, doc, "languages", svc, "languages", language_doc);
	put_children(&c, doc, "cost_options", svc, "cost_options", cost_doc);
	put_children(&c, doc, "service_areas", svc, "service_areas", area_doc);
	put_children(&c, doc, "attributes", svc, "attributes", attribute_doc);
	add_record(batch, row, HSDS_SERVICE, key, doc);
	/* The parent's locations are where a service of the parent is. */
	if (country == NULL && own == NULL)
		country = near;
	/* Cleaned: it goes to the database in the areas' query. */
	if (country != NULL)
		batch->records[batch->count - 1].country = import_norm_line(
			country, strlen(country), 64, NULL);
	free(org);
done:
	free(name);
	free(key);
}

void import_hsds_batch_free(struct hsds_batch *batch)
{
	for (size_t i = 0; i < batch->count; i++) {
		free(batch->records[i].key);
		free(batch->records[i].country);
		json_object_put(batch->records[i].doc);
	}
	free(batch->records);
	import_batch_free(&batch->issues);
	memset(batch, 0, sizeof(*batch));
}

/* ---- Service areas given by name --------------------------------------- */

/* Whether a staged area says where it is only by its name (or a text
 * extent): no polygon and no region, a country at most. */
static int area_unplaced(json_object *area)
{
	return json_object_is_type(area, json_type_object) && raw(area, "geojson") == NULL &&
	       raw(area, "region") == NULL &&
	       (raw(area, "name") != NULL ||
		(raw(area, "country") == NULL && raw(area, "extent") != NULL));
}

/* Where most of the batch's services are (the country their locations
 * give most often, the first of a tie); NULL when none says. */
static const char *batch_country(const struct hsds_batch *batch)
{
	json_object *counts = json_object_new_object(), *have;
	const char *best = NULL;
	int most = 0;

	oom_check(counts);
	for (size_t i = 0; i < batch->count; i++) {
		const char *country = batch->records[i].country;
		int times = 1;

		if (country == NULL)
			continue;
		if (json_object_object_get_ex(counts, country, &have))
			times = json_object_get_int(have) + 1;
		json_object_object_add(counts, country, json_object_new_int(times));
		if (times > most) {
			most = times;
			best = country;
		}
	}
	json_object_put(counts);
	return best;
}

json_object *import_hsds_areas_unplaced(const struct hsds_batch *batch, struct hsds_area_ref **refs,
					size_t *n)
{
	json_object *query = json_object_new_array();
	const char *most = batch_country(batch);
	size_t cap = 0;

	oom_check(query);
	*refs = NULL;
	*n = 0;
	for (size_t i = 0; i < batch->count; i++) {
		const struct hsds_record *r = &batch->records[i];
		json_object *areas = r->kind == HSDS_SERVICE
					     ? child(r->doc, "service_areas", json_type_array)
					     : NULL;

		for (size_t k = 0; areas != NULL && k < json_object_array_length(areas); k++) {
			json_object *area = json_object_array_get_idx(areas, k), *q;
			const char *name = raw(area, "name") ? raw(area, "name")
							     : raw(area, "extent");

			if (!area_unplaced(area))
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 64;
				*refs = realloc(*refs, cap * sizeof(**refs));
				oom_check(*refs);
			}
			(*refs)[(*n)++] = (struct hsds_area_ref){area, r};
			q = json_object_new_object();
			oom_check(q);
			put_string(q, "name", name);
			if (raw(area, "country") != NULL)
				put_string(q, "country", raw(area, "country"));
			if (r->country != NULL || most != NULL)
				put_string(q, "near", r->country ? r->country : most);
			json_object_array_add(query, q);
		}
	}
	return query;
}

void import_hsds_area_placed(struct hsds_batch *batch, const struct hsds_area_ref *ref,
			     const char *country, const char *region, const char *how)
{
	struct ctx c = {.batch = batch, .row = ref->service->row, .key = ref->service->key};
	const char *name = raw(ref->area, "name") ? raw(ref->area, "name")
						  : raw(ref->area, "extent");
	const char *given = raw(ref->area, "country");

	if (how != NULL && country != NULL && strcmp(how, "country") == 0) {
		if (given == NULL)
			put_string(ref->area, "country", country);
		return;
	}
	if (how != NULL && country != NULL && region != NULL) {
		/* A country's code under a state's name ("Georgia", US) is the
		 * state: the whole country would have reached every state's
		 * searchers. */
		if (given != NULL)
			warn(&c,
			     "service area \"%.80s\" has the extent %s: taken as %s-%s, "
			     "the region of its name",
			     name, given, country, region);
		else if (strcmp(how, "guess") == 0)
			warn(&c,
			     "service area \"%.80s\" is taken as %s-%s, though a country has "
			     "that name too: neither the area nor its service's locations say "
			     "which (an extent would)",
			     name, country, region);
		put_string(ref->area, "country", country);
		put_string(ref->area, "region", region);
		return;
	}
	/* Nothing found: the country the area gave stands, said so, since its
	 * name meant something smaller; a bare name reaches no one. */
	if (given != NULL)
		warn(&c,
		     "service area \"%.80s\" names no region of %s the gazetteer knows: "
		     "kept as all of %s",
		     name, given, given);
	else if (raw(ref->area, "extent_type") == NULL)
		warn(&c,
		     "service area \"%.80s\" names no state or region the gazetteer knows: "
		     "kept as a name, which no search by place reaches",
		     name);
}

/* ---- CSV tables -------------------------------------------------------- */

struct csv {
	const char *p, *end;
	int line;
};

/* One field into out (a growing buffer); -1 when a quoted field runs to
 * the end of the file. */
static int csv_field(struct csv *rd, char **out, size_t *cap, size_t *len)
{
	int quoted = rd->p < rd->end && *rd->p == '"';

	*len = 0;
	if (quoted)
		rd->p++;
	for (;;) {
		char ch;

		if (rd->p == rd->end) {
			if (quoted)
				return -1;
			break;
		}
		ch = *rd->p;
		if (quoted && ch == '"') {
			if (rd->p + 1 < rd->end && rd->p[1] == '"')
				rd->p++;
			else {
				quoted = 0;
				rd->p++;
				continue;
			}
		} else if (!quoted && (ch == ',' || ch == '\n' || ch == '\r'))
			break;
		if (ch == '\n')
			rd->line++;
		*out = import_batch_grow(*out, cap, *len + 1, 1);
		(*out)[(*len)++] = ch;
		rd->p++;
	}
	*out = import_batch_grow(*out, cap, *len + 1, 1);
	(*out)[*len] = '\0';
	return 0;
}

/* A CSV table as an array of objects, one a row, keyed by the header's
 * names, holding the non-empty cells as strings, and "_row" (the line of
 * the row, the header being 1). -1 when it is not CSV. */
static int csv_table(const struct hsds_table *t, json_object **rows, struct import_batch *issues)
{
	struct csv rd = {t->data, t->data + t->len, 1};
	json_object *header = json_object_new_array(), *list = json_object_new_array();
	char *field = NULL;
	size_t cap = 0, len;
	int rc = -1;

	oom_check(header);
	oom_check(list);
	if (t->len >= 3 && memcmp(rd.p, "\xEF\xBB\xBF", 3) == 0)
		rd.p += 3;
	for (int row = 0; rd.p < rd.end; row++) {
		json_object *obj = row ? json_object_new_object() : NULL;
		int line = rd.line;

		for (size_t col = 0;; col++) {
			if (csv_field(&rd, &field, &cap, &len) != 0) {
				import_batch_fail(issues,
						  "%s.csv is not CSV: the quoted field on line %d "
						  "never ends",
						  t->name, line);
				json_object_put(obj);
				goto done;
			}
			if (row == 0) {
				char *name = import_norm_line(field, len, 64, NULL);

				json_object_array_add(header,
						      json_object_new_string(name ? name : ""));
				free(name);
			} else if (col < json_object_array_length(header) && len > 0 &&
				   utf8_valid(field, len)) {
				json_object_object_add(
					obj,
					json_object_get_string(
						json_object_array_get_idx(header, col)),
					json_object_new_string_len(field, (int)len));
			}
			if (rd.p < rd.end && *rd.p == ',') {
				rd.p++;
				continue;
			}
			break;
		}
		if (rd.p < rd.end && *rd.p == '\r')
			rd.p++;
		if (rd.p < rd.end && *rd.p == '\n')
			rd.p++;
		rd.line++;
		if (obj != NULL && json_object_object_length(obj) > 0) {
			json_object_object_add(obj, "_row", json_object_new_int(line));
			json_object_array_add(list, obj);
		} else
			json_object_put(obj);
	}
	*rows = list;
	list = NULL;
	rc = 0;
done:
	free(field);
	json_object_put(header);
	json_object_put(list);
	return rc;
}

/* rows indexed by the value of `field`: the first row with each value. */
static json_object *index_by(json_object *rows, const char *field)
{
	json_object *index = json_object_new_object();

	oom_check(index);
	for (size_t i = 0; rows != NULL && i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		const char *v = raw(row, field);

		if (v != NULL && !json_object_object_get_ex(index, v, NULL))
			json_object_object_add(index, v, json_object_get(row));
	}
	return index;
}

/* rows grouped by the value of `field`: value -> array of rows. */
static json_object *group_by(json_object *rows, const char *field)
{
	json_object *groups = json_object_new_object(), *list;

	oom_check(groups);
	for (size_t i = 0; rows != NULL && i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		const char *v = raw(row, field);

		if (v == NULL)
			continue;
		if (!json_object_object_get_ex(groups, v, &list)) {
			list = json_object_new_array();
			oom_check(list);
			json_object_object_add(groups, v, list);
		}
		json_object_array_add(list, json_object_get(row));
	}
	return groups;
}

/* Sets o[field] to groups[o[by]] (shared), when there is such a group. */
static void attach(json_object *o, const char *field, json_object *groups, const char *by)
{
	json_object *list;
	const char *v = raw(o, by);

	if (v != NULL && json_object_object_get_ex(groups, v, &list))
		json_object_object_add(o, field, json_object_get(list));
}

/* Appends groups[o[by]]'s rows to o[field]. */
static void append(json_object *o, const char *field, json_object *groups, const char *by)
{
	json_object *list, *have;
	const char *v = raw(o, by);

	if (v == NULL || !json_object_object_get_ex(groups, v, &list))
		return;
	if ((have = child(o, field, json_type_array)) == NULL) {
		have = json_object_new_array();
		oom_check(have);
		json_object_object_add(o, field, have);
	}
	for (size_t i = 0; i < json_object_array_length(list); i++)
		json_object_array_add(have, json_object_get(json_object_array_get_idx(list, i)));
}

static void rename_field(json_object *o, const char *from, const char *to)
{
	json_object *v;

	if (json_object_object_get_ex(o, from, &v) && !json_object_object_get_ex(o, to, NULL))
		json_object_object_add(o, to, json_object_get(v));
}

enum {
	T_SERVICES,
	T_ORGANIZATIONS,
	T_LOCATIONS,
	T_SAL,
	T_ADDRESSES,
	T_PHONES,
	T_SCHEDULES,
	T_LANGUAGES,
	T_COSTS,
	T_AREAS,
	T_ACCESSIBILITY,
	T_TAXONOMIES,
	T_TERMS,
	T_ATTRIBUTES,
	T_REGULAR,
	T_HOLIDAY,
	T_MAIL,
	T_TAXONOMY,
	T__MAX
};

/* The 3.0 package: each service joined with its rows in the other tables. */
static void join_hsds3(json_object **t)
{
	json_object *orgs = index_by(t[T_ORGANIZATIONS], "id");
	json_object *locs = index_by(t[T_LOCATIONS], "id");
	json_object *terms = index_by(t[T_TERMS], "id"), *taxes = index_by(t[T_TAXONOMIES], "id");
	json_object *by[6][2];
	const int kids[6] = {T_PHONES,    T_SCHEDULES,     T_LANGUAGES,
			     T_ADDRESSES, T_ACCESSIBILITY, T_COSTS};
	json_object *sal = group_by(t[T_SAL], "service_id");
	json_object *areas = group_by(t[T_AREAS], "service_id");
	json_object *attrs = group_by(t[T_ATTRIBUTES], "link_id");

	json_object *phone_languages = group_by(t[T_LANGUAGES], "phone_id");

	/* A phone's languages first: the phone rows are shared by the
	 * services and locations they are attached to below. */
	for (size_t i = 0; t[T_PHONES] != NULL && i < json_object_array_length(t[T_PHONES]); i++)
		attach(json_object_array_get_idx(t[T_PHONES], i), "languages", phone_languages,
		       "id");
	json_object_put(phone_languages);
	for (int k = 0; k < 6; k++) {
		by[k][0] = group_by(t[kids[k]], "service_id");
		by[k][1] = group_by(t[kids[k]], "location_id");
	}
	for (size_t i = 0; t[T_LOCATIONS] != NULL && i < json_object_array_length(t[T_LOCATIONS]);
	     i++) {
		json_object *loc = json_object_array_get_idx(t[T_LOCATIONS], i);

		attach(loc, "phones", by[0][1], "id");
		attach(loc, "schedules", by[1][1], "id");
		attach(loc, "languages", by[2][1], "id");
		attach(loc, "addresses", by[3][1], "id");
		attach(loc, "accessibility", by[4][1], "id");
	}
	for (size_t i = 0; t[T_ATTRIBUTES] != NULL && i < json_object_array_length(t[T_ATTRIBUTES]);
	     i++) {
		json_object *a = json_object_array_get_idx(t[T_ATTRIBUTES], i), *term;
		const char *tid = raw(a, "taxonomy_term_id");

		if (tid != NULL && json_object_object_get_ex(terms, tid, &term)) {
			attach(term, "taxonomy_detail", taxes, "taxonomy_id");
			json_object_object_add(a, "taxonomy_term", json_object_get(term));
		}
	}
	for (size_t i = 0; t[T_SAL] != NULL && i < json_object_array_length(t[T_SAL]); i++)
		attach(json_object_array_get_idx(t[T_SAL], i), "location", locs, "location_id");
	for (size_t i = 0; t[T_SERVICES] != NULL && i < json_object_array_length(t[T_SERVICES]);
	     i++) {
		json_object *svc = json_object_array_get_idx(t[T_SERVICES], i);

		attach(svc, "organization", orgs, "organization_id");
		attach(svc, "phones", by[0][0], "id");
		attach(svc, "schedules", by[1][0], "id");
		attach(svc, "languages", by[2][0], "id");
		attach(svc, "cost_options", by[5][0], "id");
		attach(svc, "service_areas", areas, "id");
		attach(svc, "attributes", attrs, "id");
		attach(svc, "service_at_locations", sal, "id");
	}
	for (int k = 0; k < 6; k++) {
		json_object_put(by[k][0]);
		json_object_put(by[k][1]);
	}
	json_object_put(orgs);
	json_object_put(locs);
	json_object_put(terms);
	json_object_put(taxes);
	json_object_put(sal);
	json_object_put(areas);
	json_object_put(attrs);
}

/* An Ohana holiday schedule as an HSDS schedule: no days, its dates as
 * valid_from/valid_to and in the notes (the form writes year 1 for
 * "every year", which is no date). */
static void ohana_holidays(json_object *rows)
{
	for (size_t i = 0; rows != NULL && i < json_object_array_length(rows); i++) {
		json_object *h = json_object_array_get_idx(rows, i);
		char notes[300];
		int closed = boolean_of(raw(h, "closed"));

		snprintf(notes, sizeof(notes), "%s: %s to %s",
			 closed == 1 ? "Closed" : "Holiday hours",
			 raw(h, "start_date") ? raw(h, "start_date") : "?",
			 raw(h, "end_date") ? raw(h, "end_date") : "?");
		put_string(h, "description", notes);
		rename_field(h, "start_date", "valid_from");
		rename_field(h, "end_date", "valid_to");
		json_object_object_del(h, "start_date");
		json_object_object_del(h, "end_date");
	}
}

/* The Ohana tables' rows by the ids that join them: [0] by service_id,
 * [1] by location_id where a table has both. */
struct ohana_index {
	json_object *orgs, *locs, *terms, *addr, *mail;
	json_object *phones[2], *regular[2], *holiday[2];
};

/* The holidays are read (ohana_holidays()) before they are grouped. */
static void ohana_index_make(json_object **t, struct ohana_index *ix)
{
	ix->orgs = index_by(t[T_ORGANIZATIONS], "id");
	ix->locs = index_by(t[T_LOCATIONS], "id");
	ix->terms = index_by(t[T_TAXONOMY], "taxonomy_id");
	ix->addr = group_by(t[T_ADDRESSES], "location_id");
	ix->mail = group_by(t[T_MAIL], "location_id");
	ix->phones[0] = group_by(t[T_PHONES], "service_id");
	ix->phones[1] = group_by(t[T_PHONES], "location_id");
	ix->regular[0] = group_by(t[T_REGULAR], "service_id");
	ix->regular[1] = group_by(t[T_REGULAR], "location_id");
	ohana_holidays(t[T_HOLIDAY]);
	ix->holiday[0] = group_by(t[T_HOLIDAY], "service_id");
	ix->holiday[1] = group_by(t[T_HOLIDAY], "location_id");
}

static void ohana_index_free(struct ohana_index *ix)
{
	for (int k = 0; k < 2; k++) {
		json_object_put(ix->phones[k]);
		json_object_put(ix->regular[k]);
		json_object_put(ix->holiday[k]);
	}
	json_object_put(ix->orgs);
	json_object_put(ix->locs);
	json_object_put(ix->terms);
	json_object_put(ix->addr);
	json_object_put(ix->mail);
}

/* The phones' and postal addresses' fields under 3.0's names. */
static void ohana_contacts(json_object **t)
{
	for (size_t i = 0; t[T_PHONES] != NULL && i < json_object_array_length(t[T_PHONES]); i++)
		rename_field(json_object_array_get_idx(t[T_PHONES], i), "number_type", "type");
	for (size_t i = 0; t[T_MAIL] != NULL && i < json_object_array_length(t[T_MAIL]); i++)
		put_string(json_object_array_get_idx(t[T_MAIL], i), "address_type", "postal");
}

/* A location in 3.0's form, with its addresses, phones and schedules. */
static void ohana_location(json_object *loc, const struct ohana_index *ix)
{
	rename_field(loc, "website", "url");
	if (boolean_of(raw(loc, "virtual")) == 1)
		put_string(loc, "location_type", "virtual");
	json_object_object_add(loc, "accessibility",
			       split_list(raw(loc, "accessibility"), "description"));
	json_object_object_add(loc, "languages", split_list(raw(loc, "languages"), "name"));
	append(loc, "addresses", ix->addr, "id");
	append(loc, "addresses", ix->mail, "id");
	attach(loc, "phones", ix->phones[1], "id");
	append(loc, "schedules", ix->regular[1], "id");
	append(loc, "schedules", ix->holiday[1], "id");
}

/* The service's one location as its service_at_location; an Ohana service
 * belongs to its location's organization. */
static void ohana_service_location(json_object *svc, const struct ohana_index *ix)
{
	const char *lid = raw(svc, "location_id");
	json_object *loc, *sal, *list;

	if (lid == NULL || !json_object_object_get_ex(ix->locs, lid, &loc))
		return;
	sal = json_object_new_object();
	list = json_object_new_array();
	json_object_object_add(sal, "location", json_object_get(loc));
	json_object_array_add(list, sal);
	json_object_object_add(svc, "service_at_locations", list);
	if (raw(svc, "organization_id") == NULL && raw(loc, "organization_id") != NULL)
		put_string(svc, "organization_id", raw(loc, "organization_id"));
}

/* The service's taxonomy_ids as attributes, each an Open Eligibility term
 * (named from the taxonomy table when it has the code). */
static void ohana_attributes(json_object *svc, json_object *terms)
{
	json_object *attrs = split_list(raw(svc, "taxonomy_ids"), "code");

	for (size_t k = 0; k < json_object_array_length(attrs); k++) {
		json_object *a = json_object_array_get_idx(attrs, k), *term, *found;
		json_object *detail = json_object_new_object();

		term = json_object_new_object();
		put_string(detail, "name", "Open Eligibility");
		put_string(term, "code", raw(a, "code"));
		if (json_object_object_get_ex(terms, raw(a, "code"), &found) &&
		    raw(found, "name") != NULL)
			put_string(term, "name", raw(found, "name"));
		put_string(term, "taxonomy", "Open Eligibility");
		json_object_object_add(term, "taxonomy_detail", detail);
		json_object_object_add(a, "taxonomy_term", term);
	}
	json_object_object_add(svc, "attributes", attrs);
}

/* A service in 3.0's form, joined with its location and organization. */
static void ohana_service(json_object *svc, const struct ohana_index *ix)
{
	rename_field(svc, "website", "url");
	rename_field(svc, "eligibility", "eligibility_description");
	rename_field(svc, "fees", "fees_description");
	json_object_object_add(svc, "languages", split_list(raw(svc, "languages"), "name"));
	json_object_object_add(svc, "service_areas", split_list(raw(svc, "service_areas"), "name"));
	attach(svc, "phones", ix->phones[0], "id");
	append(svc, "schedules", ix->regular[0], "id");
	append(svc, "schedules", ix->holiday[0], "id");
	ohana_service_location(svc, ix);
	attach(svc, "organization", ix->orgs, "organization_id");
	ohana_attributes(svc, ix->terms);
}

/* The Ohana form: fields renamed to 3.0's, comma lists split, each service
 * joined with its one location and that location's organization. */
static void join_ohana(json_object **t)
{
	struct ohana_index ix;

	ohana_index_make(t, &ix);
	ohana_contacts(t);
	for (size_t i = 0; t[T_LOCATIONS] != NULL && i < json_object_array_length(t[T_LOCATIONS]);
	     i++)
		ohana_location(json_object_array_get_idx(t[T_LOCATIONS], i), &ix);
	for (size_t i = 0; t[T_SERVICES] != NULL && i < json_object_array_length(t[T_SERVICES]);
	     i++)
		ohana_service(json_object_array_get_idx(t[T_SERVICES], i), &ix);
	ohana_index_free(&ix);
}

/* Whether the tables are in the Ohana form: services name their location,
 * or there are regular_schedules. */
static int is_ohana(json_object **t)
{
	json_object *first = t[T_SERVICES] ? json_object_array_get_idx(t[T_SERVICES], 0) : NULL;

	return t[T_REGULAR] != NULL ||
	       (first != NULL && json_object_object_get_ex(first, "location_id", NULL) &&
		!json_object_object_get_ex(first, "organization_id", NULL));
}

/* The tables (t[k]: the rows of import_hsds_table_names[k], or NULL) joined and
 * read into records; consumes nothing. -1 when there is no services
 * table. */
static int tables_records(json_object **t, struct hsds_batch *batch)
{
	json_object *seen;

	if (t[T_SERVICES] == NULL) {
		import_batch_fail(&batch->issues, "the package has no services.csv");
		return -1;
	}
	if (is_ohana(t))
		join_ohana(t);
	else
		join_hsds3(t);
	seen = json_object_new_object();
	oom_check(seen);
	for (size_t i = 0; i < json_object_array_length(t[T_SERVICES]); i++) {
		json_object *svc = json_object_array_get_idx(t[T_SERVICES], i);

		service_record(batch, json_object_get_int(json_object_object_get(svc, "_row")), svc,
			       NULL, NULL, seen);
	}
	json_object_put(seen);
	return 0;
}

int import_hsds_parse_tables(const struct hsds_table *tables, size_t ntables,
			     struct hsds_batch *batch)
{
	json_object *t[T__MAX] = {NULL};
	int rc = -1;

	for (size_t i = 0; i < ntables; i++) {
		for (int k = 0; k < T__MAX; k++) {
			if (strcmp(tables[i].name, import_hsds_table_names[k]) != 0 || t[k] != NULL)
				continue;
			if (csv_table(&tables[i], &t[k], &batch->issues) != 0)
				goto done;
		}
	}
	rc = tables_records(t, batch);
done:
	for (int k = 0; k < T__MAX; k++)
		json_object_put(t[k]);
	return rc;
}

/* HSDS 1.x's schedules on a JSON record (`regular_schedule` or
 * `regular_schedules`, `holiday_schedule(s)`) moved into its `schedules`,
 * the holidays read as the Ohana form's. */
static void schedules_1x(json_object *o)
{
	static const char *const fields[] = {"regular_schedule", "regular_schedules",
					     "holiday_schedule", "holiday_schedules"};

	for (int i = 0; i < 4; i++) {
		json_object *list = child(o, fields[i], json_type_array), *have;

		if (list == NULL)
			continue;
		if (i >= 2)
			ohana_holidays(list);
		if ((have = child(o, "schedules", json_type_array)) == NULL) {
			have = json_object_new_array();
			oom_check(have);
			json_object_object_add(o, "schedules", have);
		}
		for (size_t k = 0; k < json_object_array_length(list); k++)
			json_object_array_add(have,
					      json_object_get(json_object_array_get_idx(list, k)));
		json_object_object_del(o, fields[i]);
	}
}

/* ---- JSON ---------------------------------------------------------------- */

/* What an object of a JSON input is, by the fields only its kind has. */
enum item_kind {
	ITEM_SERVICE,
	ITEM_ORGANIZATION,
	ITEM_SERVICE_AT_LOCATION,
	ITEM_LOCATION,
	ITEM_TAXONOMY,
	ITEM_OTHER,
	ITEM_MERGED,
	ITEM__MAX
};

static int has_any(json_object *o, const char *const *fields)
{
	for (; *fields != NULL; fields++)
		if (json_object_object_get_ex(o, *fields, NULL))
			return 1;
	return 0;
}

/* In a list every object is a record, a service unless it says otherwise
 * (so that one without a name is rejected as a service); alone, an object
 * is a record only when it says what it is or has a name. */
static enum item_kind item_kind(json_object *o, int listed)
{
	static const char *const service_only[] = {"organization",     "organization_id",
						   "status",           "service_at_locations",
						   "service_areas",    "eligibility_description",
						   "fees_description", "application_process",
						   "cost_options",     NULL};
	static const char *const organization_only[] = {
		"tax_status", "tax_id",  "year_incorporated",      "legal_status",
		"logo",       "website", "parent_organization_id", "organization_identifiers",
		NULL};
	static const char *const location_only[] = {
		"location_type", "latitude",       "longitude", "addresses",
		"accessibility", "transportation", NULL};
	static const char *const term_only[] = {"taxonomy_detail", "term_uri", "parent_id", "code",
						"taxonomy",        "version",  NULL};
	static const char *const located[] = {"location", "location_id", NULL};

	if (!json_object_is_type(o, json_type_object))
		return ITEM_OTHER;
	if (child(o, "services", json_type_array) != NULL)
		return ITEM_ORGANIZATION;
	if (child(o, "service", json_type_object) != NULL ||
	    (raw(o, "service_id") != NULL && raw(o, "name") == NULL && has_any(o, located)))
		return ITEM_SERVICE_AT_LOCATION;
	if (has_any(o, location_only) && !has_any(o, service_only))
		return ITEM_LOCATION;
	if (has_any(o, service_only))
		return ITEM_SERVICE;
	if (has_any(o, organization_only))
		return ITEM_ORGANIZATION;
	if (has_any(o, term_only))
		return ITEM_TAXONOMY;
	return listed || raw(o, "name") != NULL ? ITEM_SERVICE : ITEM_OTHER;
}

/* An organization with its services nested in it (the HSDS 3.0 API's
 * /organizations/{id}), or without them (its list form): the
 * organization, its own locations, and each service, of it unless the
 * service names its own organization. */
static void organization_item(struct hsds_batch *batch, int row, json_object *o, json_object *seen)
{
	json_object *services = child(o, "services", json_type_array);
	json_object *locations = child(o, "locations", json_type_array);
	char *key = record_key(o, org_key_fields);
	struct ctx c = {batch, row, key, seen, seen};
	char *org = organization_record(&c, o);
	const char *near = NULL;

	if (org == NULL)
		import_batch_reject(&batch->issues, row, key, "the organization has no name");
	for (size_t i = 0;
	     org != NULL && locations != NULL && i < json_object_array_length(locations); i++) {
		json_object *loc = json_object_array_get_idx(locations, i);

		if (!json_object_is_type(loc, json_type_object))
			continue;
		free(location_record(&c, loc, org));
		if (near == NULL)
			near = address_country(loc);
	}
	for (size_t i = 0; services != NULL && i < json_object_array_length(services); i++) {
		json_object *svc = json_object_array_get_idx(services, i);

		if (json_object_is_type(svc, json_type_object))
			service_record(batch, row, svc, org ? o : NULL, near, seen);
		else
			import_batch_reject(
				&batch->issues, row, key,
				"services[%zu] of the organization is not a service object", i);
	}
	free(org);
	free(key);
}

/* A location on its own (the HSDS 3.0 API's /locations/{id}). */
static void location_item(struct hsds_batch *batch, int row, json_object *o, json_object *seen)
{
	char *key = location_key(o);
	struct ctx c = {batch, row, key, seen, seen};

	free(location_record(&c, o, NULL));
	free(key);
}

/* A service_at_location item's own fields (its location, id,
 * description) added to svc's service_at_locations. */
static void add_location(json_object *svc, json_object *item)
{
	json_object *list = child(svc, "service_at_locations", json_type_array), *sal;

	if (list == NULL) {
		list = json_object_new_array();
		oom_check(list);
		json_object_object_add(svc, "service_at_locations", list);
	}
	sal = json_object_new_object();
	oom_check(sal);
	json_object_object_foreach(item, k, v)
	{
		if (strcmp(k, "service") != 0)
			json_object_object_add(sal, k, json_object_get(v));
	}
	json_object_array_add(list, sal);
}

/* The service_at_location items (a service with one location each) made
 * services with their locations: each item's location added to the
 * service of the first item with the same service, and the later items
 * marked ITEM_MERGED (their service is read once, with the first). */
static void sal_services(json_object **items, enum item_kind *kinds, size_t n)
{
	json_object *first_of = json_object_new_object(), *first;

	oom_check(first_of);
	for (size_t i = 0; i < n; i++) {
		json_object *svc = child(items[i], "service", json_type_object);
		char *key;

		if (kinds[i] != ITEM_SERVICE_AT_LOCATION || svc == NULL)
			continue;
		key = record_key(svc, service_key_fields);
		if (json_object_object_get_ex(first_of, key, &first)) {
			add_location(first, items[i]);
			kinds[i] = ITEM_MERGED;
		} else {
			json_object_object_add(first_of, key, json_object_get(svc));
			add_location(svc, items[i]);
		}
		free(key);
	}
	json_object_put(first_of);
}

/* One record of a JSON input, by its kind. */
static void json_item(struct hsds_batch *batch, int row, json_object *item, enum item_kind kind,
		      json_object *seen)
{
	char *id = kind == ITEM_SERVICE_AT_LOCATION || kind == ITEM_TAXONOMY ? line_of(item, "id")
									     : NULL;

	switch (kind) {
	case ITEM_SERVICE: service_record(batch, row, item, NULL, NULL, seen); break;
	case ITEM_ORGANIZATION: organization_item(batch, row, item, seen); break;
	case ITEM_SERVICE_AT_LOCATION:
		if (child(item, "service", json_type_object) != NULL)
			service_record(batch, row, child(item, "service", json_type_object), NULL,
				       NULL, seen);
		else
			import_batch_reject(
				&batch->issues, row, id,
				"a service_at_location without its service: the full form "
				"(GET /service_at_locations/{id}) has it");
		break;
	case ITEM_LOCATION: location_item(batch, row, item, seen); break;
	case ITEM_TAXONOMY:
		import_batch_reject(
			&batch->issues, row, id,
			"a taxonomy or taxonomy term, not a service: the finder reads terms "
			"from the services' attributes");
		break;
	case ITEM_MERGED: break; /* read with the first item of its service */
	default: import_batch_reject(&batch->issues, row, NULL, "not a service object");
	}
	free(id);
}

/* Why a JSON object that is no Page is no input either, as the whole
 * file's error; 0 when it is one record. */
static int json_single(json_object *root, struct hsds_batch *batch)
{
	if (child(root, "resources", json_type_array) != NULL)
		import_batch_fail(&batch->issues,
				  "a Data Package descriptor, not data: import the "
				  "directory of its CSV files (or the datapackage.json "
				  "among them)");
	else if (raw(root, "openapi_url") != NULL)
		import_batch_fail(&batch->issues,
				  "the HSDS API's root document (GET /), not data: import "
				  "its /services or /organizations");
	else if (item_kind(root, 0) == ITEM_OTHER)
		import_batch_fail(
			&batch->issues,
			"not HSDS services: the file is none of a Page with contents, a "
			"service, an organization, a location, a list of them, or a tabular "
			"package as JSON");
	else
		return 0;
	return -1;
}

/* The records of a Page, a list or one record. */
static int json_items(json_object *root, struct hsds_batch *batch)
{
	json_object *list = json_object_is_type(root, json_type_array)
				    ? root
				    : child(root, "contents", json_type_array);
	size_t n = list ? json_object_array_length(list) : 1, count[ITEM__MAX] = {0};
	json_object **items, *seen;
	enum item_kind *kinds;

	if (list == NULL && json_single(root, batch) != 0)
		return -1;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers. */
	items = import_batch_xmalloc((n ? n : 1) * sizeof(*items));
	kinds = import_batch_xmalloc((n ? n : 1) * sizeof(*kinds));
	for (size_t i = 0; i < n; i++) {
		items[i] = list ? json_object_array_get_idx(list, i) : root;
		count[kinds[i] = item_kind(items[i], list != NULL)]++;
	}
	if (n > 0 && count[ITEM_TAXONOMY] + count[ITEM_OTHER] == n) {
		import_batch_fail(
			&batch->issues, "not HSDS services: %s",
			count[ITEM_TAXONOMY]
				? "the file holds taxonomies or taxonomy terms, which the finder reads "
				  "from the services' attributes"
				: "nothing in the list is a service, an organization or a location");
		free(items);
		free(kinds);
		return -1;
	}
	sal_services(items, kinds, n);
	seen = json_object_new_object();
	oom_check(seen);
	for (size_t i = 0; i < n; i++)
		json_item(batch, (int)i + 1, items[i], kinds[i], seen);
	if (batch->services == 0 && batch->count > 0)
		import_batch_warn(&batch->issues, 0, NULL,
				  "the file holds organizations or locations but "
				  "no services: they are kept, and the source lists no service");
	json_object_put(seen);
	free(items);
	free(kinds);
	return 0;
}

/* The tabular package written as JSON ({"services.csv": [rows], ...}, as
 * the HSDS 3.0 examples' tabular.json): its rows read as the CSV files'. */
static int json_tables(json_object *root, struct hsds_batch *batch)
{
	json_object *t[T__MAX] = {NULL};
	int rc;

	for (int k = 0; k < T__MAX; k++) {
		char name[64];
		json_object *rows;

		snprintf(name, sizeof(name), "%s.csv", import_hsds_table_names[k]);
		if ((rows = child(root, name, json_type_array)) == NULL)
			continue;
		t[k] = json_object_new_array();
		oom_check(t[k]);
		for (size_t i = 0; i < json_object_array_length(rows); i++) {
			json_object *row = json_object_array_get_idx(rows, i);

			if (!json_object_is_type(row, json_type_object))
				continue;
			json_object_object_add(row, "_row", json_object_new_int((int)i + 1));
			json_object_array_add(t[k], json_object_get(row));
		}
	}
	rc = tables_records(t, batch);
	for (int k = 0; k < T__MAX; k++)
		json_object_put(t[k]);
	return rc;
}

/* The input parsed (at most HSDS_DEPTH_MAX deep, nothing after it), or
 * NULL with the reason in batch. */
static json_object *json_root(const char *data, size_t len, struct hsds_batch *batch)
{
	struct json_tokener *tok;
	enum json_tokener_error err;
	json_object *root;

	if (len > IMPORT_MAX_BYTES || len > INT32_MAX) {
		import_batch_fail(&batch->issues, "the file is %zu bytes; at most %u", len,
				  IMPORT_MAX_BYTES);
		return NULL;
	}
	tok = json_tokener_new_ex(HSDS_DEPTH_MAX);
	oom_check(tok);
	root = json_tokener_parse_ex(tok, data, (int)len);
	err = json_tokener_get_error(tok);
	if (err == json_tokener_success && tok->char_offset < (int)len) {
		for (size_t i = (size_t)tok->char_offset; i < len; i++)
			if (!isspace((unsigned char)data[i]))
				err = json_tokener_error_parse_unexpected;
	}
	/* A number at the very end may go on as far as the tokener knows: a
	 * space ends it (and leaves a cut-off object or array unfinished). The
	 * whole input was read, so nothing follows. */
	if (err == json_tokener_continue) {
		root = json_tokener_parse_ex(tok, " ", 1);
		err = json_tokener_get_error(tok);
	}
	json_tokener_free(tok);
	if (err != json_tokener_success || root == NULL) {
		import_batch_fail(
			&batch->issues, "not JSON%s: %s",
			err == json_tokener_continue ? " (the file ends in the middle)" : "",
			json_tokener_error_desc(
				err == json_tokener_success ? json_tokener_error_parse_eof : err));
		json_object_put(root);
		return NULL;
	}
	return root;
}

int import_hsds_parse_json(const char *data, size_t len, struct hsds_batch *batch)
{
	json_object *root = json_root(data, len, batch);
	int rc;

	if (root == NULL)
		return -1;
	rc = child(root, "services.csv", json_type_array) ? json_tables(root, batch)
							  : json_items(root, batch);
	json_object_put(root);
	return rc;
}
