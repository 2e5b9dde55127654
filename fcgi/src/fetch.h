/*
 * The guarded fetcher: every URL someone else controls is asked through
 * here (the sync's feeds, the stewards' webhooks), with libcurl.
 *
 *   - http and https only, also after a redirect; at most FETCH_REDIRECTS
 *     redirects (none for a POST); certificates verified;
 *   - connect and whole-transfer timeouts, and a stall limit;
 *   - at most max_bytes of body, counted after decoding (gzip accepted);
 *   - every address is checked after DNS resolution, for each connection
 *     of the chain: loopback, private, link-local, shared, multicast,
 *     reserved and cloud metadata addresses are refused unless the
 *     deployment allows them (FINDER_FETCH_ALLOW: addresses or CIDR
 *     prefixes, comma-separated; the tests allow 127.0.0.1 for their
 *     server);
 *   - no proxy from the environment, no cookies, a User-Agent that names
 *     the project.
 *
 * fetch_init() once per process, before any thread; fetch_cleanup() at
 * the end.
 */
#ifndef FINDER_FETCH_H
#define FINDER_FETCH_H

#include <stddef.h>
#include <stdio.h>

#define FETCH_REDIRECTS 5
#define FETCH_USER_AGENT "RecoveryFinder/1 (meeting finder; sync)"

struct fetch_request {
	const char *url;
	/* A POST when body is set (content_type its type), else a GET. */
	const char *body;
	size_t body_len;
	const char *content_type;
	/* Validators of the copy already held, for a conditional GET: NULL
	 * when none. */
	const char *etag;
	const char *last_modified;
	size_t max_bytes;       /* 0: FETCH_DEFAULT_MAX */
	long timeout_s;         /* the whole transfer; 0: 120 */
	long connect_timeout_s; /* 0: 10 */
	/* Where the body goes: a file (written as it arrives), or, when NULL,
	 * memory (result.body, NUL-terminated). */
	FILE *sink;
};

#define FETCH_DEFAULT_MAX (128u * 1024 * 1024)

struct fetch_result {
	long status; /* the last response's HTTP status; 0: none */
	char *body;  /* memory sink only; NULL otherwise */
	size_t len;  /* bytes of body received (decoded) */
	char *etag;  /* the final response's validators, or NULL */
	char *last_modified;
	char *content_type;
	char *final_url; /* after redirects */
	char digest[33]; /* of the body: 128 bits as hex */
	/* Why it failed, for a person: "" when a response came (whatever its
	 * status). */
	char error[512];
};

int fetch_init(void);
void fetch_cleanup(void);

/* 0 when a response came (see result->status: 200, 304, 404, ...); -1 when
 * none did or it was refused (result->error says why: DNS, timeout, too
 * large, a refused address, a certificate). The caller frees the result
 * with fetch_result_free(). */
int fetch(const struct fetch_request *req, struct fetch_result *result);
void fetch_result_free(struct fetch_result *result);

/* 1 when an address (IPv4 or IPv6, numeric) may be connected to under the
 * current allow list, else 0; for the unit tests and the sync's own checks. */
int fetch_address_allowed(const char *numeric_address);

#endif
