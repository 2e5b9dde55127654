#ifndef FINDER_PG_JSON_H
#define FINDER_PG_JSON_H

#include <json-c/json.h>
#include <libpq-fe.h>

/*
 * One field of a query result as a new JSON value the caller owns, or NULL
 * (JSON null) when the field is SQL NULL. Numbers keep the text PostgreSQL
 * printed (its float8 output is the shortest that round-trips).
 */
json_object *pg_json_text(const PGresult *res, int row, int col);
json_object *pg_json_number(const PGresult *res, int row, int col);
json_object *pg_json_int(const PGresult *res, int row, int col);
json_object *pg_json_bool(const PGresult *res, int row, int col);

/* {key: [row_json(res, 0), row_json(res, 1), ...]}, or NULL when out of
 * memory. */
json_object *pg_json_rows(const PGresult *res, const char *key,
			  json_object *(*row_json)(const PGresult *res, int row));

#endif
