/*
 * Meeting Guide JSON feeds (import.h): the file is one JSON array of meeting
 * objects. import_mg_record() reads one object; the CSV parser gives it each
 * spreadsheet row as such an object, so its rules are the rules of both
 * formats. Every value goes through import_norm.c; null, "" and
 * whitespace mean absent; numbers where text belongs are their text; keys
 * not named here are ignored.
 */
#include "import.h"
#include "import_norm.h"
#include "utf8.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MG_LINE_MAX 255    /* one-line fields: group, location, address parts */
#define MG_TYPE_LEN_MAX 40 /* a longer "type" is a sentence, not a code */
#define MG_REGIONS_MAX 10
#define MG_CONTACT_LIST_MAX 10
#define EXCERPT_CHARS 40
#define LABEL_BYTES 80 /* import_batch.c keeps this much of an issue's key */
#define PLACED_INSTEAD "the meeting is placed from its address instead"

/* The record being read and where its issues go. */
struct record {
	struct import_batch *batch;
	int row;
	json_object *obj;
	const char *label; /* its slug or name, to find it in the file */
};

static char *dup_or_null(const char *s)
{
	char *copy;

	if (s == NULL)
		return NULL;
	copy = strdup(s);
	if (copy == NULL)
		import_batch_out_of_memory();
	return copy;
}

/* What kind of JSON value v is, for messages ("an object"). */
static const char *kind(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_int:
	case json_type_double: return "a number";
	case json_type_string: return "a string";
	case json_type_array: return "an array";
	case json_type_object: return "an object";
	}
	return "not a JSON value";
}

/* s cut to EXCERPT_CHARS characters for a message. */
static const char *excerpt(const char *s, char buf[EXCERPT_CHARS * 4 + 4])
{
	size_t chars = 0, i;

	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == EXCERPT_CHARS)
			break;
	}
	snprintf(buf, EXCERPT_CHARS * 4 + 4, "%.*s%s", (int)i, s, s[i] ? "..." : "");
	return buf;
}

/* The first LABEL_BYTES bytes of s or fewer, cut at a character boundary
 * so that the key an issue keeps stays valid UTF-8. */
static const char *label(const char *s, char buf[LABEL_BYTES + 1])
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n > LABEL_BYTES) {
		n = LABEL_BYTES;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* The value of key, or NULL when it is missing or null. */
static json_object *get(const struct record *r, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(r->obj, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* A string or number as the text the file holds, its length in *len; NULL
 * for other kinds. The text belongs to v. */
static const char *scalar(json_object *v, size_t *len)
{
	if (json_object_is_type(v, json_type_string)) {
		*len = (size_t)json_object_get_string_len(v);
		return json_object_get_string(v);
	}
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
		const char *s = json_object_get_string(v);

		*len = strlen(s);
		return s;
	}
	return NULL;
}

/* A scalar as one clean line of at most max characters, or NULL. */
static char *scalar_line(json_object *v, size_t max, int *cut)
{
	size_t len;
	const char *s = scalar(v, &len);

	if (cut != NULL)
		*cut = 0;
	return s ? import_norm_line(s, len, max, cut) : NULL;
}

/* A one-line field, with a warning when it had to be cut. */
static char *line_field(const struct record *r, const char *key, size_t max)
{
	int cut;
	char *line = scalar_line(get(r, key), max, &cut);

	if (cut)
		import_batch_warn(r->batch, r->row, r->label,
				  "%s is longer than %zu characters; cut", key, max);
	return line;
}

/* A free-text field (notes), with a warning when it had to be cut. */
static char *text_field(const struct record *r, const char *key)
{
	size_t len;
	int cut = 0;
	const char *s = scalar(get(r, key), &len);
	char *text = s ? import_norm_text(s, len, IMPORT_TEXT_MAX, &cut) : NULL;

	if (cut)
		import_batch_warn(r->batch, r->row, r->label,
				  "%s is longer than %d characters; cut", key, IMPORT_TEXT_MAX);
	return text;
}

/* `slug` as the feed wrote it, character for character (import_settle.c
 * checks its length and characters); NULL when absent or blank, or when it
 * is not text, holds a NUL byte or is not UTF-8 (then with a warning: it
 * could not be written back as it came). */
static char *read_slug(const struct record *r)
{
	json_object *v = get(r, "slug");
	size_t len, blank = 0;
	const char *s = scalar(v, &len);

	if (v != NULL && s == NULL) {
		import_batch_warn(r->batch, r->row, NULL,
				  "slug is %s, not text; the meeting gets a slug of its own",
				  kind(v));
		return NULL;
	}
	if (s != NULL && (memchr(s, '\0', len) != NULL || !utf8_valid(s, len))) {
		import_batch_warn(r->batch, r->row, NULL,
				  "slug %s; the meeting gets a slug of its own",
				  memchr(s, '\0', len) ? "holds a NUL byte" : "is not UTF-8");
		return NULL;
	}
	while (s != NULL && blank < len && strchr(" \t\r\n", s[blank]) != NULL)
		blank++;
	return s != NULL && blank < len ? dup_or_null(s) : NULL;
}

/* ---- Day and time -------------------------------------------------------- */

/* A day written as text, "Monday" or "1": 0-6, -1 when empty, -2 when it is
 * not a day (then why says so). */
static int day_of_text(const char *s, size_t len, char *why, size_t cap)
{
	char *line = import_norm_line(s, len, 64, NULL);
	char buf[EXCERPT_CHARS * 4 + 4];
	int day;

	if (line == NULL)
		return -1;
	day = import_norm_day(line);
	if (day < 0) {
		snprintf(why, cap, "day \"%s\" is not a day of the week", excerpt(line, buf));
		day = -2;
	}
	free(line);
	return day;
}

/* One element of `day` as day_of_text() does; a string may list several
 * days with commas ("Monday, Thursday"), which go into seen[]. */
static int day_value(json_object *v, int seen[7], char *why, size_t cap)
{
	size_t len, start = 0;
	const char *s = scalar(v, &len);

	if (v == NULL)
		return -1;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);

		/* 1.0 is Monday, as 1 is; 1.5 goes on to be rejected as text. */
		if (d >= 0 && d <= 6 && d == floor(d)) {
			seen[(int)d] = 1;
			return 0;
		}
	}
	if (s == NULL) {
		snprintf(why, cap, "day is %s, not a day of the week", kind(v));
		return -2;
	}
	for (size_t i = 0; i <= len; i++) {
		int day;

		if (i < len && s[i] != ',')
			continue;
		day = day_of_text(s + start, i - start, why, cap);
		if (day == -2)
			return -2;
		if (day >= 0)
			seen[day] = 1;
		start = i + 1;
	}
	return 0;
}

/* The days of the record in days[] (Sunday first), none when it gives
 * none; -1 after rejecting it for a day that is not one. */
static int read_days(const struct record *r, int days[7], size_t *ndays)
{
	json_object *v = get(r, "day");
	int seen[7] = {0};
	char why[256];
	int rc = 0;

	*ndays = 0;
	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		for (size_t i = 0; i < n && rc == 0; i++) {
			json_object *item = json_object_array_get_idx(v, i);

			if (!json_object_is_type(item, json_type_null))
				rc = day_value(item, seen, why, sizeof(why));
		}
	} else {
		rc = day_value(v, seen, why, sizeof(why));
	}
	if (rc == -2) {
		import_batch_reject(r->batch, r->row, r->label, "%s", why);
		return -1;
	}
	for (int d = 0; d < 7; d++) {
		if (seen[d])
			days[(*ndays)++] = d;
	}
	return 0;
}

/* A time field: minutes after midnight, -1 when absent, -2 when it is not a
 * time of day (the text is left in *text for the message). */
static int time_value(const struct record *r, const char *key, char **text)
{
	int minutes;

	*text = scalar_line(get(r, key), 64, NULL);
	if (*text == NULL)
		return -1;
	minutes = import_norm_time(*text);
	return minutes < 0 ? -2 : minutes;
}

/* Start and end times; a record with a day but no time or a time but no
 * day is by appointment (*ndays = 0), with a warning. Returns -1 after
 * rejecting a record whose time is not a time of day. */
static int read_times(const struct record *r, struct import_meeting *m, size_t *ndays)
{
	char *text, buf[EXCERPT_CHARS * 4 + 4];

	m->start_min = time_value(r, "time", &text);
	if (m->start_min == -2) {
		import_batch_reject(r->batch, r->row, r->label, "time \"%s\" is not a time of day",
				    excerpt(text, buf));
		free(text);
		return -1;
	}
	free(text);
	m->end_min = time_value(r, "end_time", &text);
	if (m->end_min == -2) {
		import_batch_warn(
			r->batch, r->row, r->label,
			"end_time \"%s\" is not a time of day; the meeting has no end time",
			excerpt(text, buf));
		m->end_min = -1;
	}
	free(text);
	if (*ndays > 0 && m->start_min < 0)
		import_batch_warn(r->batch, r->row, r->label,
				  "a day but no time: listed as by appointment");
	else if (*ndays == 0 && m->start_min >= 0)
		import_batch_warn(r->batch, r->row, r->label,
				  "a time but no day: listed as by appointment");
	if (*ndays == 0 || m->start_min < 0) {
		*ndays = 0;
		m->start_min = m->end_min = -1;
	}
	return 0;
}

/* ---- Types and regions --------------------------------------------------- */

/* Adds one type as written, unless it is empty, a repeat or too long.
 * Returns -1 when the list is full (after a warning), else 0. */
static int add_type(const struct record *r, struct import_meeting *m, const char *s, size_t len)
{
	char buf[EXCERPT_CHARS * 4 + 4];
	int cut;
	char *type = import_norm_line(s, len, MG_TYPE_LEN_MAX, &cut);

	if (type == NULL)
		return 0;
	if (cut) {
		import_batch_warn(r->batch, r->row, r->label,
				  "type \"%s...\" is longer than %d characters; dropped", type,
				  MG_TYPE_LEN_MAX);
		free(type);
		return 0;
	}
	for (size_t i = 0; i < m->ntypes; i++) {
		if (strcmp(m->types[i], type) == 0) {
			free(type);
			return 0;
		}
	}
	if (m->ntypes == IMPORT_TYPES_MAX) {
		import_batch_warn(r->batch, r->row, r->label,
				  "more than %d types; \"%s\" and any after it are dropped",
				  IMPORT_TYPES_MAX, excerpt(type, buf));
		free(type);
		return -1;
	}
	if (m->types == NULL && (m->types = calloc(IMPORT_TYPES_MAX, sizeof(*m->types))) == NULL)
		import_batch_out_of_memory();
	m->types[m->ntypes++] = type;
	return 0;
}

/* Whether c separates the codes of a `types` string. */
static int type_separator(char c)
{
	return c == ',' || c == ';';
}

/* Adds one entry of `types` as its feed wrote it, without the quotes or
 * brackets some feeds leave around it ("'open'", "[open]"). */
static int add_type_entry(const struct record *r, struct import_meeting *m, const char *s,
			  size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '[' || *s == '"' || *s == '\'')) {
		s++;
		len--;
	}
	while (len > 0 &&
	       (s[len - 1] == ' ' || s[len - 1] == ']' || s[len - 1] == '"' || s[len - 1] == '\''))
		len--;
	return add_type(r, m, s, len);
}

/* `types`: an array of codes, or one string of codes, as feeds write it:
 * "O, D", "Open; Discussion", "[open]" or "['O', 'D']". */
static void read_types(const struct record *r, struct import_meeting *m)
{
	json_object *v = get(r, "types");
	size_t len, start = 0;
	const char *s;

	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		for (size_t i = 0; i < n; i++) {
			s = scalar(json_object_array_get_idx(v, i), &len);
			if (s != NULL && add_type_entry(r, m, s, len) != 0)
				break;
		}
		return;
	}
	if ((s = scalar(v, &len)) == NULL)
		return;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && !type_separator(s[i]))
			continue;
		if (add_type_entry(r, m, s + start, i - start) != 0)
			break;
		start = i + 1;
	}
}

static void add_region(struct import_meeting *m, json_object *v)
{
	char *region;

	if (m->nregions == MG_REGIONS_MAX || (region = scalar_line(v, MG_LINE_MAX, NULL)) == NULL)
		return;
	if (m->regions == NULL &&
	    (m->regions = calloc(MG_REGIONS_MAX, sizeof(*m->regions))) == NULL)
		import_batch_out_of_memory();
	m->regions[m->nregions++] = region;
}

/* `regions` (general to specific), else `region` then `sub_region`. */
static void read_regions(const struct record *r, struct import_meeting *m)
{
	json_object *v = get(r, "regions");

	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		for (size_t i = 0; i < n; i++)
			add_region(m, json_object_array_get_idx(v, i));
	} else {
		add_region(m, v);
	}
	if (m->nregions == 0) {
		add_region(m, get(r, "region"));
		add_region(m, get(r, "sub_region"));
	}
}

/* ---- The place ----------------------------------------------------------- */

/* A coordinate: 0 with *out set, -1 when absent, -2 after a warning that
 * it is not a number. */
static int coordinate(const struct record *r, const char *key, double *out)
{
	json_object *v = get(r, key);
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text;
	int rc;

	if (v == NULL)
		return -1;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
		*out = json_object_get_double(v);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		import_batch_warn(r->batch, r->row, r->label,
				  "%s is %s, not a number; " PLACED_INSTEAD, key, kind(v));
		return -2;
	}
	if ((text = scalar_line(v, 64, NULL)) == NULL)
		return -1;
	rc = import_norm_number(text, out);
	if (rc != 0)
		import_batch_warn(r->batch, r->row, r->label,
				  "%s \"%s\" is not a number; " PLACED_INSTEAD, key,
				  excerpt(text, buf));
	free(text);
	return rc == 0 ? 0 : -2;
}

static void read_point(const struct record *r, struct import_meeting *m)
{
	double lat = 0, lng = 0;
	int has_lat = coordinate(r, "latitude", &lat);
	int has_lng = coordinate(r, "longitude", &lng);

	if (has_lat == -2 || has_lng == -2 || (has_lat == -1 && has_lng == -1))
		return;
	if (has_lat == -1 || has_lng == -1) {
		import_batch_warn(r->batch, r->row, r->label, "%s without %s; " PLACED_INSTEAD,
				  has_lat == 0 ? "latitude" : "longitude",
				  has_lat == 0 ? "longitude" : "latitude");
		return;
	}
	/* Zero for both is how many feeds say "unknown". */
	if (lat == 0 && lng == 0)
		return;
	if (!(fabs(lat) <= 90) || !(fabs(lng) <= 180)) {
		int bad_lat = !(fabs(lat) <= 90);

		import_batch_warn(r->batch, r->row, r->label,
				  "%s %g is out of range; " PLACED_INSTEAD,
				  bad_lat ? "latitude" : "longitude", bad_lat ? lat : lng);
		return;
	}
	m->has_point = 1;
	m->lat = lat;
	m->lng = lng;
}

/* `approximate`: "yes"/"no", true/false, 1/0. Absent, the feed does not
 * say (import_settle.c decides from the address); anything else is not said
 * either, with a warning. */
static enum import_approximate read_approximate(const struct record *r)
{
	json_object *v = get(r, "approximate");
	char buf[EXCERPT_CHARS * 4 + 4];
	enum import_approximate said = APPROX_UNSAID;
	char *text;

	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? APPROX_YES : APPROX_NO;
	if ((text = scalar_line(v, 16, NULL)) == NULL)
		return APPROX_UNSAID;
	if (strcasecmp(text, "yes") == 0 || strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0)
		said = APPROX_YES;
	else if (strcasecmp(text, "no") == 0 || strcasecmp(text, "false") == 0 ||
		 strcmp(text, "0") == 0)
		said = APPROX_NO;
	else
		import_batch_warn(r->batch, r->row, r->label,
				  "approximate \"%s\" is not yes or no; taken as not said",
				  excerpt(text, buf));
	free(text);
	return said;
}

static void fill(char **field, char *part)
{
	if (*field != NULL)
		free(part);
	else
		*field = part;
}

/* Fills the address parts m lacks from the one-line address s. */
static int fill_address(struct import_meeting *m, const char *s)
{
	char *street, *city, *region, *postal_code, *country;

	if (import_norm_split_address(s, &street, &city, &region, &postal_code, &country) != 0)
		return -1;
	fill(&m->address, street);
	fill(&m->city, city);
	fill(&m->region, region);
	fill(&m->postal_code, postal_code);
	fill(&m->country, country);
	return 0;
}

/* A street line without the commas a form left at its end ("51st &
 * Wornall, "); NULL when nothing else is left. */
static char *trim_commas(char *s)
{
	size_t len = s ? strlen(s) : 0;

	while (len > 0 && (s[len - 1] == ',' || s[len - 1] == ' '))
		s[--len] = '\0';
	if (s != NULL && len == 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void read_place(const struct record *r, struct import_meeting *m)
{
	m->location_name = line_field(r, "location", MG_LINE_MAX);
	m->location_notes = text_field(r, "location_notes");
	m->formatted_address = line_field(r, "formatted_address", MG_LINE_MAX);
	m->address = trim_commas(line_field(r, "address", MG_LINE_MAX));
	m->city = line_field(r, "city", MG_LINE_MAX);
	m->region = line_field(r, "state", MG_LINE_MAX);
	m->postal_code = line_field(r, "postal_code", MG_LINE_MAX);
	m->country = line_field(r, "country", MG_LINE_MAX);
	/* Some feeds put the whole address in `address` and give no city. */
	if (m->formatted_address == NULL && m->city == NULL && m->address != NULL &&
	    strchr(m->address, ',') != NULL) {
		char *whole = m->address;

		m->address = NULL;
		if (fill_address(m, whole) == 0)
			m->formatted_address = whole;
		else
			m->address = whole;
	} else if (m->formatted_address != NULL &&
		   !(m->address != NULL && m->city != NULL && m->region != NULL &&
		     m->postal_code != NULL && m->country != NULL)) {
		/* A line made from parts without a street ("Berlin, Berlin,
		 * DE", as this finder's own feed writes it) starts with the
		 * city: that first part is no street. */
		int had_street = m->address != NULL;

		fill_address(m, m->formatted_address);
		if (!had_street && m->address != NULL &&
		    ((m->city != NULL && strcasecmp(m->address, m->city) == 0) ||
		     (m->region != NULL && strcasecmp(m->address, m->region) == 0))) {
			free(m->address);
			m->address = NULL;
		}
	}
	read_regions(r, m);
	read_point(r, m);
	m->approximate = read_approximate(r);
}

/* ---- Online and other ---------------------------------------------------- */

/* A link field; a value that is not a web link is dropped with a warning. */
static char *url_field(const struct record *r, const char *key)
{
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text = scalar_line(get(r, key), 2100, NULL);
	char *url;

	if (text == NULL)
		return NULL;
	url = import_norm_url(text);
	if (url == NULL)
		import_batch_warn(r->batch, r->row, r->label,
				  "%s \"%s\" is not a web link; dropped", key, excerpt(text, buf));
	free(text);
	return url;
}

static char *phone_field(const struct record *r, const char *key)
{
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text = scalar_line(get(r, key), 256, NULL);
	char *phone;

	if (text == NULL)
		return NULL;
	phone = import_norm_phone(text);
	if (phone == NULL)
		import_batch_warn(r->batch, r->row, r->label,
				  "%s \"%s\" is not a phone number; dropped", key,
				  excerpt(text, buf));
	free(text);
	return phone;
}

/* A contribution handle; one that names no account is dropped with a
 * warning. */
static char *handle_field(const struct record *r, const char *key, enum norm_handle_kind kind)
{
	static const char *const names[] = {
		[HANDLE_VENMO] = "a Venmo handle",
		[HANDLE_PAYPAL] = "a PayPal.me name",
		[HANDLE_SQUARE] = "a Cash App $cashtag",
	};
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text = scalar_line(get(r, key), 256, NULL);
	char *handle;

	if (text == NULL)
		return NULL;
	handle = import_norm_handle(kind, text);
	if (handle == NULL)
		import_batch_warn(r->batch, r->row, r->label, "%s \"%s\" is not %s; dropped", key,
				  excerpt(text, buf), names[kind]);
	free(text);
	return handle;
}

static const char *const attendance_names[] = {
	[ATTEND_IN_PERSON] = "in_person",
	[ATTEND_ONLINE] = "online",
	[ATTEND_HYBRID] = "hybrid",
	[ATTEND_INACTIVE] = "inactive",
};

/* `attendance_option`; "in person" and "In-Person" count as in_person. */
static enum import_attendance read_attendance(const struct record *r)
{
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text = scalar_line(get(r, "attendance_option"), 32, NULL);
	enum import_attendance found = ATTEND_UNSAID;

	if (text == NULL)
		return ATTEND_UNSAID;
	for (char *p = text; *p; p++) {
		if (*p == ' ' || *p == '-')
			*p = '_';
	}
	for (int a = ATTEND_IN_PERSON; a <= ATTEND_INACTIVE; a++) {
		if (strcasecmp(text, attendance_names[a]) == 0)
			found = (enum import_attendance)a;
	}
	if (found == ATTEND_UNSAID)
		import_batch_warn(r->batch, r->row, r->label,
				  "attendance_option \"%s\" is not in_person, online, hybrid or "
				  "inactive; ignored",
				  excerpt(text, buf));
	free(text);
	return found;
}

static void read_updated(const struct record *r, struct import_meeting *m)
{
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text = scalar_line(get(r, "updated"), 64, NULL);
	char updated[20];

	if (text == NULL)
		return;
	if (import_norm_updated(text, updated) == 0)
		m->updated = dup_or_null(updated);
	else
		import_batch_warn(r->batch, r->row, r->label,
				  "updated \"%s\" is not a date; ignored", excerpt(text, buf));
	free(text);
}

static void read_timezone(const struct record *r, struct import_meeting *m)
{
	char buf[EXCERPT_CHARS * 4 + 4];
	char *text = scalar_line(get(r, "timezone"), 64, NULL);

	if (text == NULL)
		return;
	m->timezone = import_norm_timezone(text);
	if (m->timezone == NULL)
		import_batch_warn(
			r->batch, r->row, r->label,
			"timezone \"%s\" is not a time zone name; the source's zone is used",
			excerpt(text, buf));
	free(text);
}

/* The contact details of groups and people; published only when the
 * source allows it, so kept apart from the meeting's own fields. */
static const char *const contact_keys[] = {
	"email",           "phone",
	"website",         "feedback_emails",
	"contact_1_name",  "contact_1_email",
	"contact_1_phone", "contact_2_name",
	"contact_2_email", "contact_2_phone",
	"contact_3_name",  "contact_3_email",
	"contact_3_phone", NULL,
};

static json_object *new_string(const char *s)
{
	json_object *v = json_object_new_string(s);

	if (v == NULL)
		import_batch_out_of_memory();
	return v;
}

/* One contact value as JSON: a string, or an array of strings (as
 * feedback_emails may be); NULL when nothing is left. */
static json_object *contact_value(json_object *v)
{
	json_object *list;
	char *text;

	if (!json_object_is_type(v, json_type_array)) {
		text = scalar_line(v, MG_LINE_MAX, NULL);
		list = text ? new_string(text) : NULL;
		free(text);
		return list;
	}
	if ((list = json_object_new_array()) == NULL)
		import_batch_out_of_memory();
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		if (json_object_array_length(list) == MG_CONTACT_LIST_MAX)
			break;
		text = scalar_line(json_object_array_get_idx(v, i), MG_LINE_MAX, NULL);
		if (text != NULL && json_object_array_add(list, new_string(text)) != 0)
			import_batch_out_of_memory();
		free(text);
	}
	if (json_object_array_length(list) == 0) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

static char *read_contacts(const struct record *r)
{
	json_object *contacts = NULL, *value;
	char *text;

	for (size_t i = 0; contact_keys[i] != NULL; i++) {
		if ((value = contact_value(get(r, contact_keys[i]))) == NULL)
			continue;
		if (contacts == NULL && (contacts = json_object_new_object()) == NULL)
			import_batch_out_of_memory();
		if (json_object_object_add(contacts, contact_keys[i], value) != 0)
			import_batch_out_of_memory();
	}
	if (contacts == NULL)
		return NULL;
	text = dup_or_null(json_object_to_json_string_ext(
		contacts, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(contacts);
	return text;
}

/* The fields that cannot reject a record. */
static void read_rest(const struct record *r, struct import_meeting *m)
{
	read_timezone(r, m);
	m->attendance = read_attendance(r);
	read_types(r, m);
	m->notes = text_field(r, "notes");
	m->group_name = line_field(r, "group", MG_LINE_MAX);
	m->group_notes = text_field(r, "group_notes");
	m->conference_url = url_field(r, "conference_url");
	m->conference_url_notes = text_field(r, "conference_url_notes");
	m->conference_phone = phone_field(r, "conference_phone");
	m->conference_phone_notes = text_field(r, "conference_phone_notes");
	read_place(r, m);
	m->url = url_field(r, "url");
	m->feedback_url = url_field(r, "feedback_url");
	m->venmo = handle_field(r, "venmo", HANDLE_VENMO);
	m->paypal = handle_field(r, "paypal", HANDLE_PAYPAL);
	m->square = handle_field(r, "square", HANDLE_SQUARE);
	read_updated(r, m);
	m->fellowship = line_field(r, "fellowship", 64);
	m->contacts = read_contacts(r);
}

/* ---- One record, one meeting per day ------------------------------------- */

static char **copy_list(char **items, size_t n)
{
	char **copy;

	if (items == NULL)
		return NULL;
	if ((copy = calloc(n ? n : 1, sizeof(*copy))) == NULL)
		import_batch_out_of_memory();
	for (size_t i = 0; i < n; i++)
		copy[i] = dup_or_null(items[i]);
	return copy;
}

/* A deep copy of src into dst. Every pointer of struct import_meeting must
 * be listed here: a new one left out would be freed twice. */
static void meeting_copy(struct import_meeting *dst, const struct import_meeting *src)
{
	char **strings[] = {
		&dst->key,
		&dst->slug,
		&dst->name,
		&dst->timezone,
		&dst->notes,
		&dst->group_name,
		&dst->group_notes,
		&dst->conference_url,
		&dst->conference_url_notes,
		&dst->conference_phone,
		&dst->conference_phone_notes,
		&dst->location_name,
		&dst->location_notes,
		&dst->address,
		&dst->city,
		&dst->region,
		&dst->postal_code,
		&dst->country,
		&dst->formatted_address,
		&dst->url,
		&dst->feedback_url,
		&dst->venmo,
		&dst->paypal,
		&dst->square,
		&dst->updated,
		&dst->fellowship,
		&dst->contacts,
	};

	*dst = *src;
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		*strings[i] = dup_or_null(*strings[i]);
	dst->types = copy_list(src->types, src->ntypes);
	dst->regions = copy_list(src->regions, src->nregions);
}

static const char *const day_keys[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/* Adds m to the batch once per day; a meeting on several days gets keys
 * slug-mon, slug-thu. Takes over what m holds. */
static void add_meetings(const struct record *r, struct import_meeting *m, const int *days,
			 size_t ndays)
{
	if (ndays <= 1) {
		m->day = ndays == 1 ? days[0] : -1;
		*import_batch_add(r->batch, r->row) = *m;
		return;
	}
	for (size_t i = 0; i < ndays; i++) {
		struct import_meeting *copy = import_batch_add(r->batch, r->row);

		meeting_copy(copy, m);
		copy->day = days[i];
		if (copy->key != NULL) {
			size_t len = strlen(m->key) + 5;

			free(copy->key);
			if ((copy->key = malloc(len)) == NULL)
				import_batch_out_of_memory();
			snprintf(copy->key, len, "%s-%s", m->key, day_keys[days[i]]);
		}
	}
	import_batch_meeting_free(m);
}

void import_mg_record(struct import_batch *batch, int row, json_object *record)
{
	struct record r = {batch, row, record, NULL};
	struct import_meeting m = {.row = row, .day = -1, .start_min = -1, .end_min = -1};
	char label_buf[LABEL_BYTES + 1];
	int days[7];
	size_t ndays, name_chars;

	if (!json_object_is_type(record, json_type_object)) {
		import_batch_reject(batch, row, NULL, "row is %s, not an object", kind(record));
		return;
	}
	m.key = read_slug(&r);
	m.name = scalar_line(get(&r, "name"), SIZE_MAX, NULL);
	r.label = label(m.key ? m.key : m.name, label_buf);
	name_chars = import_norm_length(m.name);
	if (m.name == NULL)
		import_batch_reject(batch, row, r.label, "no name");
	else if (name_chars > IMPORT_NAME_MAX)
		import_batch_reject(batch, row, r.label, "name is %zu characters long; at most %d",
				    name_chars, IMPORT_NAME_MAX);
	if (m.name == NULL || name_chars > IMPORT_NAME_MAX || read_days(&r, days, &ndays) != 0 ||
	    read_times(&r, &m, &ndays) != 0) {
		import_batch_meeting_free(&m);
		return;
	}
	read_rest(&r, &m);
	add_meetings(&r, &m, days, ndays);
}

/* ---- The file ------------------------------------------------------------ */

/* Line and column (both from 1, the column in characters) of data[off]. */
static void position(const char *data, size_t off, size_t *line, size_t *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < off; i++) {
		if (data[i] == '\n') {
			++*line;
			*column = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			++*column;
		}
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parses the JSON value that starts at data[start] and fills the rest of
 * data[0..len) into *root (NULL for JSON null). Returns 0, or -1 with
 * batch->error saying why and where. */
static int parse_json(const char *data, size_t len, size_t start, json_object **root,
		      struct import_batch *batch)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error err;
	const char *why = NULL, *nul;
	size_t end, line, column;

	if (tok == NULL)
		import_batch_out_of_memory();
	*root = json_tokener_parse_ex(tok, data + start, (int)(len - start));
	end = start + json_tokener_get_parse_end(tok);
	/* A number or literal at the very end waits for more digits: a space
	 * tells the tokener the file is over. */
	if ((err = json_tokener_get_error(tok)) == json_tokener_continue) {
		*root = json_tokener_parse_ex(tok, " ", 1);
		err = json_tokener_get_error(tok);
		end = len;
	}
	nul = memchr(data + start, '\0', len - start);
	if (err == json_tokener_success) {
		while (end < len && is_space(data[end]))
			end++;
		if (end < len)
			why = "more text after the end of the JSON";
	} else if (err == json_tokener_continue) {
		why = "the file ends before the JSON does";
	} else if (err == json_tokener_error_parse_eof && nul != NULL) {
		/* json-c stops at a NUL byte as if the text ended there. */
		why = "a NUL byte";
		end = (size_t)(nul - data);
	} else {
		why = json_tokener_error_desc(err);
	}
	json_tokener_free(tok);
	if (why == NULL)
		return 0;
	position(data, end, &line, &column);
	import_batch_fail(batch, "not JSON: %s at line %zu, column %zu", why, line, column);
	json_object_put(*root);
	*root = NULL;
	return -1;
}

/* Reads the array's elements one at a time from data[start] (its '['),
 * handing each record over before the next is parsed, so that a large feed
 * is never one tree in memory and its rows reach the database while the
 * rest is read. Returns 0, or -1 when the text is not a well-formed array
 * (the caller then parses the whole file to say why and where). */
static int parse_elements(const char *data, size_t len, size_t start, struct import_batch *batch,
			  int *rows)
{
	struct json_tokener *tok = json_tokener_new();
	size_t at = start + 1;
	int row = 0, status = -1;

	if (tok == NULL)
		import_batch_out_of_memory();
	while (at < len && is_space(data[at]))
		at++;
	if (at < len && data[at] == ']') {
		at++;
		status = 0;
		goto end;
	}
	while (at < len) {
		json_object *value;

		if (data[at] == '\0')
			goto end;
		json_tokener_reset(tok);
		value = json_tokener_parse_ex(tok, data + at, (int)(len - at));
		if (json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(value);
			goto end;
		}
		at += json_tokener_get_parse_end(tok);
		import_mg_record(batch, ++row, value);
		json_object_put(value);
		while (at < len && is_space(data[at]))
			at++;
		if (at < len && data[at] == ',') {
			at++;
			while (at < len && is_space(data[at]))
				at++;
			if (at < len && data[at] == ']') {
				/* A trailing comma, which json-c accepts too. */
				at++;
				status = 0;
				break;
			}
			continue;
		}
		if (at < len && data[at] == ']') {
			at++;
			status = 0;
		}
		break;
	}
end:
	json_tokener_free(tok);
	*rows = row;
	if (status == 0) {
		while (at < len && is_space(data[at]))
			at++;
		if (at < len)
			status = -1;
	}
	return status;
}

/* Takes back what a parse that failed added to the batch: a file that is
 * unusable as a whole leaves no rows, rejects or warnings behind. */
static void discard_since(struct import_batch *batch, size_t count, size_t nrejects,
			  size_t nwarnings)
{
	if (batch->count < count)
		count = 0;
	while (batch->count > count)
		import_batch_drop_last(batch);
	for (size_t i = nrejects; i < batch->nrejects; i++) {
		free(batch->rejects[i].key);
		free(batch->rejects[i].message);
	}
	if (batch->nrejects > nrejects)
		batch->nrejects = nrejects;
	for (size_t i = nwarnings; i < batch->nwarnings; i++) {
		free(batch->warnings[i].key);
		free(batch->warnings[i].message);
	}
	if (batch->nwarnings > nwarnings)
		batch->nwarnings = nwarnings;
}

int import_mg_parse(const char *data, size_t len, const struct import_options *options,
		    struct import_batch *batch)
{
	json_object *root;
	size_t n, at = 0;
	int rows = 0;

	(void)options; /* the source's defaults are import_settle.c's to apply */
	if (len > IMPORT_MAX_BYTES) {
		import_batch_fail(batch, "the file is %zu bytes; at most %u", len,
				  IMPORT_MAX_BYTES);
		return -1;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	while (at < len && is_space(data[at]))
		at++;
	if (at == len) {
		import_batch_fail(batch, "the file is empty");
		return -1;
	}
	if (data[at] == '[') {
		size_t count = batch->count, nrejects = batch->nrejects;
		size_t nwarnings = batch->nwarnings;

		if (parse_elements(data, len, at, batch, &rows) == 0)
			return 0;
		discard_since(batch, count, nrejects, nwarnings);
	}
	/* Not an array, or not well formed: the whole text, to say what it
	 * holds or where it goes wrong. */
	if (parse_json(data, len, at, &root, batch) != 0)
		return -1;
	if (!json_object_is_type(root, json_type_array)) {
		import_batch_fail(batch, "expected a JSON array of meetings; the file holds %s",
				  kind(root));
		json_object_put(root);
		return -1;
	}
	if (rows > 0) {
		/* json-c read the whole text, but not element by element after
		 * the rows already handed over (a comment between elements, say). */
		import_batch_fail(batch,
				  "not JSON: something other than a comma or the end of the array "
				  "after row %d",
				  rows);
		json_object_put(root);
		return -1;
	}
	n = json_object_array_length(root);
	for (size_t i = 0; i < n; i++)
		import_mg_record(batch, (int)i + 1, json_object_array_get_idx(root, i));
	json_object_put(root);
	return 0;
}
