/* cli/render.c - `dossier render`: one template, one YAML data file, stdout.
 *
 * The render stage on its own, for debugging a template and for checking
 * the engine against hand-made data: load the data (load_yaml.c), parse the
 * template (tmpl.c), render it, print it.  Partials come from --partials DIR
 * (DIR/NAME.mustache, else DIR/NAME).  Without --strict a missing value
 * renders empty, as the Mustache spec says; with it, it is an error, as in
 * `dossier build`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "base/diag.h"
#include "base/file.h"
#include "load/yaml.h"
#include "render/tmpl.h"

#define RENDER_USAGE "dossier render --data FILE.yaml [--partials DIR] [--strict] TEMPLATE"

/* The template text, from a file or "-" for standard input; NULL after a
 * located message. */
static char *
render_read_template(const char *path, const char **name)
{
	g_autofree char *why = NULL;
	char *text = NULL;
	size_t len = 0;

	if (!strcmp(path, "-")) {
		g_autoptr(GString) s = g_string_new(NULL);
		char buf[65536];
		size_t n;

		*name = "<stdin>";
		while ((n = fread(buf, 1, sizeof buf, stdin)) > 0 && s->len <= FILE_MAX_CONTENT)
			g_string_append_len(s, buf, n);
		if (ferror(stdin)) {
			diag(DIAG_ERROR, *name, 0, 0, "cannot read the template");
			return NULL;
		}
		if (s->len > FILE_MAX_CONTENT) {
			diag(DIAG_ERROR, *name, 0, 0, "file is larger than the limit of %u MiB",
			     FILE_MAX_CONTENT >> 20);
			return NULL;
		}
		len = s->len;
		text = g_string_free(g_steal_pointer(&s), FALSE);
	} else {
		*name = path;
		if (!file_read(path, FILE_MAX_CONTENT, &text, &len, &why)) {
			diag(DIAG_ERROR, path, 0, 0, "%s", why);
			return NULL;
		}
	}
	if (strlen(text) != len) {
		diag(DIAG_ERROR, *name, 0, 0, "the template contains a NUL byte");
		g_free(text);
		return NULL;
	}
	return text;
}

int
cmd_render(int argc, char **argv)
{
	g_autofree char *data_path = NULL;
	g_autofree char *partials = NULL;
	gboolean strict = FALSE;
	const GOptionEntry entries[] = {
		{ "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_path,
		  "the YAML file the template reads (required)", "FILE.yaml" },
		{ "partials", 'p', 0, G_OPTION_ARG_FILENAME, &partials,
		  "where {{>name}} and {{<name}} find DIR/name.mustache (else DIR/name)", "DIR" },
		{ "strict", 's', 0, G_OPTION_ARG_NONE, &strict,
		  "a missing value or partial is an error, as in 'dossier build'", NULL },
		{ NULL },
	};

	if (!cmd_parse_options("render", "TEMPLATE",
			       "Renders one Mustache TEMPLATE (a file, or - for standard input) with\n"
			       "the data in one YAML file and prints the result.  Without --strict a\n"
			       "missing value renders as nothing, as the Mustache spec says.\n"
			       "Exit status: 0 rendered, 2 bad usage, bad data or a template error.",
			       entries, &argc, &argv))
		return EXIT_BAD;
	if (!data_path || argc != 2) {
		diag_usage("render", FALSE, "%s; usage: " RENDER_USAGE,
			   !data_path ? "--data FILE.yaml is required" :
			argc < 2 ? "no TEMPLATE given" : "one TEMPLATE only");
		return EXIT_BAD;
	}

	if (partials && !g_file_test(partials, G_FILE_TEST_IS_DIR)) {
		diag(DIAG_ERROR, partials, 0, 0, "--partials needs a directory");
		return EXIT_BAD;
	}

	const char *name = NULL;
	g_autofree char *text = render_read_template(argv[1], &name);
	if (!text)
		return EXIT_BAD;
	g_autoptr(tmpl) t = tmpl_parse(name, text);
	if (!t)
		return EXIT_BAD;
	val *data = yaml_load_file(data_path);
	if (!data)
		return EXIT_BAD;

	tmpl_opts opts = {
		.strict = strict,
		.load = partials ? tmpl_load_dir : NULL,
		.load_ud = partials,
		.names_dir = partials,
	};
	g_autofree char *out = tmpl_render(t, data, &opts);
	val_free(data);
	if (!out)
		return EXIT_BAD;
	fputs(out, stdout);
	if (fflush(stdout) != 0) {
		diag(DIAG_ERROR, "<stdout>", 0, 0, "cannot write the output");
		return EXIT_BAD;
	}
	return EXIT_OK;
}
