/* pdf_file.h - a PDF as Cairo 1.16 writes it, read into objects, changed
 * and written again with its objects in compressed object streams
 * (typeset stage; pdf_file.c; the finishing step, pdf_finish.c, is its
 * one user).
 *
 * Cairo writes one revision with a cross-reference table, streams with a
 * /Length (direct, or an object of its own), and no object streams.  The
 * reader takes that and nothing more (ISO 32000-1, 7.3 and 7.5): a file of
 * another shape is refused with a reason, never guessed at.  Objects are
 * parsed when first asked for.  Numbers, names and strings keep the bytes
 * Cairo wrote them with, so what is not changed is written back as it was.
 *
 * The writer keeps the objects the trailer reaches (an object nothing
 * refers to any more is dropped), numbers them in the order it reaches
 * them, puts every object but a stream into object streams of up to 100,
 * and ends with a cross-reference stream whose /ID is the MD5 of the file
 * before it: the same objects give the same bytes.
 *
 * Values live as long as their file.  A file is one thread's.
 */
#ifndef DOSSIER_PDF_FILE_H
#define DOSSIER_PDF_FILE_H

#include <glib.h>

typedef struct pdf_file pdf_file;

typedef enum {
	PDF_ATOM,	/* a number, name, string, boolean or null: its bytes */
	PDF_REF,	/* "N 0 R" */
	PDF_ARRAY,
	PDF_DICT,	/* items are key, value, key, value; each key a name */
} pdf_kind;

typedef struct pdf_val {
	pdf_kind kind;
	guint32 n;		/* ARRAY: items; DICT: items (twice the keys);
				 * REF: the object's number */
	guint32 cap;
	const char *s;		/* ATOM: its bytes as written ("/Figure", "(a\)b)") */
	gsize len;
	struct pdf_val **items;
} pdf_val;

/* The `len` bytes of a file Cairo wrote, which must outlive the pdf_file.
 * NULL with *why (static text) when the file is not of that shape. */
pdf_file *pdf_file_read(const guchar *data, gsize len, const char **why);
void pdf_file_free(pdf_file *f);

/* The trailer dictionary. */
pdf_val *pdf_file_trailer(pdf_file *f);
/* `v` itself, or the object a reference names (parsed on first use);
 * NULL for NULL, a reference to no object, or an object that does not
 * parse (then pdf_file_error() says why). */
pdf_val *pdf_resolve(pdf_file *f, pdf_val *v);
/* The value of `key` ("/Type") in dictionary `dict`, resolved; NULL when
 * `dict` is no dictionary or has no such key. */
pdf_val *pdf_get(pdf_file *f, pdf_val *dict, const char *key);
/* As pdf_get(), without resolving a reference. */
pdf_val *pdf_get_direct(pdf_val *dict, const char *key);
/* Set `key` of dictionary `dict` to `v` (added when missing). */
void pdf_set(pdf_file *f, pdf_val *dict, const char *key, pdf_val *v);
/* `v` is the name `name` ("/Figure"). */
gboolean pdf_is_name(const pdf_val *v, const char *name);
/* `v` is an integer: TRUE with its value in *out. */
gboolean pdf_int_value(const pdf_val *v, gint64 *out);
/* A string's text as UTF-8 (PDFDocEncoding or UTF-16BE with its mark),
 * newly allocated; NULL when `v` is no string. */
char *pdf_text_value(const pdf_val *v);

/* New values (they live as long as `f`). */
pdf_val *pdf_new_atom(pdf_file *f, const char *text);	/* "/S", "4", "true" */
pdf_val *pdf_new_int(pdf_file *f, gint64 i);
pdf_val *pdf_new_text(pdf_file *f, const char *utf8);	/* a text string */
pdf_val *pdf_new_array(pdf_file *f);
pdf_val *pdf_new_dict(pdf_file *f);
pdf_val *pdf_new_ref(pdf_file *f, guint32 num);
void pdf_append(pdf_file *f, pdf_val *array, pdf_val *v);
/* Constant text such as "<< /O /Table /Scope /Column >>", parsed. */
pdf_val *pdf_parse(pdf_file *f, const char *text);

/* Object `num`'s number when `v` is a reference to an object, else 0. */
guint32 pdf_ref_num(const pdf_val *v);
/* A new object holding `v`; returns its number. */
guint32 pdf_add_object(pdf_file *f, pdf_val *v);
/* A new stream object with dictionary `dict` and `len` bytes of data,
 * copied; deflated by the writer when `compress` (and the dictionary
 * then says /FlateDecode).  Returns its number. */
guint32 pdf_add_stream(pdf_file *f, pdf_val *dict, const void *data, gsize len,
		       gboolean compress);
/* Stream `v` (a reference to a stream object): its bytes as stored, TRUE;
 * FALSE when `v` is no stream. */
gboolean pdf_stream_raw(pdf_file *f, const pdf_val *v, const guchar **data, gsize *len);
/* Stream `v`'s data decoded (no filter, or /FlateDecode without
 * parameters); NULL with pdf_file_error() set otherwise. */
GBytes *pdf_stream_decoded(pdf_file *f, const pdf_val *v);

/* Why the last call failed (static text), or NULL. */
const char *pdf_file_error(const pdf_file *f);

/* The file, with the header of `version` ("1.7"); NULL with *why. */
GBytes *pdf_file_write(pdf_file *f, const char *version, const char **why);

/* The next token of PDF syntax in [s + *pos, s + n) (ISO 32000-1, 7.2),
 * skipping white space and comments: TRUE with its bytes [*start, *end)
 * and whether it is a keyword or operator ("obj", "BT", "Tj"; not true,
 * false or null); FALSE at the end.  Moves *pos past it. */
gboolean pdf_next_token(const guchar *s, gsize n, gsize *pos, gsize *start, gsize *end,
			gboolean *keyword);
gboolean pdf_is_space(guchar c);
gboolean pdf_is_delim(guchar c);

#endif
