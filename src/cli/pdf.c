/* cli/pdf.c - `dossier pdf`: any Markdown file to PDF (typeset stage).
 *
 * The typesetter on its own, with the same theme and page model as the
 * package's documents: reads IN.md (or standard input for "-"), writes
 * IN.pdf (or -o OUT.pdf; "-" is standard output).  Standard input goes
 * to standard output, but never onto a terminal unless -o - says so.  The PDF's date comes
 * from SOURCE_DATE_EPOCH when set, else from the input file's modification
 * time, so running it twice on the same file gives the same bytes.
 * --layout prints the page layout as text instead (golden tests).
 * Several inputs make one combined PDF - cover, contents, each file on new
 * pages - the way `build` makes dossier.pdf.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "base/diag.h"
#include "base/file.h"
#include "typeset/typeset.h"

#define PDF_MAX_INPUT (64u << 20)

static char *
pdf_read_input(const char *path, size_t *len)
{
	g_autofree char *why = NULL;
	char *text = NULL;
	size_t n = 0;

	if (strcmp(path, "-") == 0) {
		GString *s = g_string_new(NULL);
		char buf[65536];
		size_t k;
		while ((k = fread(buf, 1, sizeof buf, stdin)) > 0 &&
		       s->len <= PDF_MAX_INPUT)
			g_string_append_len(s, buf, (gssize)k);
		if (ferror(stdin)) {
			diag(DIAG_ERROR, "<stdin>", 0, 0, "cannot read the input");
			g_string_free(s, TRUE);
			return NULL;
		}
		n = s->len;
		text = g_string_free(s, FALSE);
	} else if (!file_read(path, PDF_MAX_INPUT, &text, &n, &why)) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		return NULL;
	}
	if (n > PDF_MAX_INPUT) {
		diag(DIAG_ERROR, path, 0, 0, "file is larger than the limit of %u MiB", PDF_MAX_INPUT >> 20);
		g_free(text);
		return NULL;
	}
	*len = n;
	return text;
}

/* SOURCE_DATE_EPOCH, else the input's mtime, else now. */
static gint64
pdf_date(const char *path)
{
	const char *sde = g_getenv("SOURCE_DATE_EPOCH");
	struct stat st;

	if (sde && *sde) {
		char *end;
		gint64 t = g_ascii_strtoll(sde, &end, 10);
		if (!*end && t >= 0)
			return t;
		diag(DIAG_WARNING, NULL, 0, 0,
		     "SOURCE_DATE_EPOCH is not a number of seconds; ignored");
	}
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0)
		return (gint64)st.st_mtime;
	return g_get_real_time() / G_USEC_PER_SEC;
}

static char *
pdf_default_output(const char *in)
{
	if (strcmp(in, "-") == 0)
		return g_strdup("-");
	const char *dot = strrchr(in, '.');
	const char *slash = strrchr(in, '/');
	if (dot && (!slash || dot > slash) && dot != in)
		return g_strdup_printf("%.*s.pdf", (int)(dot - in), in);
	return g_strdup_printf("%s.pdf", in);
}

/* The typesetter's bytes to `out`: a file written atomically, or "-" for
 * standard output. */
static int
pdf_write_output(const char *out, GBytes *pdf)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(pdf, &len);
	if (strcmp(out, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			diag(DIAG_ERROR, "<stdout>", 0, 0, "cannot write the PDF");
			return EXIT_BAD;
		}
		return EXIT_OK;
	}
	return file_write_atomic(out, data, len, NULL) ? EXIT_OK : EXIT_BAD;
}

/* What the command line asks for. */
typedef struct {
	char *out;		/* -o: where the PDF goes; NULL: beside the input */
	char *title;		/* --title */
	char *theme_path;	/* --theme */
	char *paper;		/* --paper: a4 or letter */
	char *company;		/* --company: footer and author */
	gboolean draft;		/* --draft: a missing image is a placeholder */
	gboolean dump;		/* --layout: the page layout as text */
} pdf_args;

static void
pdf_args_clear(pdf_args *a)
{
	g_free(a->out);
	g_free(a->title);
	g_free(a->theme_path);
	g_free(a->paper);
	g_free(a->company);
}

/* Parses the options into `a`, leaving the inputs in argv[1..]; false,
 * after a message on stderr, on bad usage. */
static bool
pdf_parse_args(pdf_args *a, int *argc, char ***argv)
{
	const GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &a->out,
		  "where to write the PDF (default IN with .pdf; - for stdout)", "OUT.pdf" },
		{ "title", 't', 0, G_OPTION_ARG_STRING, &a->title,
		  "running header and PDF title (default: the first heading)", "T" },
		{ "theme", 0, 0, G_OPTION_ARG_FILENAME, &a->theme_path,
		  "margins, fonts, sizes and colours (default: built in)", "FILE" },
		{ "paper", 0, 0, G_OPTION_ARG_STRING, &a->paper,
		  "a4 (default) or letter", "a4|letter" },
		{ "company", 0, 0, G_OPTION_ARG_STRING, &a->company,
		  "company name for the footer and the PDF author", "NAME" },
		{ "draft", 0, 0, G_OPTION_ARG_NONE, &a->draft,
		  "a missing image is a placeholder and a warning, not an error", NULL },
		{ "layout", 0, 0, G_OPTION_ARG_NONE, &a->dump,
		  "print the page layout as text instead of writing a PDF", NULL },
		{ NULL },
	};

	if (!cmd_parse_options("pdf", "IN.md [MORE.md...]",
			       "Typesets one Markdown file (GitHub flavour: tables, task lists,\n"
			       "strikethrough, autolinks) to PDF with the package's typesetter.\n"
			       "IN.md may be - for standard input.  The PDF date is SOURCE_DATE_EPOCH\n"
			       "when set, else the input's modification time.  Several files make one\n"
			       "combined PDF (cover, contents, each file from a new page; -o required).\n"
			       "Exit status: 0 written, 2 bad usage or bad input.",
			       entries, argc, argv))
		return false;
	if (*argc < 2) {
		diag_usage("pdf", TRUE, "no input file");
		return false;
	}
	if (*argc > 2 && (!a->out || a->dump)) {
		diag_usage("pdf", FALSE, "several inputs need -o OUT.pdf (and no --layout)");
		return false;
	}
	if (a->paper && g_ascii_strcasecmp(a->paper, "a4") != 0 &&
	    g_ascii_strcasecmp(a->paper, "letter") != 0) {
		diag_usage("pdf", FALSE, "--paper must be a4 or letter, got '%s'", a->paper);
		return false;
	}
	return true;
}

/* Several Markdown files into one PDF through typeset_dossier(). */
static int
pdf_combined(const typeset_theme *theme, const pdf_args *a, int n, char **files)
{
	typeset_part *parts = g_new0(typeset_part, n);
	char **texts = g_new0(char *, n + 1);
	gint64 date = 0;
	int rc = EXIT_OK;

	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		if (strcmp(files[i], "-") == 0) {
			diag(DIAG_ERROR, "<stdin>", 0, 0,
			     "standard input cannot be combined with other files");
			rc = EXIT_BAD;
			break;
		}
		size_t len = 0;
		texts[i] = pdf_read_input(files[i], &len);
		if (!texts[i]) {
			rc = EXIT_BAD;
			break;
		}
		parts[i].md = texts[i];
		parts[i].len = len;
		parts[i].md_file = files[i];
		date = MAX(date, pdf_date(files[i]));
	}
	if (rc == EXIT_OK) {
		typeset_meta meta = {
			.title = a->title ? a->title : "Combined documents",
			.author = a->company,
			.footer = a->company,
			.date = date,
			.paper = a->paper,
			.flags = a->draft ? TYPESET_DRAFT : 0,
		};
		g_autoptr(GBytes) pdf = NULL;
		rc = typeset_dossier(theme, &meta, parts, (size_t)n, a->out, &pdf) < 0
			? EXIT_BAD : pdf_write_output(a->out, pdf);
	}
	g_strfreev(texts);
	g_free(parts);
	return rc;
}

/* One Markdown file, `in` ("-": standard input), to its PDF or, with
 * --layout, to the text of its layout on standard output. */
static int
pdf_single(const typeset_theme *theme, const pdf_args *a, const char *in)
{
	size_t len = 0;
	g_autofree char *md = pdf_read_input(in, &len);
	if (!md)
		return EXIT_BAD;
	typeset_meta meta = {
		.title = a->title,
		.author = a->company,
		.footer = a->company,
		.date = pdf_date(in),
		.paper = a->paper,
		.flags = a->draft ? TYPESET_DRAFT : 0,
	};
	const char *md_file = strcmp(in, "-") == 0 ? "<stdin>" : in;
	if (a->dump) {
		g_autofree char *text = typeset_dump(theme, &meta, md, len, md_file);
		if (!text)
			return EXIT_BAD;
		fputs(text, stdout);
		return cmd_stdout_done(EXIT_OK);
	}
	g_autofree char *out = g_strdup(a->out);
	if (!out) {
		out = pdf_default_output(in);
		/* A PDF on a terminal is only noise (and may upset it):
		 * only an explicit -o - writes it there. */
		if (!strcmp(out, "-") && isatty(STDOUT_FILENO)) {
			diag_usage("pdf", FALSE, "not writing a binary PDF to the terminal; "
				   "redirect standard output, give -o OUT.pdf, or -o - to force it");
			return EXIT_BAD;
		}
	}
	if (strcmp(in, "-") == 0)
		meta.base_dir = ".";
	g_autoptr(GBytes) pdf = NULL;
	return typeset_markdown(theme, &meta, md, len, md_file, out, &pdf) < 0
		? EXIT_BAD : pdf_write_output(out, pdf);
}

int
cmd_pdf(int argc, char **argv)
{
	pdf_args a = { 0 };
	int rc = EXIT_BAD;
	if (pdf_parse_args(&a, &argc, &argv)) {
		typeset_theme *theme = typeset_theme_load(a.theme_path);
		if (theme) {
			rc = argc > 2 ? pdf_combined(theme, &a, argc - 1, argv + 1)
				      : pdf_single(theme, &a, argv[1]);
			typeset_theme_free(theme);
		}
	}
	pdf_args_clear(&a);
	return rc;
}
