#include "reports_format.h"

#include <string.h>

#include "params.h"
#include "patterns.h"

/* The longest ISO 8601 time PATTERN_DATETIME takes. */
#define SINCE_MAX (sizeof("2026-03-08T19:00:00+01:00") - 1)
#define DATE_LEN (sizeof("2026-03-08") - 1)

int reports_since_ok(const char *s, size_t len)
{
	char buf[SINCE_MAX + 1];

	if (len > SINCE_MAX)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* A date alone is checked as its midnight, by the same pattern. */
	if (len == DATE_LEN) {
		memcpy(buf + len, "T00:00", sizeof("T00:00"));
		len += sizeof("T00:00") - 1;
	}
	return patterns_match(PATTERN_DATETIME, buf, len) && params_real_date(buf);
}

static int csv_needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

static int csv_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void reports_csv_field(FILE *out, const char *s)
{
	int quote;

	if (s == NULL)
		return;
	quote = csv_needs_quotes(s);
	if (quote)
		fputc('"', out);
	if (csv_formula(s))
		fputc('\'', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
}

void reports_text(FILE *out, const char *s, const char *indent)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputc('-', out);
		return;
	}
	for (; *p != '\0'; p++) {
		if (*p == '\n') {
			fputc('\n', out);
			fputs(indent, out);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fputc('?', out); /* C1, U+0080 to U+009F */
			p++;
		} else if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			fputc('?', out);
		} else {
			fputc(*p, out);
		}
	}
}
