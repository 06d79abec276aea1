/* lazylib.h - librsvg, poppler-glib and libqpdf, loaded when a document
 * first needs them (typeset stage).
 *
 * Most builds draw no SVG file a user supplied and no supplied PDF, yet
 * linking the two libraries maps 18 more shared libraries into every
 * process (libstdc++, NSS, the Rust of librsvg...): 15 of the 39 ms an empty
 * program linked like dossier takes to start (bench/README.md).  So they
 * are opened with GModule the first time one is needed, and their
 * functions called through the tables below (same names, same types).
 * libqpdf finishes every PDF (pdf_finish.c) but no other command needs
 * it, and linking it cost every process 4-5 ms more to start (GnuTLS and
 * its libraries come with it): its functions are in the table without
 * their "qpdf_" prefix.
 * Thread-safe; a library is opened at most once and never closed.
 */
#ifndef DOSSIER_LAZYLIB_H
#define DOSSIER_LAZYLIB_H

#include <librsvg/rsvg.h>
#include <poppler.h>
#include <qpdf/qpdf-c.h>

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

/* The functions of libqpdf's C API that pdf_finish.c calls. */
#define LAZY_QPDF_FNS(X) \
	X(init) X(cleanup) X(silence_errors) X(set_suppress_warnings) X(read_memory) \
	X(has_error) X(get_error) X(get_error_full_text) X(get_root) X(get_trailer) \
	X(get_num_pages) X(get_page_n) X(make_indirect_object) X(oh_get_key) \
	X(oh_has_key) X(oh_replace_key) X(oh_parse) X(oh_is_name) X(oh_get_name) \
	X(oh_is_dictionary) X(oh_is_array) X(oh_is_string) \
	X(oh_is_stream) X(oh_get_type_code) X(oh_new_stream) X(oh_replace_stream_data) X(oh_new_null) \
	X(oh_get_array_item) X(oh_get_array_n_items) X(oh_new_unicode_string) \
	X(oh_new_string) X(oh_new_array) X(oh_append_item) X(oh_new_name) \
	X(oh_new_integer) X(oh_get_utf8_value) X(oh_get_page_content_data) \
	X(oh_get_object_id) X(oh_get_stream_data) X(oh_get_dict) X(oh_unparse) \
	X(oh_begin_dict_key_iter) X(oh_dict_more_keys) X(oh_dict_next_key) \
	X(init_write_memory) X(set_object_stream_mode) X(set_compress_streams) \
	X(set_decode_level) X(set_deterministic_ID) X(set_newline_before_endstream) \
	X(set_minimum_pdf_version) X(write) X(get_buffer) X(get_buffer_length)

typedef struct {
#define LAZY_QPDF_FIELD(fn) __typeof__(qpdf_##fn) *fn;
	LAZY_QPDF_FNS(LAZY_QPDF_FIELD)
#undef LAZY_QPDF_FIELD
} lazy_qpdf;

/* The library's functions, or NULL when it cannot be opened; then *why
 * (may be NULL) says why, for a message (borrowed, lives forever). */
const lazy_rsvg *lazy_rsvg_get(const char **why);
const lazy_poppler *lazy_poppler_get(const char **why);
const lazy_qpdf *lazy_qpdf_get(const char **why);

#endif
