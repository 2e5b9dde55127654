/*
 * The source, staging and merge of `finder import` (import_db.h). The SQL
 * is sql/queries/import_*.sql and hsds_import_*.sql, embedded at build time
 * (scripts/sql2c.sh); each runs once an import, so none is prepared.
 *
 * The rows reach the staging table by COPY while the parser reads on: a
 * chunk of meetings is settled (import_settle.c), encoded (import_copy.c)
 * and sent, and its memory freed, so a large feed is never held whole as
 * meetings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "import_copy.h"
#include "import_db.h"
#include "queries.h"

/* Meetings and services are counted and merged by statements that take
 * the same parameters. */
_Static_assert(QUERY_IMPORT_ACTIVE_NPARAMS == QUERY_HSDS_IMPORT_ACTIVE_NPARAMS,
	       "import_active and hsds_import_active differ");
_Static_assert(QUERY_IMPORT_APPLY_NPARAMS == QUERY_HSDS_IMPORT_APPLY_NPARAMS,
	       "import_apply and hsds_import_apply differ");

/* The COPY buffer goes out at this size. */
#define SEND_AT ((size_t)1 << 20)

static int db_fail(PGconn *conn, const char *what)
{
	fprintf(stderr, "finder import: %s: %s", what, PQerrorMessage(conn));
	return -1;
}

int import_db_exec(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	return ok ? 0 : db_fail(conn, sql);
}

int import_db_session(PGconn *conn)
{
	return import_db_exec(conn, query_import_session);
}

int import_db_transaction(PGconn *conn)
{
	return import_db_exec(conn, query_import_transaction);
}

static int load_names(PGconn *conn, const char *sql, struct import_names *names)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return db_fail(conn, "reading the look-up lists");
	}
	names->count = (size_t)PQntuples(res);
	names->items = import_batch_xmalloc(names->count * sizeof(*names->items));
	for (size_t i = 0; i < names->count; i++)
		names->items[i] = import_batch_xstrdup(PQgetvalue(res, (int)i, 0));
	import_settle_names_sort(names);
	PQclear(res);
	return 0;
}

int import_db_names(PGconn *conn, struct import_names *zones, struct import_names *fellowships)
{
	if (load_names(conn, query_import_zones, zones) != 0)
		return -1;
	return load_names(conn, query_import_fellowships, fellowships);
}

/* Whether the source may be opened: a new one needs its time zone, and
 * for meetings its fellowship. */
static int source_known(PGconn *conn, const struct import_args *o)
{
	const char *values[1] = {o->source};
	PGresult *res = PQexecParams(conn, query_import_source_zone,
				     QUERY_IMPORT_SOURCE_ZONE_NPARAMS, NULL, values, NULL, NULL, 0);
	int status = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		status = db_fail(conn, "reading the source");
	else if (PQntuples(res) == 0 &&
		 (o->timezone == NULL || (o->fellowship == NULL && o->format != IMPORT_HSDS))) {
		fprintf(stderr, "finder import: source \"%s\" is new: give its --timezone%s\n",
			o->source, o->format == IMPORT_HSDS ? "" : " and --fellowship");
		status = -1;
	}
	PQclear(res);
	return status;
}

int import_db_open_source(PGconn *conn, const struct import_args *o, struct import_source *source)
{
	const char *values[12] = {
		o->source,         o->name,          o->format_name,       o->timezone,
		o->fellowship,     o->language,      o->contacts_public,   o->feedback_url,
		o->feedback_email, o->terms.license, o->terms.license_url, o->terms.attribution};
	PGresult *res;
	int status = -1;

	if (source_known(conn, o) != 0)
		return -1;
	res = PQexecParams(conn, query_import_source, QUERY_IMPORT_SOURCE_NPARAMS, NULL, values,
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		db_fail(conn, "saving the source");
	else if (PQntuples(res) == 0)
		fprintf(stderr,
			"finder import: \"%s\" is the demo source, which only the demo loader "
			"writes\n",
			o->source);
	else if (PQgetisnull(res, 0, 2) && o->format != IMPORT_HSDS)
		fprintf(stderr,
			"finder import: source \"%s\" has no fellowship: give --fellowship\n",
			o->source);
	else {
		source->timezone = import_batch_xstrdup(PQgetvalue(res, 0, 1));
		source->fellowship = import_batch_xstrdup(PQgetvalue(res, 0, 2));
		status = 0;
	}
	PQclear(res);
	return status;
}

/* ---- Staging by COPY --------------------------------------------------- */

static int copy_begin(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

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
	if (why != NULL)
		return -1;
	return ok ? 0 : db_fail(conn, "sending the rows");
}

/* Sends what `out` holds and empties it; after a refusal, only empties. */
static void copy_send(PGconn *conn, struct dynbuf *out, int *failed)
{
	if (!*failed && out->len > 0 && PQputCopyData(conn, out->data, (int)out->len) != 1)
		*failed = 1;
	dynbuf_reset(out);
}

/* What the meeting stream keeps from chunk to chunk. */
struct stream {
	PGconn *conn;
	const struct import_source *source;
	const struct import_names *zones, *fellowships;
	struct import_keys taken;
	struct dynbuf out, scratch;
	int failed; /* the database refused a write: the import will roll back */
};

/* A row that does not fit the COPY buffer (more than the file could
 * hold): the import rolls back, saying which. */
static void row_too_large(struct stream *st, const struct import_meeting *m)
{
	if (!st->failed)
		fprintf(stderr, "finder import: row %d is too large to stage\n", m->row);
	st->failed = 1;
	dynbuf_reset(&st->out);
}

static void stream_flush(struct import_batch *batch, void *ctx)
{
	struct stream *st = ctx;
	const char **attendance = import_batch_xmalloc((batch->count + 1) * sizeof(*attendance));

	import_settle_keys(batch, &st->taken);
	import_settle_batch(batch, st->source, st->zones, st->fellowships, attendance);
	for (size_t i = 0; i < batch->count; i++) {
		if (import_copy_row(&st->out, &st->scratch, &batch->meetings[i], attendance[i]) !=
		    0)
			row_too_large(st, &batch->meetings[i]);
		if (st->out.len > SEND_AT)
			copy_send(st->conn, &st->out, &st->failed);
		import_batch_meeting_free(&batch->meetings[i]);
	}
	copy_send(st->conn, &st->out, &st->failed);
	batch->count = 0;
	free(attendance);
}

int import_db_stage_meetings(PGconn *conn, const struct import_args *o,
			     const struct import_source *source, const struct import_names *zones,
			     const struct import_names *fellowships, import_parse_fn parse,
			     const void *parse_ctx, struct import_batch *batch)
{
	struct stream st = {
		.conn = conn,
		.source = source,
		.zones = zones,
		.fellowships = fellowships,
	};
	int parsed, status;

	if (import_db_exec(conn, query_import_begin) != 0 ||
	    copy_begin(conn, query_import_copy) != 0)
		return -1;
	dynbuf_init(&st.out, IMPORT_COPY_MAX);
	dynbuf_init(&st.scratch, IMPORT_COPY_MAX);
	batch->flush = stream_flush;
	batch->flush_ctx = &st;
	parsed = parse(o, parse_ctx, batch);
	if (parsed == 0)
		stream_flush(batch, &st);
	batch->flush = NULL;
	if (parsed != 0) {
		fprintf(stderr, "finder import: %s: %s\n", o->path,
			batch->error[0] ? batch->error : "the file cannot be read");
		status = copy_end(conn, "the file is unusable");
	} else
		status = copy_end(conn, st.failed ? "the database refused a row" : NULL);
	import_settle_keys_free(&st.taken);
	dynbuf_free(&st.out);
	dynbuf_free(&st.scratch);
	return status;
}

/* ---- Services (--format hsds) ----------------------------------------- */

/* Service areas given by name only ("Georgia", "State of Texas") become
 * the gazetteer's region or country of that name
 * (hsds.import_area_places): within the country the area gave, else the
 * one its service is in, else a US state first. One whose name is
 * neither keeps what it had, with a warning. Before the records are
 * digested, so that a changed answer changes them. */
static int place_areas(PGconn *conn, struct hsds_batch *batch)
{
	struct hsds_area_ref *refs;
	size_t n;
	json_object *query = import_hsds_areas_unplaced(batch, &refs, &n);
	int *found = n ? malloc(n * sizeof(*found)) : NULL; /* each area's row, or -1 */
	const char *values[1];
	PGresult *res = NULL;
	int status = -1;

	if (n == 0) {
		status = 0;
		goto done;
	}
	if (found == NULL)
		import_batch_out_of_memory();
	values[0] = json_object_to_json_string_ext(query, JSON_C_TO_STRING_PLAIN);
	res = PQexecParams(conn, query_hsds_import_areas, QUERY_HSDS_IMPORT_AREAS_NPARAMS, NULL,
			   values, NULL, NULL, 0);
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
		import_hsds_area_placed(batch, &refs[i],
					found[i] < 0 || PQgetisnull(res, found[i], 1)
						? NULL
						: PQgetvalue(res, found[i], 1),
					found[i] < 0 || PQgetisnull(res, found[i], 2)
						? NULL
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

/* One record's COPY line: its row, kind, key, its document's digest, and
 * the document as JSON text. */
static int copy_record(struct dynbuf *out, const struct hsds_record *r)
{
	const char *doc = json_object_to_json_string_ext(
		r->doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char hash[17];

	import_copy_digest(doc, strlen(doc), hash);
	dynbuf_appendf(out, "%d\t%s\t", r->row, import_hsds_kind_names[r->kind]);
	import_copy_text(out, r->key);
	dynbuf_appendf(out, "\t%s\t", hash);
	import_copy_text(out, doc);
	return dynbuf_append(out, "\n", 1);
}

/* The records by COPY into the staging table hsds_import_begin() made. */
static int copy_records(PGconn *conn, const struct hsds_batch *batch)
{
	struct dynbuf out;
	int failed = 0;

	if (copy_begin(conn, query_hsds_import_copy) != 0)
		return -1;
	dynbuf_init(&out, IMPORT_COPY_MAX);
	for (size_t i = 0; i < batch->count; i++) {
		if (copy_record(&out, &batch->records[i]) != 0 && !failed) {
			fprintf(stderr, "finder import: row %d is too large to stage\n",
				batch->records[i].row);
			failed = 1;
			dynbuf_reset(&out);
		}
		if (out.len > SEND_AT || i + 1 == batch->count)
			copy_send(conn, &out, &failed);
	}
	dynbuf_free(&out);
	return copy_end(conn, failed ? "the database refused a row" : NULL);
}

int import_db_stage_hsds(PGconn *conn, const struct import_args *o, const char *data, size_t len,
			 struct hsds_input *in)
{
	struct hsds_batch *batch = &in->batch;
	int parsed;

	if (import_db_exec(conn, query_hsds_import_begin) != 0)
		return -1;
	parsed = in->ntables > 0 ? import_hsds_parse_tables(in->tables, in->ntables, batch)
				 : import_hsds_parse_json(data, len, batch);
	if (parsed != 0) {
		fprintf(stderr, "finder import: %s: %s\n", o->path,
			batch->issues.error[0] ? batch->issues.error : "the file cannot be read");
		return -1;
	}
	if (place_areas(conn, batch) != 0)
		return -1;
	return copy_records(conn, batch);
}

/* ---- The merge ---------------------------------------------------------- */

long import_db_active(PGconn *conn, const struct import_args *o)
{
	const char *values[1] = {o->source};
	PGresult *res;
	long n = -1;

	res = PQexecParams(
		conn, o->format == IMPORT_HSDS ? query_hsds_import_active : query_import_active,
		QUERY_IMPORT_ACTIVE_NPARAMS, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	else
		db_fail(conn, "counting the source's listings");
	PQclear(res);
	return n;
}

int import_db_apply(PGconn *conn, const struct import_args *o, const struct import_batch *issues,
		    char **counts)
{
	char rejected[24], warnings[24];
	const char *values[3] = {o->source, rejected, warnings};
	PGresult *res;

	snprintf(rejected, sizeof(rejected), "%zu", issues->nrejects);
	snprintf(warnings, sizeof(warnings), "%zu", issues->nwarnings);
	res = PQexecParams(conn,
			   o->format == IMPORT_HSDS ? query_hsds_import_apply : query_import_apply,
			   QUERY_IMPORT_APPLY_NPARAMS, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return db_fail(conn, "merging the feed");
	}
	*counts = import_batch_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}
