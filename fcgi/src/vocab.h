#ifndef FINDER_VOCAB_H
#define FINDER_VOCAB_H

#include <json-c/json.h>

#include "api_error.h"
#include "db.h"
#include "params.h"

/*
 * The vocabularies a search's list filters name values of, in the order of
 * sql/queries/vocab_unknown.sql's parameters. Fellowships and meeting types
 * are open (the feeds add to them): a value they do not hold is reported in
 * the answer's "unknown" member. Categories, populations and costs are
 * closed (the finder defines them): such a value is a 400.
 */
enum vocab {
	VOCAB_FELLOWSHIP,
	VOCAB_TYPE,
	VOCAB_CATEGORY,
	VOCAB_POPULATION,
	VOCAB_COST,
	VOCAB__MAX
};

/* The longest item any of the lists allows (the codes' CODE_MAX and
 * FELLOWSHIP_MAX are 40, TYPE_MAX 12). */
#define VOCAB_ITEM_MAX 40

/*
 * Looks up the given values of lists (indexed by enum vocab; NULL or unset
 * entries are not filters) in the database, which holds the vocabularies.
 * No statement runs when no list is given. Returns 0 with *unknown set to a
 * new {"fellowship": [...], "type": [...]} object of the open lists' values
 * that matched nothing, which the caller owns, or to NULL when there are
 * none; or -1 with err set: 400 naming the first closed value that is not
 * known, with the vocabulary's values, or as db_exec fails.
 */
int vocab_check(struct db *db, const struct param_list *const lists[VOCAB__MAX],
		json_object **unknown, struct api_error *err);

#endif
