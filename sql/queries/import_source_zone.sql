-- Whether `finder import`'s source ($1, its slug) exists yet: a new one
-- needs its time zone (and, for meetings, its fellowship) given.
SELECT default_timezone FROM sources WHERE slug = $1
