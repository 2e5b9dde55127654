#ifndef FINDER_IMPORT_DB_H
#define FINDER_IMPORT_DB_H

#include <libpq-fe.h>

#include "import.h"
#include "import_read.h"

/*
 * The database work of `finder import` (import_db.c): the source, the
 * staging of the rows by COPY, and the merge, each statement from
 * sql/queries/import_*.sql and hsds_import_*.sql. Every function returns
 * 0, or -1 after printing why; none begins, commits or rolls back: the
 * command (import.c) holds the one transaction around them.
 */

/* Runs `sql` (one or more statements, no parameters); -1 when it fails. */
int import_db_exec(PGconn *conn, const char *sql);

/* The session's settings (before BEGIN), then the transaction's (after). */
int import_db_session(PGconn *conn);
int import_db_transaction(PGconn *conn);

/* The known time zones and fellowships, sorted. */
int import_db_names(PGconn *conn, struct import_names *zones, struct import_names *fellowships);

/* Creates or updates the source from the options and reads its defaults
 * into *source (the caller frees its strings). */
int import_db_open_source(PGconn *conn, const struct import_args *o, struct import_source *source);

/* Parses the meeting feed with `parse` while its rows stream into the
 * staging table: each chunk the batch hands over is settled with the
 * source's defaults, written as COPY lines and freed. A file unusable as
 * a whole aborts the COPY. */
typedef int (*import_parse_fn)(const struct import_args *o, const void *ctx,
			       struct import_batch *batch);
int import_db_stage_meetings(PGconn *conn, const struct import_args *o,
			     const struct import_source *source, const struct import_names *zones,
			     const struct import_names *fellowships, import_parse_fn parse,
			     const void *parse_ctx, struct import_batch *batch);

/* Parses the HSDS input and stages its records the same way. */
int import_db_stage_hsds(PGconn *conn, const struct import_args *o, const char *data, size_t len,
			 struct hsds_input *in);

/* The source's active listings (meetings, or listed services) before the
 * merge, or -1. */
long import_db_active(PGconn *conn, const struct import_args *o);

/* Merges what was staged; *counts gets the report's counts as JSON (the
 * caller frees it). */
int import_db_apply(PGconn *conn, const struct import_args *o, const struct import_batch *issues,
		    char **counts);

#endif
