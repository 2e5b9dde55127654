/*
 * Unit tests for fcgi/src/gzip_join.c: pieces deflated one by one, joined
 * into one gzip file, read back by zlib's own gzip decoder; and the pieces
 * inflated again to their text, as `finder feeds` does to write the plain
 * feed of all sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip_join.h"

/* A growing buffer, the sink of the tests. */
struct out {
	unsigned char *data;
	size_t len, cap;
	size_t fail_after; /* the sink fails once this many bytes came; 0: never */
};

static int out_sink(void *ctx, const unsigned char *data, size_t len)
{
	struct out *o = ctx;

	if (len == 0)
		return 0;
	if (o->fail_after > 0 && o->len + len > o->fail_after)
		return -1;
	if (o->len + len > o->cap) {
		o->cap = (o->len + len) * 2;
		o->data = realloc(o->data, o->cap);
		assert_non_null(o->data);
	}
	memcpy(o->data + o->len, data, len);
	o->len += len;
	return 0;
}

static void out_put(struct out *o, const void *data, size_t len)
{
	assert_int_equal(out_sink(o, data, len), 0);
}

/* A text of n bytes that compresses like a feed: repeated keys, varying
 * values, a NUL now and then. */
static char *feed_like(size_t n, unsigned seed)
{
	static const char row[] = "{\"name\":\"Group %u\",\"day\":%u,\"time\":\"19:%02u\"},\n";
	char *text = malloc(n + 1);
	size_t at = 0;

	assert_non_null(text);
	while (at < n) {
		char line[96];
		int k = snprintf(line, sizeof(line), row, seed, seed % 7, seed % 60);

		seed = seed * 1103515245u + 12345u;
		for (int i = 0; i < k && at < n; i++)
			text[at++] = line[i];
		if (seed % 97 == 0 && at < n)
			text[at++] = '\0';
	}
	text[n] = '\0';
	return text;
}

/* zlib's gzip decoder (windowBits 15 + 16) over a whole file. */
static void gunzip(const struct out *gz, struct out *text)
{
	z_stream z;
	unsigned char buf[4096];
	int rc;

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = gz->data;
	z.avail_in = (uInt)gz->len;
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		assert_true(rc == Z_OK || rc == Z_STREAM_END);
		out_put(text, buf, sizeof(buf) - z.avail_out);
	} while (rc != Z_STREAM_END);
	assert_int_equal(z.avail_in, 0); /* nothing after the trailer */
	inflateEnd(&z);
}

static const size_t piece_sizes[] = {0, 1, 2, 17, 4096, 65536, 65537, 300000, 1000000};
#define NPIECES (sizeof(piece_sizes) / sizeof(piece_sizes[0]))

static void test_pieces_join_into_one_gzip_file(void **state)
{
	struct out gz = {0}, text = {0}, want = {0};
	unsigned char head[GZIP_HEADER_LEN], end[GZIP_END_LEN];
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t length = 0;

	(void)state;
	gzip_join_header(head);
	out_put(&gz, head, sizeof(head));
	for (size_t i = 0; i < NPIECES; i++) {
		char *piece = feed_like(piece_sizes[i], (unsigned)i);
		struct gzip_piece p;

		/* A piece of its own, then a separator as a small piece. */
		assert_int_equal(gzip_join_piece_deflate(&p, 1 + (int)i % 9, out_sink, &gz), 0);
		assert_int_equal(gzip_join_piece_write(&p, piece, piece_sizes[i] / 2), 0);
		assert_int_equal(gzip_join_piece_write(&p, piece + piece_sizes[i] / 2,
						       piece_sizes[i] - piece_sizes[i] / 2),
				 0);
		assert_int_equal(gzip_join_piece_end(&p), 0);
		assert_int_equal(p.length, piece_sizes[i]);
		assert_int_equal(p.crc, crc32(0L, (const Bytef *)piece, (uInt)piece_sizes[i]));
		crc = gzip_join_crc(crc, p.crc, p.length);
		length += p.length;
		out_put(&want, piece, piece_sizes[i]);
		assert_int_equal(gzip_join_piece_small(",\n", 2, 6, out_sink, &gz, &crc, &length),
				 0);
		out_put(&want, ",\n", 2);
		free(piece);
	}
	gzip_join_end(end, crc, length);
	out_put(&gz, end, sizeof(end));

	gunzip(&gz, &text);
	assert_int_equal(text.len, want.len);
	assert_memory_equal(text.data, want.data, want.len);
	assert_int_equal(crc, crc32(0L, want.data, (uInt)want.len));
	assert_true(gz.len < want.len / 4); /* it did compress */
	free(gz.data);
	free(text.data);
	free(want.data);
}

static void test_empty_file(void **state)
{
	struct out gz = {0}, text = {0};
	unsigned char head[GZIP_HEADER_LEN], end[GZIP_END_LEN];
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t length = 0;

	(void)state;
	gzip_join_header(head);
	out_put(&gz, head, sizeof(head));
	gzip_join_end(end, crc, length);
	out_put(&gz, end, sizeof(end));
	gunzip(&gz, &text);
	assert_int_equal(text.len, 0);
	free(gz.data);
}

static void test_joined_pieces_inflate_to_their_texts(void **state)
{
	struct out raw = {0}, text = {0};
	char *a = feed_like(200000, 1), *b = feed_like(70000, 2);
	struct gzip_piece p;
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t length = 0;

	(void)state;
	assert_int_equal(gzip_join_piece_small(a, 200000, 6, out_sink, &raw, &crc, &length), 0);
	assert_int_equal(gzip_join_piece_small(b, 70000, 1, out_sink, &raw, &crc, &length), 0);
	assert_int_equal(gzip_join_piece_inflate(&p, out_sink, &text), 0);
	/* In uneven slices, as a file is read. */
	for (size_t at = 0; at < raw.len; at += 1000) {
		size_t n = raw.len - at < 1000 ? raw.len - at : 1000;

		assert_int_equal(gzip_join_piece_write(&p, raw.data + at, n), 0);
	}
	assert_int_equal(p.length, 270000);
	assert_int_equal(p.crc, crc);
	assert_int_equal(gzip_join_piece_end(&p), 0);
	assert_int_equal(text.len, 270000);
	assert_memory_equal(text.data, a, 200000);
	assert_memory_equal(text.data + 200000, b, 70000);
	free(a);
	free(b);
	free(raw.data);
	free(text.data);
}

static void test_inflate_refuses_what_is_not_a_piece(void **state)
{
	static const unsigned char garbage[] = "this is not deflate data at all";
	unsigned char end[GZIP_END_LEN];
	struct out text = {0};
	struct gzip_piece p;

	(void)state;
	assert_int_equal(gzip_join_piece_inflate(&p, out_sink, &text), 0);
	assert_int_equal(gzip_join_piece_write(&p, garbage, sizeof(garbage)), -1);
	gzip_join_piece_free(&p);
	gzip_join_piece_free(&p); /* twice is harmless */
	/* A last block ends a file, never a piece. */
	gzip_join_end(end, 0, 0);
	assert_int_equal(gzip_join_piece_inflate(&p, out_sink, &text), 0);
	assert_int_equal(gzip_join_piece_write(&p, end, 2), -1);
	gzip_join_piece_free(&p);
	free(text.data);
}

static void test_a_failing_sink_fails_the_piece(void **state)
{
	struct out o = {.fail_after = 100};
	char *text = feed_like(500000, 3);
	struct gzip_piece p;
	uLong crc = 0;
	uint64_t length = 0;

	(void)state;
	assert_int_equal(gzip_join_piece_deflate(&p, 6, out_sink, &o), 0);
	assert_int_equal(gzip_join_piece_write(&p, text, 500000), -1);
	gzip_join_piece_free(&p);
	assert_int_equal(gzip_join_piece_end(&p), -1); /* already freed */
	assert_int_equal(gzip_join_piece_small(text, 500000, 6, out_sink, &o, &crc, &length), -1);
	assert_int_equal(length, 0);
	free(text);
	free(o.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces_join_into_one_gzip_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_joined_pieces_inflate_to_their_texts),
		cmocka_unit_test(test_inflate_refuses_what_is_not_a_piece),
		cmocka_unit_test(test_a_failing_sink_fails_the_piece),
	};

	return cmocka_run_group_tests_name("gzip_join", tests, NULL, NULL);
}
