/* base/markdown.c - the one cmark-gfm parse (see markdown.h). */
#include <glib.h>
#include <cmark-gfm-core-extensions.h>

#include "base/markdown.h"

static gpointer
register_extensions(gpointer unused)
{
	(void)unused;
	cmark_gfm_core_extensions_ensure_registered();
	return NULL;
}

cmark_node *
markdown_parse(const char *md, size_t len)
{
	static GOnce once = G_ONCE_INIT;
	static const char *const exts[] = {
		"table", "tasklist", "strikethrough", "autolink",
	};

	/* One parse at a time: cmark-gfm 0.29 keeps the inline parser's table
	 * of special characters in a global that every parse rewrites (an
	 * extension's characters are added before its inlines are parsed and
	 * removed after), so two parses at once on different threads drop
	 * each other's autolinks and strikethroughs (github/cmark-gfm#176).
	 * Parsing is a small part of typesetting; layout runs in parallel. */
	static GMutex lock;

	g_once(&once, register_extensions, NULL);
	g_mutex_lock(&lock);
	/* Smart punctuation: curly quotes, en and em dashes, ellipses (never
	 * in code, which cmark-gfm leaves alone).  Footnotes: references
	 * numbered in order, the definitions moved to the end
	 * (typeset/layout_block.c sets them at the foot of their pages). */
	cmark_parser *p = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART |
					   CMARK_OPT_FOOTNOTES);
	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, len);
	cmark_node *root = cmark_parser_finish(p);
	cmark_parser_free(p);
	g_mutex_unlock(&lock);
	return root;
}
