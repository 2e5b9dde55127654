#include "feedback.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "patterns.h"
#include "query_string.h"
#include "utf8.h"

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

	if (!utf8_valid(s, len))
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

/* key (valid UTF-8) cut to fit an error's param, at a character's edge,
 * into name; returns name. */
static const char *key_name(const char *key, char name[QUERY_KEY_MAX_LEN + 1])
{
	size_t n = strlen(key);

	if (n > QUERY_KEY_MAX_LEN) {
		n = QUERY_KEY_MAX_LEN;
		while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(name, key, n);
	name[n] = '\0';
	return name;
}

static int bad(struct api_error *err, const char *param, const char *message)
{
	api_error_set(err, 400, "invalid_parameter", param, "%s", message);
	return -1;
}

/*
 * The raw body read for what json-c 0.16 lets through: it keeps the last of
 * two equal keys, takes control characters raw inside a string, and turns a
 * lone surrogate escape into U+FFFD. The scan decodes each string itself
 * (so "\u006bind" is kind), and stops at the first fault. It checks no
 * more of the syntax than it must to find the strings; json-c checks the
 * rest after it.
 */

enum scan_fault {
	SCAN_OK,
	SCAN_SYNTAX,    /* not JSON as far as the scan can tell */
	SCAN_CONTROL,   /* U+0000..U+001F raw inside a string */
	SCAN_SURROGATE, /* \uD800..\uDFFF not as a high-then-low pair */
};

struct scan {
	const char *p, *end;
	/* The top object's keys so far, decoded, each after a two-byte length.
	 * A key takes at least its two quotes, a colon and a value in the body,
	 * so they fit in as many bytes as the body has. */
	unsigned char keys[FEEDBACK_BODY_MAX];
	size_t keys_used;
	char key[FEEDBACK_BODY_MAX + 1]; /* the key being read, or last read */
	size_t key_len;
	char value[FEEDBACK_BODY_MAX + 1]; /* any other string, decoded */
	size_t value_len;
};

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Reads the \u escape at sc->p (past the backslash and u), a pair when it is
 * a high surrogate, into *cp. */
static enum scan_fault scan_unicode(struct scan *sc, unsigned *cp)
{
	unsigned lo;

	if (hex4(sc->p, sc->end, cp) != 0)
		return SCAN_SYNTAX;
	sc->p += 4;
	if (*cp >= 0xDC00 && *cp <= 0xDFFF)
		return SCAN_SURROGATE;
	if (*cp < 0xD800 || *cp > 0xDBFF)
		return SCAN_OK;
	if (sc->end - sc->p < 6 || sc->p[0] != '\\' || sc->p[1] != 'u' ||
	    hex4(sc->p + 2, sc->end, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
		return SCAN_SURROGATE;
	sc->p += 6;
	*cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
	return SCAN_OK;
}

/* Appends cp to out[*n] in UTF-8 (out has room: an escape is longer than
 * what it decodes to). */
static void put_utf8(char *out, size_t *n, unsigned cp)
{
	*n += utf8_encode(cp, out + *n);
}

/* Reads the string whose opening quote sc->p is past, leaving sc->p past
 * its closing one, and decodes it into out (FEEDBACK_BODY_MAX + 1 bytes:
 * no string decodes to more bytes than it takes in the body), *n bytes and
 * a NUL. */
static enum scan_fault scan_string(struct scan *sc, char *out, size_t *n)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t k = 0;

	while (sc->p < sc->end && *sc->p != '"') {
		unsigned char c = (unsigned char)*sc->p++;
		const char *e;
		unsigned cp;
		enum scan_fault f;

		if (c < 0x20)
			return SCAN_CONTROL;
		if (c == '\\') {
			if (sc->p == sc->end)
				return SCAN_SYNTAX;
			c = (unsigned char)*sc->p++;
			if (c == 'u') {
				f = scan_unicode(sc, &cp);
				if (f != SCAN_OK)
					return f;
				put_utf8(out, &k, cp);
				continue;
			}
			for (e = escapes; *e != '\0' && *e != (char)c; e += 2)
				;
			if (*e == '\0')
				return SCAN_SYNTAX;
			c = (unsigned char)e[1];
		}
		out[k++] = (char)c;
	}
	if (sc->p == sc->end)
		return SCAN_SYNTAX;
	sc->p++;
	out[k] = '\0';
	*n = k;
	return SCAN_OK;
}

/* Whether sc->key is one of the top object's keys so far; remembers it when
 * it is not. */
static int seen_key(struct scan *sc)
{
	size_t i = 0;

	while (i < sc->keys_used) {
		size_t n = (size_t)sc->keys[i] << 8 | sc->keys[i + 1];

		if (n == sc->key_len && memcmp(sc->keys + i + 2, sc->key, n) == 0)
			return 1;
		i += 2 + n;
	}
	if (sc->key_len + 2 <= sizeof(sc->keys) - sc->keys_used) {
		sc->keys[sc->keys_used] = (unsigned char)(sc->key_len >> 8);
		sc->keys[sc->keys_used + 1] = (unsigned char)sc->key_len;
		memcpy(sc->keys + sc->keys_used + 2, sc->key, sc->key_len);
		sc->keys_used += 2 + sc->key_len;
	}
	return 0;
}

/* The fault f in a string: in a key when in_key, else under key (empty
 * when there is none). Returns -1 with err set. */
static int scan_refuse(enum scan_fault f, int in_key, const char *key, struct api_error *err)
{
	char name[QUERY_KEY_MAX_LEN + 1];
	const char *param = in_key ? NULL : key_name(key, name);
	const char *what = in_key ? "A key" : key[0] != '\0' ? name : "A string";

	if (f == SCAN_CONTROL)
		api_error_set(err, 400, "invalid_parameter", param,
			      "%s holds a raw control character; JSON needs it escaped.", what);
	else if (f == SCAN_SURROGATE)
		api_error_set(
			err, 400, "invalid_parameter", param,
			"%s holds half a surrogate pair (a \\u escape of U+D800 to U+DFFF alone).",
			what);
	else
		bad(err, NULL, "The body must be one JSON object in UTF-8.");
	return -1;
}

/*
 * Checks the raw body (valid UTF-8) for what json-c would let pass: a key
 * of the top object given twice (400 naming it), a raw control character
 * or a lone surrogate escape in a string (400 naming the top-level key it
 * is under; none when it is in a key itself). Returns 0 or -1 with err set.
 * sc is the caller's (it is large); it owns nothing.
 */
static int scan_body(struct scan *sc, const char *body, size_t len, struct api_error *err)
{
	int depth = 0, top_object = 0, expect_key = 0;

	sc->p = body;
	sc->end = body + len;
	sc->keys_used = 0;
	sc->key[0] = '\0';
	sc->key_len = 0;
	while (sc->p < sc->end) {
		char c = *sc->p++;
		int is_key = depth == 1 && top_object && expect_key;
		enum scan_fault f;

		if (c == '"') {
			f = is_key ? scan_string(sc, sc->key, &sc->key_len)
				   : scan_string(sc, sc->value, &sc->value_len);
			if (f != SCAN_OK)
				return scan_refuse(f, is_key, sc->key, err);
			if (is_key && seen_key(sc)) {
				char name[QUERY_KEY_MAX_LEN + 1];

				api_error_set(err, 400, "duplicate_parameter",
					      key_name(sc->key, name),
					      "%s: the key is given twice.", name);
				return -1;
			}
			expect_key = 0;
		} else if (c == '{' || c == '[') {
			top_object |= depth == 0 && c == '{';
			expect_key = depth == 0 && c == '{';
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',') {
			expect_key = depth == 1;
		}
	}
	return 0;
}

/* The body as one JSON object, or NULL with err set. The whole body must be
 * that object (trailing white space aside), in valid UTF-8. */
static json_object *parse_object(const char *body, size_t len, struct api_error *err)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = NULL;
	size_t end;

	if (tok == NULL) {
		api_error_set(err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
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
	json_object_object_foreach(root, key, value)
	{
		size_t i = 0;

		(void)value;
		while (i < sizeof(known_keys) / sizeof(known_keys[0]) &&
		       strcmp(key, known_keys[i]) != 0)
			i++;
		if (i == sizeof(known_keys) / sizeof(known_keys[0])) {
			char name[QUERY_KEY_MAX_LEN + 1];

			api_error_set(err, 400, "unknown_parameter", key_name(key, name),
				      "%s: unknown key; the keys are kind, id, message and contact",
				      name);
			return -1;
		}
	}
	return 0;
}

static int parse_kind(json_object *root, struct feedback *out, struct api_error *err)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(root, "kind", &v) ||
	    !json_object_is_type(v, json_type_string))
		return bad(err, "kind", "kind must be \"meeting\" or \"service\".");
	s = json_object_get_string(v);
	for (int k = 0; k < FEEDBACK_KIND__MAX; k++) {
		if (strlen(s) == (size_t)json_object_get_string_len(v) &&
		    strcmp(s, kind_names[k]) == 0) {
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
			return bad(err, "id",
				   "id must be a meeting's id, a positive whole number.");
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
		api_error_set(
			err, 400, "invalid_parameter", key,
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
	struct scan *sc; /* 8 KB: on the heap, freed before json-c runs */
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (len > FEEDBACK_BODY_MAX) {
		api_error_set(err, 413, "too_large", NULL, "The request body is too large.");
		return -1;
	}
	if (!utf8_valid(body, len))
		return bad(err, NULL, "The body must be one JSON object in UTF-8.");
	sc = malloc(sizeof(*sc));
	if (sc == NULL) {
		api_error_set(err, 500, "internal_error", NULL,
			      "Something went wrong on our side.");
		return -1;
	}
	rc = scan_body(sc, body, len, err);
	free(sc);
	if (rc != 0)
		return -1;
	rc = -1;
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

/* Skips spaces and tabs. */
static const char *ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads a parameter's value at p, a token or a quoted string, into buf
 * (size bytes; a longer one is cut); returns the end of it, or NULL when a
 * quoted string is not closed. */
static const char *param_value(const char *p, char *buf, size_t size)
{
	size_t n = 0;
	int quoted = *p == '"';

	p += quoted;
	while (*p != '\0' && (quoted ? *p != '"' : *p != ';' && *p != ' ' && *p != '\t')) {
		if (quoted && *p == '\\' && p[1] != '\0')
			p++;
		if (n + 1 < size)
			buf[n++] = *p;
		p++;
	}
	buf[n] = '\0';
	if (quoted && *p++ != '"')
		return NULL;
	return p;
}

/* Refuses the charset cs: named, in printable ASCII only. */
static int bad_charset(const char *cs, struct api_error *err)
{
	char shown[41];
	size_t n = 0;

	for (; cs[n] != '\0' && n < sizeof(shown) - 1; n++)
		shown[n] = cs[n] > 0x20 && cs[n] < 0x7F ? cs[n] : '?';
	shown[n] = '\0';
	api_error_set(err, 415, "unsupported_media_type", NULL,
		      "The charset %s is not supported: send the body in UTF-8 "
		      "(charset=utf-8, or no charset).",
		      shown);
	return -1;
}

int feedback_content_type(const char *content_type, struct api_error *err)
{
	static const char json[] = "application/json";
	const char *p = content_type;
	char value[64];

	if (p == NULL || strncasecmp(p, json, sizeof(json) - 1) != 0)
		goto not_json;
	for (p = ows(p + sizeof(json) - 1); *p != '\0'; p = ows(p)) {
		const char *name;
		size_t name_len;

		if (*p++ != ';')
			goto not_json;
		name = p = ows(p);
		while (*p != '\0' && *p != '=' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		name_len = (size_t)(p - name);
		if (name_len == 0 || *p != '=') /* "; " at the end, or a bare name */
			continue;
		p = param_value(p + 1, value, sizeof(value));
		if (p == NULL)
			goto not_json;
		if (name_len == 7 && strncasecmp(name, "charset", 7) == 0 &&
		    strcasecmp(value, "utf-8") != 0)
			return bad_charset(value, err);
	}
	return 0;
not_json:
	api_error_set(err, 415, "unsupported_media_type", NULL,
		      "The body must be JSON, sent as Content-Type: application/json.");
	return -1;
}
