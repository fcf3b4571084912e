/* slipqr.c - the QR code of a slip's verification URL as SVG, through
 * libqrencode (Debian libqrencode-dev: a tested encoder, see
 * docs/OPERATIONS.md, instead of a Reed-Solomon and masking implementation
 * of our own). */
#include "core/mem.h"
#include "report/slip.h"

#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLIP_QR_QUIET 4   /* modules of white border (the standard's quiet zone) */
#define SLIP_QR_TEXT_MAX 1024

/* Appends printf output to a growing buffer. */
struct slip_buf {
	char *s;
	size_t len, cap;
};

static void slip_buf_add(struct slip_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void slip_buf_add(struct slip_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && b->len + (size_t)n < b->cap)
			break;
		b->cap = b->cap * 2 + (size_t)(n > 0 ? n : 0);
		b->s = xrealloc(b->s, b->cap);
	}
	b->len += (size_t)n;
}

char *slip_qr_svg(const char *text)
{
	QRcode *qr;
	struct slip_buf b = { xmalloc(4096), 0, 4096 };
	int w, size;

	if (!text || strlen(text) > SLIP_QR_TEXT_MAX ||
	    !(qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M))) {
		free(b.s);
		return NULL;
	}
	w = qr->width;
	size = w + 2 * SLIP_QR_QUIET;
	slip_buf_add(&b,
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		     "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
		     "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
		     size, size, size, size);
	/* One rect per horizontal run of dark modules. */
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			int run = 0;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			if (run) {
				slip_buf_add(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"1\"/>",
					     x + SLIP_QR_QUIET, y + SLIP_QR_QUIET, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	slip_buf_add(&b, "</svg>");
	QRcode_free(qr);
	return b.s;
}
