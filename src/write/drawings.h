/* drawings.h - the package's own pictures drawn straight into its PDFs
 * (package stage; the typeset_drawer of typeset/typeset.h).
 *
 * An output that writes a picture as an SVG file (the charts; diagrams may
 * do the same) registers the routine that drew it together with the file's
 * bytes.  When a document then shows a file with exactly those bytes, the
 * typesetter has the routine draw the picture onto the page's Cairo
 * context, as vectors and real text, instead of parsing the SVG back with
 * librsvg.  Same routine, two surfaces; librsvg stays for SVG images that
 * users supply.  A picture whose file was edited after it was written no
 * longer matches and is read from the file like any image.
 *
 * Not thread-safe while registering: register before typesetting starts.
 * Drawing happens on typesetting threads, several at once.
 */
#ifndef DOSSIER_DRAWINGS_H
#define DOSSIER_DRAWINGS_H

#include <cairo.h>
#include <glib.h>

/* Draws the picture onto cr, in points from its top left corner. */
typedef void (*drawing_fn)(cairo_t *cr, void *data);

/* Register the picture whose SVG file holds `svg` (`len` bytes), of
 * width × height points, drawn by draw(cr, data).  Takes `data`, freed with
 * free_data once the registry is cleared and no document uses it. */
void drawings_add(const char *svg, gsize len, double width, double height, drawing_fn draw,
		  void *data, GDestroyNotify free_data);

/* The same, for an SVG file whose bytes have the SHA-256 `sha256` (hex):
 * a file kept from the previous build is not read again. */
void drawings_add_digest(const char *sha256, double width, double height, drawing_fn draw,
			 void *data, GDestroyNotify free_data);

/* Forget every picture (the end of a build). */
void drawings_clear(void);

#endif
