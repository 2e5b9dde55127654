#ifndef FINDER_IMPORT_REPORT_H
#define FINDER_IMPORT_REPORT_H

#include "import.h"

/* Prints `finder import`'s report (import_report.c): the merge's counts
 * (JSON from import_apply()), then the rejected rows and the warnings, as
 * text or, with --json, as one JSON object. */
void import_report_print(const struct import_args *o, const char *counts_json,
			 const struct import_batch *batch);

#endif
