/* cli/serve.c - `dossier serve`: a local preview of the web edition.
 *
 * Builds as `dossier build --watch` does (cli/watch.h: the same watcher,
 * the same builds), and serves over HTTP on 127.0.0.1 only, with
 * libsoup-3.0:
 *     /                    OUT/site/ (index.html for a folder)
 *     /<package>/...       the package's PDFs and spreadsheet
 *     /.dossier/events     server-sent events: "build" after every build
 * Every HTML page served gets a small script that reloads it on "build".
 * While the last build failed, every page is that build's messages
 * instead (file:line:col: error: ...), so a stale page is never shown as
 * current.  Refused: any method but GET and HEAD (405), a request with a
 * body (413, the connection closed before the body is read), a path with "..", "." or an empty or encoded "/" part or a
 * NUL (400), and a file whose real path is outside the folder it is served
 * from, as a symbolic link out of OUT would be (403).  At most
 * SERVE_MAX_REQUESTS requests and SERVE_MAX_EVENTS event streams at once
 * (503 past them).  SIGINT and SIGTERM stop it: a build under way stops as
 * a build does (its staging folder removed), and the command exits 0.
 */
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "cli/commands.h"
#include "cli/lazysoup.h"
#include "cli/project.h"
#include "cli/watch.h"
#include "write/site.h"

#define SERVE_MAX_REQUESTS	64	/* requests in flight at once */
#define SERVE_MAX_EVENTS	32	/* open event streams (pages) at once */
#define SERVE_EVENTS_PATH	"/.dossier/events"

/* Reloads the page after every build (injected before </head>). */
static const char reload_script[] =
	"<script>(function () {\n"
	"\tvar es = new EventSource(\"" SERVE_EVENTS_PATH "\");\n"
	"\tes.addEventListener(\"build\", function () { location.reload(); });\n"
	"})();</script>\n";

typedef struct {
	char *out;		/* OUT, real path */
	char *site;		/* OUT/site */
	char *pkg_name;		/* the package folder's name, once a build said it */
	char *errors;		/* the last build's messages when it failed, else NULL */
	GPtrArray *streams;	/* SoupServerMessage* of the open event streams */
	GHashTable *in_flight;	/* the requests being answered */
	GMainLoop *loop;
	bool quiet;
} serve;

static const lazy_soup *S;	/* libsoup's functions (lazysoup.h) */
static int opt_port = -1;
static char *opt_content, *opt_templates, *opt_out;
static gboolean opt_quiet;

static const GOptionEntry serve_options[] = {
	{ "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Port on 127.0.0.1 (default: a free one, printed)", "N" },
	{ "content", 'c', 0, G_OPTION_ARG_FILENAME, &opt_content, "Content folder (default: content)", "DIR" },
	{ "templates", 't', 0, G_OPTION_ARG_FILENAME, &opt_templates, "Templates folder (default: templates)", "DIR" },
	{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Output folder (default: out)", "DIR" },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print nothing but errors and the address", NULL },
	{ NULL },
};

/* ---- answers --------------------------------------------------------------- */

static void
answer(SoupServerMessage *msg, guint status, const char *type, const char *body, gsize len)
{
	S->server_message_set_status(msg, status, NULL);
	SoupMessageHeaders *h = S->server_message_get_response_headers(msg);
	S->message_headers_replace(h, "Cache-Control", "no-store");
	S->message_headers_replace(h, "X-Content-Type-Options", "nosniff");
	S->server_message_set_response(msg, type, SOUP_MEMORY_COPY, body, len);
}

static void
refuse(SoupServerMessage *msg, guint status, const char *why)
{
	g_autofree char *text = g_strdup_printf("%u %s: %s\n", status, S->status_get_phrase(status), why);
	answer(msg, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* The page that stands in for every page while the last build failed. */
static void
answer_errors(serve *s, SoupServerMessage *msg)
{
	GString *h = g_string_new("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				  "<title>The build failed</title>\n<link rel=\"stylesheet\" href=\"/" SITE_CSS_OUT "\">\n");
	g_string_append(h, reload_script);
	g_string_append(h, "</head>\n<body>\n<main id=\"main\" class=\"frame\">\n<div class=\"build-error\" role=\"alert\">\n"
		       "<h1>The build failed</h1>\n<p>This page shows the new output as soon as a build succeeds.</p>\n<pre>");
	g_autofree char *esc = g_markup_escape_text(s->errors, -1);
	g_string_append(h, esc);
	g_string_append(h, "</pre>\n</div>\n</main>\n</body>\n</html>\n");
	answer(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", h->str, h->len);
	g_string_free(h, TRUE);
}

static const char *
media_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".pdf", "application/pdf" }, { ".svg", "image/svg+xml" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(path, types[i].ext))
			return types[i].type;
	return NULL;
}

/* ---- paths ------------------------------------------------------------------- */

/* The request's path decoded into its parts; NULL (after refusing) for
 * "..", ".", an empty part inside, an encoded '/' or a NUL. */
static char **
path_parts(SoupServerMessage *msg, const char *raw)
{
	g_autofree char *path = g_uri_unescape_string(raw, "/");
	if (!path || path[0] != '/') {
		refuse(msg, SOUP_STATUS_BAD_REQUEST, "the path is not a plain path");
		return NULL;
	}
	char **parts = g_strsplit(path + 1, "/", -1);
	guint n = g_strv_length(parts);
	for (guint i = 0; i < n; i++) {
		bool last = i + 1 == n;
		if (!strcmp(parts[i], "..") || !strcmp(parts[i], ".") || (!*parts[i] && !last)) {
			refuse(msg, SOUP_STATUS_BAD_REQUEST, "a path may not climb out of the site");
			g_strfreev(parts);
			return NULL;
		}
	}
	return parts;
}

/* The file `parts` names under `root`, as a real path inside root; NULL
 * after a refusal (not there: 404; through a link out of root: 403). */
static char *
file_in(SoupServerMessage *msg, const char *root, char **parts)
{
	g_autofree char *joined = g_strjoinv("/", parts);
	g_autofree char *path = g_build_filename(root, joined, NULL);
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		char *index = g_build_filename(path, "index.html", NULL);
		g_free(path);
		path = index;
	}
	char *real = realpath(path, NULL);
	g_autofree char *real_root = realpath(root, NULL);
	if (!real || !real_root) {
		free(real);
		refuse(msg, SOUP_STATUS_NOT_FOUND, "no such page");
		return NULL;
	}
	size_t n = strlen(real_root);
	if (strncmp(real, real_root, n) || real[n] != '/') {
		free(real);
		refuse(msg, SOUP_STATUS_FORBIDDEN, "outside the output folder");
		return NULL;
	}
	char *r = g_strdup(real);
	free(real);
	return r;
}

/* ---- the handlers --------------------------------------------------------------- */

static void
stream_gone(SoupServerMessage *msg, gpointer data)
{
	serve *s = data;
	g_ptr_array_remove(s->streams, msg);
}

static void
open_stream(serve *s, SoupServerMessage *msg)
{
	if (s->streams->len >= SERVE_MAX_EVENTS) {
		refuse(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "too many pages open");
		return;
	}
	S->server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	SoupMessageHeaders *h = S->server_message_get_response_headers(msg);
	S->message_headers_set_content_type(h, "text/event-stream", NULL);
	S->message_headers_replace(h, "Cache-Control", "no-store");
	S->message_headers_set_encoding(h, SOUP_ENCODING_CHUNKED);
	static const char hello[] = "retry: 500\n\n";
	S->message_body_append(S->server_message_get_response_body(msg), SOUP_MEMORY_STATIC,
				 hello, sizeof hello - 1);
	g_ptr_array_add(s->streams, msg);
	g_signal_connect(msg, "finished", G_CALLBACK(stream_gone), s);
}

static void
serve_file(serve *s, SoupServerMessage *msg, const char *file, bool head)
{
	const char *type = media_type(file);
	g_autofree char *data = NULL, *why = NULL;
	gsize len = 0;
	if (!type) {
		refuse(msg, SOUP_STATUS_NOT_FOUND, "not a file of the web edition");
		return;
	}
	if (!file_read(file, FILE_MAX_ATTACHMENT, &data, &len, &why)) {
		refuse(msg, SOUP_STATUS_NOT_FOUND, why);
		return;
	}
	if (g_str_has_suffix(file, ".html")) {
		const char *end = g_strstr_len(data, (gssize)len, "</head>");
		GString *page = g_string_new_len(data, end ? end - data : 0);
		g_string_append(page, reload_script);
		g_string_append(page, end ? end : data);
		g_free(data);
		len = page->len;
		data = g_string_free(page, FALSE);
	}
	answer(msg, SOUP_STATUS_OK, type, data, len);
	if (head)
		S->message_body_truncate(S->server_message_get_response_body(msg));
}

static void
handle(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	serve *s = data;
	const char *method = S->server_message_get_method(msg);
	bool head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") && !head) {
		S->message_headers_replace(S->server_message_get_response_headers(msg), "Allow", "GET, HEAD");
		refuse(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only GET and HEAD");
		return;
	}
	const char *raw = g_uri_get_path(S->server_message_get_uri(msg));
	if (!strcmp(raw, SERVE_EVENTS_PATH)) {
		open_stream(s, msg);
		return;
	}
	g_auto(GStrv) parts = path_parts(msg, raw);
	if (!parts)
		return;
	bool in_pkg = s->pkg_name && parts[0] && !strcmp(parts[0], s->pkg_name);
	g_autofree char *pkg_root = in_pkg ? g_build_filename(s->out, s->pkg_name, NULL) : NULL;
	g_autofree char *file = file_in(msg, in_pkg ? pkg_root : s->site, in_pkg ? parts + 1 : parts);
	if (!file)
		return;
	if (in_pkg && !g_str_has_suffix(file, ".pdf") && !g_str_has_suffix(file, ".xlsx")) {
		refuse(msg, SOUP_STATUS_NOT_FOUND, "only the package's PDFs and spreadsheet are served");
		return;
	}
	if (s->errors && g_str_has_suffix(file, ".html"))
		answer_errors(s, msg);
	else
		serve_file(s, msg, file, head);
}

/* A request refused before its body is read: the answer, then the
 * connection closed, so no body of any size is read or waited for. */
static void
drop(serve *s, SoupServerMessage *msg, guint status, const char *extra)
{
	g_hash_table_remove(s->in_flight, msg);
	GIOStream *io = S->server_message_steal_connection(msg);
	if (!io)
		return;
	g_autofree char *head = g_strdup_printf("HTTP/1.1 %u %s\r\n%sConnection: close\r\n"
						"Content-Length: 0\r\n\r\n", status,
						S->status_get_phrase(status), extra);
	g_output_stream_write_all(g_io_stream_get_output_stream(io), head, strlen(head), NULL, NULL, NULL);
	g_io_stream_close(io, NULL, NULL);
	g_object_unref(io);
}

/* Before the body is read: refuse other methods and any body, and more
 * requests than SERVE_MAX_REQUESTS at once. */
static void
early(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
	serve *s = data;
	SoupMessageHeaders *h = S->server_message_get_request_headers(msg);
	const char *method = S->server_message_get_method(msg);
	bool body = S->message_headers_get_encoding(h) == SOUP_ENCODING_CHUNKED ||
		    (S->message_headers_get_encoding(h) == SOUP_ENCODING_CONTENT_LENGTH &&
		     S->message_headers_get_content_length(h) > 0);
	bool other = strcmp(method, "GET") && strcmp(method, "HEAD");
	if (body)
		drop(s, msg, other ? SOUP_STATUS_METHOD_NOT_ALLOWED : SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
		     other ? "Allow: GET, HEAD\r\n" : "");
	else if (other) {
		S->message_headers_replace(S->server_message_get_response_headers(msg), "Allow", "GET, HEAD");
		refuse(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only GET and HEAD");
	} else if (g_hash_table_size(s->in_flight) > SERVE_MAX_REQUESTS) {
		refuse(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "too many requests at once");
	}
}

static void
request_started(SoupServer *server, SoupServerMessage *msg, gpointer data)
{
	g_hash_table_add(((serve *)data)->in_flight, msg);
}

static void
request_done(SoupServer *server, SoupServerMessage *msg, gpointer data)
{
	g_hash_table_remove(((serve *)data)->in_flight, msg);
}

/* ---- builds and signals --------------------------------------------------------- */

/* After every build: remember its failure, tell every open page. */
static void
built(int status, const char *messages, const char *pkg_name, void *data)
{
	serve *s = data;
	g_clear_pointer(&s->errors, g_free);
	if (status != EXIT_OK)
		s->errors = g_strdup(messages && *messages ? messages : "The build failed.\n");
	if (pkg_name) {
		g_free(s->pkg_name);
		s->pkg_name = g_strdup(pkg_name);
	}
	g_autofree char *event = g_strdup_printf("event: build\ndata: %s\n\n", s->errors ? "failed" : "ok");
	for (guint i = 0; i < s->streams->len; i++) {
		SoupServerMessage *msg = s->streams->pdata[i];
		S->message_body_append(S->server_message_get_response_body(msg), SOUP_MEMORY_COPY,
					 event, strlen(event));
		S->server_message_unpause(msg);
	}
}

/* Every open event stream ended, and the main loop run until their
 * connections are closed (a second at most), so nothing is left open. */
static void
end_streams(serve *s)
{
	for (guint i = 0; i < s->streams->len; i++) {
		SoupServerMessage *msg = s->streams->pdata[i];
		S->message_body_complete(S->server_message_get_response_body(msg));
		S->server_message_unpause(msg);
	}
	gint64 until = g_get_monotonic_time() + G_USEC_PER_SEC;
	while (s->streams->len && g_get_monotonic_time() < until)
		g_main_context_iteration(NULL, s->streams->len > 0);
}

static gboolean
on_stop(gpointer data)
{
	g_main_loop_quit(((serve *)data)->loop);
	return G_SOURCE_REMOVE;
}

/* A connection accepted by GIO (its GSocketService) handed to libsoup:
 * libsoup 3.2's own accepting (soup_server_listen*) leaks every accepted
 * socket. */
static gboolean
on_incoming(GSocketService *service, GSocketConnection *conn, GObject *source, gpointer data)
{
	SoupServer *server = data;
	g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address(conn, NULL);
	g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address(conn, NULL);
	if (local && remote)
		S->server_accept_iostream(server, G_IO_STREAM(conn), local, remote, NULL);
	return TRUE;
}

/* A socket listening on 127.0.0.1:port (0: a free port), and the port;
 * NULL with *err set.  Made here rather than by soup_server_listen(), so
 * the port is read from it (soup_server_get_uris() leaks an address in
 * libsoup 3.2). */
static GSocket *
listen_socket(int port, guint *bound, GError **err)
{
	g_autoptr(GSocket) sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
					       G_SOCKET_PROTOCOL_TCP, err);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, port < 0 ? 0 : (guint16)port);
	if (!sock || !g_socket_bind(sock, addr, TRUE, err) || !g_socket_listen(sock, err))
		return NULL;
	g_autoptr(GSocketAddress) local = g_socket_get_local_address(sock, err);
	if (!local)
		return NULL;
	*bound = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
	return g_steal_pointer(&sock);
}

int
cmd_serve(int argc, char **argv)
{
	if (!cmd_parse_options("serve", "",
			       "Builds as 'dossier build --watch' does, and serves the web edition (OUT/site/) and\n"
			       "the package's PDFs on http://127.0.0.1:PORT/ for a browser. The open page reloads\n"
			       "after every build; while a build fails, every page shows its errors. Ctrl-C stops.",
			       serve_options, &argc, &argv))
		return EXIT_BAD;
	if (argc > 1 || opt_port < -1 || opt_port > 65535) {
		if (argc > 1)
			diag_usage("serve", TRUE, "unexpected argument '%s'", argv[1]);
		else
			diag_usage("serve", TRUE, "--port must be from 0 to 65535");
		return EXIT_BAD;
	}
	g_autofree char *why = NULL;
	if (!(S = lazy_soup_open(&why))) {
		diag_usage("serve", FALSE, "cannot open libsoup-3.0 (make deps installs it): %s", why);
		return EXIT_BAD;
	}
	project pj;
	project_resolve(&pj, opt_content, opt_templates, opt_out);
	serve s = {
		.streams = g_ptr_array_new(), .quiet = opt_quiet,
		.in_flight = g_hash_table_new(g_direct_hash, g_direct_equal),
	};
	s.loop = g_main_loop_new(NULL, FALSE);
	SoupServer *server = S->server_new("server-header", "dossier", NULL);
	S->server_add_early_handler(server, NULL, early, &s, NULL);
	S->server_add_handler(server, NULL, handle, &s, NULL);
	g_signal_connect(server, "request-started", G_CALLBACK(request_started), &s);
	g_signal_connect(server, "request-finished", G_CALLBACK(request_done), &s);
	g_signal_connect(server, "request-aborted", G_CALLBACK(request_done), &s);
	g_autoptr(GError) err = NULL;
	guint port = 0;
	g_autoptr(GSocket) sock = listen_socket(opt_port, &port, &err);
	g_autoptr(GSocketService) service = g_socket_service_new();
	g_signal_connect(service, "incoming", G_CALLBACK(on_incoming), server);
	int rc = EXIT_OK;
	if (!sock || !g_socket_listener_add_socket(G_SOCKET_LISTENER(service), sock, NULL, &err)) {
		diag_usage("serve", FALSE, "cannot listen on 127.0.0.1:%d: %s", opt_port < 0 ? 0 : opt_port,
			   err->message);
		rc = EXIT_BAD;
	} else {
		g_unix_signal_add(SIGINT, on_stop, &s);
		g_unix_signal_add(SIGTERM, on_stop, &s);
		printf("dossier: serving http://127.0.0.1:%u/ (Ctrl-C to stop)\n", port);
		fflush(stdout);
		watch *w = watch_new(pj.content, pj.templates, pj.out, opt_quiet, built, &s);
		s.out = realpath(pj.out, NULL);
		s.site = s.out ? g_build_filename(s.out, SITE_DIR, NULL) : NULL;
		if (!s.out) {
			diag_usage("serve", FALSE, "no output folder %s", pj.out);
			rc = EXIT_BAD;
		} else {
			g_main_loop_run(s.loop);
		}
		watch_free(w);
		end_streams(&s);
		g_socket_service_stop(service);
		g_socket_listener_close(G_SOCKET_LISTENER(service));
		S->server_disconnect(server);
	}
	g_object_unref(server);
	/* The connections still open (an event stream) close in the main
	 * loop's idle callbacks: let them run before the end. */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_main_loop_unref(s.loop);
	g_ptr_array_unref(s.streams);
	g_hash_table_unref(s.in_flight);
	free(s.out);
	g_free(s.site);
	g_free(s.pkg_name);
	g_free(s.errors);
	project_clear(&pj);
	return rc;
}
