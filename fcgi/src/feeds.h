#ifndef FINDER_FEEDS_H
#define FINDER_FEEDS_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "origin.h"

/* Where and how `finder feeds` writes (feeds.c). */
struct feeds_settings {
	const char *dir;         /* the files' directory (nginx's root for them) */
	char origin[ORIGIN_MAX]; /* PUBLIC_URL, normalised (origin_parse) */
	bool force;              /* write every file, current or not */
	bool quiet;              /* no summary line */
	const char *who;         /* the command, to begin messages with */
};

/*
 * Reads the settings from the environment, as `finder import` does:
 * FINDER_FEEDS_DIR (the directory) and FINDER_PUBLIC_URL (the origin).
 * Returns 1 when both are set and good, 0 when FINDER_FEEDS_DIR is unset or
 * empty (no files to write), -1 when they are not usable (said on stderr).
 */
int feeds_settings_from_env(struct feeds_settings *s, const char *who);

/*
 * Brings the feed files in s->dir up to date with the database on conn, in
 * a read-only transaction of its own (conn must not be in one): each
 * source's file where its meetings changed, and the file of all sources if
 * any did. Returns 0, or -1 (said on stderr). On -1 the files that could
 * no longer be current are removed, so that nginx hands their requests to
 * the handler, which reads the database; changed_source, when not NULL, is
 * a source known to have changed (an import's), whose file goes too.
 */
int feeds_write(PGconn *conn, const struct feeds_settings *s, const char *changed_source);

/* The `finder feeds` command. */
int feeds_main(int argc, char **argv);

#endif
