/*
 * Reading `finder import`'s input (import_read.h): the file whole into
 * memory, capped at IMPORT_MAX_BYTES (the parsers and the HSDS package
 * need all of it), or each CSV file of an HSDS package.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
		snprintf(error, error_size, "%.300s holds none of the HSDS tables (services.csv ...)",
			 dir);
		return -1;
	}
	return 0;
}

void import_read_hsds_input_free(struct hsds_input *in)
{
	for (size_t i = 0; i < in->ntables; i++)
		free(in->bufs[i]);
	import_hsds_batch_free(&in->batch);
}
