/* lazylib.h - librsvg and poppler-glib, loaded when a document
 * first needs them (typeset stage).
 *
 * Most builds draw no SVG file a user supplied and no supplied PDF, yet
 * linking the two libraries maps 18 more shared libraries into every
 * process (libstdc++, NSS, the Rust of librsvg...): 15 of the 39 ms an empty
 * program linked like dossier takes to start (bench/README.md).  So they
 * are opened with GModule the first time one is needed, and their
 * functions called through the tables below (same names, same types).
 * Thread-safe; a library is opened at most once and never closed.
 */
#ifndef DOSSIER_LAZYLIB_H
#define DOSSIER_LAZYLIB_H

#include <librsvg/rsvg.h>
#include <poppler.h>

typedef struct {
	__typeof__(rsvg_handle_new_from_data) *handle_new_from_data;
	__typeof__(rsvg_handle_set_dpi) *handle_set_dpi;
	__typeof__(rsvg_handle_get_intrinsic_size_in_pixels) *handle_get_intrinsic_size_in_pixels;
	__typeof__(rsvg_handle_get_intrinsic_dimensions) *handle_get_intrinsic_dimensions;
	__typeof__(rsvg_handle_render_document) *handle_render_document;
} lazy_rsvg;

typedef struct {
	__typeof__(poppler_document_new_from_gfile) *document_new_from_gfile;
	__typeof__(poppler_document_get_n_pages) *document_get_n_pages;
	__typeof__(poppler_document_get_page) *document_get_page;
	__typeof__(poppler_page_get_size) *page_get_size;
	__typeof__(poppler_page_render) *page_render;
	__typeof__(poppler_page_render_for_printing) *page_render_for_printing;
	__typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
	__typeof__(poppler_document_get_creator) *document_get_creator;
	__typeof__(poppler_page_get_text) *page_get_text;
} lazy_poppler;

/* The library's functions, or NULL when it cannot be opened; then *why
 * (may be NULL) says why, for a message (borrowed, lives forever). */
const lazy_rsvg *lazy_rsvg_get(const char **why);
const lazy_poppler *lazy_poppler_get(const char **why);

#endif
