#include "pg_json.h"

#include <stdlib.h>
#include <string.h>

json_object *pg_json_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return json_object_new_string_len(PQgetvalue(res, row, col), PQgetlength(res, row, col));
}

json_object *pg_json_number(const PGresult *res, int row, int col)
{
	const char *v;

	if (PQgetisnull(res, row, col))
		return NULL;
	v = PQgetvalue(res, row, col);
	return json_object_new_double_s(strtod(v, NULL), v);
}

json_object *pg_json_int(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return json_object_new_int64(strtoll(PQgetvalue(res, row, col), NULL, 10));
}

json_object *pg_json_bool(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return json_object_new_boolean(strcmp(PQgetvalue(res, row, col), "t") == 0);
}

json_object *pg_json_rows(const PGresult *res, const char *key,
			  json_object *(*row_json)(const PGresult *res, int row))
{
	json_object *body = json_object_new_object();
	json_object *list = json_object_new_array_ext(PQntuples(res));

	if (body == NULL || list == NULL) {
		json_object_put(body);
		json_object_put(list);
		return NULL;
	}
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(list, row_json(res, i));
	json_object_object_add(body, key, list);
	return body;
}
