#include "params.h"

#include "number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int params_number(const char *s, size_t len, double min, double max, double *out)
{
	/* The pattern is the API's spelling, digits capped; number.c reads it. */
	if (!patterns_match(PATTERN_DECIMAL, s, len))
		return -1;
	return number_double(s, len, NUMBER_STRICT, min, max, out);
}

int params_integer(const char *s, size_t len, long long min, long long max, long long *out)
{
	if (!patterns_match(PATTERN_INTEGER, s, len))
		return -1;
	return number_integer(s, len, NUMBER_STRICT, min, max, out);
}

long params_text_length(const char *s, size_t len)
{
	long n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F)
			return -1;
		/* C1 controls, U+0080..U+009F, are C2 80..C2 9F in UTF-8. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F)
			return -1;
		n += (c & 0xC0) != 0x80;
	}
	return n;
}

static const struct param_rule *find_rule(const struct param_rules *rules,
					  const struct query_pair *pair)
{
	for (size_t i = 0; i < rules->n; i++) {
		const struct param_rule *rule = &rules->rule[i];

		if (strlen(rule->name) == pair->key_len &&
		    memcmp(rule->name, pair->key, pair->key_len) == 0)
			return rule;
	}
	return NULL;
}

void params_unknown_value(struct api_error *err, const char *name, const char *s, size_t len,
			  const char *values)
{
	size_t shown = len;

	/* The value is echoed, cut short on a character's boundary. */
	if (shown > PARAM_ECHO_MAX) {
		shown = PARAM_ECHO_MAX;
		while (shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
			shown--;
	}
	api_error_set(err, 400, "invalid_parameter", name,
		      "%s: unknown value '%.*s%s'; the values are %s", name, (int)shown, s,
		      shown < len ? "..." : "", values);
}

/* A closed list's answer to a value it does not hold: the values it does,
 * joined from its choices. */
static void choice_error(const struct param_rule *rule, const char *s, size_t len,
			 struct api_error *err)
{
	char values[sizeof(err->message)];
	size_t n = 0;

	values[0] = '\0';
	for (const char *const *c = rule->choices; *c != NULL; c++) {
		int w = snprintf(values + n, sizeof(values) - n, "%s%s", n ? ", " : "", *c);

		if (w < 0 || (size_t)w >= sizeof(values) - n)
			break;
		n += (size_t)w;
	}
	params_unknown_value(err, rule->name, s, len, values);
}

static int is_choice(const struct param_rule *rule, const char *s, size_t len)
{
	for (const char *const *c = rule->choices; *c != NULL; c++) {
		if (strlen(*c) == len && memcmp(*c, s, len) == 0)
			return 1;
	}
	return 0;
}

/* Whether an item is allowed. A list of choices is closed: an item that is
 * none of them also sets err, which names the choices. */
static int item_allowed(const struct param_rule *rule, const char *s, size_t len,
			struct api_error *err)
{
	if (rule->type == PARAM_TEXT_LIST) {
		long chars = params_text_length(s, len);

		return chars > 0 && (size_t)chars <= rule->max_item_len &&
		       patterns_match(rule->item_pattern, s, len);
	}
	if (rule->choices != NULL) {
		if (is_choice(rule, s, len))
			return 1;
		choice_error(rule, s, len, err);
		return 0;
	}
	return len <= rule->max_item_len && patterns_match(rule->item_pattern, s, len);
}

/* Splits a comma list into list, checking each item. */
static int parse_list(const struct param_rule *rule, const struct query_pair *pair,
		      struct param_list *list, struct api_error *err)
{
	const char *s = pair->value;
	size_t len = pair->value_len, start = 0;

	while (start <= len) {
		const char *comma = memchr(s + start, ',', len - start);
		size_t end = comma ? (size_t)(comma - s) : len;

		if (list->count == PARAM_LIST_MAX || end == start ||
		    !item_allowed(rule, s + start, end - start, err))
			return -1;
		list->items[list->count] = s + start;
		list->lens[list->count] = end - start;
		list->count++;
		start = end + 1;
	}
	list->set = 1;
	return 0;
}

static void value_error(const struct param_rule *rule, struct api_error *err)
{
	switch (rule->type) {
	case PARAM_NUMBER:
		api_error_set(err, 400, "invalid_parameter", rule->name,
			      "%s must be a number from %g to %g", rule->name, rule->min,
			      rule->max);
		break;
	case PARAM_INTEGER:
		api_error_set(err, 400, "invalid_parameter", rule->name,
			      "%s must be a whole number from %g to %g", rule->name, rule->min,
			      rule->max);
		break;
	case PARAM_CHOICE:
		api_error_set(err, 400, "invalid_parameter", rule->name, "%s must be %s",
			      rule->name, rule->describe);
		break;
	case PARAM_TEXT:
		api_error_set(
			err, 400, "invalid_parameter", rule->name,
			"%s must be text of at most %zu characters, without control characters",
			rule->name, rule->max_item_len);
		break;
	default:
		api_error_set(err, 400, "invalid_parameter", rule->name,
			      "%s must be a comma-separated list of at most %d %s", rule->name,
			      PARAM_LIST_MAX, rule->describe);
		break;
	}
}

/* Stores pair's value into params. Returns 0, or -1, having set err only
 * for a value that a closed list does not hold (value_error words the
 * rest). */
static int parse_value(const struct param_rule *rule, const struct query_pair *pair, void *params,
		       struct api_error *err)
{
	char *field = (char *)params + rule->offset;

	switch (rule->type) {
	case PARAM_NUMBER: {
		struct param_number *n = (struct param_number *)field;

		if (params_number(pair->value, pair->value_len, rule->min, rule->max, &n->value))
			return -1;
		n->set = 1;
		return 0;
	}
	case PARAM_INTEGER: {
		struct param_integer *n = (struct param_integer *)field;

		if (params_integer(pair->value, pair->value_len, (long long)rule->min,
				   (long long)rule->max, &n->value))
			return -1;
		n->set = 1;
		return 0;
	}
	case PARAM_LIST:
	case PARAM_TEXT_LIST: return parse_list(rule, pair, (struct param_list *)field, err);
	case PARAM_CHOICE:
		if (memchr(pair->value, ',', pair->value_len) != NULL)
			return -1;
		return parse_list(rule, pair, (struct param_list *)field, err);
	case PARAM_TEXT: {
		struct param_list *text = (struct param_list *)field;
		long chars = params_text_length(pair->value, pair->value_len);

		if (chars < 0 || (size_t)chars > rule->max_item_len)
			return -1;
		text->items[0] = pair->value;
		text->lens[0] = pair->value_len;
		text->count = 1;
		text->set = 1;
		return 0;
	}
	default: return -1;
	}
}

int params_parse(const struct query_string *qs, const struct param_rules *rules, void *params,
		 struct api_error *err)
{
	unsigned long long seen = 0;

	for (size_t i = 0; i < qs->count; i++) {
		const struct query_pair *pair = &qs->pairs[i];
		const struct param_rule *rule = find_rule(rules, pair);
		size_t index;

		if (rule == NULL) {
			api_error_set(err, 400, "unknown_parameter", pair->key,
				      "unknown parameter: %s", pair->key);
			return -1;
		}
		index = (size_t)(rule - rules->rule);
		if (index < 64 && (seen & (1ULL << index))) {
			api_error_set(err, 400, "repeated_parameter", rule->name,
				      "%s may be given only once", rule->name);
			return -1;
		}
		seen |= index < 64 ? 1ULL << index : 0;
		if (pair->value_len == 0) {
			api_error_set(err, 400, "invalid_parameter", rule->name,
				      "%s must not be empty", rule->name);
			return -1;
		}
		err->status = 0;
		if (parse_value(rule, pair, params, err)) {
			if (err->status == 0)
				value_error(rule, err);
			return -1;
		}
	}
	return 0;
}

int params_list_to_array(const struct param_list *list, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap < 3)
		return -1;
	buf[n++] = '{';
	for (size_t i = 0; i < list->count; i++) {
		/* a comma after the first, the quotes, and room for "}" and NUL */
		if (n + (i > 0) + list->lens[i] + 2 + 2 > cap)
			return -1;
		if (i > 0)
			buf[n++] = ',';
		buf[n++] = '"';
		memcpy(buf + n, list->items[i], list->lens[i]);
		n += list->lens[i];
		buf[n++] = '"';
	}
	buf[n++] = '}';
	buf[n] = '\0';
	return 0;
}

const char *params_list_value(const struct param_list *list, char *buf, size_t cap, int *failed)
{
	if (!list->set)
		return NULL;
	if (params_list_to_array(list, buf, cap) != 0)
		*failed = 1;
	return buf;
}

int params_real_date(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return y >= 1900 && y <= 2200 && d <= days[m - 1] + (m == 2 && leap);
}
