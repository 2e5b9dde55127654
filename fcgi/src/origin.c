#include "origin.h"

#include <stdio.h>
#include <string.h>

#define HOST_MAX 255
#define PORT_DIGITS_MAX 5

static const char host_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-";
static const char ipv6_chars[] = "0123456789abcdefABCDEF:.";

/* The length of the run at s[0..len) of characters in set. */
static size_t span(const char *s, size_t len, const char *set)
{
	size_t i = 0;

	while (i < len && s[i] != '\0' && strchr(set, s[i]) != NULL)
		i++;
	return i;
}

/* Whether s[0..len) is a port: 1 to 5 digits. */
static int port_ok(const char *s, size_t len)
{
	return len >= 1 && len <= PORT_DIGITS_MAX && span(s, len, "0123456789") == len;
}

int origin_host_ok(const char *host, size_t len, size_t *port_at)
{
	size_t i;

	*port_at = len;
	if (len == 0 || len > HOST_MAX)
		return 0;
	if (host[0] == '[') {
		const char *close = memchr(host, ']', len);

		if (close == NULL || close == host + 1 ||
		    span(host + 1, len - 1, ipv6_chars) != (size_t)(close - host - 1))
			return 0;
		i = (size_t)(close - host) + 1;
	} else {
		i = span(host, len, host_chars);
		if (i == 0)
			return 0;
	}
	if (i == len)
		return 1;
	if (host[i] != ':' || !port_ok(host + i + 1, len - i - 1))
		return 0;
	*port_at = i;
	return 1;
}

int origin_make(const char *scheme, const char *host, size_t host_len, const char *port, char *out,
		size_t cap)
{
	size_t port_at;
	int https, n;

	if (scheme == NULL || host == NULL || !origin_host_ok(host, host_len, &port_at))
		return -1;
	https = strcmp(scheme, "https") == 0;
	if (!https && strcmp(scheme, "http") != 0)
		return -1;
	if (port_at != host_len || port == NULL || !port_ok(port, strlen(port)) ||
	    strcmp(port, https ? "443" : "80") == 0)
		port = NULL;
	n = snprintf(out, cap, "%s://%.*s%s%s", scheme, (int)host_len, host, port ? ":" : "",
		     port ? port : "");
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

int origin_parse(const char *url, size_t len, char *out, size_t cap)
{
	const char *scheme, *host;
	char port[PORT_DIGITS_MAX + 1];
	size_t host_len, port_at;

	if (len > 8 && memcmp(url, "https://", 8) == 0) {
		scheme = "https";
		host = url + 8;
	} else if (len > 7 && memcmp(url, "http://", 7) == 0) {
		scheme = "http";
		host = url + 7;
	} else {
		return -1;
	}
	host_len = len - (size_t)(host - url);
	if (host_len > 0 && host[host_len - 1] == '/')
		host_len--;
	if (!origin_host_ok(host, host_len, &port_at))
		return -1;
	if (port_at == host_len)
		return origin_make(scheme, host, host_len, NULL, out, cap);
	/* As a request to this host would come: nginx's $host without the
	 * port, and the port it listens on. */
	snprintf(port, sizeof(port), "%.*s", (int)(host_len - port_at - 1), host + port_at + 1);
	return origin_make(scheme, host, port_at, port, out, cap);
}
