/*
 * libFuzzer driver for the request parsers: query_string_parse() on the raw
 * bytes, then params_parse() with the meetings route's rules on whatever
 * decoded, then params_list_to_array() on every list; feedback_parse()
 * on the same bytes as a report's body (POST /api/v1/feedback), and
 * feedback_content_type() on them as its Content-Type; and
 * origin_parse() on them as a configured PUBLIC_URL. ASan and UBSan watch
 * for reads past the input, overflows and leaks; the checks below assert
 * what must hold of any accepted input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_meetings.h"
#include "feedback.h"
#include "origin.h"
#include "params.h"
#include "patterns.h"
#include "query_string.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_list(const struct param_list *list)
{
	char buf[PARAM_ARRAY_CAP(40)];

	if (!list->set)
		return;
	if (list->count == 0 || list->count > PARAM_LIST_MAX)
		abort();
	if (params_list_to_array(list, buf, sizeof(buf)) != 0 || buf[0] != '{')
		abort();
}

/* A report's body: accepted, it holds what the checks promise; refused, it
 * is a 400 or a 413, never anything else. */
static void check_feedback(const uint8_t *data, size_t size)
{
	static struct feedback f;
	struct api_error err;

	if (feedback_parse((const char *)data, size, &f, &err) == 0) {
		long n = feedback_text_length(f.message, strlen(f.message), 1);

		if ((f.kind != FEEDBACK_MEETING && f.kind != FEEDBACK_SERVICE) || f.id[0] == '\0' ||
		    n < 1 || n > FEEDBACK_MESSAGE_MAX ||
		    feedback_text_length(f.contact, strlen(f.contact), 0) < 0 ||
		    feedback_text_length(f.contact, strlen(f.contact), 0) > FEEDBACK_CONTACT_MAX)
			abort();
	} else if ((err.status != 400 && err.status != 413) || err.code == NULL ||
		   !utf8_valid(err.param, strlen(err.param)) ||
		   !utf8_valid(err.message, strlen(err.message))) {
		abort();
	}
}

/* The same bytes as a Content-Type (up to a NUL): accepted, it begins
 * application/json; refused, it is a 415. */
static void check_content_type(const uint8_t *data, size_t size)
{
	char *ct = malloc(size + 1);
	struct api_error err;

	if (ct == NULL)
		abort();
	memcpy(ct, data, size);
	ct[size] = '\0';
	if (feedback_content_type(ct, &err) == 0) {
		if (strncasecmp(ct, "application/json", 16) != 0)
			abort();
	} else if (err.status != 415 || err.code == NULL ||
		   !utf8_valid(err.message, strlen(err.message))) {
		abort();
	}
	free(ct);
}

/* An origin, accepted, is http(s)://, then only characters that cannot
 * leave a URL or a JSON string. */
static void check_origin(const uint8_t *data, size_t size)
{
	char out[ORIGIN_MAX];
	size_t n, port_at;

	if (origin_parse((const char *)data, size, out, sizeof(out)) != 0)
		return;
	n = strlen(out);
	if (n >= sizeof(out) ||
	    (strncmp(out, "http://", 7) != 0 && strncmp(out, "https://", 8) != 0) ||
	    strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:/[]") !=
		    n)
		abort();
	(void)origin_host_ok((const char *)data, size, &port_at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct query_string qs;
	char bad_key[QUERY_KEY_MAX_LEN + 1];
	struct meetings_params p;
	struct api_error err;

	if (!ready) {
		if (patterns_init() != 0)
			abort();
		ready = 1;
	}
	if (query_string_parse((const char *)data, size, &qs, bad_key) == QUERY_STRING_OK) {
		for (size_t i = 0; i < qs.count; i++) {
			const struct query_pair *pair = &qs.pairs[i];

			if (pair->key_len == 0 || strlen(pair->key) != pair->key_len ||
			    strlen(pair->value) != pair->value_len ||
			    !utf8_valid(pair->value, pair->value_len))
				abort();
		}
		memset(&p, 0, sizeof(p));
		if (params_parse(&qs, &api_meetings_rules, &p, &err) == 0) {
			if ((p.lat.set && (p.lat.value < -90 || p.lat.value > 90)) ||
			    (p.limit.set && (p.limit.value < 1 || p.limit.value > 100)))
				abort();
			check_list(&p.day);
			check_list(&p.fellowship);
			check_list(&p.type);
			check_list(&p.attendance);
		} else if (err.status != 400 || err.code == NULL) {
			abort();
		}
	} else if (strlen(bad_key) > QUERY_KEY_MAX_LEN) {
		abort();
	}
	query_string_free(&qs);
	check_feedback(data, size);
	check_content_type(data, size);
	check_origin(data, size);
	return 0;
}
