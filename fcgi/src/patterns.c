#define PCRE2_CODE_UNIT_WIDTH 8
#include "patterns.h"

#include <pcre2.h>
#include <stdio.h>

static const char *const pattern_sources[PATTERN__MAX] = {
	[PATTERN_DECIMAL] = "-?(?:0|[1-9][0-9]{0,15})(?:\\.[0-9]{1,15})?",
	[PATTERN_INTEGER] = "(?:0|[1-9][0-9]{0,17})",
	[PATTERN_SLUG] = "[a-z0-9]+(?:-[a-z0-9]+)*",
	[PATTERN_TYPE_CODE] = "[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*",
	[PATTERN_DAY] = "[0-6]",
	[PATTERN_ID] = "[1-9][0-9]{0,17}",
	[PATTERN_UUID] = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
	[PATTERN_LANGUAGE] = "[a-z]{2}",
	[PATTERN_TIMEZONE] = "[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){0,2}",
	[PATTERN_DATETIME] = ("[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
			      "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
			      "(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])?"),
	[PATTERN_TIME_RANGE] = ("morning|midday|evening|night"
				"|(?:[01][0-9]|2[0-3]):[0-5][0-9]-(?:[01][0-9]|2[0-3]):[0-5][0-9]"),
	/* Bytes, not characters: UTF-8 was checked when the query was decoded,
	 * and C1 controls are refused by params_text_length(). Without quotes and
	 * backslashes a name is written into an SQL array literal as it is. */
	[PATTERN_COUNTRY] = "[A-Z]{2}",
	[PATTERN_PLACE_NAME] = "[^\\x00-\\x1f\\x7f\",\\\\]+",
};

static pcre2_code *compiled[PATTERN__MAX];
static pcre2_match_data *match_data[PATTERN__MAX];

int patterns_init(void)
{
	for (int i = 0; i < PATTERN__MAX; i++) {
		int error;
		PCRE2_SIZE offset;

		compiled[i] = pcre2_compile((PCRE2_SPTR)pattern_sources[i], PCRE2_ZERO_TERMINATED,
					    PCRE2_ANCHORED | PCRE2_ENDANCHORED |
						    PCRE2_NO_AUTO_CAPTURE,
					    &error, &offset, NULL);
		if (compiled[i] == NULL) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(error, msg, sizeof(msg));
			fprintf(stderr, "finder: pattern %d at %zu: %s\n", i, (size_t)offset, msg);
			patterns_free();
			return -1;
		}
		/* JIT is an optimisation only: without it matching still works. */
		(void)pcre2_jit_compile(compiled[i], PCRE2_JIT_COMPLETE);
		match_data[i] = pcre2_match_data_create_from_pattern(compiled[i], NULL);
		if (match_data[i] == NULL) {
			fprintf(stderr, "finder: out of memory compiling patterns\n");
			patterns_free();
			return -1;
		}
	}
	return 0;
}

void patterns_free(void)
{
	for (int i = 0; i < PATTERN__MAX; i++) {
		pcre2_match_data_free(match_data[i]);
		pcre2_code_free(compiled[i]);
		match_data[i] = NULL;
		compiled[i] = NULL;
	}
}

const char *patterns_source(enum pattern p)
{
	return (unsigned)p < PATTERN__MAX ? pattern_sources[p] : NULL;
}

int patterns_match(enum pattern p, const char *s, size_t len)
{
	if ((unsigned)p >= PATTERN__MAX || compiled[p] == NULL)
		return 0;
	return pcre2_match(compiled[p], (PCRE2_SPTR)s, len, 0, 0, match_data[p], NULL) >= 0;
}
