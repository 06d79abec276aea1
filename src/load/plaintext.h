/* plaintext.h - the text a reader sees, normalised for matching (load stage).
 *
 * The privacy scan (privacy.h) looks for personal data in what a reader
 * of the package sees, not in the Markdown a writer typed: entities
 * decoded, backslash escapes and emphasis gone, and then the many ways of
 * writing one character (full-width forms, Arabic-Indic or Devanagari
 * digits, a non-breaking hyphen, a soft hyphen inside a word) made one.
 * Every byte of such a text remembers which bytes of the source gave it,
 * so a finding is reported, and an alias replaces it, where it was written.
 *
 * The normalisation is ICU's (unorm2 NFKC and NFD, u_charDigitValue, the
 * character properties); nothing here is a hand-made table of characters.
 */
#ifndef DOSSIER_PLAINTEXT_H
#define DOSSIER_PLAINTEXT_H

#include <glib.h>

/* A text and, for each of its bytes i, the source bytes [from[i], to[i])
 * it came from.  Sources are at most 4 GiB (content files are at most
 * 16 MiB).  Owned by whoever inited it; plaintext_clear() frees. */
typedef struct {
	GString *s;	/* UTF-8 */
	GArray *from;	/* guint32 per byte of s */
	GArray *to;	/* guint32 per byte of s */
} plaintext;

void plaintext_init(plaintext *t);
void plaintext_clear(plaintext *t);

/* Called for each image of a Markdown text with its URL and the offset in
 * the source where the image starts (its '!', or near it). */
typedef void (*plaintext_image_fn)(const char *url, guint32 at, void *data);

/* What a reader sees of the Markdown `src` (len bytes, UTF-8), parsed as
 * the typesetter parses it (base/markdown.h): the text of every text,
 * code and HTML node with escapes, entities and smart punctuation as
 * rendered; a space for a soft line break, a line break for a hard one and
 * between blocks; then, each on a line of its own, link and image URLs and
 * titles that the text beside them does not already show.  `out` is
 * inited here.  `image` (may be NULL) is called for every image. */
void plaintext_markdown(plaintext *out, const char *src, gsize len,
			plaintext_image_fn image, void *data);

typedef enum {
	/* For patterns (phone numbers, e-mail addresses): NFKC (full-width
	 * forms and compatibility characters fold), every decimal digit of
	 * any script as its ASCII digit, format characters (soft hyphen,
	 * zero-width space and joiners, bidi controls) removed, every dash
	 * shared by scripts and the minus sign as '-', every space as ' ', line and paragraph
	 * separators as '\n'. */
	PLAINTEXT_CHARS,
	/* For names, from a PLAINTEXT_CHARS text: also case folded (full
	 * folding: "ß" is "ss"), without the diacritics that writers leave
	 * out (Latin accents, Hebrew points, Arabic vowel marks), and every
	 * run of white space, '*' and '_' as one space. */
	PLAINTEXT_WORDS,
} plaintext_fold_how;

/* `in` normalised into `out` (inited here).  `in` is either a source
 * (in_map NULL: byte i of text came from itself) or the text of an
 * earlier plaintext, whose source ranges carry over. */
void plaintext_fold(plaintext *out, const char *text, gsize len,
		    const plaintext *in_map, plaintext_fold_how how);

/* The source range of bytes [a, b) of t (a < b): from the first source
 * byte any of them came from to the last.  Bytes that came from no
 * source byte (a line break between blocks) count only when all do.
 * Returns false when the range is empty. */
bool plaintext_span(const plaintext *t, gsize a, gsize b, guint32 *from, guint32 *to);

/* `s` as PLAINTEXT_CHARS then PLAINTEXT_WORDS, without the maps, trimmed:
 * how a name or a listed string is compared.  A new string. */
char *plaintext_words(const char *s);
/* `s` as PLAINTEXT_CHARS, without the maps.  A new string. */
char *plaintext_chars(const char *s);

#endif
