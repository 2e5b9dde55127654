#include "api_lists.h"

#include "pg_json.h"
#include "reply.h"
#include "request.h"

/* The lists change only with a migration: caches may keep them an hour. */
#define LIST_CACHE_CONTROL "public, max-age=3600"

/* {"en": column en, "es": column es} */
static json_object *labels_at(const PGresult *res, int row, int en, int es)
{
	json_object *labels = json_object_new_object();

	if (labels != NULL) {
		json_object_object_add(labels, "en", pg_json_text(res, row, en));
		json_object_object_add(labels, "es", pg_json_text(res, row, es));
	}
	return labels;
}

/* Runs st and answers {key: [row_json(row)...]}. */
static int list_reply(struct request *req, enum db_statement st, const char *key,
		      json_object *(*row_json)(const PGresult *res, int row))
{
	struct api_error err;

	req->result = db_exec(req->db, st, NULL, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	req->cache_control = LIST_CACHE_CONTROL;
	return reply_json(req, 200, pg_json_rows(req->result, key, row_json));
}

/* Columns of sql/queries/fellowships.sql. */
static json_object *fellowship_json(const PGresult *res, int row)
{
	json_object *f = json_object_new_object();

	if (f == NULL)
		return NULL;
	json_object_object_add(f, "slug", pg_json_text(res, row, 0));
	json_object_object_add(f, "name", labels_at(res, row, 1, 2));
	json_object_object_add(f, "audience", pg_json_text(res, row, 3));
	json_object_object_add(f, "moud", pg_json_bool(res, row, 4));
	return f;
}

/* Columns of sql/queries/types.sql. */
static json_object *type_json(const PGresult *res, int row)
{
	json_object *t = json_object_new_object();

	if (t == NULL)
		return NULL;
	json_object_object_add(t, "code", pg_json_text(res, row, 0));
	json_object_object_add(t, "label", labels_at(res, row, 1, 2));
	json_object_object_add(t, "language", pg_json_text(res, row, 3));
	json_object_object_add(t, "family", pg_json_bool(res, row, 4));
	return t;
}

int api_fellowships_list(struct request *req)
{
	return list_reply(req, DB_FELLOWSHIPS, "fellowships", fellowship_json);
}

int api_types_list(struct request *req)
{
	return list_reply(req, DB_TYPES, "types", type_json);
}
