#include "vocab.h"

#include <string.h>

/* Columns of sql/queries/vocab_unknown.sql. */
enum { COL_PARAM, COL_VALUE, COL_ALLOWED, COL__MAX };

/* Whether any list is a filter. */
static int any_given(const struct param_list *const lists[VOCAB__MAX])
{
	for (int i = 0; i < VOCAB__MAX; i++)
		if (lists[i] != NULL && lists[i]->set)
			return 1;
	return 0;
}

/* Adds an open vocabulary's unknown value to *unknown, made on the first. */
static int add_unknown(json_object **unknown, const char *param, const char *value)
{
	json_object *values;

	if (*unknown == NULL && (*unknown = json_object_new_object()) == NULL)
		return -1;
	if (!json_object_object_get_ex(*unknown, param, &values)) {
		values = json_object_new_array();
		if (values == NULL || json_object_object_add(*unknown, param, values) != 0) {
			json_object_put(values);
			return -1;
		}
	}
	return json_object_array_add(values, json_object_new_string(value));
}

int vocab_check(struct db *db, const struct param_list *const lists[VOCAB__MAX],
		json_object **unknown, struct api_error *err)
{
	char arrays[VOCAB__MAX][PARAM_ARRAY_CAP(VOCAB_ITEM_MAX)];
	const char *values[VOCAB__MAX];
	PGresult *res = NULL;
	int failed = 0, rc = -1;

	*unknown = NULL;
	if (!any_given(lists))
		return 0;
	for (int i = 0; i < VOCAB__MAX; i++)
		values[i] = lists[i] == NULL ? NULL
					     : params_list_value(lists[i], arrays[i],
								 sizeof(arrays[i]), &failed);
	if (failed) {
		api_error_set(err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
		return -1;
	}
	res = db_exec(db, DB_VOCAB_UNKNOWN, values, err);
	if (res == NULL)
		return -1;
	for (int row = 0; row < PQntuples(res); row++) {
		const char *param = PQgetvalue(res, row, COL_PARAM);
		const char *value = PQgetvalue(res, row, COL_VALUE);

		if (!PQgetisnull(res, row, COL_ALLOWED)) {
			params_unknown_value(err, param, value, strlen(value),
					     PQgetvalue(res, row, COL_ALLOWED));
			goto out;
		}
		if (add_unknown(unknown, param, value) != 0) {
			api_error_set(err, 500, "internal_error", NULL,
				      "Something went wrong on our side.");
			goto out;
		}
	}
	rc = 0;
out:
	PQclear(res);
	if (rc != 0) {
		json_object_put(*unknown);
		*unknown = NULL;
	}
	return rc;
}
