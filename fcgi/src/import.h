/*
 * Meeting imports: the record every format is read into, and the parsers.
 *
 * A parser (import_mg.c for Meeting Guide JSON, import_bmlt.c for BMLT
 * GetSearchResults, import_csv.c for the spreadsheet template) turns a whole
 * file into a list of `struct import_meeting`, one per weekly meeting, with
 * every field already in its normal form: trimmed text without markup, day
 * 0-6 (0 = Sunday), times as minutes after midnight, points in range. A row
 * that cannot be a meeting becomes an `import_batch_reject` with its reason; a
 * problem that does not stop the row (coordinates out of range, an unknown
 * time zone) an `import_batch_warn`. A file that is unusable as a whole (not JSON,
 * an object where the list belongs) makes the parser return -1 with the
 * reason in `batch->error`.
 *
 * import_settle.c then settles what every format shares (stable unique
 * keys, attendance, defaults from the source), import_copy.c writes the
 * rows as COPY lines, import_db.c sends them to PostgreSQL in one
 * transaction, and import_report.c prints the report.
 */
#ifndef FINDER_IMPORT_H
#define FINDER_IMPORT_H

#include <stddef.h>

#include "source.h"

/* The largest file an import reads: a real feed of 2,000 meetings is 1.7 MB,
 * so 100,000 such meetings fit. */
#define IMPORT_MAX_BYTES (128u * 1024 * 1024)
#define IMPORT_NAME_MAX 255
#define IMPORT_TEXT_MAX 4000 /* notes and other free text, in characters */
#define IMPORT_TYPES_MAX 40
/* A feed's slug is kept as written, up to this many characters. */
#define IMPORT_KEY_MAX 255
/* A contribution handle (venmo, paypal, square), as written. */
#define IMPORT_HANDLE_MAX 100

/* IMPORT_HSDS: services, not meetings (import_hsds.h). */
enum import_format { IMPORT_MEETING_GUIDE, IMPORT_BMLT, IMPORT_CSV, IMPORT_HSDS };

/* What a feed says about how to attend; import_settle.c decides the final value. */
enum import_attendance {
	ATTEND_UNSAID = 0, /* decide from the link, phone and address */
	ATTEND_IN_PERSON,
	ATTEND_ONLINE,
	ATTEND_HYBRID,
	ATTEND_INACTIVE, /* the feed lists it but says it is not meeting */
};

/* Whether the place is only near (the Meeting Guide `approximate`). */
enum import_approximate {
	APPROX_UNSAID = 0, /* the feed does not say; import_settle.c decides */
	APPROX_NO,
	APPROX_YES,
};

struct import_meeting {
	int row;    /* 1-based position of the record in the file */
	char *key;  /* the feed's slug or id as text, verbatim; NULL if none */
	char *slug; /* import_settle.c: the finder's own, slug-shaped and unique */
	char *name;
	int day;        /* 0-6, 0 = Sunday; -1 by appointment */
	int start_min;  /* minutes after midnight; -1 by appointment */
	int end_min;    /* -1 when the feed gives none */
	char *timezone; /* IANA name; NULL: the source's default */
	enum import_attendance attendance;
	char **types; /* codes or names as the feed wrote them */
	size_t ntypes;
	char *notes;
	char *group_name;
	char *group_notes;
	char *conference_url;
	char *conference_url_notes;
	char *conference_phone;
	char *conference_phone_notes;
	/* The place. */
	char *location_name;
	char *location_notes;
	char *address; /* street line */
	char *city;
	char *region; /* state or province */
	char *postal_code;
	char *country;
	char *formatted_address; /* the whole address as one line, if given so */
	char **regions;          /* Meeting Guide regions, general to specific */
	size_t nregions;
	int has_point;
	double lat, lng;
	enum import_approximate approximate;
	/* Set by import_settle.c: TC without an online way in, kept out of search. */
	int closed;
	/* Other. */
	char *url;          /* the meeting's page at its source */
	char *feedback_url; /* where its steward takes corrections */
	/* Contribution handles as the group published them (public). */
	char *venmo, *paypal, *square;
	char *updated;    /* UTC "YYYY-MM-DD HH:MM:SS", or NULL */
	char *fellowship; /* a fellowship slug, or NULL: the source's */
	/* Contact details of groups and people: a JSON object as text, or
	 * NULL. Kept, but published only when the source says so. */
	char *contacts;
};

struct import_issue {
	int row;
	char *key; /* the record's slug or name, to find it in the file */
	char *message;
};

/* Meetings a batch holds before it hands them to its flush hook. Few, so
 * that their COPY lines (about 56 KB) fit in the socket's buffer: the
 * database stages a chunk while the parser reads the next, where a chunk
 * of 1,024 (450 KB) kept each side waiting for the other, and a first
 * import of 100,000 meetings spent 2.3 s in its COPY instead of 1.2 s. */
#define IMPORT_FLUSH_AT 128

struct import_batch {
	struct import_meeting *meetings;
	size_t count, cap;
	/* When set, import_batch_add() first calls flush(batch, flush_ctx)
	 * once IMPORT_FLUSH_AT meetings are waiting; the hook takes them (and
	 * sets count to 0), so that import_db.c sends rows to the database while
	 * the parser reads on. A parser must therefore hold no pointer to a
	 * meeting but the last one added. */
	void (*flush)(struct import_batch *batch, void *flush_ctx);
	void *flush_ctx;
	struct import_issue *rejects;
	size_t nrejects, rejects_cap;
	struct import_issue *warnings;
	size_t nwarnings, warnings_cap;
	char error[512]; /* why the whole file is unusable */
};

/* Options a parser may need beyond the file. */
struct import_options {
	const char *formats_json; /* BMLT GetFormats body, or NULL */
	size_t formats_len;
};

/* Parsers: 0 when the file was read (rows may still be rejected), -1 when
 * it is unusable as a whole (batch->error says why). `data` need not end in
 * a NUL byte. */
int import_mg_parse(const char *data, size_t len, const struct import_options *options,
		    struct import_batch *batch);
int import_bmlt_parse(const char *data, size_t len, const struct import_options *options,
		      struct import_batch *batch);
int import_csv_parse(const char *data, size_t len, const struct import_options *options,
		     struct import_batch *batch);

/* Memory for the import (import_batch.c): running out ends the command
 * with status 1, so callers need no error path for it. */
__attribute__((noreturn)) void import_batch_out_of_memory(void);
void *import_batch_xmalloc(size_t n);
char *import_batch_xstrdup(const char *s);
/* items, with room for one more of `size` bytes past `count` (the new room
 * zeroed; grown by doubling). */
void *import_batch_grow(void *items, size_t *cap, size_t count, size_t size);

/* Batch bookkeeping (import_batch.c). */
struct import_meeting *import_batch_add(struct import_batch *batch, int row);
/* Removes the last meeting added (a parser that rejects it after all). */
void import_batch_drop_last(struct import_batch *batch);
void import_batch_reject(struct import_batch *batch, int row, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void import_batch_warn(struct import_batch *batch, int row, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void import_batch_fail(struct import_batch *batch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void import_batch_meeting_free(struct import_meeting *m);
void import_batch_free(struct import_batch *batch);

/* Settling (import_settle.c): what every format shares. */

/* The keys and slugs a file has taken so far (copies: the meetings leave
 * in chunks). Zeroed to start; import_settle_keys_free() releases it. */
struct import_key_set {
	char **slots;
	size_t cap, count;
};
struct import_keys {
	struct import_key_set keys, slugs;
};
void import_settle_keys_free(struct import_keys *taken);

/* Gives each meeting of the batch its key (the feed's slug as written,
 * character for character, unique in the file: a repeated one, one
 * longer than IMPORT_KEY_MAX or one with control characters gets one of
 * its own, with a warning) and its slug (the key in slug form, unique in
 * the file, as earlier imports made their keys), each stable from one
 * import to the next when the feed does not change the meeting. */
void import_settle_keys(struct import_batch *batch, struct import_keys *taken);

/* Whether the meeting gives any place: a point, a name or an address. */
int import_settle_has_place(const struct import_meeting *m);

/* Settles m->approximate (a place with no street and no point of its own
 * is approximate when the feed does not say) and m->closed (TC with no
 * link or phone: kept at its place, out of search), and returns its
 * attendance ("in_person", "online" or "hybrid"), or NULL with the reason
 * in *why when it cannot be attended at all. */
const char *import_settle_attendance(struct import_meeting *m, const char **why);

/* A sorted list of strings: the time zones and fellowships a feed may
 * name (import_db_load_names() fills one). */
struct import_names {
	char **items;
	size_t count;
};
void import_settle_names_sort(struct import_names *names);
int import_settle_names_has(const struct import_names *names, const char *s);
void import_settle_names_free(struct import_names *names);

/* The source's defaults, for meetings that give none. */
struct import_source {
	char *timezone;
	char *fellowship;
};

/* Settles the chunk's meetings in place (after import_settle_keys()): an
 * unknown time zone becomes the source's, with a warning; an unknown
 * fellowship, or a meeting that cannot be attended, is removed from the
 * batch and added to its rejects. attendance[i] (room for batch->count)
 * gets each kept meeting's attendance. */
void import_settle_batch(struct import_batch *batch, const struct import_source *source,
			 const struct import_names *zones, const struct import_names *fellowships,
			 const char **attendance);

/* The `finder import` command (import.c): what its options say. */
struct import_args {
	enum import_format format;
	const char *format_name;
	const char *source;
	const char *name;
	const char *timezone;
	const char *fellowship;
	const char *language;
	const char *contacts_public; /* "true", "false" or NULL */
	const char *feedback_url;    /* "" clears it; NULL keeps it */
	const char *feedback_email;
	struct source_terms terms; /* the data's licence (source.h) */
	const char *formats_path;
	const char *path;
	int max_drop; /* percent of active listings a merge may take away; 0: any */
	int dry_run;
	int json;
	int quiet;
};

int import_main(int argc, char **argv);

#endif
