/*
 * Normalising the values real meeting feeds carry (import_norm.h): free text
 * with HTML in it, times and days in several forms, slugs, phones, links,
 * dates and one-line addresses. Every function takes the value as the feed
 * wrote it and first reduces it to one clean line, so that a pattern sees
 * valid UTF-8 without markup, control characters or stray spaces.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "import_norm.h"
#include "import.h"
#include "number.h"
#include "utf8.h"

#include <limits.h>
#include <math.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum norm_pattern {
	NP_TIME_24,       /* 19:30, 7:30, 19:30:00, 24:00 */
	NP_TIME_12,       /* 7:30 PM, 7pm, 7.30 p.m. */
	NP_DAY_NAME,      /* one capture group per day, Sunday first */
	NP_URL,           /* scheme, host, port, the rest */
	NP_TIMEZONE,      /* America/Argentina/Buenos_Aires */
	NP_DATE_ISO,      /* 2023-08-29[ T]15:56[:59][.123][Z|+02:00] */
	NP_DATE_US,       /* 8/25/2022[ 11:17[:07][ AM]] */
	NP_TAG,           /* an HTML tag or comment; searched for */
	NP_ENTITY,        /* an HTML character reference; searched for */
	NP_REGION_POSTAL, /* CA 92626, Alberta T6E 4E8 */
	NP_POSTAL,        /* 92626, 92626-1234, T6E 4E8 */
	NP_REGION_CODE,   /* CA, AB */
	NP_VENMO,         /* @Group, venmo.com/u/Group */
	NP_PAYPAL,        /* Group, paypal.me/Group */
	NP_CASHTAG,       /* $Group, cash.app/$Group */
	NP__MAX
};

#define WHOLE (PCRE2_ANCHORED | PCRE2_ENDANCHORED)

static const struct {
	const char *text;
	uint32_t options;
} pattern_sources[NP__MAX] = {
	[NP_TIME_24] = {"([01]?[0-9]|2[0-4]):([0-5][0-9])(?::[0-5][0-9](?:\\.[0-9]{1,6})?)?",
			WHOLE},
	[NP_TIME_12] = {"(0?[1-9]|1[0-2])(?:[:.]([0-5][0-9]))?(?::[0-5][0-9])? ?([ap])\\.? ?m\\.?",
			WHOLE | PCRE2_CASELESS},
	[NP_DAY_NAME] = {"(?:(sun(?:days?)?|domingos?|dom|dimanches?|dim)"
			 "|(mon(?:days?)?|lunes|lun|lundis?)"
			 "|(tue(?:s(?:days?)?)?|martes|mar|mardis?)"
			 "|(wed(?:nesdays?)?|mi[eé]rcoles|mi[eé]|mercredis?|mer)"
			 "|(thu(?:r(?:s(?:days?)?)?)?|jueves|jue|jeudis?|jeu)"
			 "|(fri(?:days?)?|viernes|vie|vendredis?|ven)"
			 "|(sat(?:urdays?)?|s[aá]bados?|s[aá]b|samedis?|sam))\\.?",
			 WHOLE | PCRE2_CASELESS | PCRE2_UTF},
	[NP_URL] = {"(?:(https?)://|//)?"
		    "((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+"
		    "[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)"
		    "(?::([0-9]{1,5}))?"
		    "(?:[/?#][^\\x00-\\x20\\x7f\"<>\\\\^`{|}]*)?",
		    WHOLE | PCRE2_CASELESS},
	[NP_TIMEZONE] = {"[A-Za-z][A-Za-z0-9_+-]{0,30}(?:/[A-Za-z0-9_+-]{1,30}){0,2}", WHOLE},
	[NP_DATE_ISO] = {"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
			 "(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\\.[0-9]{1,9})?)?"
			 " ?(Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?)?",
			 WHOLE | PCRE2_CASELESS},
	[NP_DATE_US] = {"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
			"(?:,? ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))? ?(?:([ap])\\.?m\\.?)?)?",
			WHOLE | PCRE2_CASELESS},
	/* Bounded and without '<' inside, so that a search over text full of
	 * unclosed '<' stays linear. */
	[NP_TAG] = {"<(/?)([a-z][a-z0-9]{0,15})(?:[\\s/][^<>]{0,2000})?>|<![^<>]{0,2000}>",
		    PCRE2_CASELESS},
	[NP_ENTITY] = {"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,15}));",
		       0},
	[NP_REGION_POSTAL] = {"([A-Za-z\\x80-\\xff][A-Za-z\\x80-\\xff. ]{0,40}?) "
			      "([0-9]{5}(?:-[0-9]{4})?|[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9])",
			      WHOLE},
	[NP_POSTAL] = {"[0-9]{5}(?:-[0-9]{4})?|[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]", WHOLE},
	[NP_REGION_CODE] = {"[A-Z]{2}", WHOLE},
	[NP_VENMO] = {"(?:(?:https?://)?(?:www\\.|account\\.)?venmo\\.com/(?:u/)?)?@?"
		      "[A-Za-z0-9_-]{1,64}/?",
		      WHOLE | PCRE2_CASELESS},
	[NP_PAYPAL] = {"(?:(?:https?://)?(?:www\\.)?(?:paypal\\.me|paypal\\.com/paypalme)/)?@?"
		       "[A-Za-z0-9_.-]{1,64}/?",
		       WHOLE | PCRE2_CASELESS},
	[NP_CASHTAG] = {"(?:(?:https?://)?(?:www\\.)?cash\\.app/)?\\$?[A-Za-z0-9_-]{1,64}/?",
			WHOLE | PCRE2_CASELESS},
};

/* One match data per pattern, shared: the import runs in one thread. */
static pcre2_code *compiled[NP__MAX];
static pcre2_match_data *match_data[NP__MAX];
static pcre2_match_context *match_context;

static char *xstrndup(const char *s, size_t n)
{
	char *p = import_batch_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int import_norm_init(void)
{
	if (match_context != NULL)
		return 0;
	match_context = pcre2_match_context_create(NULL);
	if (match_context == NULL)
		import_batch_out_of_memory();
	/* The patterns are small; a limit turns any surprise into "no match". */
	pcre2_set_match_limit(match_context, 1000000);
	for (int i = 0; i < NP__MAX; i++) {
		int error;
		PCRE2_SIZE offset;

		compiled[i] = pcre2_compile((PCRE2_SPTR)pattern_sources[i].text,
					    PCRE2_ZERO_TERMINATED, pattern_sources[i].options,
					    &error, &offset, NULL);
		if (compiled[i] == NULL) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(error, msg, sizeof(msg));
			fprintf(stderr, "finder import: pattern %d at %zu: %s\n", i, (size_t)offset,
				msg);
			import_norm_free();
			return -1;
		}
		/* JIT is an optimisation only: without it matching still works. */
		(void)pcre2_jit_compile(compiled[i], PCRE2_JIT_COMPLETE);
		match_data[i] = pcre2_match_data_create_from_pattern(compiled[i], NULL);
		if (match_data[i] == NULL)
			import_batch_out_of_memory();
	}
	return 0;
}

void import_norm_free(void)
{
	for (int i = 0; i < NP__MAX; i++) {
		pcre2_match_data_free(match_data[i]);
		pcre2_code_free(compiled[i]);
		match_data[i] = NULL;
		compiled[i] = NULL;
	}
	pcre2_match_context_free(match_context);
	match_context = NULL;
}

/* Matches p against s[0..len) from `start`: > 0 on a match (then group()
 * reads its captures), <= 0 otherwise or before import_norm_init(). */
static int match(enum norm_pattern p, const char *s, size_t len, size_t start)
{
	if (compiled[p] == NULL)
		return -1;
	return pcre2_match(compiled[p], (PCRE2_SPTR)s, len, start, 0, match_data[p], match_context);
}

/* Capture group g of p's last match: its start and length, or -1 if unset. */
static int group(enum norm_pattern p, int rc, int g, size_t *start, size_t *len)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data[p]);

	if (g >= rc || ov[2 * g] == PCRE2_UNSET)
		return -1;
	*start = ov[2 * g];
	*len = ov[2 * g + 1] - ov[2 * g];
	return 0;
}

/* Group g as a small number (digits only, at most 9 of them), or -1. */
static long group_number(enum norm_pattern p, int rc, int g, const char *s)
{
	size_t at, len;
	long long v;

	if (group(p, rc, g, &at, &len) != 0 || len > 9 ||
	    number_integer(s + at, len, NUMBER_DIGITS, 0, LLONG_MAX, &v) != 0)
		return -1;
	return (long)v;
}

/* ---- Text ---------------------------------------------------------------- */

/* Copies the valid UTF-8 of s[0..len) to out, dropping other bytes and NUL
 * bytes; returns the length written (at most len). */
static size_t keep_valid_utf8(const char *s, size_t len, char *out)
{
	size_t o = 0, n;

	for (size_t i = 0; i < len; i += n) {
		long cp = utf8_decode((const unsigned char *)s + i, len - i, &n);

		if (cp > 0) {
			memcpy(out + o, s + i, n);
			o += n;
		}
	}
	return o;
}

static const char *const break_tags[] = {
	"br", "p",  "div", "li", "tr", "ul", "ol", "table", "hr", "blockquote",
	"h1", "h2", "h3",  "h4", "h5", "h6", "dt", "dd",    NULL,
};

static int is_break_tag(const char *name, size_t len)
{
	for (size_t i = 0; break_tags[i] != NULL; i++) {
		if (strlen(break_tags[i]) == len && strncasecmp(break_tags[i], name, len) == 0)
			return 1;
	}
	return 0;
}

/* Copies in[0..len) to out without HTML tags and comments; tags that end a
 * line or a block become a line break. Returns the length written. */
static size_t strip_tags(const char *in, size_t len, char *out)
{
	size_t at = 0, o = 0, name_at, name_len;
	int rc;

	while (at < len && (rc = match(NP_TAG, in, len, at)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data[NP_TAG]);

		memcpy(out + o, in + at, ov[0] - at);
		o += ov[0] - at;
		if (group(NP_TAG, rc, 2, &name_at, &name_len) == 0 &&
		    is_break_tag(in + name_at, name_len))
			out[o++] = '\n';
		at = ov[1];
	}
	memcpy(out + o, in + at, len - at);
	return o + len - at;
}

static const struct {
	const char *name;
	long cp;
} entities[] = {
	{"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
	{"apos", '\''},     {"nbsp", 0xA0},    {"ndash", 0x2013}, {"mdash", 0x2014},
	{"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
	{"hellip", 0x2026}, {"bull", 0x2022},  {"middot", 0xB7},  {"copy", 0xA9},
	{"reg", 0xAE},      {"trade", 0x2122}, {"deg", 0xB0},     {"laquo", 0xAB},
	{"raquo", 0xBB},    {"iexcl", 0xA1},   {"iquest", 0xBF},  {"euro", 0x20AC},
	{"cent", 0xA2},     {"pound", 0xA3},   {"times", 0xD7},   {"frac12", 0xBD},
	{"shy", 0xAD},      {"aacute", 0xE1},  {"eacute", 0xE9},  {"iacute", 0xED},
	{"oacute", 0xF3},   {"uacute", 0xFA},  {"ntilde", 0xF1},  {"uuml", 0xFC},
	{"Aacute", 0xC1},   {"Eacute", 0xC9},  {"Iacute", 0xCD},  {"Oacute", 0xD3},
	{"Uacute", 0xDA},   {"Ntilde", 0xD1},  {"Uuml", 0xDC},    {"agrave", 0xE0},
	{"egrave", 0xE8},   {"ccedil", 0xE7},  {"acirc", 0xE2},   {"ecirc", 0xEA},
	{"ocirc", 0xF4},    {"auml", 0xE4},    {"ouml", 0xF6},    {"szlig", 0xDF},
};

/* The code point an entity match stands for; 0 to drop it (a code point
 * that cannot be text), -1 to keep it as written (a name not known). */
static long entity_value(const char *in, int rc)
{
	size_t at, len;
	long cp = -1;

	/* A character reference, not a number read from the feed: the pattern
	 * bounds its digits (7, or 6 hex), so strtol cannot overflow here. */
	if (group(NP_ENTITY, rc, 1, &at, &len) == 0) {
		cp = strtol(in + at, NULL, 10);
	} else if (group(NP_ENTITY, rc, 2, &at, &len) == 0) {
		cp = strtol(in + at, NULL, 16);
	} else if (group(NP_ENTITY, rc, 3, &at, &len) == 0) {
		for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
			if (strlen(entities[i].name) == len &&
			    strncmp(entities[i].name, in + at, len) == 0)
				return entities[i].cp;
		}
		return -1;
	}
	if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return cp;
}

/* Copies in[0..len) (NUL-terminated) to out with character references
 * decoded. A reference is never shorter than its UTF-8, so out needs no
 * more room than in. Returns the length written. */
static size_t decode_entities(const char *in, size_t len, char *out)
{
	size_t at = 0, o = 0;
	int rc;

	while (at < len && (rc = match(NP_ENTITY, in, len, at)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data[NP_ENTITY]);
		long cp = entity_value(in, rc);

		memcpy(out + o, in + at, ov[0] - at);
		o += ov[0] - at;
		if (cp < 0) {
			memcpy(out + o, in + ov[0], ov[1] - ov[0]);
			o += ov[1] - ov[0];
		} else if (cp > 0) {
			o += utf8_encode(cp, out + o);
		}
		at = ov[1];
	}
	memcpy(out + o, in + at, len - at);
	return o + len - at;
}

enum char_class { CH_TEXT, CH_SPACE, CH_NEWLINE, CH_DROP };

static enum char_class classify(long cp)
{
	if (cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
	    cp == 0x2029)
		return CH_NEWLINE;
	if (cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000)
		return CH_SPACE;
	/* Controls, zero-width and format characters, bidi overrides. */
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
	    (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x202A && cp <= 0x202E) || cp == 0x2060 ||
	    cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp & 0xFFFE) == 0xFFFE)
		return CH_DROP;
	return CH_TEXT;
}

/* Copies valid UTF-8 in[0..len) to out with spaces collapsed and trimmed on
 * every line, at most one blank line between paragraphs and none at either
 * end; one_line turns line breaks into spaces. Returns the length written. */
static size_t tidy_spaces(const char *in, size_t len, char *out, int one_line)
{
	size_t o = 0, n;
	int newlines = 0;
	int space = 0;

	for (size_t i = 0; i < len; i += n) {
		long cp = utf8_decode((const unsigned char *)in + i, len - i, &n);

		switch (classify(cp)) {
		case CH_NEWLINE:
			if (cp == '\r' && i + 1 < len && in[i + 1] == '\n')
				n = 2;
			if (one_line)
				space = 1;
			else if (o > 0 && newlines < 2)
				newlines++;
			break;
		case CH_SPACE: space = 1; break;
		case CH_DROP: break;
		case CH_TEXT:
			if (o > 0 && newlines > 0) {
				out[o++] = '\n';
				if (newlines > 1)
					out[o++] = '\n';
			} else if (o > 0 && space) {
				out[o++] = ' ';
			}
			newlines = 0;
			space = 0;
			memcpy(out + o, in + i, n);
			o += n;
			break;
		}
	}
	return o;
}

/* Cuts s (of length len) after max characters, then trims what the cut left
 * at its end; returns the new length and sets *cut. */
static size_t cut_chars(char *s, size_t len, size_t max, int *cut)
{
	size_t chars = 0;

	*cut = 0;
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max) {
			*cut = 1;
			len = i;
			while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
				len--;
			break;
		}
	}
	s[len] = '\0';
	return len;
}

static char *norm_any(const char *s, size_t len, size_t max, int *truncated, int one_line)
{
	char *a, *b;
	size_t n;
	int cut;

	if (truncated != NULL)
		*truncated = 0;
	if (s == NULL)
		return NULL;
	a = import_batch_xmalloc(len + 1);
	b = import_batch_xmalloc(len + 1);
	n = keep_valid_utf8(s, len, a);
	a[n] = '\0';
	n = strip_tags(a, n, b);
	b[n] = '\0';
	n = decode_entities(b, n, a);
	n = tidy_spaces(a, n, b, one_line);
	free(a);
	n = cut_chars(b, n, max, &cut);
	if (truncated != NULL)
		*truncated = cut;
	if (n == 0) {
		free(b);
		return NULL;
	}
	return b;
}

char *import_norm_text(const char *s, size_t len, size_t max, int *truncated)
{
	return norm_any(s, len, max, truncated, 0);
}

char *import_norm_line(const char *s, size_t len, size_t max, int *truncated)
{
	return norm_any(s, len, max, truncated, 1);
}

size_t import_norm_length(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* s as one clean line of at most max characters, or NULL when it is empty
 * or longer: the short values below are never cut. */
static char *clean_short(const char *s, size_t max)
{
	int cut;
	char *line;

	if (s == NULL)
		return NULL;
	line = import_norm_line(s, strlen(s), max, &cut);
	if (cut) {
		free(line);
		return NULL;
	}
	return line;
}

/* ---- Times and days ------------------------------------------------------ */

static int time_24(const char *s, size_t len)
{
	int rc = match(NP_TIME_24, s, len, 0);
	long h, m;

	if (rc <= 0)
		return -1;
	h = group_number(NP_TIME_24, rc, 1, s);
	m = group_number(NP_TIME_24, rc, 2, s);
	if (h == 24)
		return m == 0 ? 0 : -1;
	return (int)(h * 60 + m);
}

static int time_12(const char *s, size_t len)
{
	int rc = match(NP_TIME_12, s, len, 0);
	size_t at, n;
	long h, m;

	if (rc <= 0)
		return -1;
	h = group_number(NP_TIME_12, rc, 1, s);
	m = group_number(NP_TIME_12, rc, 2, s);
	if (m < 0)
		m = 0;
	if (group(NP_TIME_12, rc, 3, &at, &n) != 0)
		return -1;
	h %= 12;
	if (s[at] == 'p' || s[at] == 'P')
		h += 12;
	return (int)(h * 60 + m);
}

int import_norm_time(const char *s)
{
	char *line = clean_short(s, 32);
	int minutes = -1;

	if (line == NULL)
		return -1;
	if (strcasecmp(line, "noon") == 0)
		minutes = 12 * 60;
	else if (strcasecmp(line, "midnight") == 0)
		minutes = 0;
	else if ((minutes = time_24(line, strlen(line))) < 0)
		minutes = time_12(line, strlen(line));
	free(line);
	return minutes;
}

int import_norm_day(const char *s)
{
	char *line = clean_short(s, 32);
	int day = -1, rc;

	if (line == NULL)
		return -1;
	if (line[0] >= '0' && line[0] <= '6' && line[1] == '\0') {
		day = line[0] - '0';
	} else if ((rc = match(NP_DAY_NAME, line, strlen(line), 0)) > 0) {
		size_t at, len;

		for (int d = 0; d < 7 && day < 0; d++) {
			if (group(NP_DAY_NAME, rc, d + 1, &at, &len) == 0)
				day = d;
		}
	}
	free(line);
	return day;
}

/* ---- Slugs --------------------------------------------------------------- */

/* ASCII for the Latin letters U+00C0 to U+017F, lower case; "" for the
 * two signs among them (× ÷). */
static const char *const latin_fold[0x180 - 0xC0] = {
	"a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
	"d", "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
	"d", "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
	"a", "a", "a",  "a",  "a", "a", "c",  "c", "c", "c", "c", "c", "c", "c", "d",  "d",
	"d", "d", "e",  "e",  "e", "e", "e",  "e", "e", "e", "e", "e", "g", "g", "g",  "g",
	"g", "g", "g",  "g",  "h", "h", "h",  "h", "i", "i", "i", "i", "i", "i", "i",  "i",
	"i", "i", "ij", "ij", "j", "j", "k",  "k", "k", "l", "l", "l", "l", "l", "l",  "l",
	"l", "l", "l",  "n",  "n", "n", "n",  "n", "n", "n", "n", "n", "o", "o", "o",  "o",
	"o", "o", "oe", "oe", "r", "r", "r",  "r", "r", "r", "s", "s", "s", "s", "s",  "s",
	"s", "s", "t",  "t",  "t", "t", "t",  "t", "u", "u", "u", "u", "u", "u", "u",  "u",
	"u", "u", "u",  "u",  "w", "w", "y",  "y", "y", "z", "z", "z", "z", "z", "z",  "s",
};

/* What code point cp adds to a slug: letters and digits in ASCII, "" for
 * an apostrophe (Women's -> womens), NULL for a separator. */
static const char *slug_part(long cp, char ascii[2])
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z')) {
		ascii[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
		ascii[1] = '\0';
		return ascii;
	}
	if (cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC)
		return "";
	if (cp >= 0xC0 && cp < 0x180 && latin_fold[cp - 0xC0][0])
		return latin_fold[cp - 0xC0];
	return NULL;
}

char *import_norm_slug(const char *s, size_t max)
{
	char *line = s ? import_norm_line(s, strlen(s), SIZE_MAX, NULL) : NULL;
	char *out, ascii[2];
	size_t o = 0, n, len;
	int hyphen = 0;

	if (line == NULL)
		return NULL;
	len = strlen(line);
	out = import_batch_xmalloc(2 * len + 1); /* ß -> ss is the widest fold */
	for (size_t i = 0; i < len; i += n) {
		const char *part = slug_part(utf8_decode((unsigned char *)line + i, len - i, &n),
					     ascii);

		if (part == NULL) {
			hyphen = o > 0;
		} else if (*part) {
			if (hyphen)
				out[o++] = '-';
			hyphen = 0;
			memcpy(out + o, part, strlen(part));
			o += strlen(part);
		}
	}
	free(line);
	if (o > max) {
		size_t cut = max;

		/* Cut at the last hyphen unless the cut already falls on one. */
		if (out[max] != '-') {
			while (cut > 0 && out[cut] != '-')
				cut--;
			if (cut == 0)
				cut = max;
		}
		o = cut;
		while (o > 0 && out[o - 1] == '-')
			o--;
	}
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* ---- Contribution handles ---------------------------------------------- */

static const enum norm_pattern handle_patterns[] = {
	[HANDLE_VENMO] = NP_VENMO,
	[HANDLE_PAYPAL] = NP_PAYPAL,
	[HANDLE_SQUARE] = NP_CASHTAG,
};

char *import_norm_handle(enum norm_handle_kind kind, const char *s)
{
	char *line = clean_short(s, IMPORT_HANDLE_MAX);

	if (line != NULL && match(handle_patterns[kind], line, strlen(line), 0) <= 0) {
		free(line);
		line = NULL;
	}
	return line;
}

/* ---- Phones and links ---------------------------------------------------- */

#define PHONE_MAX 64

/* Keeps the dialable start of a phone: text before the first digit, + * or
 * # is skipped ("Phone: ", "tel:"), spaces, dashes, dots, slashes and brackets
 * inside dropped, and it ends at the first other character, so that a
 * passcode in letters after the meeting id is left for the caller to type.
 * A + is kept at the start and after a pause (",,+123#": a step of the
 * call); elsewhere it starts a second number, which ends the first. */
static size_t phone_dial_string(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	while (*s && strchr("+*#", *s) == NULL && (*s < '0' || *s > '9'))
		s++;
	for (; *s && o + 1 < cap; s++) {
		if ((*s >= '0' && *s <= '9') || *s == ',' || *s == '*' || *s == '#' ||
		    (*s == '+' && (o == 0 || out[o - 1] == ',')))
			out[o++] = *s;
		else if (strchr(" -./()", *s) == NULL)
			break;
	}
	while (o > 0 && out[o - 1] == ',')
		o--;
	out[o] = '\0';
	return o;
}

char *import_norm_phone(const char *s)
{
	char *line = clean_short(s, 256);
	char dial[260];
	size_t len, digits = 0;

	if (line == NULL)
		return NULL;
	len = phone_dial_string(line, dial, sizeof(dial));
	free(line);
	if (len > PHONE_MAX) {
		/* Keep the whole steps that fit: number, meeting id, passcode. */
		len = PHONE_MAX;
		while (len > 0 && dial[len] != ',')
			len--;
		while (len > 0 && dial[len - 1] == ',')
			len--;
		dial[len] = '\0';
	}
	for (size_t i = 0; i < len; i++)
		digits += dial[i] >= '0' && dial[i] <= '9';
	if (digits < 3)
		return NULL;
	return xstrndup(dial, len);
}

#define URL_MAX 2000

char *import_norm_url(const char *s)
{
	char *line = clean_short(s, URL_MAX + 1);
	char *url = NULL;
	size_t len, at, n, host_at, host_len;
	int rc;
	long port;

	if (line == NULL)
		return NULL;
	len = strlen(line);
	rc = match(NP_URL, line, len, 0);
	if (rc <= 0 || group(NP_URL, rc, 2, &host_at, &host_len) != 0)
		goto done;
	port = group_number(NP_URL, rc, 3, line);
	if (group(NP_URL, rc, 3, &at, &n) == 0 && (port <= 0 || port > 65535))
		goto done;
	/* The scheme in lower case ("https" when none), then host onwards. */
	if (group(NP_URL, rc, 1, &at, &n) == 0 && n == 4) {
		n = len - host_at + 7;
		url = import_batch_xmalloc(n + 1);
		snprintf(url, n + 1, "http://%s", line + host_at);
	} else {
		n = len - host_at + 8;
		url = import_batch_xmalloc(n + 1);
		snprintf(url, n + 1, "https://%s", line + host_at);
	}
	if (n > URL_MAX) {
		free(url);
		url = NULL;
	}
done:
	free(line);
	return url;
}

char *import_norm_timezone(const char *s)
{
	char *line = clean_short(s, 64);

	if (line != NULL && match(NP_TIMEZONE, line, strlen(line), 0) <= 0) {
		free(line);
		return NULL;
	}
	return line;
}

/* ---- Numbers and dates --------------------------------------------------- */

int import_norm_number(const char *s, double *out)
{
	char *line = clean_short(s, 48);
	int rc;

	if (line == NULL)
		return -1;
	rc = number_double(line, strlen(line), NUMBER_LOOSE, -HUGE_VAL, HUGE_VAL, out);
	free(line);
	return rc;
}

struct date_time {
	long year, month, day, hour, minute, second;
	long offset_min; /* east of UTC */
};

static int days_in_month(long year, long month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

static int date_time_valid(const struct date_time *t)
{
	return t->year >= 1970 && t->year <= 2999 && t->month >= 1 && t->month <= 12 &&
	       t->day >= 1 && t->day <= days_in_month(t->year, t->month) && t->hour >= 0 &&
	       t->hour <= 23 && t->minute >= 0 && t->minute <= 59 && t->second >= 0 &&
	       t->second <= 59 && t->offset_min > -24 * 60 && t->offset_min < 24 * 60;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
 * civil calendar algorithms). */
static long long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (long long)era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long *y, long *m, long *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (long)(doy - (153 * mp + 2) / 5 + 1);
	*m = (long)(mp < 10 ? mp + 3 : mp - 9);
	*y = (long)(yoe + era * 400 + (*m <= 2));
}

/* The zone of an ISO date ("Z", "+02", "-0530", "+05:30") in minutes. */
static long zone_offset(const char *s, size_t len)
{
	long h, m = 0;

	if (len == 0 || (s[0] != '+' && s[0] != '-'))
		return 0;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	if (len > 3) {
		const char *mm = s[3] == ':' ? s + 4 : s + 3;

		m = (mm[0] - '0') * 10 + (mm[1] - '0');
	}
	return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

static int parse_iso(const char *s, size_t len, struct date_time *t)
{
	int rc = match(NP_DATE_ISO, s, len, 0);
	size_t at, n;

	if (rc <= 0)
		return -1;
	t->year = group_number(NP_DATE_ISO, rc, 1, s);
	t->month = group_number(NP_DATE_ISO, rc, 2, s);
	t->day = group_number(NP_DATE_ISO, rc, 3, s);
	t->hour = group_number(NP_DATE_ISO, rc, 4, s);
	t->minute = group_number(NP_DATE_ISO, rc, 5, s);
	t->second = group_number(NP_DATE_ISO, rc, 6, s);
	if (t->hour < 0)
		t->hour = t->minute = 0;
	if (t->second < 0)
		t->second = 0;
	if (group(NP_DATE_ISO, rc, 7, &at, &n) == 0)
		t->offset_min = zone_offset(s + at, n);
	return 0;
}

static int parse_us(const char *s, size_t len, struct date_time *t)
{
	int rc = match(NP_DATE_US, s, len, 0);
	size_t at, n;

	if (rc <= 0)
		return -1;
	t->month = group_number(NP_DATE_US, rc, 1, s);
	t->day = group_number(NP_DATE_US, rc, 2, s);
	t->year = group_number(NP_DATE_US, rc, 3, s);
	t->hour = group_number(NP_DATE_US, rc, 4, s);
	t->minute = group_number(NP_DATE_US, rc, 5, s);
	t->second = group_number(NP_DATE_US, rc, 6, s);
	if (t->hour < 0)
		t->hour = t->minute = 0;
	if (t->second < 0)
		t->second = 0;
	if (group(NP_DATE_US, rc, 7, &at, &n) == 0) {
		if (t->hour < 1 || t->hour > 12)
			return -1;
		t->hour = t->hour % 12 + (s[at] == 'p' || s[at] == 'P' ? 12 : 0);
	}
	return 0;
}

/* t moved to UTC; -1 when that leaves the years date_time_valid() takes. */
static int to_utc(struct date_time *t)
{
	long long seconds = days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 +
			    t->minute * 60 + t->second - t->offset_min * 60;

	if (seconds < 0)
		return -1;
	civil_from_days(seconds / 86400, &t->year, &t->month, &t->day);
	seconds %= 86400;
	t->hour = (long)(seconds / 3600);
	t->minute = (long)(seconds / 60 % 60);
	t->second = (long)(seconds % 60);
	t->offset_min = 0;
	return date_time_valid(t) ? 0 : -1;
}

int import_norm_updated(const char *s, char out[20])
{
	char *line = clean_short(s, 64);
	struct date_time t = {0};
	char text[64];
	int rc = -1;

	if (line == NULL)
		return -1;
	if ((parse_iso(line, strlen(line), &t) == 0 || parse_us(line, strlen(line), &t) == 0) &&
	    date_time_valid(&t) && to_utc(&t) == 0 &&
	    snprintf(text, sizeof(text), "%04ld-%02ld-%02ld %02ld:%02ld:%02ld", t.year, t.month,
		     t.day, t.hour, t.minute, t.second) == 19) {
		memcpy(out, text, 20);
		rc = 0;
	}
	free(line);
	return rc;
}

/* ---- Addresses ----------------------------------------------------------- */

static const char *const countries[] = {
	"USA",
	"US",
	"U.S.A.",
	"U.S.",
	"United States",
	"United States of America",
	"Canada",
	"Mexico",
	"México",
	"Puerto Rico",
	"United Kingdom",
	"UK",
	"Ireland",
	"Australia",
	"New Zealand",
	"Germany",
	"Deutschland",
	"France",
	"Spain",
	"España",
	"Netherlands",
	"Belgium",
	"Switzerland",
	"Italy",
	"Italia",
	"Portugal",
	"Brazil",
	"Brasil",
	"Argentina",
	"Colombia",
	"Chile",
	"Peru",
	"Perú",
	"Japan",
	"India",
	"South Africa",
	"Philippines",
	NULL,
};

/* States and provinces written out, for addresses that do not use codes. */
static const char *const region_names[] = {
	"Alabama",
	"Alaska",
	"Arizona",
	"Arkansas",
	"California",
	"Colorado",
	"Connecticut",
	"Delaware",
	"District of Columbia",
	"Florida",
	"Georgia",
	"Hawaii",
	"Idaho",
	"Illinois",
	"Indiana",
	"Iowa",
	"Kansas",
	"Kentucky",
	"Louisiana",
	"Maine",
	"Maryland",
	"Massachusetts",
	"Michigan",
	"Minnesota",
	"Mississippi",
	"Missouri",
	"Montana",
	"Nebraska",
	"Nevada",
	"New Hampshire",
	"New Jersey",
	"New Mexico",
	"New York",
	"North Carolina",
	"North Dakota",
	"Ohio",
	"Oklahoma",
	"Oregon",
	"Pennsylvania",
	"Rhode Island",
	"South Carolina",
	"South Dakota",
	"Tennessee",
	"Texas",
	"Utah",
	"Vermont",
	"Virginia",
	"Washington",
	"West Virginia",
	"Wisconsin",
	"Wyoming",
	"Alberta",
	"British Columbia",
	"Manitoba",
	"New Brunswick",
	"Newfoundland and Labrador",
	"Nova Scotia",
	"Ontario",
	"Prince Edward Island",
	"Quebec",
	"Québec",
	"Saskatchewan",
	"Northwest Territories",
	"Nunavut",
	"Yukon",
	"Aguascalientes",
	"Baja California",
	"Baja California Sur",
	"Campeche",
	"Chiapas",
	"Chihuahua",
	"Ciudad de México",
	"Coahuila",
	"Colima",
	"Durango",
	"Guanajuato",
	"Guerrero",
	"Hidalgo",
	"Jalisco",
	"Estado de México",
	"Michoacán",
	"Michoacan",
	"Morelos",
	"Nayarit",
	"Nuevo León",
	"Nuevo Leon",
	"Oaxaca",
	"Puebla",
	"Querétaro",
	"Queretaro",
	"Quintana Roo",
	"San Luis Potosí",
	"San Luis Potosi",
	"Sinaloa",
	"Sonora",
	"Tabasco",
	"Tamaulipas",
	"Tlaxcala",
	"Veracruz",
	"Yucatán",
	"Yucatan",
	"Zacatecas",
	NULL,
};

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		if (strcasecmp(list[i], s) == 0)
			return 1;
	}
	return 0;
}

static int is_region(const char *s)
{
	return match(NP_REGION_CODE, s, strlen(s), 0) > 0 || in_list(region_names, s);
}

#define ADDRESS_PARTS 16

struct address {
	char *parts[ADDRESS_PARTS];
	size_t n; /* parts not yet assigned: parts[0..n) */
	char *street, *city, *region, *postal_code, *country;
};

/* Whether the parts are one address written twice ("Edmonton, Alberta,
 * Canada , Edmonton, Alberta, Canada"), as one real feed has them. */
static int address_repeats(const struct address *a)
{
	size_t half = a->n / 2;

	if (a->n == 0 || a->n % 2 != 0)
		return 0;
	for (size_t i = 0; i < half; i++) {
		if (strcasecmp(a->parts[i], a->parts[half + i]) != 0)
			return 0;
	}
	return 1;
}

/* Splits line on commas into a's parts, trimmed, without empty ones, and
 * keeps one copy of a repeated address. Returns -1 when there are too many
 * parts. */
static int address_parts(char *line, struct address *a)
{
	char *next;

	for (char *p = line; p != NULL; p = next) {
		next = strchr(p, ',');
		if (next != NULL)
			*next++ = '\0';
		p = import_norm_line(p, strlen(p), SIZE_MAX, NULL);
		if (p == NULL)
			continue;
		if (a->n == ADDRESS_PARTS) {
			free(p);
			return -1;
		}
		a->parts[a->n++] = p;
	}
	if (address_repeats(a)) {
		size_t half = a->n / 2;

		while (a->n > half)
			free(a->parts[--a->n]);
	}
	return 0;
}

/* Takes the last unassigned part: the caller owns it. */
static char *take_last(struct address *a)
{
	return a->parts[--a->n];
}

/* "CA 92626" or "Alberta T6E 4E8" as region and postal code; "Springfield
 * IL 62701" gives the city too. */
static int region_postal(struct address *a)
{
	const char *s = a->parts[a->n - 1];
	int rc = match(NP_REGION_POSTAL, s, strlen(s), 0);
	size_t at, len, post_at, post_len;
	char *region, *space;

	if (rc <= 0 || group(NP_REGION_POSTAL, rc, 1, &at, &len) != 0 ||
	    group(NP_REGION_POSTAL, rc, 2, &post_at, &post_len) != 0)
		return -1;
	region = xstrndup(s + at, len);
	a->postal_code = xstrndup(s + post_at, post_len);
	space = strrchr(region, ' ');
	if (space != NULL && !in_list(region_names, region) && is_region(space + 1)) {
		*space = '\0';
		a->city = region;
		a->region = xstrndup(space + 1, strlen(space + 1));
	} else {
		a->region = region;
	}
	free(take_last(a));
	return 0;
}

/* Reads the parts from the end: country, region and postal code, city; the
 * street is what is left. */
static int address_read(struct address *a)
{
	if (a->n > 0 && in_list(countries, a->parts[a->n - 1]))
		a->country = take_last(a);
	if (a->n > 0 && region_postal(a) != 0) {
		if (match(NP_POSTAL, a->parts[a->n - 1], strlen(a->parts[a->n - 1]), 0) > 0)
			a->postal_code = take_last(a);
		if (a->n > 0 && is_region(a->parts[a->n - 1]))
			a->region = take_last(a);
	}
	if (a->country == NULL && a->region == NULL && a->postal_code == NULL)
		return -1;
	if (a->city == NULL && a->n > 0)
		a->city = take_last(a);
	if (a->city == NULL)
		return -1;
	if (a->n > 0) {
		size_t len = 0, o = 0;

		for (size_t i = 0; i < a->n; i++)
			len += strlen(a->parts[i]) + 2;
		a->street = import_batch_xmalloc(len);
		for (size_t i = 0; i < a->n; i++)
			o += (size_t)snprintf(a->street + o, len - o, "%s%s", i ? ", " : "",
					      a->parts[i]);
	}
	return 0;
}

static void address_free(struct address *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->parts[i]);
	free(a->street);
	free(a->city);
	free(a->region);
	free(a->postal_code);
	free(a->country);
}

int import_norm_split_address(const char *s, char **street, char **city, char **region,
			      char **postal_code, char **country)
{
	struct address a = {0};
	char *line = s ? import_norm_line(s, strlen(s), 1000, NULL) : NULL;
	int rc = -1;

	*street = *city = *region = *postal_code = *country = NULL;
	if (line != NULL && address_parts(line, &a) == 0 && address_read(&a) == 0) {
		*street = a.street;
		*city = a.city;
		*region = a.region;
		*postal_code = a.postal_code;
		*country = a.country;
		a.street = a.city = a.region = a.postal_code = a.country = NULL;
		rc = 0;
	}
	address_free(&a);
	free(line);
	return rc;
}
