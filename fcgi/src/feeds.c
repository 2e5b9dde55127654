/*
 * `finder feeds`: the Meeting Guide feed (GET /api/v1/feeds/meeting-guide.json)
 * written as files that nginx serves, plain and gzipped, byte for byte what
 * the handler writes (api_feed.c): the same statement
 * (sql/queries/feed_declare.sql) through the same cursor.
 *
 * The directory holds:
 *
 *   meeting-guide.json[.gz]   the feed of every source
 *   source/SLUG.json[.gz]     the feed of one source (?source=SLUG)
 *   parts/ID.part             source ID's meetings as the feed of every
 *                             source writes them: a header line (what the
 *                             part was made from, its count, length and
 *                             CRC), then the rows as one deflated piece
 *                             (gzip_join.h)
 *   .lock                     one writer at a time (flock)
 *
 * A run brings them up to date, in one read-only snapshot:
 *
 *   1. every source's fingerprint (sql/queries/feed_parts.sql) against the
 *      one its part was made from
 *   2. each source whose fingerprint moved, or whose files are missing:
 *      its own file, written and renamed into place, and its part, written
 *      under a temporary name
 *   3. if a part changed, the feed of every source made from the parts in
 *      order: the gzip file by joining their deflated pieces, the plain
 *      file by inflating them. A small source's import so costs reading its
 *      own meetings and copying the others' parts, never a million meetings
 *      from the database.
 *   4. the feed of every source renamed into place, then the new parts;
 *      then the files of sources that are gone are removed.
 *
 * So a part on disk is always one that the feed of every source includes:
 * a run cut short leaves parts whose fingerprints the next run finds stale.
 * Every file is written under a temporary name and renamed, so nginx never
 * serves half of one; and each new file's time is later than the one it
 * replaces, so nginx's ETag (time and size) changes with it.
 */
#include "feeds.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_open.h"
#include "gzip_join.h"
#include "queries.h"

#define ALL_NAME "meeting-guide.json"
#define ALL_GZ_NAME "meeting-guide.json.gz"
#define SOURCE_DIR "source"
#define PARTS_DIR "parts"
#define LOCK_NAME ".lock"
#define TMP_PREFIX ".tmp-"
#define PART_SUFFIX ".part"
#define SLUG_MAX 64 /* the longest source= the handler takes (api_feed.c) */
#define NAME_CAP 128
#define TMP_CAP (NAME_CAP + 48) /* TMP_PREFIX, the name, a pid and a count */
#define LEVEL 6
#define OUT_BUF (256 * 1024)
#define FILE_MODE 0644
#define DIR_MODE 0755
#define SLUG_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-"

/* Columns of sql/queries/feed_parts.sql. */
enum { PARTS_ID, PARTS_SLUG, PARTS_TAG, PARTS__MAX };

/* A part's header: "finder-feed-part 1 TAG MEETINGS LENGTH CRC\n" in fixed
 * widths, so that the piece starts at PART_HEADER_LEN and the header can be
 * written last, in place. */
#define PART_MAGIC "finder-feed-part 1 "
#define TAG_LEN 32
#define PART_HEADER_LEN (sizeof(PART_MAGIC) - 1 + TAG_LEN + 1 + 20 + 1 + 20 + 1 + 8 + 1)

struct part_info {
	char tag[TAG_LEN + 1];
	uint64_t meetings;
	uint64_t length; /* bytes of text */
	uLong crc;
};

struct source {
	const char *id, *slug, *tag; /* in the run's list (PGresult) */
	bool servable;               /* the slug can be a file name and a source= */
	bool stale;                  /* its files are written again */
	struct part_info old;        /* the part on disk (all zero when none) */
	struct part_info part;       /* the part the feed of all sources joins */
	char part_tmp[TMP_CAP];      /* a new part's temporary name, or "" */
};

/* A file written under a temporary name in a directory, renamed into place
 * once whole. fd is -1 and tmp "" when there is none. */
struct out_file {
	int dirfd;
	int fd;
	char tmp[TMP_CAP];
	char name[NAME_CAP];
	uint64_t bytes;
	size_t used;
	unsigned char buf[OUT_BUF];
};

/* The large buffers of a run, allocated once. */
struct writer {
	struct out_file plain, gz, part;
	struct gzip_piece piece;
	unsigned char in[OUT_BUF];
};

struct run {
	const struct feeds_settings *s;
	PGconn *conn;
	int dir, source_dir, parts_dir, lock; /* descriptors, -1 when closed */
	bool chown;                           /* root: files go to the directory's owner */
	uid_t uid;
	gid_t gid;
	unsigned counter; /* for temporary names */
	PGresult *list;
	struct source *sources;
	int nsources;
	struct writer *w;
	/* For the summary. */
	int written;
	uint64_t written_meetings, all_meetings, all_bytes, all_gz_bytes;
	bool all_written;
};

static int fail(const struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const struct run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: feed files: ", r->s->who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static int db_fail(const struct run *r, const char *what)
{
	return fail(r, "%s: %s", what, PQerrorMessage(r->conn));
}

/* ---- Files --------------------------------------------------------------- */

static void out_init(struct out_file *f)
{
	f->fd = -1;
	f->tmp[0] = '\0';
}

/* Closes f and removes its temporary file, if any. */
static void out_discard(struct out_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp[0] != '\0')
		unlinkat(f->dirfd, f->tmp, 0);
	out_init(f);
}

/* Creates name's temporary file in dirfd, readable by all (nginx may run
 * as another user) and, as root, owned by the directory's owner (who
 * replaces it next time). */
static int out_open(struct run *r, struct out_file *f, int dirfd, const char *name)
{
	int n;

	out_init(f);
	f->dirfd = dirfd;
	f->used = 0;
	f->bytes = 0;
	n = snprintf(f->name, sizeof(f->name), "%s", name);
	if (n < 0 || (size_t)n >= sizeof(f->name))
		return fail(r, "the name %s is too long", name);
	snprintf(f->tmp, sizeof(f->tmp), TMP_PREFIX "%s-%ld-%u", name, (long)getpid(),
		 r->counter++);
	f->fd = openat(dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FILE_MODE);
	if (f->fd < 0) {
		f->tmp[0] = '\0';
		return fail(r, "creating %s: %s", name, strerror(errno));
	}
	if (fchmod(f->fd, FILE_MODE) != 0 || (r->chown && fchown(f->fd, r->uid, r->gid) != 0)) {
		fail(r, "setting the owner and mode of %s: %s", name, strerror(errno));
		out_discard(f);
		return -1;
	}
	return 0;
}

static int write_fully(int fd, const unsigned char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int out_flush(struct out_file *f)
{
	if (f->used > 0 && write_fully(f->fd, f->buf, f->used) != 0)
		return -1;
	f->used = 0;
	return 0;
}

/* Buffered; the error (a full disk, say) is reported by out_finish or the
 * caller, from errno. */
static int out_write(struct out_file *f, const void *data, size_t len)
{
	if (f->used + len > sizeof(f->buf) && out_flush(f) != 0)
		return -1;
	if (len >= sizeof(f->buf)) {
		if (write_fully(f->fd, data, len) != 0)
			return -1;
	} else {
		memcpy(f->buf + f->used, data, len);
		f->used += len;
	}
	f->bytes += len;
	return 0;
}

static int out_sink(void *ctx, const unsigned char *data, size_t len)
{
	return out_write(ctx, data, len);
}

/* Writes what is buffered, syncs, and dates the file after the one it
 * replaces; closes it. The temporary file stays until out_commit or
 * out_discard. */
static int out_finish(struct run *r, struct out_file *f)
{
	struct stat old, now;

	if (out_flush(f) != 0 || fdatasync(f->fd) != 0 || fstat(f->fd, &now) != 0)
		return fail(r, "writing %s: %s", f->name, strerror(errno));
	if (fstatat(f->dirfd, f->name, &old, 0) == 0 && now.st_mtim.tv_sec <= old.st_mtim.tv_sec) {
		/* nginx's ETag is the time in seconds and the size: a file
		 * rewritten within the second must not keep the old tag. */
		struct timespec times[2] = {{.tv_nsec = UTIME_OMIT},
					    {.tv_sec = old.st_mtim.tv_sec + 1}};

		if (futimens(f->fd, times) != 0)
			return fail(r, "dating %s: %s", f->name, strerror(errno));
	}
	if (close(f->fd) != 0) {
		f->fd = -1;
		return fail(r, "writing %s: %s", f->name, strerror(errno));
	}
	f->fd = -1;
	return 0;
}

static int out_commit(struct run *r, struct out_file *f)
{
	if (renameat(f->dirfd, f->tmp, f->dirfd, f->name) != 0)
		return fail(r, "renaming %s: %s", f->name, strerror(errno));
	f->tmp[0] = '\0';
	return 0;
}

/* Opens (making it if missing) the directory name in at (AT_FDCWD for a
 * path), made as the run's files are: readable by all and, as root, the
 * owner's of the directory the run writes in. */
static int open_dir(struct run *r, int at, const char *name)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(at, name, DIR_MODE) != 0 && errno != EEXIST)
			return fail(r, "making %s: %s", name, strerror(errno));
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 &&
		    (fchmod(fd, DIR_MODE) != 0 || (r->chown && fchown(fd, r->uid, r->gid) != 0))) {
			close(fd);
			return fail(r, "setting the owner and mode of %s: %s", name,
				    strerror(errno));
		}
	}
	if (fd < 0)
		return fail(r, "opening %s: %s", name, strerror(errno));
	return fd;
}

/* A stream over the entries of dirfd, from the first: a descriptor of its
 * own (a dup would share, and move, dirfd's position). NULL on failure. */
static DIR *list_dir(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (d == NULL && fd >= 0)
		close(fd);
	return d;
}

/* Removes what a run cut short left: temporary files (the lock is held, so
 * no other writer's). */
static void remove_leftovers(int dirfd)
{
	DIR *d = list_dir(dirfd);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, TMP_PREFIX, sizeof(TMP_PREFIX) - 1) == 0)
			unlinkat(dirfd, e->d_name, 0);
	closedir(d);
}

static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, 0) == 0;
}

/* ---- Parts ----------------------------------------------------------------- */

/* The value of the n digits at s (base 10 or 16, lower-case), or -1. */
static int digits_value(const char *s, size_t n, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* Parses a part's header, s[0..len). Returns 0, or -1 for anything but a
 * header as part_header_format writes it. */
static int part_header_parse(const char *s, size_t len, struct part_info *p)
{
	const char *at = s + sizeof(PART_MAGIC) - 1;
	uint64_t tag_check, crc;

	if (len != PART_HEADER_LEN || memcmp(s, PART_MAGIC, sizeof(PART_MAGIC) - 1) != 0)
		return -1;
	for (size_t i = 0; i < TAG_LEN; i += 8)
		if (digits_value(at + i, 8, 16, &tag_check) != 0)
			return -1;
	memcpy(p->tag, at, TAG_LEN);
	p->tag[TAG_LEN] = '\0';
	at += TAG_LEN;
	if (at[0] != ' ' || digits_value(at + 1, 20, 10, &p->meetings) != 0 || at[21] != ' ' ||
	    digits_value(at + 22, 20, 10, &p->length) != 0 || at[42] != ' ' ||
	    digits_value(at + 43, 8, 16, &crc) != 0 || at[51] != '\n')
		return -1;
	p->crc = (uLong)crc;
	return 0;
}

static void part_header_format(const struct part_info *p, char out[PART_HEADER_LEN + 1])
{
	snprintf(out, PART_HEADER_LEN + 1, PART_MAGIC "%.32s %020" PRIu64 " %020" PRIu64 " %08lx\n",
		 p->tag, p->meetings, p->length, (unsigned long)p->crc);
}

static void part_name(const struct source *src, char *out, size_t cap)
{
	snprintf(out, cap, "%s" PART_SUFFIX, src->id);
}

/* Reads the header of the part named name; 0, or -1 when there is no
 * readable one. */
static int part_read_header(int parts_dir, const char *name, struct part_info *p)
{
	char header[PART_HEADER_LEN];
	int fd = openat(parts_dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, header, sizeof(header));
	close(fd);
	return n == (ssize_t)sizeof(header) && part_header_parse(header, sizeof(header), p) == 0
		       ? 0
		       : -1;
}

/* ---- The database --------------------------------------------------------- */

typedef int (*row_fn)(struct writer *w, uint64_t row, const char *text, size_t len);

/* Reads what is left of a query's results. */
static void drain_results(PGconn *conn)
{
	PGresult *res;

	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
}

/* The next chunk of the cursor, asked for with PQsendQuery: a result of
 * rows, or NULL (said). */
static PGresult *fetched(struct run *r)
{
	PGresult *res = PQgetResult(r->conn);

	drain_results(r->conn);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	PQclear(res);
	db_fail(r, "reading the feed");
	return NULL;
}

/*
 * Runs the feed's cursor for one source, as the handler does for a request
 * (feed_declare.sql, then feed_fetch.sql until it runs dry), handing each
 * meeting's object to fn. source_keys: slugs as the feed of that source
 * writes them, else as the feed of all sources does. The next chunk is
 * asked for before the one in hand is written, so that the database makes
 * it while this one is compressed.
 */
static int cursor_rows(struct run *r, const char *slug, bool source_keys, row_fn fn, uint64_t *rows)
{
	const char *values[5] = {slug, NULL, NULL, r->s->origin, source_keys ? "true" : "false"};
	PGresult *res = PQexecParams(r->conn, query_feed_declare, QUERY_FEED_DECLARE_NPARAMS, NULL,
				     values, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	if (!ok)
		return db_fail(r, "opening the feed's cursor");
	if (!PQsendQuery(r->conn, query_feed_fetch))
		return db_fail(r, "reading the feed");
	*rows = 0;
	while ((res = fetched(r)) != NULL) {
		int n = PQntuples(res);

		if (n > 0 && !PQsendQuery(r->conn, query_feed_fetch)) {
			PQclear(res);
			return db_fail(r, "reading the feed");
		}
		for (int i = 0; i < n; i++, (*rows)++)
			if (fn(r->w, *rows, PQgetvalue(res, i, 0),
			       (size_t)PQgetlength(res, i, 0)) != 0) {
				PQclear(res);
				drain_results(r->conn);
				return fail(r, "writing the feed of %s: %s", slug, strerror(errno));
			}
		PQclear(res);
		if (n == 0)
			break;
	}
	if (res == NULL)
		return -1;
	res = PQexec(r->conn, "CLOSE feed_cursor");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : db_fail(r, "closing the feed's cursor");
}

/* Reads the sources and their fingerprints, and what is on disk for each. */
static int load_sources(struct run *r)
{
	const char *values[2] = {r->s->origin, query_feed_declare};

	r->list = PQexecParams(r->conn, query_feed_parts, QUERY_FEED_PARTS_NPARAMS, NULL, values,
			       NULL, NULL, 0);
	if (PQresultStatus(r->list) != PGRES_TUPLES_OK)
		return db_fail(r, "reading the sources");
	r->nsources = PQntuples(r->list);
	r->sources = calloc((size_t)r->nsources + 1, sizeof(*r->sources));
	if (r->sources == NULL)
		return fail(r, "out of memory");
	for (int i = 0; i < r->nsources; i++) {
		struct source *src = &r->sources[i];
		char name[NAME_CAP];

		src->id = PQgetvalue(r->list, i, PARTS_ID);
		src->slug = PQgetvalue(r->list, i, PARTS_SLUG);
		src->tag = PQgetvalue(r->list, i, PARTS_TAG);
		/* The database holds slugs to ^[a-z0-9]+(-[a-z0-9]+)*$; longer
		 * than the handler takes, a source has a part but no file. */
		src->servable = strlen(src->slug) <= SLUG_MAX &&
				strspn(src->slug, SLUG_CHARS) == strlen(src->slug);
		part_name(src, name, sizeof(name));
		if (part_read_header(r->parts_dir, name, &src->old) != 0)
			memset(&src->old, 0, sizeof(src->old));
		src->part = src->old;
		src->stale = r->s->force || strcmp(src->old.tag, src->tag) != 0;
		if (src->servable && !src->stale) {
			char gz[NAME_CAP + 8];

			snprintf(name, sizeof(name), "%s.json", src->slug);
			snprintf(gz, sizeof(gz), "%s.json.gz", src->slug);
			src->stale = !exists(r->source_dir, name) || !exists(r->source_dir, gz);
		}
	}
	return 0;
}

/* ---- Writing ---------------------------------------------------------------- */

/* A meeting of a source's own file: to the plain file, and to the piece
 * that fills the gzip file. */
static int source_row(struct writer *w, uint64_t row, const char *text, size_t len)
{
	const char *sep = row == 0 ? "[\n" : ",\n";

	return out_write(&w->plain, sep, 2) != 0 || out_write(&w->plain, text, len) != 0 ||
			       gzip_join_piece_write(&w->piece, sep, 2) != 0 ||
			       gzip_join_piece_write(&w->piece, text, len) != 0
		       ? -1
		       : 0;
}

/* source/SLUG.json and .json.gz: the feed of one source, renamed into place
 * at once. */
static int write_source_file(struct run *r, struct source *src)
{
	struct writer *w = r->w;
	char name[NAME_CAP], gz_name[NAME_CAP + 8];
	unsigned char head[GZIP_HEADER_LEN], end[GZIP_END_LEN];
	const char *close_text;
	uint64_t rows;
	int status = -1;

	snprintf(name, sizeof(name), "%s.json", src->slug);
	snprintf(gz_name, sizeof(gz_name), "%s.json.gz", src->slug);
	gzip_join_header(head);
	if (out_open(r, &w->plain, r->source_dir, name) != 0 ||
	    out_open(r, &w->gz, r->source_dir, gz_name) != 0)
		goto done;
	if (out_write(&w->gz, head, sizeof(head)) != 0 ||
	    gzip_join_piece_deflate(&w->piece, LEVEL, out_sink, &w->gz) != 0) {
		fail(r, "writing %s: %s", gz_name, strerror(errno));
		goto done;
	}
	if (cursor_rows(r, src->slug, true, source_row, &rows) != 0)
		goto done;
	close_text = rows == 0 ? "[]\n" : "\n]\n";
	if (out_write(&w->plain, close_text, 3) != 0 ||
	    gzip_join_piece_write(&w->piece, close_text, 3) != 0 ||
	    gzip_join_piece_end(&w->piece) != 0) {
		fail(r, "writing %s: %s", name, strerror(errno));
		goto done;
	}
	gzip_join_end(end, w->piece.crc, w->piece.length);
	if (out_write(&w->gz, end, sizeof(end)) != 0) {
		fail(r, "writing %s: %s", gz_name, strerror(errno));
		goto done;
	}
	if (out_finish(r, &w->plain) != 0 || out_finish(r, &w->gz) != 0 ||
	    out_commit(r, &w->gz) != 0 || out_commit(r, &w->plain) != 0)
		goto done;
	status = 0;
done:
	gzip_join_piece_free(&w->piece);
	out_discard(&w->plain);
	out_discard(&w->gz);
	return status;
}

/* A meeting of a part: rows joined by ",\n", nothing around them (the
 * feed of all sources adds that). */
static int part_row(struct writer *w, uint64_t row, const char *text, size_t len)
{
	return (row > 0 && gzip_join_piece_write(&w->piece, ",\n", 2) != 0) ||
			       gzip_join_piece_write(&w->piece, text, len) != 0
		       ? -1
		       : 0;
}

/* parts/ID.part under a temporary name (src->part_tmp), renamed only after
 * the feed of all sources that joins it. */
static int write_part(struct run *r, struct source *src)
{
	struct out_file *f = &r->w->part;
	char name[NAME_CAP], header[PART_HEADER_LEN + 1];
	int status = -1;

	part_name(src, name, sizeof(name));
	memset(header, ' ', PART_HEADER_LEN);
	if (out_open(r, f, r->parts_dir, name) != 0)
		return -1;
	if (out_write(f, header, PART_HEADER_LEN) != 0 ||
	    gzip_join_piece_deflate(&r->w->piece, LEVEL, out_sink, f) != 0) {
		fail(r, "writing %s: %s", name, strerror(errno));
		goto done;
	}
	if (cursor_rows(r, src->slug, false, part_row, &src->part.meetings) != 0)
		goto done;
	if (gzip_join_piece_end(&r->w->piece) != 0 || out_flush(f) != 0) {
		fail(r, "writing %s: %s", name, strerror(errno));
		goto done;
	}
	snprintf(src->part.tag, sizeof(src->part.tag), "%s", src->tag);
	src->part.length = r->w->piece.length;
	src->part.crc = r->w->piece.crc;
	part_header_format(&src->part, header);
	if (pwrite(f->fd, header, PART_HEADER_LEN, 0) != (ssize_t)PART_HEADER_LEN) {
		fail(r, "writing %s: %s", name, strerror(errno));
		goto done;
	}
	if (out_finish(r, f) != 0)
		goto done;
	snprintf(src->part_tmp, sizeof(src->part_tmp), "%s", f->tmp);
	f->tmp[0] = '\0'; /* the source holds it now */
	status = 0;
done:
	gzip_join_piece_free(&r->w->piece);
	out_discard(f);
	return status;
}

/* A text of the feed of all sources outside the parts ("[\n", ",\n",
 * "\n]\n"): to the plain file, and deflated as a piece of its own. */
static int all_text(struct run *r, const char *text, uLong *crc, uint64_t *length)
{
	struct writer *w = r->w;

	if (out_write(&w->plain, text, strlen(text)) != 0 ||
	    gzip_join_piece_small(text, strlen(text), LEVEL, out_sink, &w->gz, crc, length) != 0)
		return fail(r, "writing the feed of all sources: %s", strerror(errno));
	return 0;
}

/* One part into the feed of all sources: its piece copied as it is into the
 * gzip file, and inflated into the plain file, checked against its header
 * on the way. */
static int all_part(struct run *r, const struct source *src, uLong *crc, uint64_t *length)
{
	struct writer *w = r->w;
	char name[NAME_CAP];
	const char *path = src->part_tmp;
	int fd, status = -1;
	ssize_t n;

	part_name(src, name, sizeof(name));
	if (path[0] == '\0')
		path = name;
	fd = openat(r->parts_dir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || lseek(fd, (off_t)PART_HEADER_LEN, SEEK_SET) < 0) {
		fail(r, "reading %s: %s", name, strerror(errno));
		goto done;
	}
	if (gzip_join_piece_inflate(&w->piece, out_sink, &w->plain) != 0) {
		fail(r, "out of memory");
		goto done;
	}
	while ((n = read(fd, w->in, sizeof(w->in))) > 0)
		if (out_write(&w->gz, w->in, (size_t)n) != 0 ||
		    gzip_join_piece_write(&w->piece, w->in, (size_t)n) != 0) {
			fail(r, "joining %s: it is damaged, or the disk is full (%s)", name,
			     strerror(errno));
			goto done;
		}
	if (n < 0 || w->piece.length != src->part.length || w->piece.crc != src->part.crc) {
		/* Gone, it is written again on the next run. */
		fail(r, "%s was damaged or unreadable, and is removed", name);
		unlinkat(r->parts_dir, path, 0);
		goto done;
	}
	*crc = gzip_join_crc(*crc, src->part.crc, src->part.length);
	*length += src->part.length;
	status = 0;
done:
	gzip_join_piece_free(&w->piece);
	if (fd >= 0)
		close(fd);
	return status;
}

/* meeting-guide.json and .json.gz from the parts, in the sources' order:
 * what the handler writes for the feed of all sources. */
static int write_all(struct run *r)
{
	struct writer *w = r->w;
	unsigned char head[GZIP_HEADER_LEN], end[GZIP_END_LEN];
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t length = 0, meetings = 0;
	bool first = true;
	int status = -1;

	for (int i = 0; i < r->nsources; i++)
		meetings += r->sources[i].part.meetings;
	gzip_join_header(head);
	if (out_open(r, &w->plain, r->dir, ALL_NAME) != 0 ||
	    out_open(r, &w->gz, r->dir, ALL_GZ_NAME) != 0)
		goto done;
	if (out_write(&w->gz, head, sizeof(head)) != 0 ||
	    all_text(r, meetings == 0 ? "[]\n" : "[\n", &crc, &length) != 0)
		goto done;
	for (int i = 0; i < r->nsources; i++) {
		const struct source *src = &r->sources[i];

		if (src->part.length == 0)
			continue;
		if ((!first && all_text(r, ",\n", &crc, &length) != 0) ||
		    all_part(r, src, &crc, &length) != 0)
			goto done;
		first = false;
	}
	if (meetings > 0 && all_text(r, "\n]\n", &crc, &length) != 0)
		goto done;
	gzip_join_end(end, crc, length);
	if (out_write(&w->gz, end, sizeof(end)) != 0) {
		fail(r, "writing the feed of all sources: %s", strerror(errno));
		goto done;
	}
	r->all_meetings = meetings;
	r->all_bytes = w->plain.bytes;
	r->all_gz_bytes = w->gz.bytes;
	if (out_finish(r, &w->plain) != 0 || out_finish(r, &w->gz) != 0 ||
	    out_commit(r, &w->gz) != 0 || out_commit(r, &w->plain) != 0)
		goto done;
	r->all_written = true;
	status = 0;
done:
	out_discard(&w->plain);
	out_discard(&w->gz);
	return status;
}

/* ---- What is gone ------------------------------------------------------------ */

static const struct source *find_source(const struct run *r, const char *id, const char *slug)
{
	for (int i = 0; i < r->nsources; i++) {
		const struct source *src = &r->sources[i];

		if ((id && strcmp(src->id, id) == 0) ||
		    (slug && src->servable && strcmp(src->slug, slug) == 0))
			return src;
	}
	return NULL;
}

/* Finds the parts of sources that are gone, and removes them when remove
 * is set. Returns whether one of them held meetings (then the feed of all
 * sources must be written without them). */
static bool orphan_parts(struct run *r, bool remove)
{
	DIR *d = list_dir(r->parts_dir);
	struct dirent *e;
	bool held = false;

	if (d == NULL)
		return true; /* unreadable: assume the worst */
	while ((e = readdir(d)) != NULL) {
		char id[NAME_CAP];
		size_t len = strlen(e->d_name), stem;
		struct part_info p;

		if (len <= sizeof(PART_SUFFIX) - 1 || len >= sizeof(id) || e->d_name[0] == '.')
			continue;
		stem = len - (sizeof(PART_SUFFIX) - 1);
		if (strcmp(e->d_name + stem, PART_SUFFIX) != 0)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)stem, e->d_name);
		if (find_source(r, id, NULL) != NULL)
			continue;
		held = held || part_read_header(r->parts_dir, e->d_name, &p) != 0 || p.length > 0;
		if (remove)
			unlinkat(r->parts_dir, e->d_name, 0);
	}
	closedir(d);
	return held;
}

/* The files of sources that are gone (or whose slug no request can name). */
static void orphan_source_files(struct run *r)
{
	DIR *d = list_dir(r->source_dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char slug[NAME_CAP];
		const char *dot = strchr(e->d_name, '.');

		if (dot == NULL || dot == e->d_name || (size_t)(dot - e->d_name) >= sizeof(slug) ||
		    (strcmp(dot, ".json") != 0 && strcmp(dot, ".json.gz") != 0))
			continue;
		snprintf(slug, sizeof(slug), "%.*s", (int)(dot - e->d_name), e->d_name);
		if (find_source(r, NULL, slug) == NULL)
			unlinkat(r->source_dir, e->d_name, 0);
	}
	closedir(d);
}

/* After a failure: the files that may no longer be current go, so that
 * nginx hands their requests to the handler. */
static void remove_stale(struct run *r, const char *changed_source)
{
	bool any = changed_source != NULL;

	for (int i = 0; i < r->nsources; i++) {
		const struct source *src = &r->sources[i];
		char name[NAME_CAP + 8];

		if (!src->stale)
			continue;
		any = true;
		if (!src->servable)
			continue;
		snprintf(name, sizeof(name), "%s.json", src->slug);
		unlinkat(r->source_dir, name, 0);
		snprintf(name, sizeof(name), "%s.json.gz", src->slug);
		unlinkat(r->source_dir, name, 0);
	}
	if (changed_source != NULL && r->source_dir >= 0 && strlen(changed_source) <= SLUG_MAX &&
	    strspn(changed_source, SLUG_CHARS) == strlen(changed_source)) {
		char name[NAME_CAP + 8];

		snprintf(name, sizeof(name), "%s.json", changed_source);
		unlinkat(r->source_dir, name, 0);
		snprintf(name, sizeof(name), "%s.json.gz", changed_source);
		unlinkat(r->source_dir, name, 0);
	}
	if (any && r->dir >= 0) {
		unlinkat(r->dir, ALL_NAME, 0);
		unlinkat(r->dir, ALL_GZ_NAME, 0);
	}
}

/* ---- The run ----------------------------------------------------------------- */

/* The owner of the directory that holds path: 0, or -1. */
static int parent_owner(const char *path, struct stat *st)
{
	char parent[4096];
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 0 && path[len - 1] != '/')
		len--;
	if (len >= sizeof(parent))
		return -1;
	if (len == 0)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)len, path);
	return stat(parent, st);
}

/* The directories and the lock: 0, or -1. */
static int open_dirs(struct run *r)
{
	struct stat st;
	int fd;

	/* As root (make import), what is written belongs to the directory's
	 * owner, the user the stack runs as, who writes the next time; the
	 * directory itself, when it is made here, to its parent's owner. */
	if (parent_owner(r->s->dir, &st) == 0) {
		r->chown = geteuid() == 0 && st.st_uid != 0;
		r->uid = st.st_uid;
		r->gid = st.st_gid;
	}
	if ((r->dir = open_dir(r, AT_FDCWD, r->s->dir)) < 0)
		return -1;
	if (fstat(r->dir, &st) != 0)
		return fail(r, "%s: %s", r->s->dir, strerror(errno));
	r->chown = geteuid() == 0 && st.st_uid != 0;
	r->uid = st.st_uid;
	r->gid = st.st_gid;
	fd = openat(r->dir, LOCK_NAME, O_RDONLY | O_CREAT | O_CLOEXEC, FILE_MODE);
	if (fd < 0)
		return fail(r, "opening %s/%s: %s", r->s->dir, LOCK_NAME, strerror(errno));
	r->lock = fd;
	if (r->chown && fchown(fd, r->uid, r->gid) != 0)
		return fail(r, "setting the owner of %s/%s: %s", r->s->dir, LOCK_NAME,
			    strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (!r->s->quiet)
			fprintf(stderr, "%s: waiting for another writer of the feed files\n",
				r->s->who);
		if (flock(fd, LOCK_EX) != 0)
			return fail(r, "locking %s: %s", r->s->dir, strerror(errno));
	}
	if ((r->source_dir = open_dir(r, r->dir, SOURCE_DIR)) < 0 ||
	    (r->parts_dir = open_dir(r, r->dir, PARTS_DIR)) < 0)
		return -1;
	remove_leftovers(r->dir);
	remove_leftovers(r->source_dir);
	remove_leftovers(r->parts_dir);
	return 0;
}

static int exec_command(struct run *r, const char *sql)
{
	PGresult *res = PQexec(r->conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok ? 0 : db_fail(r, sql);
}

/* Steps 2 to 4 of the header comment, inside the snapshot. */
static int write_files(struct run *r)
{
	bool all_needed = r->s->force || !exists(r->dir, ALL_NAME) ||
			  !exists(r->dir, ALL_GZ_NAME) || orphan_parts(r, false);

	for (int i = 0; i < r->nsources; i++) {
		struct source *src = &r->sources[i];

		if (!src->stale)
			continue;
		if ((src->servable && write_source_file(r, src) != 0) || write_part(r, src) != 0)
			return -1;
		r->written++;
		r->written_meetings += src->part.meetings;
		/* A source with no meetings before or after changes nothing in
		 * the feed of all sources. */
		all_needed = all_needed || src->old.length > 0 || src->part.length > 0;
	}
	if (all_needed && write_all(r) != 0)
		return -1;
	for (int i = 0; i < r->nsources; i++) {
		struct source *src = &r->sources[i];
		char name[NAME_CAP];

		if (src->part_tmp[0] == '\0')
			continue;
		part_name(src, name, sizeof(name));
		if (renameat(r->parts_dir, src->part_tmp, r->parts_dir, name) != 0)
			return fail(r, "renaming %s: %s", name, strerror(errno));
		src->part_tmp[0] = '\0';
	}
	orphan_parts(r, true);
	orphan_source_files(r);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void summary(const struct run *r, double seconds)
{
	if (r->s->quiet)
		return;
	fprintf(stderr, "%s: feed files in %s: %d sources, %d written (%" PRIu64 " meetings)",
		r->s->who, r->s->dir, r->nsources, r->written, r->written_meetings);
	if (r->all_written)
		fprintf(stderr, "; all sources: %" PRIu64 " meetings, %.1f MB, %.1f MB gzipped",
			r->all_meetings, (double)r->all_bytes / 1e6, (double)r->all_gz_bytes / 1e6);
	fprintf(stderr, "; %.2f s\n", seconds);
}

static void run_free(struct run *r)
{
	if (r->w != NULL) {
		gzip_join_piece_free(&r->w->piece);
		out_discard(&r->w->plain);
		out_discard(&r->w->gz);
		out_discard(&r->w->part);
	}
	for (int i = 0; r->sources != NULL && i < r->nsources; i++)
		if (r->sources[i].part_tmp[0] != '\0')
			unlinkat(r->parts_dir, r->sources[i].part_tmp, 0);
	free(r->w);
	free(r->sources);
	PQclear(r->list);
	if (r->source_dir >= 0)
		close(r->source_dir);
	if (r->parts_dir >= 0)
		close(r->parts_dir);
	if (r->dir >= 0)
		close(r->dir);
	if (r->lock >= 0)
		close(r->lock); /* and with it the lock */
}

int feeds_write(PGconn *conn, const struct feeds_settings *s, const char *changed_source)
{
	struct run r = {
		.s = s, .conn = conn, .dir = -1, .source_dir = -1, .parts_dir = -1, .lock = -1};
	struct timespec t0;
	int status = -1, in_transaction = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r.w = calloc(1, sizeof(*r.w));
	if (r.w == NULL) {
		fail(&r, "out of memory");
		goto done;
	}
	out_init(&r.w->plain);
	out_init(&r.w->gz);
	out_init(&r.w->part);
	if (open_dirs(&r) != 0)
		goto done;
	/* One snapshot for the fingerprints and every file. */
	if (exec_command(&r, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != 0)
		goto done;
	in_transaction = 1;
	if (exec_command(&r, "SET LOCAL jit = off") != 0 || load_sources(&r) != 0 ||
	    write_files(&r) != 0)
		goto done;
	in_transaction = 0;
	if (exec_command(&r, "COMMIT") != 0)
		goto done;
	status = 0;
	summary(&r, seconds_since(&t0));
done:
	if (in_transaction)
		PQclear(PQexec(conn, "ROLLBACK"));
	if (status != 0)
		remove_stale(&r, changed_source);
	run_free(&r);
	return status;
}

/* ---- Settings and the command -------------------------------------------------- */

static int set_origin(struct feeds_settings *s, const char *url, const char *what)
{
	if (url == NULL || *url == '\0') {
		fprintf(stderr,
			"%s: %s is not set: the origin of the meetings' urls, such as "
			"https://finder.example.org\n",
			s->who, what);
		return -1;
	}
	if (origin_parse(url, strlen(url), s->origin, sizeof(s->origin)) != 0) {
		fprintf(stderr,
			"%s: %s must be http:// or https://, a host name or address and an "
			"optional port, nothing more (such as https://finder.example.org), not "
			"\"%s\"\n",
			s->who, what, url);
		return -1;
	}
	return 0;
}

int feeds_settings_from_env(struct feeds_settings *s, const char *who)
{
	const char *dir = getenv("FINDER_FEEDS_DIR");

	memset(s, 0, sizeof(*s));
	s->who = who;
	if (dir == NULL || *dir == '\0')
		return 0;
	s->dir = dir;
	return set_origin(s, getenv("FINDER_PUBLIC_URL"), "FINDER_PUBLIC_URL") == 0 ? 1 : -1;
}

static int usage(FILE *out)
{
	fputs("usage: finder feeds [--out DIR] [--public-url URL] [--force] [--quiet]\n"
	      "\n"
	      "Writes the Meeting Guide feed as files for nginx to serve, plain and\n"
	      "gzipped: DIR/meeting-guide.json (every source) and\n"
	      "DIR/source/SLUG.json (one source), byte for byte what\n"
	      "GET /api/v1/feeds/meeting-guide.json answers. Only the sources whose\n"
	      "meetings changed since the last run are read again.\n"
	      "\n"
	      "  --out DIR         where the files go (default FINDER_FEEDS_DIR)\n"
	      "  --public-url URL  the finder's origin, which meetings without a page at\n"
	      "                    their source link to (default FINDER_PUBLIC_URL)\n"
	      "  --force           write every file again\n"
	      "  --quiet           no summary\n"
	      "\n"
	      "The database is FINDER_DATABASE (default \"dbname=finder user=finder_reader\").\n",
	      out);
	return out == stdout ? 0 : 2;
}

/* Fills s from the options and the environment: 0, 1 (help shown) or 2. */
static int parse_args(int argc, char **argv, struct feeds_settings *s)
{
	static const struct option long_options[] = {
		{"out", required_argument, NULL, 'o'}, {"public-url", required_argument, NULL, 'u'},
		{"force", no_argument, NULL, 'f'},     {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
	};
	const char *url = getenv("FINDER_PUBLIC_URL");
	int c;

	memset(s, 0, sizeof(*s));
	s->who = "finder feeds";
	s->dir = getenv("FINDER_FEEDS_DIR");
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case 'o': s->dir = optarg; break;
		case 'u': url = optarg; break;
		case 'f': s->force = true; break;
		case 'q': s->quiet = true; break;
		case 'h': return usage(stdout) == 0 ? 1 : 2;
		default: return usage(stderr);
		}
	}
	if (optind != argc || s->dir == NULL || *s->dir == '\0') {
		fputs("finder feeds: give --out DIR (or FINDER_FEEDS_DIR), and nothing else\n",
		      stderr);
		return usage(stderr);
	}
	return set_origin(s, url, "--public-url (or FINDER_PUBLIC_URL)") == 0 ? 0 : 2;
}

int feeds_main(int argc, char **argv)
{
	struct feeds_settings s;
	PGconn *conn;
	int rc = parse_args(argc, argv, &s), status;

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	conn = db_open("finder feeds", DB_OPEN_READER);
	if (conn == NULL)
		return 1;
	status = feeds_write(conn, &s, NULL) == 0 ? 0 : 1;
	PQfinish(conn);
	return status;
}
