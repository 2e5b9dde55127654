/*
 * `finder reports`: what visitors reported ("Report a problem",
 * POST /api/v1/feedback) listed and resolved for the people who run the
 * finder (reports.c), and delivered to the webhooks of the sources' stewards
 * (reports_deliver.c). Both connect as the importer, which may read the
 * reports and write only whether they were resolved or delivered.
 */
#ifndef FINDER_REPORTS_H
#define FINDER_REPORTS_H

#include <stdio.h>

#include <libpq-fe.h>

/*
 * One delivery pass: each report that is open, undelivered and due, of a
 * source with a webhook, is POSTed there as JSON (never with the reporter's
 * contact), with the finder's link to what it is about under public_url (an
 * origin such as https://finder.example.org, as origin_parse() makes it;
 * NULL: no link). A 2xx answer marks it delivered; anything else, no answer
 * or a refused address is recorded and tried again after 1, 2, 4 ... minutes
 * (at most 6 hours), 12 times at most. Once a source's webhook fails, its
 * other reports wait for the next pass, so a dead webhook costs a pass one
 * timeout (about 10 s). Each report is claimed before it is sent, so passes
 * running at once never send the same report twice.
 *
 * conn must not be in a transaction; fetch_init() must have run. Each
 * delivery is logged to log (NULL: silent), without the webhook's URL,
 * which may hold a secret. Returns the number of reports delivered, or -1
 * when the database failed (said on log, or stderr when log is NULL);
 * failed deliveries are recorded, not errors of the pass.
 */
int reports_deliver(PGconn *conn, const char *public_url, FILE *log);

/* The `finder reports` command: exit status 0, 1 (the database, an unknown
 * id or source) or 2 (bad usage). */
int reports_main(int argc, char **argv);

#endif
