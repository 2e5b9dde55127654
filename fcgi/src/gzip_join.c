#include "gzip_join.h"

#include <string.h>

/* Raw deflate (no zlib or gzip wrapper), the largest window. */
#define RAW_WINDOW_BITS (-15)
#define MEM_LEVEL 8
/* zlib's avail_in is an unsigned int: bigger writes go in slices. */
#define SLICE_MAX (1u << 30)

/* The state both directions start from, once zlib's stream is set up. */
static void piece_start(struct gzip_piece *p, int deflating, gzip_sink sink, void *ctx)
{
	p->deflating = deflating;
	p->open = 1;
	p->crc = crc32(0L, Z_NULL, 0);
	p->length = 0;
	p->sink = sink;
	p->ctx = ctx;
	p->z.next_out = p->out;
	p->z.avail_out = sizeof(p->out);
}

int gzip_join_piece_deflate(struct gzip_piece *p, int level, gzip_sink sink, void *ctx)
{
	memset(&p->z, 0, sizeof(p->z));
	if (deflateInit2(&p->z, level, Z_DEFLATED, RAW_WINDOW_BITS, MEM_LEVEL,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	piece_start(p, 1, sink, ctx);
	return 0;
}

int gzip_join_piece_inflate(struct gzip_piece *p, gzip_sink sink, void *ctx)
{
	memset(&p->z, 0, sizeof(p->z));
	if (inflateInit2(&p->z, RAW_WINDOW_BITS) != Z_OK)
		return -1;
	piece_start(p, 0, sink, ctx);
	return 0;
}

/* Hands what zlib wrote to the sink, and empties the buffer. */
static int drain(struct gzip_piece *p)
{
	size_t n = sizeof(p->out) - p->z.avail_out;

	if (!p->deflating && n > 0) {
		p->crc = crc32(p->crc, p->out, (uInt)n);
		p->length += n;
	}
	p->z.next_out = p->out;
	p->z.avail_out = sizeof(p->out);
	return n == 0 ? 0 : p->sink(p->ctx, p->out, n);
}

/* Runs deflate or inflate until it has taken all the input and, when a
 * round filled the buffer, until one does not (so that a sync flush is
 * written whole). */
static int run(struct gzip_piece *p, int flush)
{
	for (;;) {
		int rc = p->deflating ? deflate(&p->z, flush) : inflate(&p->z, Z_NO_FLUSH);
		int full = p->z.avail_out == 0;

		/* Z_BUF_ERROR: no progress possible, which is no error here.
		 * Z_STREAM_END while inflating: a last block, which no piece
		 * holds. */
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		if (drain(p) != 0)
			return -1;
		if (p->z.avail_in == 0 && !full)
			return 0;
	}
}

int gzip_join_piece_write(struct gzip_piece *p, const void *data, size_t len)
{
	const unsigned char *at = data;

	if (!p->open)
		return -1;
	while (len > 0) {
		uInt n = len > SLICE_MAX ? SLICE_MAX : (uInt)len;

		if (p->deflating) {
			p->crc = crc32(p->crc, at, n);
			p->length += n;
		}
		p->z.next_in = at;
		p->z.avail_in = n;
		if (run(p, Z_NO_FLUSH) != 0)
			return -1;
		at += n;
		len -= n;
	}
	return 0;
}

int gzip_join_piece_end(struct gzip_piece *p)
{
	int rc = 0;

	if (!p->open)
		return -1;
	if (p->deflating) {
		p->z.next_in = Z_NULL;
		p->z.avail_in = 0;
		rc = run(p, Z_SYNC_FLUSH);
	}
	gzip_join_piece_free(p);
	return rc;
}

void gzip_join_piece_free(struct gzip_piece *p)
{
	if (!p->open)
		return;
	if (p->deflating)
		deflateEnd(&p->z);
	else
		inflateEnd(&p->z);
	p->open = 0;
}

int gzip_join_piece_small(const char *text, size_t len, int level, gzip_sink sink, void *ctx,
			  uLong *crc, uint64_t *length)
{
	struct gzip_piece p;

	if (gzip_join_piece_deflate(&p, level, sink, ctx) != 0)
		return -1;
	if (gzip_join_piece_write(&p, text, len) != 0) {
		gzip_join_piece_free(&p);
		return -1;
	}
	if (gzip_join_piece_end(&p) != 0)
		return -1;
	*crc = gzip_join_crc(*crc, p.crc, p.length);
	*length += p.length;
	return 0;
}

uLong gzip_join_crc(uLong crc_a, uLong crc_b, uint64_t len_b)
{
	return crc32_combine(crc_a, crc_b, (z_off_t)len_b);
}

void gzip_join_header(unsigned char out[GZIP_HEADER_LEN])
{
	/* ID1 ID2, deflate, no flags, no time, no extra flags, OS unknown. */
	static const unsigned char header[GZIP_HEADER_LEN] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};

	memcpy(out, header, GZIP_HEADER_LEN);
}

void gzip_join_end(unsigned char out[GZIP_END_LEN], uLong crc, uint64_t length)
{
	/* A last block of the fixed codes holding only its end: the bits 1
	 * (last), 01 (fixed), then seven zero bits. */
	out[0] = 0x03;
	out[1] = 0x00;
	for (int i = 0; i < 4; i++) {
		out[2 + i] = (unsigned char)(crc >> (8 * i));
		out[6 + i] = (unsigned char)(length >> (8 * i)); /* modulo 2^32 */
	}
}
