#ifndef FINDER_PARAMS_H
#define FINDER_PARAMS_H

#include <stddef.h>

#include "api_error.h"
#include "patterns.h"
#include "query_string.h"

#define PARAM_LIST_MAX 20

struct param_number {
	int set;
	double value;
};

struct param_integer {
	int set;
	long long value;
};

/* A comma list; items point into the query string's buffer, so a list lives
 * no longer than the struct query_string it was parsed from. */
struct param_list {
	int set;
	size_t count;
	const char *items[PARAM_LIST_MAX];
	size_t lens[PARAM_LIST_MAX];
};

enum param_type {
	PARAM_NUMBER,    /* struct param_number, in [min, max] */
	PARAM_INTEGER,   /* struct param_integer, in [min, max] */
	PARAM_LIST,      /* struct param_list, each item matching item_pattern
			  * and at most max_item_len bytes, or one of choices
			  * (a closed list: another value is "unknown", and the
			  * error lists the choices) */
	PARAM_CHOICE,    /* struct param_list of one item: one of choices (closed, as
			  * for PARAM_LIST), or matching item_pattern */
	PARAM_TEXT,      /* struct param_list of one item: free text of at most
			  * max_item_len characters, no control characters */
	PARAM_TEXT_LIST, /* struct param_list: a comma list of free-text items,
			  * each of at most max_item_len characters (not
			  * bytes), no control characters, matching
			  * item_pattern */
	PARAM_TYPE__MAX
};

/* One allowed parameter of a route: its name, type, where its value goes in
 * the route's params struct, and its bounds. */
struct param_rule {
	const char *name;
	enum param_type type;
	size_t offset;
	double min, max;
	enum pattern item_pattern;
	size_t max_item_len;
	const char *const *choices; /* NULL-terminated, or NULL */
	const char *describe;       /* for lists: what an item is */
};

/* A route's allowed parameters: its rule rows and how many there are. */
struct param_rules {
	const struct param_rule *rule;
	size_t n;
};

/* The rules of a whole table of rows. */
#define PARAM_RULES(rows) \
	{ \
		.rule = (rows), .n = sizeof(rows) / sizeof((rows)[0]) \
	}

/*
 * The rule rows, one macro per kind of value, for every route's table. S is
 * the route's params struct (without "struct"), FIELD its member that the
 * value goes to, NAME the parameter's name in the query string; WHAT says
 * what a list's items, or a one-item value, must be, for the 400.
 */
/* S and FIELD go to offsetof() and NAME and the rest to designated
 * initialisers, where parentheses cannot go or change nothing; clang-format
 * would make each two-line row a four-line block. */
/* clang-format off */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
/* A number, or a whole number, in [LO, HI]. */
#define RULE_NUMBER(S, NAME, FIELD, LO, HI) \
	{.name = NAME, .type = PARAM_NUMBER, .offset = offsetof(struct S, FIELD), .min = LO, \
	 .max = HI}
#define RULE_INTEGER(S, NAME, FIELD, LO, HI) \
	{.name = NAME, .type = PARAM_INTEGER, .offset = offsetof(struct S, FIELD), .min = LO, \
	 .max = HI}
/* An open list: items matching PATTERN, of at most MAXLEN bytes. */
#define RULE_LIST(S, NAME, FIELD, PATTERN, MAXLEN, WHAT) \
	{.name = NAME, .type = PARAM_LIST, .offset = offsetof(struct S, FIELD), \
	 .item_pattern = PATTERN, .max_item_len = MAXLEN, .describe = WHAT}
/* A closed list: items from CHOICES. */
#define RULE_LIST_OF(S, NAME, FIELD, CHOICES, WHAT) \
	{.name = NAME, .type = PARAM_LIST, .offset = offsetof(struct S, FIELD), \
	 .choices = CHOICES, .describe = WHAT}
/* One value from CHOICES. */
#define RULE_CHOICE(S, NAME, FIELD, CHOICES, WHAT) \
	{.name = NAME, .type = PARAM_CHOICE, .offset = offsetof(struct S, FIELD), \
	 .choices = CHOICES, .describe = WHAT}
/* One value matching PATTERN, of at most MAXLEN bytes. */
#define RULE_PATTERN(S, NAME, FIELD, PATTERN, MAXLEN, WHAT) \
	{.name = NAME, .type = PARAM_CHOICE, .offset = offsetof(struct S, FIELD), \
	 .item_pattern = PATTERN, .max_item_len = MAXLEN, .describe = WHAT}
/* Free text of at most MAXCHARS characters. */
#define RULE_TEXT(S, NAME, FIELD, MAXCHARS) \
	{.name = NAME, .type = PARAM_TEXT, .offset = offsetof(struct S, FIELD), \
	 .max_item_len = MAXCHARS}
/* A list of free-text items of at most MAXCHARS characters, matching PATTERN. */
#define RULE_TEXT_LIST(S, NAME, FIELD, PATTERN, MAXCHARS, WHAT) \
	{.name = NAME, .type = PARAM_TEXT_LIST, .offset = offsetof(struct S, FIELD), \
	 .item_pattern = PATTERN, .max_item_len = MAXCHARS, .describe = WHAT}
/* NOLINTEND(bugprone-macro-parentheses) */
/* clang-format on */

/*
 * Checks every pair of qs against rules (whole-key compare) and stores typed
 * values into params, which the caller has zeroed. Unknown, repeated and
 * empty parameters and bad values fail. Returns 0, or -1 with err filled
 * (status 400, naming the parameter).
 */
int params_parse(const struct query_string *qs, const struct param_rules *rules, void *params,
		 struct api_error *err);

/* The most bytes of a refused value that an error message repeats. */
#define PARAM_ECHO_MAX 40

/* Fills err with the 400 for a value s[0..len) that parameter name's closed
 * vocabulary does not hold: "name: unknown value 's'; the values are
 * VALUES", values being the vocabulary joined by ", ". */
void params_unknown_value(struct api_error *err, const char *name, const char *s, size_t len,
			  const char *values);

/* The number of characters (code points) in valid UTF-8 s[0..len), or -1
 * if it holds a control character. */
long params_text_length(const char *s, size_t len);

/* A number parameter: the whole of s[0..len) spelled as PATTERN_DECIMAL,
 * read by number_double (number.c) within [min, max]. Returns 0 and sets
 * *out, or -1. */
int params_number(const char *s, size_t len, double min, double max, double *out);

/* As params_number, for whole numbers (PATTERN_INTEGER). */
int params_integer(const char *s, size_t len, long long min, long long max, long long *out);

/* Writes list as a PostgreSQL array literal ({"a","b"}) into buf of size
 * cap. Items must already be validated (no quotes or backslashes). Returns 0,
 * or -1 when it does not fit; PARAM_ARRAY_CAP(n) always fits items of at
 * most n bytes. */
#define PARAM_ARRAY_CAP(max_item_len) (PARAM_LIST_MAX * ((max_item_len) + 3) + 2)
int params_list_to_array(const struct param_list *list, char *buf, size_t cap);

/* Whether s starts with a real date from 1900 to 2200: YYYY-MM-DD, with
 * digits where digits belong (as PATTERN_DATETIME has checked). */
int params_real_date(const char *s);

/* A list filter as an SQL array in buf (params_list_to_array), or NULL (no
 * filter) when the list was not given. Sets *failed if a given list does
 * not fit, which callers' buffer sizes rule out: a filter must never be
 * dropped silently. */
const char *params_list_value(const struct param_list *list, char *buf, size_t cap, int *failed);

#endif
