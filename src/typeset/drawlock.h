/* drawlock.h - the drawing lock: how typesetting threads take turns at
 * Pango and the fonts (drawlock.c says how it works; nothing else needs to).
 *
 * A caller says what it is about to touch and takes that turn:
 *   DRAWLOCK_OWN     Pango objects this thread makes (laying a document
 *                    out, typeset_markdown, typeset_dump): any number of
 *                    threads at once;
 *   DRAWLOCK_OTHERS  PangoLayouts another thread may have made or may be
 *                    drawing (a typeset_doc copied, cut into pages, drawn
 *                    or freed): one thread at a time.
 * and gives the same turn back.  Turns do not nest.  A layout is drawn into
 * a PDF with drawlock_render(), inside the turn the caller took (which it
 * lets go of while Cairo alone writes pages and font subsets).
 *
 * The fonts need no turn: every font file has one FreeType face for the
 * process, which drawlock.c opens and Cairo uses under its own lock.  So
 * the program defines cairo_ft_font_face_create_for_pattern() itself, in
 * front of Cairo's (drawlock.c, "the fonts").
 */
#ifndef DOSSIER_DRAWLOCK_H
#define DOSSIER_DRAWLOCK_H

#include <glib.h>

#include "typeset/layout.h"
#include "typeset/typeset.h"

typedef enum {
	DRAWLOCK_OWN = 1,
	DRAWLOCK_OTHERS,
} drawlock_turn;

void drawlock_take(drawlock_turn turn);
void drawlock_give(drawlock_turn turn);

/* Draw the paginated `doc` into the bytes of a PDF through the device
 * (pdf_device.h), inside the turn `held` the caller holds, which is let
 * go of and taken again while Cairo alone works (pdf_device_show_page,
 * pdf_device_finish): `doc` must stay alive meanwhile, but other threads
 * may take their turns.  `meta`, `title`, `name` and *pdf as
 * pdf_device_finish's.  Returns 0, or -1 with *pdf NULL after a located
 * error. */
int drawlock_render(drawlock_turn held, const layout_doc *doc,
		    const typeset_meta *meta, const char *title,
		    const char *name, GBytes **pdf);

#endif
