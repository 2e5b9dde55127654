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
};

/* Reads the CSV files of the package at `path` (its directory, or its
 * datapackage.json) into in->tables; 0 when it is one (1 when `path` is
 * no package: a JSON file), -1 with the reason in `error`. */
int import_read_package(const char *path, struct hsds_input *in, char *error, size_t error_size);

void import_read_hsds_input_free(struct hsds_input *in);

#endif
