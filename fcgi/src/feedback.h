#ifndef FINDER_FEEDBACK_H
#define FINDER_FEEDBACK_H

#include <stddef.h>

#include "api_error.h"

/* The limits of a report; sql/migrations/017_feedback.sql holds the same. */
#define FEEDBACK_BODY_MAX 4096    /* bytes of JSON (nginx: client_max_body_size) */
#define FEEDBACK_MESSAGE_MAX 2000 /* characters */
#define FEEDBACK_CONTACT_MAX 200  /* characters */

enum feedback_kind { FEEDBACK_MEETING, FEEDBACK_SERVICE, FEEDBACK_KIND__MAX };

/* A report, checked and typed. The strings are copies (NUL-terminated; a
 * body of FEEDBACK_BODY_MAX bytes cannot hold a longer one), so it owns
 * nothing and needs no freeing. */
struct feedback {
	enum feedback_kind kind;
	char id[40]; /* a meeting's id in decimal, or a service's uuid */
	char message[FEEDBACK_BODY_MAX + 1];
	char contact[FEEDBACK_BODY_MAX + 1]; /* empty when not given */
};

/* "meeting" or "service". */
const char *feedback_kind_name(enum feedback_kind kind);

/*
 * Parses and checks the JSON body of POST /api/v1/feedback, body[0..len):
 * one object with kind, id, message and optionally contact, and no other
 * key. Returns 0 with out filled, or -1 with err set: 413 for a body over
 * FEEDBACK_BODY_MAX, else 400 naming the key at fault (none for a body that
 * is not a JSON object). Whether the id names a record is the caller's to
 * check. Pure: patterns_init() must have run.
 */
int feedback_parse(const char *body, size_t len, struct feedback *out, struct api_error *err);

/*
 * Checks the Content-Type of a report: application/json (any case), with
 * parameters after it allowed, but a charset only when it is utf-8 (any
 * case, quoted or not). Returns 0, or -1 with err set to 415 (naming the
 * charset when that is the fault). content_type may be NULL (absent).
 */
int feedback_content_type(const char *content_type, struct api_error *err);

/* The characters (code points) in valid UTF-8 s[0..len), or -1 when it holds
 * a control character: C0, DEL or C1, except newline and tab when multiline
 * is set. */
long feedback_text_length(const char *s, size_t len, int multiline);

#endif
