-- The services searches' filters, as conjuncts of a WHERE over hsds.service
-- s, spliced into every sql/queries/services_*.sql search at its
-- `-- @include services_filter` line by scripts/sqlinc.sh. Each search, near
-- a point or anywhere, filters alike and numbers the filters alike, first
-- and in the order of the @params line below: the slots SP_CATEGORY to
-- SP_HOUSING_MOUD of enum services_param in fcgi/src/db.h; a statement's
-- own parameters follow. NULL is no filter. The filters on other tables
-- (national, and the recovery residences') are a fragment of their own, in
-- two forms spliced in after this one: services_related.sql (a look-up by
-- key for each candidate: near a point) and services_related_ids.sql (the
-- ids read whole, then the services by id: anywhere).
--
-- A new filter: its name at the end of the @params line (and its slot
-- before SP_FILTERS__MAX in db.h), its condition here, its rule row (and
-- its field) in api_services.c with the line of build_filters that fills
-- its slot, its parameter in web/openapi.json. db.c checks at build time
-- that each statement's count is its enum's (scripts/sql2c.sh counts the
-- names).
--
-- category, population, language, cost: codes text[] (each: any of); moud:
-- welcomes MOUD boolean; open_now boolean (the service's hours,
-- hsds.open_at, the GiST index on hours_utc first finding those that may
-- be open at that minute); keywords: web search syntax (all words, "quoted
-- phrases"); tz: the searcher's zone (reads a now without an offset); now:
-- ISO 8601 (NULL: the clock); national: text (see services_related.sql);
-- the recovery residences' (hsds.recovery_housing): narr_level
-- smallint[] (any of), gender text[] (any of), beds_available boolean
-- (beds_available > 0), housing_moud: residents may take MOUD boolean
-- (moud_allowed); age: a person's age in years integer (the services
-- whose minimum_age and maximum_age, HSDS eligibility, take it; either
-- open).
-- @params category population language cost moud open_now keywords tz now national narr_level gender beds_available housing_moud age
AND ($category::text[] IS NULL OR s.category_codes && $category)
AND ($population::text[] IS NULL OR s.population_codes && $population)
AND ($language::text[] IS NULL OR s.language_codes && $language)
AND ($cost::text[] IS NULL OR s.cost_codes && $cost)
AND ($moud::boolean IS NULL OR s.moud = $moud)
AND ($keywords::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $keywords))
AND ($open_now::boolean IS NULL
     OR s.hours_utc @> hsds.week_minute(search_now($now::text, $tz::text), 'UTC')
        AND hsds.open_at(s, search_now($now::text, $tz::text)))
AND ($age::integer IS NULL
     OR coalesce(s.minimum_age <= $age, true) AND coalesce(s.maximum_age >= $age, true))
