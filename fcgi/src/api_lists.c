#include "api_lists.h"

#include <string.h>

#include "reply.h"
#include "request.h"

/* The lists change only with a migration: caches may keep them an hour. */
#define LIST_CACHE_CONTROL "public, max-age=3600"

static json_object *text_at(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return json_object_new_string_len(PQgetvalue(res, row, col), PQgetlength(res, row, col));
}

static json_object *bool_at(const PGresult *res, int row, int col)
{
	return json_object_new_boolean(strcmp(PQgetvalue(res, row, col), "t") == 0);
}

/* {"en": column en, "es": column es} */
static json_object *labels_at(const PGresult *res, int row, int en, int es)
{
	json_object *labels = json_object_new_object();

	if (labels != NULL) {
		json_object_object_add(labels, "en", text_at(res, row, en));
		json_object_object_add(labels, "es", text_at(res, row, es));
	}
	return labels;
}

/* Runs st and answers {key: [row_json(row)...]}. */
static int list_reply(struct request *req, enum db_statement st, const char *key,
		      json_object *(*row_json)(const PGresult *res, int row))
{
	struct api_error err;
	json_object *body, *list;

	req->result = db_exec(req->db, st, NULL, &err);
	if (req->result == NULL)
		return reply_error(req, &err);
	body = json_object_new_object();
	list = json_object_new_array_ext(PQntuples(req->result));
	if (body == NULL || list == NULL) {
		json_object_put(body);
		json_object_put(list);
		return reply_json(req, 500, NULL);
	}
	for (int i = 0; i < PQntuples(req->result); i++)
		json_object_array_add(list, row_json(req->result, i));
	json_object_object_add(body, key, list);
	req->cache_control = LIST_CACHE_CONTROL;
	return reply_json(req, 200, body);
}

/* Columns of sql/queries/fellowships.sql. */
static json_object *fellowship_json(const PGresult *res, int row)
{
	json_object *f = json_object_new_object();

	if (f == NULL)
		return NULL;
	json_object_object_add(f, "slug", text_at(res, row, 0));
	json_object_object_add(f, "name", labels_at(res, row, 1, 2));
	json_object_object_add(f, "audience", text_at(res, row, 3));
	json_object_object_add(f, "moud", bool_at(res, row, 4));
	return f;
}

/* Columns of sql/queries/types.sql. */
static json_object *type_json(const PGresult *res, int row)
{
	json_object *t = json_object_new_object();

	if (t == NULL)
		return NULL;
	json_object_object_add(t, "code", text_at(res, row, 0));
	json_object_object_add(t, "label", labels_at(res, row, 1, 2));
	json_object_object_add(t, "language", text_at(res, row, 3));
	json_object_object_add(t, "family", bool_at(res, row, 4));
	return t;
}

int api_fellowships_list(struct request *req, const char *id)
{
	(void)id;
	return list_reply(req, DB_FELLOWSHIPS, "fellowships", fellowship_json);
}

int api_types_list(struct request *req, const char *id)
{
	(void)id;
	return list_reply(req, DB_TYPES, "types", type_json);
}
