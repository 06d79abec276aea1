/* cli/lazysoup.h - libsoup-3.0, opened by `dossier serve` alone.
 *
 * Linking libsoup maps a dozen more shared libraries (libpsl, libnghttp2,
 * libbrotli, GSSAPI, SQLite...) into every process: about 2.6 ms more CPU
 * for each start of dossier (200 runs of --version, before and after),
 * which every command and the no-change build would pay for one command.
 * So, as typeset/lazylib.h does for librsvg and poppler, it is compiled
 * against but opened with GModule when `serve` starts, and its functions
 * are called through the table below (same names, same types).
 */
#ifndef DOSSIER_LAZYSOUP_H
#define DOSSIER_LAZYSOUP_H

#include <libsoup/soup.h>

#define X(name) __typeof__(soup_##name) *name;
#define LAZY_SOUP_FUNCTIONS(X) \
	X(server_new) X(server_add_early_handler) X(server_add_handler) X(server_accept_iostream) \
	X(server_disconnect) \
	X(server_message_get_method) X(server_message_get_uri) X(server_message_set_status) \
	X(server_message_get_response_headers) X(server_message_get_request_headers) \
	X(server_message_set_response) X(server_message_get_response_body) \
	X(server_message_unpause) X(server_message_steal_connection) \
	X(message_headers_replace) X(message_headers_set_content_type) \
	X(message_headers_set_encoding) X(message_headers_get_encoding) \
	X(message_headers_get_content_length) \
	X(message_body_append) X(message_body_complete) X(message_body_truncate) X(status_get_phrase)
typedef struct {
	LAZY_SOUP_FUNCTIONS(X)
} lazy_soup;
#undef X

/* The library's functions, or NULL when it cannot be opened; then *why
 * says why (a new string the caller frees). */
const lazy_soup *lazy_soup_open(char **why);

#endif
