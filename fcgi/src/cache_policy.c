#include "cache_policy.h"

#include <string.h>

/* The parameters of the searches (meetings, services, their facets) and of
 * places completion that say nothing about where the searcher is. q (and
 * places' q) is free text that may name a town, as the place box does: it
 * is cached like the place box's completions, in memory only. */
static const char *const placeless_keys[] = {
	"attendance",  "beds_available", "category",      "cost",       "country",
	"day",         "fellowship",     "for",           "gender",     "housing_moud",
	"in_progress", "lang",           "limit",         "moud",       "narr_level",
	"now",         "offset",         "open_now",      "population", "q",
	"scope",       "sort",           "starts_within", "time",       "type",
	"tz",
};

static int placeless_key(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof(placeless_keys) / sizeof(placeless_keys[0]); i++)
		if (strlen(placeless_keys[i]) == len && memcmp(placeless_keys[i], key, len) == 0)
			return 1;
	return 0;
}

int cache_policy_placeless(const struct query_string *qs)
{
	for (size_t i = 0; i < qs->count; i++)
		if (!placeless_key(qs->pairs[i].key, qs->pairs[i].key_len))
			return 0;
	return 1;
}

int cache_policy_has(const struct query_string *qs, const char *key)
{
	size_t len = strlen(key);

	for (size_t i = 0; i < qs->count; i++)
		if (qs->pairs[i].key_len == len && memcmp(qs->pairs[i].key, key, len) == 0)
			return 1;
	return 0;
}

int cache_policy_minute_left(time_t now)
{
	/* time_t counts seconds since the epoch, which began on a minute. */
	int past = (int)(now % 60);

	return 60 - (past < 0 ? past + 60 : past);
}
