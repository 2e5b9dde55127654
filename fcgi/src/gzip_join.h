#ifndef FINDER_GZIP_JOIN_H
#define FINDER_GZIP_JOIN_H

/*
 * One gzip file from pieces deflated separately (zlib; the idea of zlib's
 * examples/gzjoin.c, made simple by writing the pieces so that they join).
 *
 * A piece is a raw deflate stream (no header) ended with a sync flush: it
 * ends on a byte boundary with no last block, so pieces written at
 * different times can be laid one after another, and decompress to their
 * texts one after another. A gzip file is then the header, the pieces, an
 * empty last block, and the trailer: the CRC-32 of the whole text (combined
 * from the pieces' CRCs) and its length. `finder feeds` deflates each
 * source's part of the feed once, and joins the parts into the feed of all
 * sources without compressing a million meetings again.
 */

#include <stddef.h>
#include <stdint.h>

/* next_in is const: zlib only reads the input. */
#define ZLIB_CONST
#include <zlib.h>

#define GZIP_HEADER_LEN 10
#define GZIP_TRAILER_LEN 8
#define GZIP_PIECE_BUF (64 * 1024)

/* Where a piece's bytes go: returns 0, or -1 to stop (the piece fails). */
typedef int (*gzip_sink)(void *ctx, const unsigned char *data, size_t len);

/* A piece being deflated (or inflated): the text's CRC-32 and length so
 * far, and the sink its output goes to. */
struct gzip_piece {
	z_stream z;
	int deflating; /* 1 deflate, 0 inflate */
	int open;
	uLong crc;
	uint64_t length; /* bytes of text */
	gzip_sink sink;
	void *ctx;
	unsigned char out[GZIP_PIECE_BUF];
};

/* Starts a piece deflated at level (1-9). Returns 0, or -1 (out of memory);
 * after 0, gzip_join_piece_end() or gzip_join_piece_free() must follow. */
int gzip_join_piece_deflate(struct gzip_piece *p, int level, gzip_sink sink, void *ctx);

/* Starts inflating a piece (or several joined): gzip_join_piece_write() takes
 * the compressed bytes and the sink gets the text. Returns 0 or -1. */
int gzip_join_piece_inflate(struct gzip_piece *p, gzip_sink sink, void *ctx);

/* Feeds len bytes (text when deflating, compressed when inflating).
 * Returns 0, or -1 when zlib or the sink failed, or the compressed bytes
 * are not a piece (a last block, or garbage). */
int gzip_join_piece_write(struct gzip_piece *p, const void *data, size_t len);

/* Ends the piece (a deflated one with its sync flush) and frees it.
 * Returns 0, or -1: then the piece is freed too. */
int gzip_join_piece_end(struct gzip_piece *p);

/* Frees a piece that will not be ended (a failure elsewhere). Safe to call
 * on one already ended. */
void gzip_join_piece_free(struct gzip_piece *p);

/* Deflates text[0..len) as one piece into sink; adds its CRC and length to
 * *crc and *length (a whole file's). Returns 0 or -1. */
int gzip_join_piece_small(const char *text, size_t len, int level, gzip_sink sink, void *ctx,
			  uLong *crc, uint64_t *length);

/* The CRC-32 of a text made of a (crc_a) and then b (crc_b, len_b bytes). */
uLong gzip_join_crc(uLong crc_a, uLong crc_b, uint64_t len_b);

/* The gzip header (no name, no time: the same text gives the same file). */
void gzip_join_header(unsigned char out[GZIP_HEADER_LEN]);

/* What ends a gzip file after its pieces: the empty last block, then the
 * trailer for a text with this CRC-32 and length. */
#define GZIP_END_LEN (2 + GZIP_TRAILER_LEN)
void gzip_join_end(unsigned char out[GZIP_END_LEN], uLong crc, uint64_t length);

#endif
