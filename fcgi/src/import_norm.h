/*
 * Normalising the values real meeting feeds carry (import_norm.c). The
 * patterns are PCRE2, compiled once by import_norm_init(). Every function
 * that returns a string returns a new malloc'd one (the caller frees it),
 * or NULL when nothing usable is left. Running out of memory ends the
 * process, as in import_batch.c: imports run as a command, not in a worker.
 */
#ifndef FINDER_IMPORT_NORM_H
#define FINDER_IMPORT_NORM_H

#include <stddef.h>

struct import_batch;
struct json_object;

/* Compiles the patterns; 0, or -1 after printing why to stderr. Call once
 * before any other function here (a second call does nothing);
 * import_norm_free() releases them. */
int import_norm_init(void);
void import_norm_free(void);

/* A time of day: "19:30", "7:30 PM", "7:30pm", "7 pm", "19:30:00", "noon",
 * "midnight", "24:00" (= 00:00) -> minutes after midnight (0-1439);
 * -1 when it is not a time of day ("25:99", "", "tbd"). */
int import_norm_time(const char *s);

/* A day: 0-6 as text, or an English or Spanish name or abbreviation in any
 * case ("Sunday", "sun", "Domingo") -> 0-6 (0 = Sunday); -1 otherwise.
 * French names ("Lundi") are understood too. */
int import_norm_day(const char *s);

/* Free text: HTML reduced to text (tags dropped, <br> and </p> to line
 * breaks, entities decoded), control characters dropped, spaces collapsed
 * within lines, blank lines collapsed, trimmed. At most `max` characters
 * (UTF-8 code points, cut at a character boundary); *truncated set when cut
 * (may be NULL). NULL when empty. Invalid UTF-8 bytes are dropped. */
char *import_norm_text(const char *s, size_t len, size_t max, int *truncated);

/* One line: as import_norm_text, with line breaks turned into spaces. */
char *import_norm_line(const char *s, size_t len, size_t max, int *truncated);

/* A slug: lower case ASCII letters, digits and single hyphens, accents
 * folded ("Women's Step Study" -> "womens-step-study", "6" -> "6"), at most
 * `max` characters, cut at a hyphen where it can be. NULL when nothing is
 * left. */
char *import_norm_slug(const char *s, size_t max);

/* A conference phone: digits and + , * # only, at most 64, the passcode
 * steps after the number kept whole ("+16468769923,,85012345678#,,,,*123456#");
 * NULL when it holds fewer than 3 digits. */
char *import_norm_phone(const char *s);

/* Contribution handles: the Meeting Guide `venmo`, `paypal` and `square`. */
enum norm_handle_kind { HANDLE_VENMO, HANDLE_PAYPAL, HANDLE_SQUARE };

/* A handle as the group wrote it, trimmed to one line ("@Group",
 * "paypal.me/Group", "$Group", or a link to the account), when it names
 * one account of its kind; NULL otherwise (a sentence, a password). */
char *import_norm_handle(enum norm_handle_kind kind, const char *s);

/* A conference or web link: http or https with a host, no spaces, at most
 * 2000 characters ("zoom.us/j/1" gets https://); NULL otherwise. */
char *import_norm_url(const char *s);

/* A feed's `updated`: "2023-08-29 15:56:59", "2023-08-29T15:56:59Z",
 * "2023-08-29", "8/25/2022 11:17:07 AM" -> "YYYY-MM-DD HH:MM:SS" in out
 * (20 bytes); -1 when it is none of these or not a real date. */
int import_norm_updated(const char *s, char out[20]);

/* A one-line address in the Meeting Guide way ("3186 Pullman St, Costa Mesa,
 * CA 92626, USA" or "8318 104 St, Edmonton, Alberta, T6E 4E8, Canada")
 * split into its parts; each out-pointer gets a new string or NULL. Returns
 * 0 when it found at least a city, -1 when it could not tell (then every
 * out-pointer is NULL). */
int import_norm_split_address(const char *s, char **street, char **city, char **region,
			      char **postal_code, char **country);

/* A number as feeds write it: "41.8781", "-87.6", "+1", ".5", spaces around;
 * no exponent, hex, NaN or infinity. 0 and *out set, or -1. */
int import_norm_number(const char *s, double *out);

/* The number of characters (UTF-8 code points) in s. */
size_t import_norm_length(const char *s);


/* An IANA time zone name as written ("America/New_York", "UTC"), checked
 * for its form only (the database knows which zones exist); NULL when it
 * cannot be one. */
char *import_norm_timezone(const char *s);

/* One Meeting Guide record (a JSON object, the elements of a feed's array)
 * read into batch as one meeting per day it lists, or as a reject, plus
 * warnings; `row` is its 1-based position in the file. The record stays
 * the caller's. Written in import_mg.c; import_csv.c turns each spreadsheet
 * row into such an object so that both formats behave the same. */
void import_mg_record(struct import_batch *batch, int row, struct json_object *record);

#endif
