/*
 * Settling what every meeting format shares (import.h): the key and the
 * slug each meeting is stored under, whether its place is approximate,
 * whether it is temporarily closed, how it is attended, and the source's
 * defaults (time zone, fellowship) for what the feed leaves out. Pure:
 * import_db.c applies it to each chunk of meetings before they go to the
 * database, and tests/unit/test_import_settle.c tries it alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "import_norm.h"
#include "utf8.h"

/* The finder's own slug of a meeting, after its source's. */
#define SLUG_MAX 64

/* FNV-1a over the fields that tell a meeting apart, for keys. */
static uint32_t fnv(uint32_t h, const char *s)
{
	if (s == NULL)
		s = "";
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	h ^= 0x1f;
	h *= 16777619u;
	return h;
}

static uint32_t meeting_digest(const struct import_meeting *m)
{
	char when[32];
	uint32_t h = 2166136261u;

	snprintf(when, sizeof(when), "%d/%d", m->day, m->start_min);
	h = fnv(h, when);
	h = fnv(h, m->name);
	h = fnv(h, m->location_name);
	h = fnv(h, m->address ? m->address : m->formatted_address);
	h = fnv(h, m->conference_url);
	return h;
}

/* An open-addressing set of the keys taken so far in the file (copies:
 * the meetings themselves leave in chunks). */
static size_t key_hash(const char *s)
{
	return fnv(2166136261u, s);
}

static int key_taken(const struct import_key_set *set, const char *key)
{
	if (set->cap == 0)
		return 0;
	for (size_t i = key_hash(key) & (set->cap - 1); set->slots[i] != NULL;
	     i = (i + 1) & (set->cap - 1))
		if (strcmp(set->slots[i], key) == 0)
			return 1;
	return 0;
}

static void key_put(char **slots, size_t cap, char *key)
{
	size_t i = key_hash(key) & (cap - 1);

	while (slots[i] != NULL)
		i = (i + 1) & (cap - 1);
	slots[i] = key;
}

static void key_take(struct import_key_set *set, const char *key)
{
	if ((set->count + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 4096;
		char **slots = calloc(cap, sizeof(*slots));

		if (slots == NULL)
			import_batch_out_of_memory();
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i] != NULL)
				key_put(slots, cap, set->slots[i]);
		free(set->slots);
		set->slots = slots;
		set->cap = cap;
	}
	key_put(set->slots, set->cap, import_batch_xstrdup(key));
	set->count++;
}

static void key_set_free(struct import_key_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

void import_settle_keys_free(struct import_keys *taken)
{
	key_set_free(&taken->keys);
	key_set_free(&taken->slugs);
}

/* The number of bytes of s's first `chars` characters (UTF-8), or
 * strlen(s) when it has no more. */
static size_t utf8_prefix(const char *s, size_t chars)
{
	size_t i = 0;

	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars-- == 0)
			break;
	}
	return i;
}

/* base + "-" + suffix, base cut so that the whole is at most `max`
 * characters. */
static char *key_with_suffix(const char *base, const char *suffix, size_t max)
{
	size_t n = utf8_prefix(base, max - strlen(suffix) - 1);
	char *key;

	while (n > 0 && base[n - 1] == '-')
		n--;
	key = import_batch_xmalloc(n + strlen(suffix) + 2);
	snprintf(key, n + strlen(suffix) + 2, "%.*s%s%s", (int)n, base, n > 0 ? "-" : "", suffix);
	return key;
}

/* base + "-" + suffix, or + suffix-2, -3 ... until it is not in `set`. */
static char *key_free(const struct import_key_set *set, const char *base, const char *suffix,
		      size_t max)
{
	char *key = key_with_suffix(base, suffix, max);

	for (int n = 2; key_taken(set, key); n++) {
		char more[32];

		free(key);
		snprintf(more, sizeof(more), "%s-%d", suffix, n);
		key = key_with_suffix(base, more, max);
	}
	return key;
}

/* Why a feed's slug cannot be a key as it is written, or NULL: one with a
 * control character or bytes that are not UTF-8 cannot be published again
 * as it came. */
static const char *key_flaw(const char *key)
{
	if (!utf8_valid(key, strlen(key)))
		return "is not UTF-8";
	for (const char *p = key; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "holds a control character";
	return NULL;
}

/* The key a meeting is stored under: its slug as the feed wrote it,
 * character for character. A slug longer than IMPORT_KEY_MAX is cut and
 * told apart by the digest, one that is used by an earlier row gets the
 * digest after it, and a meeting without a usable slug gets its name's
 * slug and the digest, each with a warning but the last; so keys stay the
 * same from one import to the next when the feed does not change them. */
static char *settle_key(struct import_batch *batch, const struct import_key_set *keys,
			const struct import_meeting *m, const char *suffix)
{
	const char *flaw = m->key ? key_flaw(m->key) : NULL;
	char *base = NULL, *key;

	if (flaw != NULL)
		import_batch_warn(batch, m->row, NULL,
				  "slug %s; the meeting gets a slug of its own", flaw);
	else if (m->key != NULL && import_norm_length(m->key) > IMPORT_KEY_MAX) {
		base = key_with_suffix(m->key, suffix, IMPORT_KEY_MAX);
		import_batch_warn(batch, m->row, m->key,
				  "slug is %zu characters long, more than %d; kept as \"%s\"",
				  import_norm_length(m->key), IMPORT_KEY_MAX, base);
	} else if (m->key != NULL)
		base = import_batch_xstrdup(m->key);
	if (base != NULL && !key_taken(keys, base))
		return base;
	if (base != NULL) {
		import_batch_warn(
			batch, m->row, m->key,
			"slug \"%s\" is used by an earlier row; this one is kept under a slug "
			"of its own",
			base);
		key = key_free(keys, base, suffix, IMPORT_KEY_MAX);
	} else {
		char *from_name = import_norm_slug(m->name ? m->name : "", SLUG_MAX);

		key = key_free(keys, from_name ? from_name : "meeting", suffix, SLUG_MAX);
		free(from_name);
	}
	free(base);
	return key;
}

/* The finder's own slug for a meeting (meetings.slug, after the source's):
 * its key in slug form, at most SLUG_MAX, unique in the feed. For a key
 * that is a slug already it is the key; for others it is what earlier
 * imports made their key, which import_apply() uses to find the meetings
 * they stored. */
static char *settle_slug(const struct import_key_set *slugs, const char *key, const char *suffix)
{
	char *base = import_norm_slug(key, 1024), *slug;

	if (base != NULL && strlen(base) > SLUG_MAX) {
		slug = key_with_suffix(base, suffix, SLUG_MAX);
		free(base);
		base = slug;
	}
	if (base != NULL && !key_taken(slugs, base))
		return base;
	slug = key_free(slugs, base ? base : "meeting", suffix, SLUG_MAX);
	free(base);
	return slug;
}

void import_settle_keys(struct import_batch *batch, struct import_keys *taken)
{
	for (size_t i = 0; i < batch->count; i++) {
		struct import_meeting *m = &batch->meetings[i];
		char suffix[16];
		char *key;

		snprintf(suffix, sizeof(suffix), "%06x", meeting_digest(m) & 0xffffff);
		key = settle_key(batch, &taken->keys, m, suffix);
		free(m->key);
		m->key = key;
		key_take(&taken->keys, key);
		m->slug = settle_slug(&taken->slugs, key, suffix);
		key_take(&taken->slugs, m->slug);
	}
}

int import_settle_has_place(const struct import_meeting *m)
{
	return m->has_point || m->location_name != NULL || m->address != NULL || m->city != NULL ||
	       m->postal_code != NULL || m->formatted_address != NULL;
}

static int has_type(const struct import_meeting *m, const char *code)
{
	for (size_t i = 0; i < m->ntypes; i++)
		if (strcasecmp(m->types[i], code) == 0)
			return 1;
	return 0;
}

/* A place the feed does not say is approximate, and that has no street
 * and no point of its own ("Edmonton, Alberta, Canada", often an online
 * meeting's), is: no one can be sent there. */
static void settle_approximate(struct import_meeting *m)
{
	if (m->approximate == APPROX_UNSAID && import_settle_has_place(m) && m->address == NULL &&
	    !m->has_point)
		m->approximate = APPROX_YES;
}

/* The attendance of a meeting (the Meeting Guide rules: online only with a
 * link or a phone; a place that is only approximate, or temporarily closed
 * (TC), is no place to go), or NULL with the reason when it cannot be
 * attended at all. A TC meeting without a link or a phone is kept at its
 * place, marked closed: out of search, still shown and published. */
static const char *attendance(struct import_meeting *m, const char **why)
{
	int conf = m->conference_url != NULL || m->conference_phone != NULL;
	int place = import_settle_has_place(m);
	int closed = has_type(m, "TC");
	int real_place = place && m->approximate != APPROX_YES && !closed;

	*why = NULL;
	if (m->attendance == ATTEND_INACTIVE && !closed) {
		*why = "the feed marks it inactive";
		return NULL;
	}
	if (closed && !conf) {
		m->closed = place;
		*why = place ? NULL
			     : "its location is temporarily closed (TC) and it has no address, "
			       "online link or phone";
		return place ? "in_person" : NULL;
	}
	switch (m->attendance) {
	case ATTEND_ONLINE:
		if (conf)
			return "online";
		break;
	case ATTEND_HYBRID:
		if (conf && real_place)
			return "hybrid";
		break;
	case ATTEND_IN_PERSON:
		if (place)
			return "in_person";
		break;
	default: break;
	}
	if (conf && real_place)
		return "hybrid";
	if (conf)
		return "online";
	if (place)
		return "in_person";
	*why = "it has no address, no online link and no phone: nowhere to go";
	return NULL;
}

const char *import_settle_attendance(struct import_meeting *m, const char **why)
{
	settle_approximate(m);
	return attendance(m, why);
}

/* ---- The source's defaults --------------------------------------------- */

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void import_settle_names_sort(struct import_names *names)
{
	if (names->count)
		qsort(names->items, names->count, sizeof(*names->items), compare_strings);
}

int import_settle_names_has(const struct import_names *names, const char *s)
{
	return s != NULL && names->count &&
	       bsearch(&s, names->items, names->count, sizeof(*names->items), compare_strings) !=
		       NULL;
}

void import_settle_names_free(struct import_names *names)
{
	for (size_t i = 0; i < names->count; i++)
		free(names->items[i]);
	free(names->items);
	names->items = NULL;
	names->count = 0;
}

void import_settle_batch(struct import_batch *batch, const struct import_source *source,
			 const struct import_names *zones, const struct import_names *fellowships,
			 const char **attendance)
{
	size_t kept = 0;

	for (size_t i = 0; i < batch->count; i++) {
		struct import_meeting *m = &batch->meetings[i];
		const char *why = NULL;
		const char *how;

		if (m->timezone != NULL && !import_settle_names_has(zones, m->timezone)) {
			import_batch_warn(batch, m->row, m->key,
					  "time zone \"%s\" is not known; the source's %s is used",
					  m->timezone, source->timezone);
			free(m->timezone);
			m->timezone = NULL;
		}
		if (m->timezone == NULL)
			m->timezone = import_batch_xstrdup(source->timezone);
		if (m->fellowship != NULL && !import_settle_names_has(fellowships, m->fellowship)) {
			import_batch_reject(batch, m->row, m->key, "fellowship \"%s\" is not known",
					    m->fellowship);
			import_batch_meeting_free(m);
			continue;
		}
		if (m->fellowship == NULL)
			m->fellowship = import_batch_xstrdup(source->fellowship);
		how = import_settle_attendance(m, &why);
		if (how == NULL) {
			import_batch_reject(batch, m->row, m->key, "%s", why);
			import_batch_meeting_free(m);
			continue;
		}
		attendance[kept] = how;
		if (kept != i) {
			batch->meetings[kept] = *m;
			memset(m, 0, sizeof(*m));
		}
		kept++;
	}
	batch->count = kept;
}
