/*
 * Reading `finder import`'s input (import_read.h): the file whole into
 * memory, capped at IMPORT_MAX_BYTES (the parsers and the HSDS package
 * need all of it), or each CSV file of an HSDS package.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "dynbuf.h"
#include "import.h"
#include "import_read.h"

#define READ_CHUNK (1 << 16)

static void too_large(const char *path, char *error, size_t error_size)
{
	snprintf(error, error_size,
		 "%s is larger than %u MB, the most an import reads; split the feed into sources",
		 path, IMPORT_MAX_BYTES / (1024 * 1024));
}

/* Appends all of f to b; -1 (errno set) when it cannot be read or b fails. */
static int read_stream(FILE *f, struct dynbuf *b)
{
	char chunk[READ_CHUNK];
	size_t got;

	/* An empty file is "" too, not NULL. */
	if (dynbuf_append(b, "", 0) != 0)
		return -1;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (dynbuf_append(b, chunk, got) != 0)
			return -1;
	return ferror(f) ? -1 : 0;
}

int import_read_all(const char *path, char **data, size_t *len, char *error, size_t error_size)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct dynbuf b;
	int rc;

	if (f == NULL) {
		snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	dynbuf_init(&b, IMPORT_MAX_BYTES);
	rc = read_stream(f, &b);
	if (rc != 0 && b.error == ENOMEM)
		import_batch_out_of_memory();
	if (rc != 0 && b.error == E2BIG)
		too_large(path, error, error_size);
	else if (rc != 0)
		snprintf(error, error_size, "cannot read %s: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		dynbuf_free(&b);
		return -1;
	}
	*len = b.len;
	*data = dynbuf_take(&b);
	return 0;
}

/* A member of `o` that is a non-empty string, else NULL. */
static const char *text_member(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return NULL;
	return json_object_get_string(v);
}

int import_read_licence(const char *json, size_t len, char **license, char **url)
{
	json_tokener *tok;
	json_object *doc, *given = NULL, *first;
	const char *name = NULL, *link = NULL;

	if (len > INT32_MAX)
		return 1;
	if ((tok = json_tokener_new()) == NULL)
		import_batch_out_of_memory();
	doc = json_tokener_parse_ex(tok, json, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	if (json_object_is_type(doc, json_type_object) &&
	    json_object_object_get_ex(doc, "licenses", &given) &&
	    json_object_is_type(given, json_type_array) &&
	    json_object_is_type(first = json_object_array_get_idx(given, 0), json_type_object)) {
		link = text_member(first, "path");
		name = text_member(first, "name");
		name = name ? name : text_member(first, "title");
		name = name ? name : link;
	} else if (json_object_is_type(doc, json_type_object) &&
		   json_object_object_get_ex(doc, "license", &given)) {
		if (json_object_is_type(given, json_type_object)) {
			link = text_member(given, "url");
			name = text_member(given, "type");
			name = name ? name : text_member(given, "name");
		} else if (json_object_is_type(given, json_type_string) &&
			   json_object_get_string_len(given) > 0) {
			name = json_object_get_string(given);
		}
	}
	if (name != NULL) {
		*license = import_batch_xstrdup(name);
		*url = link != NULL ? import_batch_xstrdup(link) : NULL;
	}
	json_object_put(doc);
	return name != NULL ? 0 : 1;
}

/* The licence of the package in `dir`, from its datapackage.json, into
 * in->license and in->license_url. A descriptor that is missing, cannot
 * be read or is no JSON (a checkout may hold a symbolic link's target
 * there) states nothing: the tables are the data, and the import goes on. */
static void read_descriptor(const char *dir, struct hsds_input *in)
{
	char file[4200], error[512];
	char *data = NULL;
	size_t len = 0;

	snprintf(file, sizeof(file), "%s/datapackage.json", dir);
	if (import_read_all(file, &data, &len, error, sizeof(error)) == 0)
		import_read_licence(data, len, &in->license, &in->license_url);
	free(data);
}

int import_read_package(const char *path, struct hsds_input *in, char *error, size_t error_size)
{
	struct stat st;
	char dir[4096];
	size_t n = strlen(path);
	static const char descriptor[] = "datapackage.json";

	if (strcmp(path, "-") == 0)
		return 1;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(dir, sizeof(dir), "%s", path);
	else if (n >= sizeof(descriptor) - 1 &&
		 strcmp(path + n - (sizeof(descriptor) - 1), descriptor) == 0)
		snprintf(dir, sizeof(dir), "%.*s", (int)(n - (sizeof(descriptor) - 1)), path);
	else
		return 1;
	if (dir[0] == '\0')
		snprintf(dir, sizeof(dir), ".");
	for (size_t i = 0; import_hsds_table_names[i] != NULL && in->ntables < 32; i++) {
		char file[4200];
		struct hsds_table *t = &in->tables[in->ntables];

		snprintf(file, sizeof(file), "%s/%s.csv", dir, import_hsds_table_names[i]);
		if (stat(file, &st) != 0)
			continue;
		if (import_read_all(file, &in->bufs[in->ntables], &t->len, error, error_size) != 0)
			return -1;
		t->name = import_hsds_table_names[i];
		t->data = in->bufs[in->ntables++];
	}
	if (in->ntables == 0) {
		snprintf(error, error_size,
			 "%.300s holds none of the HSDS tables (services.csv ...)", dir);
		return -1;
	}
	read_descriptor(dir, in);
	return 0;
}

void import_read_hsds_input_free(struct hsds_input *in)
{
	for (size_t i = 0; i < in->ntables; i++)
		free(in->bufs[i]);
	free(in->license);
	free(in->license_url);
	import_hsds_batch_free(&in->batch);
}
