/*
 * The guarded fetcher (fetch.h): one libcurl easy handle per request, set
 * up so that a URL someone else controls cannot make us reach inside our
 * own network, wait forever, or fill the disk.
 *
 * The address check is libcurl's open-socket callback: it sees each
 * address after DNS resolution, for every connection the transfer makes
 * (redirects included), so a name that resolves to 127.0.0.1, or a
 * redirect to http://169.254.169.254/, is refused before any byte is sent.
 */
#include "fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "number.h"

#define ALLOW_MAX 32
#define HEADER_VALUE_MAX 512

/* An address prefix: family, 16 bytes (IPv4 in the first 4), bits. */
struct prefix {
	int family;
	unsigned char addr[16];
	int bits;
};

/* What the deployment allows (FINDER_FETCH_ALLOW), read by fetch_init(). */
static struct prefix allowed[ALLOW_MAX];
static size_t nallowed;

/* Addresses no fetch may reach unless allowed: IANA's special-purpose
 * registries, less the globally reachable ones. */
static const struct prefix blocked[] = {
	{AF_INET, {0}, 8},                        /* "this" network */
	{AF_INET, {10}, 8},                       /* private */
	{AF_INET, {100, 64}, 10},                 /* shared (carrier NAT) */
	{AF_INET, {127}, 8},                      /* loopback */
	{AF_INET, {169, 254}, 16},                /* link-local, cloud metadata */
	{AF_INET, {172, 16}, 12},                 /* private */
	{AF_INET, {192, 0, 0}, 24},               /* protocol assignments */
	{AF_INET, {192, 0, 2}, 24},               /* documentation */
	{AF_INET, {192, 168}, 16},                /* private */
	{AF_INET, {198, 18}, 15},                 /* benchmarking */
	{AF_INET, {198, 51, 100}, 24},            /* documentation */
	{AF_INET, {203, 0, 113}, 24},             /* documentation */
	{AF_INET, {224}, 4},                      /* multicast */
	{AF_INET, {240}, 4},                      /* reserved, broadcast */
	{AF_INET6, {0}, 127},                     /* unspecified, loopback */
	{AF_INET6, {0x01, 0x00}, 64},             /* discard-only */
	{AF_INET6, {0x20, 0x01, 0x0d, 0xb8}, 32}, /* documentation */
	{AF_INET6, {0xfc}, 7},                    /* unique local */
	{AF_INET6, {0xfe, 0x80}, 10},             /* link-local */
	{AF_INET6, {0xfe, 0xc0}, 10},             /* site-local (deprecated) */
	{AF_INET6, {0xff}, 8},                    /* multicast */
};

static int prefix_match(const struct prefix *p, int family, const unsigned char *addr)
{
	int full = p->bits / 8, rest = p->bits % 8;

	if (p->family != family)
		return 0;
	if (memcmp(p->addr, addr, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((p->addr[full] ^ addr[full]) & (0xff << (8 - rest))) == 0;
}

static int in_list(const struct prefix *list, size_t n, int family, const unsigned char *addr)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_match(&list[i], family, addr))
			return 1;
	return 0;
}

/* IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64
 * 64:ff9b::a.b.c.d, compatible ::a.b.c.d) are judged by that address. */
static const unsigned char *embedded_v4(const unsigned char *a)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};

	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return a + 12;
	return NULL;
}

static int allowed_bytes(int family, const unsigned char *addr)
{
	const unsigned char *v4;

	if (in_list(allowed, nallowed, family, addr))
		return 1;
	if (family == AF_INET6 && (v4 = embedded_v4(addr)) != NULL)
		return allowed_bytes(AF_INET, v4);
	return !in_list(blocked, sizeof(blocked) / sizeof(blocked[0]), family, addr);
}

int fetch_address_allowed(const char *text)
{
	unsigned char addr[16] = {0};

	if (inet_pton(AF_INET, text, addr) == 1)
		return allowed_bytes(AF_INET, addr);
	if (inet_pton(AF_INET6, text, addr) == 1)
		return allowed_bytes(AF_INET6, addr);
	return 0;
}

/* "ADDRESS" or "ADDRESS/BITS": 0, or -1 when it is neither. */
static int prefix_parse(const char *text, struct prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	size_t n = strlen(text);
	long long bits;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n + 1);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->family = AF_INET6;
	else
		return -1;
	p->bits = p->family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		if (number_integer(slash + 1, strlen(slash + 1), NUMBER_STRICT, 0, p->bits,
				   &bits) != 0)
			return -1;
		p->bits = (int)bits;
	}
	return 0;
}

/* FINDER_FETCH_ALLOW: addresses or prefixes, separated by commas. */
static int allow_list_load(void)
{
	const char *s = getenv("FINDER_FETCH_ALLOW");
	char item[INET6_ADDRSTRLEN + 8];

	nallowed = 0;
	while (s != NULL && *s) {
		size_t n = strcspn(s, ", ");

		if (n > 0) {
			if (n >= sizeof(item) || nallowed == ALLOW_MAX)
				goto bad;
			memcpy(item, s, n);
			item[n] = '\0';
			if (prefix_parse(item, &allowed[nallowed]) != 0)
				goto bad;
			nallowed++;
		}
		s += n + (s[n] != '\0');
	}
	return 0;
bad:
	fprintf(stderr,
		"FINDER_FETCH_ALLOW is addresses or prefixes separated by commas "
		"(such as 127.0.0.1,10.1.0.0/16), at most %d of them\n",
		ALLOW_MAX);
	return -1;
}

int fetch_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("cannot start libcurl\n", stderr);
		return -1;
	}
	if (allow_list_load() != 0) {
		curl_global_cleanup();
		return -1;
	}
	return 0;
}

void fetch_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- One transfer ----------------------------------------------------- */

struct transfer {
	const struct fetch_request *req;
	struct fetch_result *res;
	size_t max;
	size_t cap;
	int too_large;
	int sink_failed;
	char refused[200];      /* the address refused, when one was */
	unsigned __int128 hash; /* FNV-1a, 128 bits, of the body */
};

static const unsigned __int128 FNV128_PRIME = ((unsigned __int128)0x0000000001000000ull << 64) |
					      0x000000000000013Bull;
static const unsigned __int128 FNV128_BASIS = ((unsigned __int128)0x6c62272e07bb0142ull << 64) |
					      0x62b821756295c58dull;

static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer *t = ctx;
	const unsigned char *bytes = NULL;
	char text[INET6_ADDRSTRLEN] = "?";
	int family = a->family;

	(void)purpose;
	if (family == AF_INET)
		bytes = (const unsigned char *)&((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
	else if (family == AF_INET6)
		bytes = (const unsigned char *)&((struct sockaddr_in6 *)(void *)&a->addr)
				->sin6_addr;
	if (bytes == NULL || !allowed_bytes(family, bytes)) {
		if (bytes != NULL)
			inet_ntop(family, bytes, text, sizeof(text));
		snprintf(t->refused, sizeof(t->refused),
			 "refused to connect to %s: a loopback, private, link-local or reserved "
			 "address (FINDER_FETCH_ALLOW lists the ones a deployment allows)",
			 text);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static void hash_bytes(struct transfer *t, const unsigned char *p, size_t n)
{
	unsigned __int128 h = t->hash;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV128_PRIME;
	}
	t->hash = h;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct transfer *t = ctx;
	struct fetch_result *r = t->res;
	size_t n = size * nmemb;

	if (n > t->max - r->len) {
		t->too_large = 1;
		return 0;
	}
	if (t->req->sink != NULL) {
		if (fwrite(data, 1, n, t->req->sink) != n) {
			t->sink_failed = 1;
			return 0;
		}
	} else {
		if (r->len + n + 1 > t->cap) {
			size_t cap = t->cap ? t->cap : 1 << 14;
			char *bigger;

			while (cap < r->len + n + 1)
				cap *= 2;
			bigger = realloc(r->body, cap);
			if (bigger == NULL)
				return 0;
			r->body = bigger;
			t->cap = cap;
		}
		memcpy(r->body + r->len, data, n);
		r->body[r->len + n] = '\0';
	}
	hash_bytes(t, (const unsigned char *)data, n);
	r->len += n;
	return n;
}

/* The value of header `name` in the line, trimmed, or NULL. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name), end;

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t'))
		line++, n--;
	end = n;
	while (end > 0 && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ' ||
			   line[end - 1] == '\t'))
		end--;
	if (end == 0 || end > HEADER_VALUE_MAX)
		return NULL;
	return strndup(line, end);
}

static void keep_header(char **slot, char *value)
{
	if (value == NULL)
		return;
	free(*slot);
	*slot = value;
}

/* Each response's headers (a redirect's too): the validators and type of
 * the last one are kept. */
static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx)
{
	struct fetch_result *r = ((struct transfer *)ctx)->res;
	size_t n = size * nmemb;

	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		free(r->etag);
		free(r->last_modified);
		free(r->content_type);
		r->etag = r->last_modified = r->content_type = NULL;
		return n;
	}
	keep_header(&r->etag, header_value(line, n, "ETag"));
	keep_header(&r->last_modified, header_value(line, n, "Last-Modified"));
	keep_header(&r->content_type, header_value(line, n, "Content-Type"));
	return n;
}

static struct curl_slist *request_headers(const struct fetch_request *req)
{
	struct curl_slist *list = NULL, *next;
	char line[HEADER_VALUE_MAX + 32];

	if (req->etag != NULL && strlen(req->etag) <= HEADER_VALUE_MAX) {
		snprintf(line, sizeof(line), "If-None-Match: %s", req->etag);
		list = curl_slist_append(list, line);
	}
	if (req->last_modified != NULL && strlen(req->last_modified) <= HEADER_VALUE_MAX) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", req->last_modified);
		if ((next = curl_slist_append(list, line)) != NULL)
			list = next;
	}
	if (req->body != NULL && req->content_type != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", req->content_type);
		if ((next = curl_slist_append(list, line)) != NULL)
			list = next;
	}
	/* No "Expect: 100-continue" round trip for the small POSTs. */
	if ((next = curl_slist_append(list, "Expect:")) != NULL)
		list = next;
	return list;
}

static void set_options(CURL *h, const struct fetch_request *req, struct transfer *t,
			struct curl_slist *headers, char *errbuf)
{
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, req->body ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)FETCH_REDIRECTS);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, FETCH_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, req->timeout_s > 0 ? req->timeout_s : 120L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
			 req->connect_timeout_s > 0 ? req->connect_timeout_s : 10L);
	/* A server that trickles: under 256 bytes a second for 30 s. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 256L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->max);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, t);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	if (req->body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
}

/* Why a transfer that ended with `code` failed, for a person. */
static void explain(struct fetch_result *r, const struct transfer *t, CURLcode code,
		    const char *errbuf, long timeout_s)
{
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(code);

	if (t->refused[0])
		snprintf(r->error, sizeof(r->error), "%s", t->refused);
	else if (t->too_large || code == CURLE_FILESIZE_EXCEEDED)
		snprintf(r->error, sizeof(r->error),
			 "the body is larger than %zu bytes, the most "
			 "a fetch reads",
			 t->max);
	else if (t->sink_failed)
		snprintf(r->error, sizeof(r->error), "cannot write the body to a file");
	else if (code == CURLE_OPERATION_TIMEDOUT)
		snprintf(r->error, sizeof(r->error),
			 "timed out (%ld s for the whole transfer, "
			 "or stalled): %.250s",
			 timeout_s, detail);
	else if (code == CURLE_TOO_MANY_REDIRECTS)
		snprintf(r->error, sizeof(r->error), "more than %d redirects", FETCH_REDIRECTS);
	else if (code == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(r->error, sizeof(r->error), "only http and https URLs are fetched: %.250s",
			 detail);
	else if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
		 code == CURLE_SSL_CONNECT_ERROR)
		snprintf(r->error, sizeof(r->error),
			 "the server's certificate is not trusted: %.250s", detail);
	else if (code == CURLE_PARTIAL_FILE)
		snprintf(r->error, sizeof(r->error), "the body was cut short: %.250s", detail);
	else
		snprintf(r->error, sizeof(r->error), "%.250s", detail);
}

static void keep_final_url(CURL *h, struct fetch_result *r)
{
	char *url = NULL;

	if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != NULL)
		r->final_url = strdup(url);
}

static void keep_digest(struct fetch_result *r, unsigned __int128 h)
{
	snprintf(r->digest, sizeof(r->digest), "%016llx%016llx", (unsigned long long)(h >> 64),
		 (unsigned long long)h);
}

int fetch(const struct fetch_request *req, struct fetch_result *r)
{
	struct transfer t = {.req = req, .res = r, .hash = FNV128_BASIS};
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers;
	CURLcode code;
	CURL *h;

	memset(r, 0, sizeof(*r));
	t.max = req->max_bytes ? req->max_bytes : FETCH_DEFAULT_MAX;
	h = curl_easy_init();
	if (h == NULL) {
		snprintf(r->error, sizeof(r->error), "cannot start a transfer (libcurl)");
		return -1;
	}
	headers = request_headers(req);
	set_options(h, req, &t, headers, errbuf);
	code = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	keep_final_url(h, r);
	keep_digest(r, t.hash);
	if (code != CURLE_OK)
		explain(r, &t, code, errbuf, req->timeout_s > 0 ? req->timeout_s : 120L);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	if (code != CURLE_OK) {
		r->status = 0;
		return -1;
	}
	return 0;
}

void fetch_result_free(struct fetch_result *r)
{
	free(r->body);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->final_url);
	memset(r, 0, sizeof(*r));
}
