/* markdown.h - the one way dossier parses Markdown (cmark-gfm).
 *
 * The typesetter and the privacy scan must see the same tree: what the
 * scan reads is what the reader of the PDF reads.  Both parse through here,
 * with the same options and GFM extensions.
 */
#ifndef DOSSIER_MARKDOWN_H
#define DOSSIER_MARKDOWN_H

#include <stddef.h>
#include <cmark-gfm.h>

/* The cmark-gfm tree of `md` (len bytes): smart punctuation (curly quotes,
 * en and em dashes, ellipses; never in code), footnotes, and the table,
 * tasklist, strikethrough and autolink extensions.  Thread-safe.  The
 * caller frees the tree with cmark_node_free(). */
cmark_node *markdown_parse(const char *md, size_t len);

#endif
