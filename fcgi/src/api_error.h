#ifndef FINDER_API_ERROR_H
#define FINDER_API_ERROR_H

#include "query_string.h"

/* An error to answer with: the HTTP status, a stable machine-readable code,
 * the parameter it concerns (empty when none) and a sentence for people. */
struct api_error {
	int status;
	const char *code;
	char param[QUERY_KEY_MAX_LEN + 1];
	char message[512]; /* room for a vocabulary's values */
	int retry_after;   /* seconds, for 503; 0 for none */
};

/* Fills err; param may be NULL. */
void api_error_set(struct api_error *err, int status, const char *code, const char *param,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
