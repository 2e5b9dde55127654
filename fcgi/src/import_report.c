/*
 * `finder import`'s report (import_report.h), on standard output: what the
 * merge counted, then each rejected row and each warning with its row
 * number and key.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "import_report.h"

static void print_issues(FILE *out, const char *title, const struct import_issue *items, size_t n)
{
	if (n == 0)
		return;
	fprintf(out, "%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		if (items[i].row > 0)
			fprintf(out, "  row %d", items[i].row);
		else
			fputs("  the file", out);
		if (items[i].key != NULL)
			fprintf(out, " (%s)", items[i].key);
		fprintf(out, ": %s\n", items[i].message);
	}
}

static json_object *issues_json(const struct import_issue *items, size_t n)
{
	json_object *list = json_object_new_array_ext((int)n);

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "row", json_object_new_int(items[i].row));
		json_object_object_add(o, "key",
				       items[i].key ? json_object_new_string(items[i].key) : NULL);
		json_object_object_add(o, "reason", json_object_new_string(items[i].message));
		json_object_array_add(list, o);
	}
	return list;
}

void import_report_print(const struct import_args *o, const char *counts_json,
			 const struct import_batch *batch)
{
	json_object *counts = json_tokener_parse(counts_json);

	if (counts == NULL)
		counts = json_object_new_object();
	if (o->json) {
		json_object *report = json_object_new_object();

		json_object_object_add(report, "source", json_object_new_string(o->source));
		json_object_object_add(report, "format", json_object_new_string(o->format_name));
		json_object_object_add(report, "dry_run", json_object_new_boolean(o->dry_run));
		json_object_object_add(report, "counts", counts);
		json_object_object_add(report, "rejected",
				       issues_json(batch->rejects, batch->nrejects));
		json_object_object_add(report, "warnings",
				       issues_json(batch->warnings, batch->nwarnings));
		puts(json_object_to_json_string_ext(
			report, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(report);
		return;
	}
	printf("%s%s: %s (%s)\n", o->dry_run ? "[dry run, nothing saved] " : "", o->source, o->path,
	       o->format_name);
	json_object_object_foreach(counts, k, v)
		printf("  %-12s %s\n", k, json_object_to_json_string(v));
	if (!o->quiet) {
		print_issues(stdout, "rejected", batch->rejects, batch->nrejects);
		print_issues(stdout, "warnings", batch->warnings, batch->nwarnings);
	}
	json_object_put(counts);
}
