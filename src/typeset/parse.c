/* parse.c - Markdown to a cmark-gfm tree, for the typeset stage and any
 * other output of the same document (typeset_parse_markdown of typeset.h).
 * The parse itself, its options and extensions and the lock its parses
 * take turns under are base/markdown.h's: the privacy scan (load stage)
 * reads the very tree the typesetter lays out.
 */
#include "base/markdown.h"
#include "typeset/typeset.h"

cmark_node *
typeset_parse_markdown(const char *md, size_t len)
{
	return markdown_parse(md, len);
}
