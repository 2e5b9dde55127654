/*
 * The list of meetings a parser reads from a file, with the rows it rejected
 * and the warnings it gave (import.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

void import_batch_out_of_memory(void)
{
	fputs("finder import: out of memory\n", stderr);
	exit(1);
}

void *import_batch_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		import_batch_out_of_memory();
	return p;
}

char *import_batch_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		import_batch_out_of_memory();
	return p;
}

void *import_batch_grow(void *items, size_t *cap, size_t count, size_t size)
{
	size_t want;
	void *bigger;

	if (count < *cap)
		return items;
	want = *cap ? *cap * 2 : 64;
	bigger = realloc(items, want * size);
	if (bigger == NULL)
		import_batch_out_of_memory();
	memset((char *)bigger + *cap * size, 0, (want - *cap) * size);
	*cap = want;
	return bigger;
}

struct import_meeting *import_batch_add(struct import_batch *batch, int row)
{
	struct import_meeting *m;

	if (batch->flush != NULL && batch->count >= IMPORT_FLUSH_AT)
		batch->flush(batch, batch->flush_ctx);
	batch->meetings = import_batch_grow(batch->meetings, &batch->cap, batch->count,
					    sizeof(*batch->meetings));
	m = &batch->meetings[batch->count++];
	memset(m, 0, sizeof(*m));
	m->row = row;
	m->day = -1;
	m->start_min = -1;
	m->end_min = -1;
	return m;
}

void import_batch_drop_last(struct import_batch *batch)
{
	if (batch->count == 0)
		return;
	import_batch_meeting_free(&batch->meetings[--batch->count]);
}

/* The first `max` bytes of s, or fewer so as not to split a character. */
static char *cut_utf8(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return strndup(s, n);
}

static void add_issue(struct import_issue **items, size_t *count, size_t *cap, int row,
		      const char *key, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
static void add_issue(struct import_issue **items, size_t *count, size_t *cap, int row,
		      const char *key, const char *fmt, va_list ap)
{
	struct import_issue *issue;
	char message[512];

	*items = import_batch_grow(*items, cap, *count, sizeof(**items));
	issue = &(*items)[(*count)++];
	vsnprintf(message, sizeof(message), fmt, ap);
	issue->row = row;
	issue->key = key ? cut_utf8(key, 80) : NULL;
	issue->message = strdup(message);
	if ((key != NULL && issue->key == NULL) || issue->message == NULL)
		import_batch_out_of_memory();
}

void import_batch_reject(struct import_batch *batch, int row, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_issue(&batch->rejects, &batch->nrejects, &batch->rejects_cap, row, key, fmt, ap);
	va_end(ap);
}

void import_batch_warn(struct import_batch *batch, int row, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_issue(&batch->warnings, &batch->nwarnings, &batch->warnings_cap, row, key, fmt, ap);
	va_end(ap);
}

void import_batch_fail(struct import_batch *batch, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(batch->error, sizeof(batch->error), fmt, ap);
	va_end(ap);
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

void import_batch_meeting_free(struct import_meeting *m)
{
	free(m->key);
	free(m->slug);
	free(m->name);
	free(m->timezone);
	free_list(m->types, m->ntypes);
	free(m->notes);
	free(m->group_name);
	free(m->group_notes);
	free(m->conference_url);
	free(m->conference_url_notes);
	free(m->conference_phone);
	free(m->conference_phone_notes);
	free(m->location_name);
	free(m->location_notes);
	free(m->address);
	free(m->city);
	free(m->region);
	free(m->postal_code);
	free(m->country);
	free(m->formatted_address);
	free_list(m->regions, m->nregions);
	free(m->url);
	free(m->feedback_url);
	free(m->venmo);
	free(m->paypal);
	free(m->square);
	free(m->updated);
	free(m->fellowship);
	free(m->contacts);
	memset(m, 0, sizeof(*m));
}

void import_batch_free(struct import_batch *batch)
{
	for (size_t i = 0; i < batch->count; i++)
		import_batch_meeting_free(&batch->meetings[i]);
	free(batch->meetings);
	for (size_t i = 0; i < batch->nrejects; i++) {
		free(batch->rejects[i].key);
		free(batch->rejects[i].message);
	}
	free(batch->rejects);
	for (size_t i = 0; i < batch->nwarnings; i++) {
		free(batch->warnings[i].key);
		free(batch->warnings[i].message);
	}
	free(batch->warnings);
	memset(batch, 0, sizeof(*batch));
}
