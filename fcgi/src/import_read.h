#ifndef FINDER_IMPORT_READ_H
#define FINDER_IMPORT_READ_H

#include <stddef.h>

#include "import_hsds.h"

/*
 * Reading what `finder import` imports (import_read.c): a feed file whole,
 * or the CSV files of an HSDS tabular package, each at most
 * IMPORT_MAX_BYTES.
 */

/* Reads all of `path` ("-": standard input) into *data (NUL-terminated,
 * the caller frees it); -1 with the reason in `error` when it cannot, or
 * when it holds more than IMPORT_MAX_BYTES. */
int import_read_all(const char *path, char **data, size_t *len, char *error, size_t error_size);

/* What an HSDS import reads: one JSON file, or the CSV files of a tabular
 * package (each read whole, as import_read_all() reads a feed). */
struct hsds_input {
	struct hsds_table tables[32];
	char *bufs[32];
	size_t ntables;
	struct hsds_batch batch;
	/* What the package's datapackage.json says of the data's licence, or
	 * NULL (owned: import_read_hsds_input_free frees them). */
	char *license, *license_url;
};

/* Reads the CSV files of the package at `path` (its directory, or its
 * datapackage.json) into in->tables; 0 when it is one (1 when `path` is
 * no package: a JSON file), -1 with the reason in `error`. */
int import_read_package(const char *path, struct hsds_input *in, char *error, size_t error_size);

/* The licence a Data Package descriptor states: the first of Frictionless
 * Data's `licenses` (its `name`, else its `title`, else its `path`; and
 * `path` as the link), or the `license` the HSDS 3.0 descriptor writes
 * (an object with `type` or `name`, and `url`; or a string). Returns 0
 * with *license and *url (NULL when it gives none) malloc'd for the
 * caller, or 1 when it states none or is no JSON object. `json` need not
 * end in a NUL byte. */
int import_read_licence(const char *json, size_t len, char **license, char **url);

void import_read_hsds_input_free(struct hsds_input *in);

#endif
