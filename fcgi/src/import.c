/*
 * `finder import`: reads a meeting feed (Meeting Guide JSON, BMLT
 * GetSearchResults or the CSV template), settles what every format shares,
 * and merges it into one source's meetings in one transaction. With
 * --format hsds it reads a services directory instead (import_hsds.c) and
 * merges it with hsds_import_apply() (sql/migrations/015_hsds_import.sql),
 * the same way: staged by COPY, applied and reported in one transaction.
 *
 *   1. read the file (at most IMPORT_MAX_BYTES)
 *   2. connect, create or update the source, and look up the known time
 *      zones and fellowships
 *   3. parse it (import_*.c); the parser hands its meetings over in
 *      chunks, and each is settled (import_settle.c: the feed's slug kept
 *      as written and unique in the feed, the finder's slug beside it;
 *      approximate, closed and attendance; here: fellowship and zone; what
 *      cannot be a meeting rejected with the reason) and sent by COPY into
 *      a temporary table
 *      while the parser reads on; a file unusable as a whole aborts here
 *   4. call import_apply()
 *      (sql/migrations/012_imports.sql), which inserts, updates, leaves
 *      alone and deactivates, and records the report on the source
 *   5. commit, and print the report
 *   6. when FINDER_FEEDS_DIR names the Meeting Guide feed's files, bring
 *      them up to date (feeds.c): the source's file and the file of all
 *      sources
 *
 * Any failure after step 2 rolls the whole import back: the database is as
 * it was. A failure in step 6 is a warning only: the import stands, the
 * files that could be stale are removed, and the handler serves the feed
 * from the database until the next run. Exit status: 0 imported (rows may
 * have been rejected), 1 the file or the database failed, 2 bad usage, 3
 * held: with --max-drop, the merge would have taken away more of the
 * source's active listings than allowed, and was rolled back (`finder
 * sync` holds such a feed until someone confirms it).
 */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "feeds.h"
#include "import.h"
#include "import_hsds.h"
#include "import_norm.h"
#include "queries.h"

struct options {
	enum import_format format;
	const char *format_name;
	const char *source;
	const char *name;
	const char *timezone;
	const char *fellowship;
	const char *language;
	const char *contacts_public;  /* "true", "false" or NULL */
	const char *feedback_url;     /* "" clears it; NULL keeps it */
	const char *feedback_email;
	const char *formats_path;
	const char *path;
	int max_drop;  /* percent of active listings a merge may take away; 0: any */
	bool dry_run;
	bool json;
	bool quiet;
};

/* A sorted list of strings, for the zone and fellowship look-ups. */
struct names {
	char **items;
	size_t count;
};

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool names_has(const struct names *names, const char *s)
{
	return s && bsearch(&s, names->items, names->count, sizeof *names->items,
			    compare_strings) != NULL;
}

static void names_free(struct names *names)
{
	for (size_t i = 0; i < names->count; i++)
		free(names->items[i]);
	free(names->items);
	names->items = NULL;
	names->count = 0;
}

/* ---- Reading the file ---------------------------------------------- */

/* Reads all of `path` ("-": standard input) into *data; -1 with the reason
 * in `error` when it cannot, or when it holds more than IMPORT_MAX_BYTES. */
static int read_all(const char *path, char **data, size_t *len, char *error, size_t error_size)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf;

	if (!f) {
		snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	buf = import_xmalloc(cap);
	for (;;) {
		size_t got;

		if (n == cap) {
			char *bigger;

			if (cap > IMPORT_MAX_BYTES) {
				snprintf(error, error_size,
					 "%s is larger than %u MB, the most an import reads; "
					 "split the feed into sources",
					 path, IMPORT_MAX_BYTES / (1024 * 1024));
				free(buf);
				if (f != stdin)
					fclose(f);
				return -1;
			}
			cap *= 2;
			bigger = realloc(buf, cap);
			if (!bigger)
				import_out_of_memory();
			buf = bigger;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(error, error_size, "cannot read %s: %s", path, strerror(errno));
		free(buf);
		if (f != stdin)
			fclose(f);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	if (n > IMPORT_MAX_BYTES) {
		snprintf(error, error_size,
			 "%s is larger than %u MB, the most an import reads; split the feed "
			 "into sources",
			 path, IMPORT_MAX_BYTES / (1024 * 1024));
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* ---- Settling the meetings ------------------------------------------ */

struct source {
	char *timezone;
	char *fellowship;
};

/* Settles the meetings in place: the ones that cannot be imported are
 * removed from the batch and added to its rejects. */
static void settle(struct import_batch *batch, const struct source *source,
		   const struct names *zones, const struct names *fellowships, const char **attendance)
{
	size_t kept = 0;

	for (size_t i = 0; i < batch->count; i++) {
		struct import_meeting *m = &batch->meetings[i];
		const char *why = NULL;
		const char *how;

		if (m->timezone && !names_has(zones, m->timezone)) {
			import_warn(batch, m->row, m->key,
				    "time zone \"%s\" is not known; the source's %s is used",
				    m->timezone, source->timezone);
			free(m->timezone);
			m->timezone = NULL;
		}
		if (!m->timezone)
			m->timezone = import_xstrdup(source->timezone);
		if (m->fellowship && !names_has(fellowships, m->fellowship)) {
			import_reject(batch, m->row, m->key, "fellowship \"%s\" is not known",
				      m->fellowship);
			import_meeting_free(m);
			continue;
		}
		if (!m->fellowship)
			m->fellowship = import_xstrdup(source->fellowship);
		how = import_settle_attendance(m, &why);
		if (!how) {
			import_reject(batch, m->row, m->key, "%s", why);
			import_meeting_free(m);
			continue;
		}
		attendance[kept] = how;
		if (kept != i) {
			batch->meetings[kept] = *m;
			memset(m, 0, sizeof *m);
		}
		kept++;
	}
	batch->count = kept;
}

/* ---- Sending the rows ------------------------------------------------ */

struct buffer {
	char *data;
	size_t len, cap;
};

static void buf_grow(struct buffer *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	while (b->len + more + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->data = realloc(b->data, b->cap);
	if (!b->data)
		import_out_of_memory();
}

static void buf_put(struct buffer *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_str(struct buffer *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void buf_printf(struct buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buffer *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* A value in COPY's text format: backslash, tab, newline and carriage
 * return escaped. */
static void copy_text(struct buffer *b, const char *s)
{
	if (!s) {
		buf_put(b, "\\N", 2);
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_put(b, "\\\\", 2); break;
		case '\t': buf_put(b, "\\t", 2); break;
		case '\n': buf_put(b, "\\n", 2); break;
		case '\r': buf_put(b, "\\r", 2); break;
		default: buf_put(b, s, 1); break;
		}
	}
}

/* A text[] literal, each element double-quoted, then escaped for COPY. */
static void copy_array(struct buffer *b, char **items, size_t n)
{
	struct buffer lit = {0};

	buf_put(&lit, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_put(&lit, ",", 1);
		buf_put(&lit, "\"", 1);
		for (const char *s = items[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				buf_put(&lit, "\\", 1);
			buf_put(&lit, s, 1);
		}
		buf_put(&lit, "\"", 1);
	}
	buf_put(&lit, "}", 1);
	copy_text(b, lit.data);
	free(lit.data);
}

static void copy_time(struct buffer *b, int minutes)
{
	if (minutes < 0)
		buf_put(b, "\\N", 2);
	else
		buf_printf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

/* The columns import.c sends, in order: the row number, the key, the slug,
 * the two digests, then the meeting's fields and its place's fields. */
static const char copy_columns[] =
	"row, key, slug, hash, loc_key, "
	"name, day, start_time, end_time, timezone, attendance, closed, types, fellowship, "
	"notes, group_name, group_notes, conference_url, conference_url_notes, "
	"conference_phone, conference_phone_notes, url, feedback_url, venmo, paypal, square, "
	"source_updated, contacts, "
	"location_name, location_notes, address, city, region, postal_code, country, "
	"formatted_address, regions, lat, lng, approximate";

/* FNV-1a, 64 bits, as 16 hex digits: the digests by which import_apply()
 * knows an unchanged row and a place it has already. */
static void digest(const char *s, size_t n, char out[17])
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The meeting's fields, tab-separated, each with a leading tab. */
static void copy_meeting_fields(struct buffer *b, const struct import_meeting *m,
				const char *attendance)
{
	char updated[40];
	const char *text[] = {
		m->notes, m->group_name, m->group_notes, m->conference_url,
		m->conference_url_notes, m->conference_phone, m->conference_phone_notes, m->url,
		m->feedback_url, m->venmo, m->paypal, m->square,
	};
	bool appointment = m->day < 0 || m->start_min < 0;

	buf_put(b, "\t", 1);
	copy_text(b, m->name);
	if (appointment)
		buf_str(b, "\t\\N\t\\N\t\\N\t");
	else {
		buf_printf(b, "\t%d\t", m->day);
		copy_time(b, m->start_min);
		buf_put(b, "\t", 1);
		copy_time(b, m->end_min);
		buf_put(b, "\t", 1);
	}
	copy_text(b, m->timezone);
	buf_printf(b, "\t%s\t%s\t", attendance, m->closed ? "t" : "f");
	copy_array(b, m->types, m->ntypes);
	buf_put(b, "\t", 1);
	copy_text(b, m->fellowship);
	for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
		buf_put(b, "\t", 1);
		copy_text(b, text[i]);
	}
	buf_put(b, "\t", 1);
	if (m->updated) {
		snprintf(updated, sizeof updated, "%s+00", m->updated);
		copy_text(b, updated);
	} else
		copy_text(b, NULL);
	buf_put(b, "\t", 1);
	copy_text(b, m->contacts);
}

/* The place's fields, the same way. */
static void copy_place_fields(struct buffer *b, const struct import_meeting *m)
{
	const char *text[] = {
		m->location_name, m->location_notes, m->address, m->city, m->region,
		m->postal_code, m->country, m->formatted_address,
	};

	for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
		buf_put(b, "\t", 1);
		copy_text(b, text[i]);
	}
	buf_put(b, "\t", 1);
	copy_array(b, m->regions, m->nregions);
	if (m->has_point)
		buf_printf(b, "\t%.8f\t%.8f", m->lat, m->lng);
	else
		buf_str(b, "\t\\N\t\\N");
	buf_printf(b, "\t%s", m->approximate == APPROX_YES ? "t"
				: m->approximate == APPROX_NO ? "f" : "\\N");
}

/* One COPY line. `scratch` is reused from row to row. */
static void copy_row(struct buffer *b, struct buffer *scratch, const struct import_meeting *m,
		     const char *attendance)
{
	char row_digest[17], place_digest[17];
	size_t place_at;

	scratch->len = 0;
	copy_meeting_fields(scratch, m, attendance);
	place_at = scratch->len;
	copy_place_fields(scratch, m);
	digest(scratch->data, scratch->len, row_digest);
	digest(scratch->data + place_at, scratch->len - place_at, place_digest);
	buf_printf(b, "%d\t", m->row);
	copy_text(b, m->key);
	buf_put(b, "\t", 1);
	copy_text(b, m->slug);
	buf_printf(b, "\t%s\t", row_digest);
	if (import_has_place(m))
		buf_put(b, place_digest, 16);
	else
		buf_str(b, "\\N");
	buf_put(b, scratch->data, scratch->len);
	buf_put(b, "\n", 1);
}

/* ---- The database ----------------------------------------------------- */

static int db_fail(PGconn *conn, const char *what)
{
	fprintf(stderr, "finder import: %s: %s", what, PQerrorMessage(conn));
	return -1;
}

static int exec_ok(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	return ok ? 0 : db_fail(conn, sql);
}

static int load_names(PGconn *conn, const char *sql, struct names *names)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return db_fail(conn, "reading the look-up lists");
	}
	names->count = (size_t)PQntuples(res);
	names->items = import_xmalloc(names->count * sizeof *names->items);
	for (size_t i = 0; i < names->count; i++)
		names->items[i] = import_xstrdup(PQgetvalue(res, (int)i, 0));
	qsort(names->items, names->count, sizeof *names->items, compare_strings);
	PQclear(res);
	return 0;
}

/* Creates or updates the source and reads its defaults. */
static int open_source(PGconn *conn, const struct options *o, struct source *source)
{
	const char *values[9] = {o->source, o->name, o->format_name, o->timezone,
				 o->fellowship, o->language, o->contacts_public,
				 o->feedback_url, o->feedback_email};
	PGresult *res;

	res = PQexecParams(conn,
			   "SELECT default_timezone FROM sources WHERE slug = $1", 1, NULL,
			   values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return db_fail(conn, "reading the source");
	}
	if (PQntuples(res) == 0 && (!o->timezone || (!o->fellowship && o->format != IMPORT_HSDS))) {
		fprintf(stderr,
			"finder import: source \"%s\" is new: give its --timezone%s\n", o->source,
			o->format == IMPORT_HSDS ? "" : " and --fellowship");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	res = PQexecParams(conn, query_import_source, 9, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return db_fail(conn, "saving the source");
	}
	if (PQntuples(res) == 0) {
		fprintf(stderr,
			"finder import: \"%s\" is the demo source, which only the demo loader "
			"writes\n",
			o->source);
		PQclear(res);
		return -1;
	}
	if (PQgetisnull(res, 0, 2) && o->format != IMPORT_HSDS) {
		fprintf(stderr, "finder import: source \"%s\" has no fellowship: give --fellowship\n",
			o->source);
		PQclear(res);
		return -1;
	}
	source->timezone = import_xstrdup(PQgetvalue(res, 0, 1));
	source->fellowship = import_xstrdup(PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}

/* The rows go to the database while the parser reads on: each chunk of
 * meetings the batch hands over is settled, written as COPY lines and
 * freed. */
struct stream {
	PGconn *conn;
	const struct source *source;
	const struct names *zones, *fellowships;
	struct import_keys taken;
	struct buffer out, scratch;
	bool failed;  /* the database refused a write: the import will roll back */
};

static void stream_send(struct stream *st)
{
	if (!st->failed && st->out.len > 0 &&
	    PQputCopyData(st->conn, st->out.data, (int)st->out.len) != 1)
		st->failed = true;
	st->out.len = 0;
}

static void stream_flush(struct import_batch *batch, void *ctx)
{
	struct stream *st = ctx;
	const char **attendance = import_xmalloc((batch->count + 1) * sizeof *attendance);

	import_settle_keys(batch, &st->taken);
	settle(batch, st->source, st->zones, st->fellowships, attendance);
	for (size_t i = 0; i < batch->count; i++) {
		copy_row(&st->out, &st->scratch, &batch->meetings[i], attendance[i]);
		if (st->out.len > (1 << 20))
			stream_send(st);
		import_meeting_free(&batch->meetings[i]);
	}
	stream_send(st);
	batch->count = 0;
	free(attendance);
}

static int copy_begin(PGconn *conn)
{
	char sql[sizeof copy_columns + 64];
	PGresult *res;

	snprintf(sql, sizeof sql, "COPY import_rows (%s) FROM STDIN", copy_columns);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		PQclear(res);
		return db_fail(conn, "starting COPY");
	}
	PQclear(res);
	return 0;
}

/* Ends the COPY: with `why` set, aborts it (the file was unusable). */
static int copy_end(PGconn *conn, const char *why)
{
	PGresult *res;
	int ok = PQputCopyEnd(conn, why) == 1;

	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		ok = 0;
	PQclear(res);
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	if (why)
		return -1;
	return ok ? 0 : db_fail(conn, "sending the rows");
}

/* ---- Services (--format hsds) ----------------------------------------- */

/* What an HSDS import reads: one JSON file, or the CSV files of a tabular
 * package (each read whole, as read_all() reads a feed). */
struct hsds_input {
	struct hsds_table tables[32];
	char *bufs[32];
	size_t ntables;
	struct hsds_batch batch;
};

/* Parses the input and sends its records by COPY into the staging table
 * hsds_import_begin() made: one line a record, its document as JSON text
 * with its digest, by which hsds_import_apply() knows an unchanged one.
 * -1 (the reason printed) when the input is unusable or the database
 * refused. */
/* Service areas given by name only ("Georgia", "State of Texas") become
 * the gazetteer's region or country of that name
 * (hsds.import_area_places): within the country the area gave, else the
 * one its service is in, else a US state first. One whose name is
 * neither keeps what it had, with a warning. Before the records are
 * digested, so that a changed answer changes them. Returns 0, or -1
 * (printed). */
static int place_areas(PGconn *conn, struct hsds_batch *batch)
{
	struct hsds_area_ref *refs;
	size_t n;
	json_object *query = hsds_areas_unplaced(batch, &refs, &n);
	int *found = n ? malloc(n * sizeof *found) : NULL; /* each area's row, or -1 */
	const char *values[1];
	PGresult *res = NULL;
	int status = -1;

	if (n == 0) {
		status = 0;
		goto done;
	}
	if (found == NULL)
		import_out_of_memory();
	values[0] = json_object_to_json_string_ext(query, JSON_C_TO_STRING_PLAIN);
	res = PQexecParams(conn, "SELECT ord, country, region, how FROM hsds.import_area_places($1)",
			   1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_fail(conn, "placing the service areas");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		found[i] = -1;
	for (int row = 0; row < PQntuples(res); row++) {
		long i = strtol(PQgetvalue(res, row, 0), NULL, 10) - 1;

		if (i >= 0 && (size_t)i < n)
			found[i] = row;
	}
	/* In the input's order, as the report lists its warnings. */
	for (size_t i = 0; i < n; i++)
		hsds_area_placed(batch, &refs[i],
				 found[i] < 0 || PQgetisnull(res, found[i], 1) ? NULL
									   : PQgetvalue(res, found[i], 1),
				 found[i] < 0 || PQgetisnull(res, found[i], 2) ? NULL
									   : PQgetvalue(res, found[i], 2),
				 found[i] < 0 ? NULL : PQgetvalue(res, found[i], 3));
	status = 0;
done:
	PQclear(res);
	free(found);
	free(refs);
	json_object_put(query);
	return status;
}

static int stage_hsds(PGconn *conn, const struct options *o, const char *data, size_t len,
		      struct hsds_input *in)
{
	struct hsds_batch *batch = &in->batch;
	struct buffer out = {0};
	bool failed = false;
	int parsed;

	if (exec_ok(conn, "SELECT hsds_import_begin()") != 0)
		return -1;
	parsed = in->ntables > 0 ? import_parse_hsds_tables(in->tables, in->ntables, batch)
				 : import_parse_hsds_json(data, len, batch);
	if (parsed != 0) {
		fprintf(stderr, "finder import: %s: %s\n", o->path,
			batch->issues.error[0] ? batch->issues.error : "the file cannot be read");
		return -1;
	}
	if (place_areas(conn, batch) != 0)
		return -1;
	{
		PGresult *res = PQexec(conn, "COPY hsds_import_rows (row, kind, key, hash, doc) "
					     "FROM STDIN");

		if (PQresultStatus(res) != PGRES_COPY_IN) {
			PQclear(res);
			return db_fail(conn, "starting COPY");
		}
		PQclear(res);
	}
	for (size_t i = 0; i < batch->count; i++) {
		const struct hsds_record *r = &batch->records[i];
		const char *doc = json_object_to_json_string_ext(
			r->doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		char hash[17];

		digest(doc, strlen(doc), hash);
		buf_printf(&out, "%d\t%s\t", r->row, hsds_kind_names[r->kind]);
		copy_text(&out, r->key);
		buf_printf(&out, "\t%s\t", hash);
		copy_text(&out, doc);
		buf_put(&out, "\n", 1);
		if (out.len > (1 << 20) || i + 1 == batch->count) {
			if (!failed && PQputCopyData(conn, out.data, (int)out.len) != 1)
				failed = true;
			out.len = 0;
		}
	}
	free(out.data);
	return copy_end(conn, failed ? "the database refused a row" : NULL);
}

/* Reads the CSV files of the package at `path` (its directory, or its
 * datapackage.json) into in->tables; 0 when it is one (1 when `path` is
 * no package: a JSON file), -1 with the reason in `error`. */
static int read_package(const char *path, struct hsds_input *in, char *error, size_t error_size)
{
	struct stat st;
	char dir[4096];
	size_t n = strlen(path);
	static const char descriptor[] = "datapackage.json";

	if (strcmp(path, "-") == 0)
		return 1;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(dir, sizeof dir, "%s", path);
	else if (n >= sizeof descriptor - 1 &&
		 strcmp(path + n - (sizeof descriptor - 1), descriptor) == 0)
		snprintf(dir, sizeof dir, "%.*s", (int)(n - (sizeof descriptor - 1)), path);
	else
		return 1;
	if (dir[0] == '\0')
		snprintf(dir, sizeof dir, ".");
	for (size_t i = 0; hsds_table_names[i] && in->ntables < 32; i++) {
		char file[4200];
		struct hsds_table *t = &in->tables[in->ntables];

		snprintf(file, sizeof file, "%s/%s.csv", dir, hsds_table_names[i]);
		if (stat(file, &st) != 0)
			continue;
		if (read_all(file, &in->bufs[in->ntables], &t->len, error, error_size) != 0)
			return -1;
		t->name = hsds_table_names[i];
		t->data = in->bufs[in->ntables++];
	}
	if (in->ntables == 0) {
		snprintf(error, error_size, "%.300s holds none of the HSDS tables (services.csv ...)",
			 dir);
		return -1;
	}
	return 0;
}

static void hsds_input_free(struct hsds_input *in)
{
	for (size_t i = 0; i < in->ntables; i++)
		free(in->bufs[i]);
	hsds_batch_free(&in->batch);
}

/* ---- The report -------------------------------------------------------- */

static void print_issues(FILE *out, const char *title, const struct import_issue *items, size_t n)
{
	if (n == 0)
		return;
	fprintf(out, "%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		if (items[i].row > 0)
			fprintf(out, "  row %d", items[i].row);
		else
			fputs("  the file", out);
		if (items[i].key)
			fprintf(out, " (%s)", items[i].key);
		fprintf(out, ": %s\n", items[i].message);
	}
}

static json_object *issues_json(const struct import_issue *items, size_t n)
{
	json_object *list = json_object_new_array_ext((int)n);

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "row", json_object_new_int(items[i].row));
		json_object_object_add(o, "key",
				       items[i].key ? json_object_new_string(items[i].key) : NULL);
		json_object_object_add(o, "reason", json_object_new_string(items[i].message));
		json_object_array_add(list, o);
	}
	return list;
}

static void print_report(const struct options *o, const char *counts_json,
			 const struct import_batch *batch)
{
	json_object *counts = json_tokener_parse(counts_json);

	if (!counts)
		counts = json_object_new_object();
	if (o->json) {
		json_object *report = json_object_new_object();

		json_object_object_add(report, "source", json_object_new_string(o->source));
		json_object_object_add(report, "format", json_object_new_string(o->format_name));
		json_object_object_add(report, "dry_run", json_object_new_boolean(o->dry_run));
		json_object_object_add(report, "counts", counts);
		json_object_object_add(report, "rejected",
				       issues_json(batch->rejects, batch->nrejects));
		json_object_object_add(report, "warnings",
				       issues_json(batch->warnings, batch->nwarnings));
		puts(json_object_to_json_string_ext(report, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(report);
		return;
	}
	printf("%s%s: %s (%s)\n", o->dry_run ? "[dry run, nothing saved] " : "", o->source,
	       o->path, o->format_name);
	json_object_object_foreach(counts, k, v)
		printf("  %-12s %s\n", k, json_object_to_json_string(v));
	if (!o->quiet) {
		print_issues(stdout, "rejected", batch->rejects, batch->nrejects);
		print_issues(stdout, "warnings", batch->warnings, batch->nwarnings);
	}
	json_object_put(counts);
}

/* ---- The command ------------------------------------------------------- */

static int usage(FILE *out)
{
	fputs("usage: finder import --format FORMAT --source SLUG [options] FILE|-\n"
	      "\n"
	      "  --format meeting-guide|bmlt|csv|hsds\n"
	      "                       hsds: HSDS JSON (a service, an organization with its\n"
	      "                       services, a service_at_location, a location, a Page\n"
	      "                       or a list of them, or the tabular package as JSON),\n"
	      "                       or a CSV package (its directory or its\n"
	      "                       datapackage.json; HSDS 3.0 or the older Ohana form)\n"
	      "  --source SLUG        the source the meetings belong to (created on first import)\n"
	      "  --name TEXT          the source's name (default: its slug)\n"
	      "  --timezone ZONE      IANA zone of meetings that give none (needed the first time)\n"
	      "  --fellowship SLUG    fellowship of meetings that give none (needed the first time)\n"
	      "  --language CODE      language of meetings with no language type (default en)\n"
	      "  --formats FILE       bmlt: a GetFormats response, to map formats to type codes\n"
	      "  --contacts-public    the source publishes its contacts (default: kept private)\n"
	      "  --contacts-private   stop publishing them\n"
	      "  --max-drop PERCENT   roll back (exit status 3) when the merge would take away\n"
	      "                       more than PERCENT of the source's active listings\n"
	      "  --feedback-url URL   where the source's steward takes corrections (http or\n"
	      "                       https), for meetings whose feed gives no feedback_url;\n"
	      "                       \"\" removes it\n"
	      "  --feedback-email ADDRESS\n"
	      "                       the steward's address for corrections; \"\" removes it\n"
	      "  --dry-run            read, check and merge, then roll back\n"
	      "  --json               print the report as JSON\n"
	      "  --quiet              print only the counts\n"
	      "\n"
	      "The database is FINDER_IMPORT_DATABASE (default \"dbname=finder user=finder_importer\").\n"
	      "One import is one transaction: a file that cannot be read changes nothing.\n"
	      "After an import (not --dry-run), the Meeting Guide feed's files in\n"
	      "FINDER_FEEDS_DIR are brought up to date, their links made from\n"
	      "FINDER_PUBLIC_URL (finder feeds --help); unset, no files are written.\n",
	      out);
	return out == stdout ? 0 : 2;
}

/* "1" to "100", optionally followed by '%'. */
static int parse_percent(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || (*end != '\0' && strcmp(end, "%") != 0) || v < 1 || v > 100)
		return -1;
	*out = (int)v;
	return 0;
}

/* Whether s holds no space or control character. */
static bool one_word(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A plain address: one @ between a local part and a domain with a dot, no
 * spaces, no name or brackets around it ("Pat <pat@x.org>" is not one). */
static bool plain_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at > s && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       at[1] != '.' && s[strlen(s) - 1] != '.' && strlen(s) <= 254 && one_word(s) &&
	       !strpbrk(s, "<>()[],;:\"\\");
}

/* --feedback-url and --feedback-email: "" (remove) or well formed, as the
 * sources table checks them; -1 after saying why. */
static int check_feedback(const struct options *o)
{
	const char *url = o->feedback_url;
	char *normal = url && *url ? norm_url(url) : NULL;
	bool url_ok = !url || !*url ||
		      (normal && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) &&
		       one_word(url) && strlen(url) <= 2000);

	free(normal);
	if (!url_ok) {
		fprintf(stderr,
			"finder import: --feedback-url is an http:// or https:// link such as "
			"https://example.org/meetings/feedback, not \"%.200s\"\n", url);
		return -1;
	}
	if (o->feedback_email && *o->feedback_email && !plain_email(o->feedback_email)) {
		fprintf(stderr,
			"finder import: --feedback-email is a plain address such as "
			"meetings@example.org, not \"%.200s\"\n", o->feedback_email);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option long_options[] = {
		{"format", required_argument, NULL, 'f'},
		{"source", required_argument, NULL, 's'},
		{"name", required_argument, NULL, 'n'},
		{"timezone", required_argument, NULL, 't'},
		{"fellowship", required_argument, NULL, 'F'},
		{"language", required_argument, NULL, 'l'},
		{"formats", required_argument, NULL, 'm'},
		{"contacts-public", no_argument, NULL, 'P'},
		{"contacts-private", no_argument, NULL, 'p'},
		{"max-drop", required_argument, NULL, 'D'},
		{"feedback-url", required_argument, NULL, 'U'},
		{"feedback-email", required_argument, NULL, 'E'},
		{"dry-run", no_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof *o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 'f': o->format_name = optarg; break;
		case 's': o->source = optarg; break;
		case 'n': o->name = optarg; break;
		case 't': o->timezone = optarg; break;
		case 'F': o->fellowship = optarg; break;
		case 'l': o->language = optarg; break;
		case 'm': o->formats_path = optarg; break;
		case 'P': o->contacts_public = "true"; break;
		case 'p': o->contacts_public = "false"; break;
		case 'D':
			if (parse_percent(optarg, &o->max_drop) != 0) {
				fprintf(stderr, "finder import: --max-drop is a whole percentage "
						"from 1 to 100, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'U': o->feedback_url = optarg; break;
		case 'E': o->feedback_email = optarg; break;
		case 'd': o->dry_run = true; break;
		case 'j': o->json = true; break;
		case 'q': o->quiet = true; break;
		case 'h': return usage(stdout) == 0 ? 1 : 2;
		default: return usage(stderr);
		}
	}
	if (optind != argc - 1 || !o->format_name || !o->source) {
		fputs("finder import: give --format, --source and one FILE (or -)\n", stderr);
		return usage(stderr);
	}
	o->path = argv[optind];
	if (strcmp(o->format_name, "meeting-guide") == 0)
		o->format = IMPORT_MEETING_GUIDE;
	else if (strcmp(o->format_name, "bmlt") == 0)
		o->format = IMPORT_BMLT;
	else if (strcmp(o->format_name, "csv") == 0)
		o->format = IMPORT_CSV;
	else if (strcmp(o->format_name, "hsds") == 0)
		o->format = IMPORT_HSDS;
	else {
		fprintf(stderr,
			"finder import: --format is meeting-guide, bmlt or csv (meetings) or hsds "
			"(services), not \"%s\"\n",
			o->format_name);
		return 2;
	}
	if (o->format == IMPORT_HSDS && (o->fellowship || o->language || o->contacts_public)) {
		fputs("finder import: --fellowship, --language and --contacts-* are for meetings, "
		      "not --format hsds\n", stderr);
		return 2;
	}
	if (o->formats_path && o->format != IMPORT_BMLT) {
		fputs("finder import: --formats goes with --format bmlt\n", stderr);
		return 2;
	}
	{
		char *slug = norm_slug(o->source, 32);
		bool ok = slug && strcmp(slug, o->source) == 0;

		free(slug);
		if (!ok) {
			fprintf(stderr,
				"finder import: --source is a slug of at most 32 lower-case letters, "
				"digits and hyphens, not \"%s\"\n",
				o->source);
			return 2;
		}
	}
	if (check_feedback(o) != 0)
		return 2;
	if (o->language && !(strlen(o->language) == 2 && o->language[0] >= 'a' &&
			     o->language[0] <= 'z' && o->language[1] >= 'a' && o->language[1] <= 'z')) {
		fprintf(stderr, "finder import: --language is a two-letter code such as en or es\n");
		return 2;
	}
	return 0;
}

static int parse_file(const struct options *o, const char *data, size_t len,
		      const char *formats, size_t formats_len, struct import_batch *batch)
{
	struct import_options options = {
		.formats_json = formats,
		.formats_len = formats_len,
	};

	switch (o->format) {
	case IMPORT_MEETING_GUIDE:
		return import_parse_meeting_guide(data, len, &options, batch);
	case IMPORT_BMLT:
		return import_parse_bmlt(data, len, &options, batch);
	case IMPORT_CSV:
		return import_parse_csv(data, len, &options, batch);
	case IMPORT_HSDS:
		break;
	}
	return -1;
}

/* The source's active listings (meetings, or listed services), before the
 * merge: -1 when they cannot be counted. */
static long active_listings(PGconn *conn, const struct options *o)
{
	const char *values[1] = {o->source};
	PGresult *res;
	long n = -1;

	res = PQexecParams(conn,
			   o->format == IMPORT_HSDS
				   ? "SELECT count(*) FROM hsds.service sv JOIN sources s "
				     "ON s.id = sv.source_id WHERE s.slug = $1 AND sv.listed"
				   : "SELECT count(*) FROM meetings m JOIN sources s "
				     "ON s.id = m.source_id WHERE s.slug = $1 AND m.active",
			   1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	else
		db_fail(conn, "counting the source's listings");
	PQclear(res);
	return n;
}

/* With --max-drop: whether the merge's report (counts) takes away more than
 * that share of the `before` active listings; says so when it does. */
static bool drop_held(const struct options *o, long before, const char *counts)
{
	json_object *report = json_tokener_parse(counts), *v;
	int64_t gone = 0;

	if (report && json_object_object_get_ex(report, "deactivated", &v))
		gone = json_object_get_int64(v);
	json_object_put(report);
	if (o->max_drop == 0 || before <= 0 || gone * 100 <= (int64_t)o->max_drop * before)
		return false;
	fprintf(stderr,
		"finder import: held: the feed would take away %lld of the source's %ld active "
		"listings (%lld%%), more than --max-drop %d%%; nothing was changed\n",
		(long long)gone, before, (long long)(gone * 100 / before), o->max_drop);
	return true;
}

/* Everything after reading the file, in one transaction: -1 when it was
 * rolled back (the reason printed), 3 when it was held (--max-drop). The file is parsed here, with the rows
 * streaming into the database as they are read; a file that turns out
 * unusable aborts the COPY, and nothing is changed. */
static int run_import(PGconn *conn, const struct options *o, const char *data, size_t len,
		      const char *formats, size_t formats_len, struct hsds_input *hsds,
		      struct import_batch *batch, char **counts)
{
	struct names zones = {0}, fellowships = {0};
	struct source source = {0};
	struct stream st = {0};
	char rejected[16], warnings[16];
	const char *values[3];
	PGresult *res;
	int status = -1, parsed;
	long before = -1;

	/* The staged feed is a temporary table: room for it in memory (this
	 * must come before the session's first temporary table). */
	if (exec_ok(conn, "SET client_min_messages = warning") != 0 ||
	    exec_ok(conn, "SET temp_buffers = '256MB'") != 0 ||
	    exec_ok(conn, "BEGIN") != 0 || exec_ok(conn, "SET LOCAL statement_timeout = 0") != 0 ||
	    exec_ok(conn, "SET LOCAL lock_timeout = '30s'") != 0)
		goto done;
	if (load_names(conn, "SELECT name FROM pg_timezone_names", &zones) != 0 ||
	    load_names(conn, "SELECT slug FROM fellowships", &fellowships) != 0)
		goto done;
	if (o->timezone && !names_has(&zones, o->timezone)) {
		fprintf(stderr, "finder import: --timezone \"%s\" is not an IANA time zone\n",
			o->timezone);
		goto done;
	}
	if (o->format == IMPORT_HSDS) {
		if (open_source(conn, o, &source) != 0 || stage_hsds(conn, o, data, len, hsds) != 0)
			goto done;
		goto apply;
	}
	if (o->fellowship && !names_has(&fellowships, o->fellowship)) {
		fprintf(stderr, "finder import: --fellowship \"%s\" is not known (GET /api/v1/fellowships lists them)\n",
			o->fellowship);
		goto done;
	}
	if (open_source(conn, o, &source) != 0 || exec_ok(conn, "SELECT import_begin()") != 0 ||
	    copy_begin(conn) != 0)
		goto done;
	st.conn = conn;
	st.source = &source;
	st.zones = &zones;
	st.fellowships = &fellowships;
	batch->flush = stream_flush;
	batch->flush_ctx = &st;
	parsed = parse_file(o, data, len, formats, formats_len, batch);
	if (parsed == 0)
		stream_flush(batch, &st);
	batch->flush = NULL;
	if (parsed != 0) {
		fprintf(stderr, "finder import: %s: %s\n", o->path,
			batch->error[0] ? batch->error : "the file cannot be read");
		copy_end(conn, "the file is unusable");
		goto done;
	}
	if (copy_end(conn, st.failed ? "the database refused a row" : NULL) != 0)
		goto done;
apply:
	if (o->max_drop && (before = active_listings(conn, o)) < 0)
		goto done;
	snprintf(rejected, sizeof rejected, "%zu", batch->nrejects);
	snprintf(warnings, sizeof warnings, "%zu", batch->nwarnings);
	values[0] = o->source;
	values[1] = rejected;
	values[2] = warnings;
	res = PQexecParams(conn,
			   o->format == IMPORT_HSDS ? "SELECT hsds_import_apply($1, $2, $3, now())"
						    : "SELECT import_apply($1, $2, $3, now())",
			   3, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		db_fail(conn, "merging the feed");
		goto done;
	}
	*counts = import_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (drop_held(o, before, *counts)) {
		status = 3;
		goto done;
	}
	if (exec_ok(conn, o->dry_run ? "ROLLBACK" : "COMMIT") != 0)
		goto done;
	status = 0;
done:
	if (status != 0) {
		PQclear(PQexec(conn, "ROLLBACK"));
		free(*counts);
		*counts = NULL;
	}
	import_keys_free(&st.taken);
	free(st.out.data);
	free(st.scratch.data);
	free(source.timezone);
	free(source.fellowship);
	names_free(&zones);
	names_free(&fellowships);
	return status;
}

/* After a committed import: the feed's files. Their failure does not fail
 * the import (feeds_write says why and removes what could be stale). */
static void write_feeds(PGconn *conn, const struct options *o, struct feeds_settings *s)
{
	s->quiet = o->quiet;
	if (feeds_write(conn, s, o->source) != 0)
		fprintf(stderr, "finder import: warning: the import stands, but the feed's files "
				"were not brought up to date; the handler serves the feed meanwhile\n");
}

int import_main(int argc, char **argv)
{
	struct options o;
	struct import_batch batch = {0};
	struct hsds_input hsds = {0};
	struct import_batch *issues = &batch;
	struct feeds_settings feeds;
	int feeds_wanted;
	char *data = NULL, *formats = NULL, *counts = NULL;
	size_t len = 0, formats_len = 0;
	char error[512];
	const char *conninfo = getenv("FINDER_IMPORT_DATABASE");
	PGconn *conn = NULL;
	int status = 1;
	int rc;

	/* Before the options: some are checked with its patterns. */
	if (import_norm_init() != 0)
		return 1;
	rc = parse_args(argc, argv, &o);
	if (rc != 0) {
		import_norm_free();
		return rc == 1 ? 0 : rc;
	}
	/* Settings that cannot work are refused before anything changes. */
	feeds_wanted = o.dry_run ? 0 : feeds_settings_from_env(&feeds, "finder import");
	if (feeds_wanted < 0) {
		import_norm_free();
		return 2;
	}
	if (o.format == IMPORT_HSDS) {
		/* The batch's issues are the report's rejects and warnings. */
		issues = &hsds.batch.issues;
		rc = read_package(o.path, &hsds, error, sizeof error);
	}
	if (rc < 0 || (hsds.ntables == 0 &&
		       read_all(o.path, &data, &len, error, sizeof error) != 0) ||
	    (o.formats_path &&
	     read_all(o.formats_path, &formats, &formats_len, error, sizeof error) != 0)) {
		fprintf(stderr, "finder import: %s; nothing was imported\n", error);
		goto done;
	}
	conn = PQconnectdb(conninfo && *conninfo ? conninfo
						 : "dbname=finder user=finder_importer");
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "finder import: cannot connect to the database: %s",
			PQerrorMessage(conn));
		goto done;
	}
	rc = run_import(conn, &o, data, len, formats, formats_len, &hsds, issues, &counts);
	if (rc != 0) {
		if (rc == 3)
			status = 3;
		else
			fprintf(stderr, "finder import: nothing was imported\n");
		goto done;
	}
	print_report(&o, counts, issues);
	status = 0;
	fflush(stdout);
	if (feeds_wanted)
		write_feeds(conn, &o, &feeds);
done:
	if (conn)
		PQfinish(conn);
	free(counts);
	free(data);
	free(formats);
	import_batch_free(&batch);
	hsds_input_free(&hsds);
	import_norm_free();
	return status;
}
