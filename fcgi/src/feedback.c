#include "feedback.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "patterns.h"
#include "query_string.h"

static const char *const kind_names[FEEDBACK_KIND__MAX] = {
	[FEEDBACK_MEETING] = "meeting",
	[FEEDBACK_SERVICE] = "service",
};

static const char *const known_keys[] = {"kind", "id", "message", "contact"};

const char *feedback_kind_name(enum feedback_kind kind)
{
	return kind < FEEDBACK_KIND__MAX ? kind_names[kind] : "";
}

long feedback_text_length(const char *s, size_t len, int multiline)
{
	long n = 0;

	if (!query_string_valid_utf8((const unsigned char *)s, len))
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7F)
			return -1;
		/* C1 controls, U+0080..U+009F, are C2 80..C2 9F in UTF-8. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F)
			return -1;
		n += (c & 0xC0) != 0x80;
	}
	return n;
}

static int bad(struct api_error *err, const char *param, const char *message)
{
	api_error_set(err, 400, "invalid_parameter", param, "%s", message);
	return -1;
}

/* The body as one JSON object, or NULL with err set. The whole body must be
 * that object (trailing white space aside), in valid UTF-8. */
static json_object *parse_object(const char *body, size_t len, struct api_error *err)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = NULL;
	size_t end;

	if (tok == NULL) {
		api_error_set(err, 500, "internal_error", NULL, "Something went wrong on our side.");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_parse_end(tok);
	while (end < len && strchr(" \t\r\n", body[end]) != NULL && body[end] != '\0')
		end++;
	if (json_tokener_get_error(tok) != json_tokener_success || end != len ||
	    !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		root = NULL;
		bad(err, NULL, "The body must be one JSON object in UTF-8.");
	}
	json_tokener_free(tok);
	return root;
}

static int check_keys(json_object *root, struct api_error *err)
{
	json_object_object_foreach(root, key, value) {
		size_t i = 0;

		(void)value;
		while (i < sizeof(known_keys) / sizeof(known_keys[0]) &&
		       strcmp(key, known_keys[i]) != 0)
			i++;
		if (i == sizeof(known_keys) / sizeof(known_keys[0])) {
			api_error_set(err, 400, "unknown_parameter", key,
				      "%.32s: unknown key; the keys are kind, id, message and contact",
				      key);
			return -1;
		}
	}
	return 0;
}

static int parse_kind(json_object *root, struct feedback *out, struct api_error *err)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(root, "kind", &v) || !json_object_is_type(v, json_type_string))
		return bad(err, "kind", "kind must be \"meeting\" or \"service\".");
	s = json_object_get_string(v);
	for (int k = 0; k < FEEDBACK_KIND__MAX; k++) {
		if (strlen(s) == (size_t)json_object_get_string_len(v) && strcmp(s, kind_names[k]) == 0) {
			out->kind = (enum feedback_kind)k;
			return 0;
		}
	}
	return bad(err, "kind", "kind must be \"meeting\" or \"service\".");
}

/* A meeting's id is a positive JSON integer; a service's, its uuid in lower
 * case as the API gives it. */
static int parse_id(json_object *root, struct feedback *out, struct api_error *err)
{
	json_object *v;

	if (!json_object_object_get_ex(root, "id", &v))
		return bad(err, "id", "id is required.");
	if (out->kind == FEEDBACK_MEETING) {
		int64_t n = json_object_get_int64(v);

		if (!json_object_is_type(v, json_type_int) || n < 1)
			return bad(err, "id", "id must be a meeting's id, a positive whole number.");
		snprintf(out->id, sizeof(out->id), "%lld", (long long)n);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string) ||
	    !patterns_match(PATTERN_UUID, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v)))
		return bad(err, "id", "id must be a service's id, a uuid in lower case.");
	snprintf(out->id, sizeof(out->id), "%s", json_object_get_string(v));
	return 0;
}

/* Copies the string at key into buf (which holds FEEDBACK_BODY_MAX + 1
 * bytes) when it is text of min..max characters; absent (or null) is
 * allowed when min is 0. */
static int parse_text(json_object *root, const char *key, long min, long max, int multiline,
		      char *buf, struct api_error *err)
{
	json_object *v = NULL;
	size_t len;
	long n;

	buf[0] = '\0';
	json_object_object_get_ex(root, key, &v);
	if (v == NULL && min == 0)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		api_error_set(err, 400, "invalid_parameter", key, "%s must be text.", key);
		return -1;
	}
	len = (size_t)json_object_get_string_len(v);
	n = feedback_text_length(json_object_get_string(v), len, multiline);
	if (n < min || n > max || len > FEEDBACK_BODY_MAX) {
		api_error_set(err, 400, "invalid_parameter", key,
			      "%s must be text of %ld to %ld characters, without control characters%s.",
			      key, min, max, multiline ? " but newlines and tabs" : "");
		return -1;
	}
	memcpy(buf, json_object_get_string(v), len);
	buf[len] = '\0';
	return 0;
}

int feedback_parse(const char *body, size_t len, struct feedback *out, struct api_error *err)
{
	json_object *root;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (len > FEEDBACK_BODY_MAX) {
		api_error_set(err, 413, "too_large", NULL, "The request body is too large.");
		return -1;
	}
	root = parse_object(body, len, err);
	if (root == NULL)
		return -1;
	if (check_keys(root, err) == 0 && parse_kind(root, out, err) == 0 &&
	    parse_id(root, out, err) == 0 &&
	    parse_text(root, "message", 1, FEEDBACK_MESSAGE_MAX, 1, out->message, err) == 0 &&
	    parse_text(root, "contact", 0, FEEDBACK_CONTACT_MAX, 0, out->contact, err) == 0)
		rc = 0;
	json_object_put(root);
	return rc;
}
