/* load/content.c - content/ to one checked value tree (load stage; see content.h).
 *
 * The schema decides which files exist: a key like "company.yaml" is a file
 * whose top-level keys go to the root; "triggers.yaml?" is optional;
 * "metrics/ *.yaml" and "case-studies/ *.md" (without the space) are the
 * two collections.
 */
#include <stdio.h>
#include <string.h>
#include <cmark-gfm.h>
#include <glib/gstdio.h>

#include "load/content.h"
#include "load/csvfile.h"
#include "base/diag.h"
#include "base/markdown.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "base/fmt.h"
#include "load/yaml.h"
#include "load/architecture.h"
#include "load/privacy.h"
#include "load/rules.h"
#include "load/schema.h"

#define METRICS_KEY	"metrics/*.yaml"
#define CASES_KEY	"case-studies/*.md"

/* ---- files that look like content but are not read ---------------------- */

/* Why `name` is something an editor or a copy left beside a file, or hidden:
 * the reason, and in *core the name of the file it stands for ("gas.md"
 * for "#gas.md#"); NULL (and *core NULL) for an ordinary name. */
const char *
content_leftover(const char *name, char **core)
{
	size_t n = strlen(name);
	*core = NULL;
	if (g_str_has_prefix(name, ".~lock.") && n > 8 && name[n - 1] == '#') {	/* LibreOffice */
		*core = g_strndup(name + 7, n - 8);
		return "an editor's lock file for %s";
	}
	if (g_str_has_prefix(name, ".#") && n > 2) {		/* Emacs */
		*core = g_strdup(name + 2);
		return "an editor's lock file for %s";
	}
	if (name[0] == '#' && n > 2 && name[n - 1] == '#') {	/* Emacs */
		*core = g_strndup(name + 1, n - 2);
		return "an editor's auto-save file for %s";
	}
	const char *base = name[0] == '.' ? name + 1 : name;
	size_t bn = strlen(base);
	/* Vim's .NAME.swp (then .swo, ... .swa) and Kate's .NAME.kate-swp */
	if (name[0] == '.' && bn > 4 && !strncmp(base + bn - 4, ".sw", 3) &&
	    base[bn - 1] >= 'a' && base[bn - 1] <= 'p') {
		*core = g_strndup(base, bn - 4);
		return "an editor's swap file for %s";
	}
	if (name[0] == '.' && g_str_has_suffix(base, ".kate-swp") && bn > 9) {
		*core = g_strndup(base, bn - 9);
		return "an editor's swap file for %s";
	}
	static const char *const backup[] = { "~", ".bak", ".orig", ".old", ".save" };
	for (size_t i = 0; i < G_N_ELEMENTS(backup); i++) {
		size_t k = strlen(backup[i]);
		if (bn > k && g_str_has_suffix(base, backup[i])) {
			*core = g_strndup(base, bn - k);
			return "a backup copy of %s";
		}
	}
	if (name[0] == '.' && n > 1) {
		*core = g_strdup(name + 1);
		return "a hidden file (its name starts with '.')";
	}
	return NULL;
}

/* Warn once, naming `path`, that it is not read and why. */
static void
warn_leftover(const char *path, const char *why, const char *core)
{
	g_autofree char *text = g_strdup_printf(why, core);
	diag(DIAG_WARNING, path, 0, 0, "not read: %s", text);
}

/* Whether name ends with one of the suffixes, in any letters. */
static bool
ends_ci(const char *name, const char *const *suffixes)
{
	size_t n = strlen(name);
	for (; *suffixes; suffixes++) {
		size_t k = strlen(*suffixes);
		if (n > k && !g_ascii_strcasecmp(name + n - k, *suffixes))
			return true;
	}
	return false;
}

/* Sorted names in dir ending with suffix; an absent dir gives none.  A file
 * that is not read although it looks like one (its name, or the name it
 * stands for, ends with one of `looks` in any letters) gets a warning naming
 * it: hidden, an editor's leftover, or the suffix in other letters (x.MD,
 * named as `what`).  Other hidden files are skipped without a word. */
static GPtrArray *
list_dir(const char *dir, const char *suffix, const char *const *looks, const char *what)
{
	GPtrArray *names = file_list(dir);
	guint kept = 0;
	for (guint i = 0; i < names->len; i++) {
		char *name = names->pdata[i];
		g_autofree char *core = NULL;
		const char *why = content_leftover(name, &core);
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (why && ends_ci(core, looks)) {
			warn_leftover(path, why, core);
		} else if (name[0] == '.') {
			;	/* .git, .DS_Store: not content */
		} else if (g_str_has_suffix(name, suffix)) {
			names->pdata[kept++] = name;
			continue;
		} else if (!why && ends_ci(name, looks)) {
			diag(DIAG_WARNING, path, 0, 0, "not read: %s are read from *%s files, in lower case",
			     what, suffix);
		}
		g_free(name);
	}
	g_ptr_array_set_free_func(names, NULL);
	g_ptr_array_set_size(names, kept);
	g_ptr_array_set_free_func(names, g_free);
	return names;
}

GPtrArray *
content_list_metrics(const char *dir)
{
	static const char *const looks[] = { ".yaml", ".yml", ".csv", NULL };
	return list_dir(dir, "", looks, "snapshots");
}

/* Files in the content folder itself that stand for a file the schema names
 * (company.yaml) but are not it: hidden, an editor's leftover, other
 * letters (Company.yaml) or .yml.  Each gets a warning naming it. */
static void
warn_top_level(const char *content_dir, const val *schema)
{
	g_autoptr(GPtrArray) names = file_list(content_dir);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *core = NULL;
		const char *why = content_leftover(name, &core);
		g_autofree char *lower = g_ascii_strdown(why ? core : name, -1);
		if (g_str_has_suffix(lower, ".yml")) {
			char *yaml = g_strdup_printf("%.*s.yaml", (int)strlen(lower) - 4, lower);
			g_free(lower);
			lower = yaml;
		}
		for (guint k = 0; k < val_len(schema); k++) {
			g_autofree char *file = g_strdup(val_key(schema, k));
			size_t n = strlen(file);
			if (n && file[n - 1] == '?')
				file[n - 1] = '\0';
			if (strchr(file, '/') || strcmp(lower, file) || !strcmp(name, file))
				continue;
			g_autofree char *path = g_build_filename(content_dir, name, NULL);
			if (why)
				warn_leftover(path, why, core);
			else
				diag(DIAG_WARNING, path, 0, 0, "not read: the file read is %s (names are exact)", file);
		}
	}
}

/* One plain content file: its top-level keys go to root. */
static bool
load_file(val *root, const char *content_dir, const char *name, bool optional,
	  const val *schema)
{
	g_autofree char *path = g_build_filename(content_dir, name, NULL);
	if (optional && !file_exists(path))
		return true;
	val *v = yaml_load_file(path);
	if (!v)
		return false;
	if (!schema_check(v, schema, "")) {
		val_free(v);
		return false;
	}
	for (guint i = 0; i < val_len(v); i++)
		val_map_set(root, val_key(v, i), val_copy(val_index(v, i)));
	val_free(v);
	return true;
}

/* The list of maps that metrics/MONTH.KEY.csv may hold instead of the
 * snapshot's KEY: (clients, incidents): its item schema, else NULL. */
static const val *
csv_item_schema(const val *schema, const char *key)
{
	g_autofree char *opt = g_strconcat(key, "?", NULL);
	const val *sub = val_get(schema, opt);
	if (!sub)
		sub = val_get(schema, key);
	if (!sub || sub->kind != VAL_LIST || val_len(sub) != 1 || val_index(sub, 0)->kind != VAL_MAP)
		return NULL;
	return val_index(sub, 0);
}

/* Lists of `snapshot` that come from CSV files beside it: MONTH.KEY.csv for
 * every list-of-maps KEY of the schema.  A list given both ways is an
 * error at both places. */
static bool
load_snapshot_csvs(val *snapshot, const char *dir, const char *month, const val *schema)
{
	bool ok = true;
	for (guint i = 0; i < val_len(schema); i++) {
		g_autofree char *key = g_strdup(val_key(schema, i));
		if (g_str_has_suffix(key, "?"))
			key[strlen(key) - 1] = '\0';
		const val *item = csv_item_schema(schema, key);
		if (!item)
			continue;
		g_autofree char *name = g_strdup_printf("%s.%s.csv", month, key);
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (!file_exists(path))
			continue;
		const val *inline_list = val_get(snapshot, key);
		if (inline_list) {
			int line = inline_list->key_line ? inline_list->key_line : inline_list->line;
			int col = inline_list->key_line ? inline_list->key_col : inline_list->col;
			diag(DIAG_ERROR, inline_list->file, line, col,
			     "%s are listed here and in %s: keep one (remove this list or the CSV file)", key, name);
			diag(DIAG_ERROR, path, 1, 1,
			     "%s are listed here and in %s:%d: keep one (remove the CSV file or that list)",
			     key, inline_list->file, line);
			ok = false;
			continue;
		}
		val *list = csvfile_load(path, item);
		if (!list) {
			ok = false;
			continue;
		}
		val_map_set(snapshot, key, list);
	}
	return ok;
}

/* A CSV file in metrics/ must belong to a snapshot and name a list it holds. */
static bool
check_csv_name(const char *dir, const char *name, const val *schema)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GMatchInfo) mi = NULL;
	g_autoptr(GRegex) re = g_regex_new("^([0-9]{4}-(0[1-9]|1[0-2]))\\.([a-z_]+)\\.csv$", 0, 0, NULL);
	if (!g_regex_match(re, name, 0, &mi)) {
		diag(DIAG_ERROR, path, 0, 0,
		     "a CSV file in metrics/ is named after its snapshot and list, YYYY-MM.LIST.csv (like 2026-11.clients.csv)");
		return false;
	}
	g_autofree char *month = g_match_info_fetch(mi, 1);
	g_autofree char *key = g_match_info_fetch(mi, 3);
	if (!csv_item_schema(schema, key)) {
		diag(DIAG_ERROR, path, 0, 0, "a snapshot has no list '%s' that a CSV file could hold", key);
		return false;
	}
	g_autofree char *yaml = g_strdup_printf("%s.yaml", month);
	g_autofree char *ypath = g_build_filename(dir, yaml, NULL);
	if (!file_exists(ypath)) {
		diag(DIAG_ERROR, path, 0, 0, "no snapshot %s for this file (run 'dossier month %s' to start one)",
		     yaml, month);
		return false;
	}
	return true;
}

static bool
load_metrics(val *root, const char *content_dir, const val *schema)
{
	g_autofree char *dir = g_build_filename(content_dir, "metrics", NULL);
	/* Every file, so that a 2026-11.yml or a stray file is not silently skipped. */
	g_autoptr(GPtrArray) names = content_list_metrics(dir);
	val *list = val_set_list(root, "metrics");
	bool ok = true;
	int prev = -1;
	const char *prev_name = NULL;

	if (names->len == 0) {
		diag(DIAG_ERROR, dir, 0, 0, "no monthly snapshots: add one file per month named YYYY-MM.yaml");
		return false;
	}
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (g_str_has_suffix(name, ".csv")) {
			ok = check_csv_name(dir, name, schema) && ok;
			continue;
		}
		g_autofree char *month = g_str_has_suffix(name, ".yaml") ?
			g_strndup(name, strlen(name) - 5) : g_strdup("");
		if (!g_regex_match_simple("^[0-9]{4}-(0[1-9]|1[0-2])$", month, 0, 0)) {
			int y, mo;
			char end;
			if (g_str_has_suffix(name, ".yml") && sscanf(name, "%4d-%2d.ym%c", &y, &mo, &end) == 3 &&
			    strlen(name) == 11 && mo >= 1 && mo <= 12)
				diag(DIAG_ERROR, path, 0, 0,
				     "a metrics file ends in .yaml, not .yml: rename it %.7s.yaml", name);
			else if (*month && sscanf(month, "%4d-%2d%c", &y, &mo, &end) == 2 && strlen(month) == 7)
				diag(DIAG_ERROR, path, 0, 0,
				     "month %02d in the file name is out of range: months run from 01 to 12", mo);
			else
				diag(DIAG_ERROR, path, 0, 0,
				     "a metrics file is named after its month, YYYY-MM.yaml (like 2026-10.yaml)");
			ok = false;
			continue;
		}
		val *v = yaml_load_file(path);
		if (!v || !schema_check(v, schema, "")) {
			val_free(v);
			ok = false;
			continue;
		}
		val *m = val_get(v, "month");
		if (!m || m->kind != VAL_STRING) {	/* schema.yaml is the user's: it may say otherwise */
			const val *at = m ? m : v;
			diag(DIAG_ERROR, at->file, at->line, at->col,
			     "a snapshot needs its month: as text, month: \"%s\"", month);
			val_free(v);
			ok = false;
			continue;
		}
		if (strcmp(m->str, month)) {
			diag(DIAG_ERROR, m->file, m->line, m->col,
			     "month '%s' does not match the file name %s", m->str, name);
			val_free(v);
			ok = false;
			continue;
		}
		if (!load_snapshot_csvs(v, dir, month, schema)) {
			val_free(v);
			ok = false;
			continue;
		}
		int idx = fmt_month_index(month);	/* the name is checked: never -1 */
		if (prev >= 0 && idx != prev + 1) {
			int gap = prev + 1;
			diag(DIAG_ERROR, m->file, m->line, m->col,
			     "no snapshot for %04d-%02d: monthly snapshots must be consecutive (the one before is %s)",
			     gap / 12, gap % 12 + 1, prev_name);
			ok = false;
		}
		prev = idx;
		prev_name = name;
		val_list_add(list, v);
	}
	return ok;
}

val *
content_front_matter(const char *file, const char *text, size_t len,
		     const char **body_out, int *body_line)
{
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {	/* a BOM is harmless */
		text += 3;
		len -= 3;
	}
	if (!(len >= 4 && (!strncmp(text, "---\n", 4) || !strncmp(text, "---\r\n", 5)))) {
		diag(DIAG_ERROR, file, 1, 1, "missing front matter: the file must start with a '---' line, "
		     "then YAML (title, client, ...), then '---'");
		return NULL;
	}
	/* Find the closing '---' line. */
	const char *p = memchr(text, '\n', len) + 1;
	const char *end = text + len;
	int line = 2;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if ((n == 3 && !strncmp(p, "---", 3)) || (n == 4 && !strncmp(p, "---\r", 4))) {
			/* Give libyaml "---\n<front matter>" so lines stay right. */
			val *fm = yaml_load_string(file, text, (size_t)(p - text));
			if (!fm)
				return NULL;
			if (fm->kind != VAL_MAP) {
				diag(DIAG_ERROR, file, 2, 1, "front matter must be a mapping of keys to values, got %s%s",
				     fm->kind == VAL_NULL ? "nothing" : "a ",
				     fm->kind == VAL_NULL ? "" : val_kind_name(fm->kind));
				val_free(fm);
				return NULL;
			}
			*body_out = eol ? eol + 1 : end;
			*body_line = line + 1;
			return fm;
		}
		if (!eol)
			break;
		p = eol + 1;
		line++;
	}
	diag(DIAG_ERROR, file, 1, 1, "front matter opened here is never closed with a '---' line");
	return NULL;
}

/* Text as names are compared in file names: accents off, case folded,
 * anything but letters and digits a single space, a space at each end
 * ("img/Ana_Gómez-2.png" -> " img ana gomez 2 png "). */
static char *
name_folded(const char *s)
{
	g_autofree char *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
	g_autoptr(GString) out = g_string_new(" ");
	for (const char *p = nfd ? nfd : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_ismark(c))
			continue;
		if (g_unichar_isalnum(c))
			g_string_append_unichar(out, g_unichar_tolower(c));
		else if (out->str[out->len - 1] != ' ')
			g_string_append_c(out, ' ');
	}
	if (out->str[out->len - 1] != ' ')
		g_string_append_c(out, ' ');
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* The private name (front matter `private:`) that the image's file name
 * spells, or NULL. */
static const char *
private_in_name(const val *fm, const char *url)
{
	g_autofree char *in = name_folded(url);
	const val *priv = val_get(fm, "private");
	for (guint i = 0; i < val_len(priv); i++) {
		const val *name = val_get(val_index(priv, i), "name");
		if (!name || name->kind != VAL_STRING)
			continue;
		g_autofree char *n = name_folded(name->str);
		if (strlen(n) > 2 && strstr(in, n))
			return name->str;
	}
	return NULL;
}

/* An image of a case study, beside it: a regular file inside the content
 * folder (file.h), whose name spells no private name (a relative path,
 * perhaps into a folder there, %-escapes undone).  Its digest is taken
 * through file_sha256(), so the build's record has it: an input.  It goes
 * into the package beside the case study's document (render/package.c
 * claims its place, write/markdown.c copies it), where the typesetter finds
 * it.  NULL after a located error at the image. */
static val *
image_beside(const char *file, const val *fm, const char *url, int line, int col)
{
	g_autofree char *rel = g_uri_unescape_string(url, NULL);
	g_autofree char *dir = g_path_get_dirname(file);
	g_autofree char *path = g_build_filename(dir, rel ? rel : url, NULL);
	GStatBuf st;
	g_autofree char *out = NULL, *why = NULL, *sha = NULL;
	const char *who = NULL;
	if (g_stat(path, &st) != 0)
		diag(DIAG_ERROR, file, line, col, "image '%s': no such file %s", url, path);
	else if (!S_ISREG(st.st_mode))
		diag(DIAG_ERROR, file, line, col, "image '%s': %s is not a regular file", url, path);
	else if ((out = file_outside(path)))
		diag(DIAG_ERROR, file, line, col, "image '%s': %s", url, out);
	else if ((who = private_in_name(fm, url)))
		diag(DIAG_ERROR, file, line, col, "image '%s' names a private person (%s): rename the file",
		     url, who);
	else if (!(sha = file_sha256(path, NULL, &why)))
		diag(DIAG_ERROR, file, line, col, "image '%s': %s", url, why);
	else
		return val_at(val_new_string(rel ? rel : url), g_intern_string(file), line, col);
	return NULL;
}

/* A case study's images stay inside the package: a relative path without
 * "..", never an absolute path or a file:// (or any other local) URL, which
 * would pull any image on the machine into what is sent to Meta.  A local
 * one (no URL scheme) must be there, beside the case study, and goes into
 * *images, as image_beside() has it.  Reference-style images count as
 * cmark resolves them. */
static bool
images_inside(const char *file, const val *fm, const char *body, int body_line, val *images)
{
	bool ok = true;
	/* Parsed as the typesetter parses it: an image in a footnote is an
	 * image (without the option "[^1]: ![x](y)" is a link definition). */
	cmark_node *doc = markdown_parse(body, strlen(body));
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		const char *url = cmark_node_get_url(n);
		if (!url || !*url)
			continue;	/* the typesetter says so, at its line */
		int line = body_line + cmark_node_get_start_line(n) - 1, col = cmark_node_get_start_column(n);
		g_autofree char *scheme = g_uri_parse_scheme(url);
		if (privacy_image_outside(url)) {
			diag(DIAG_ERROR, file, line, col,
			     "image '%s' is outside the package: a case study's images are relative paths "
			     "inside it (no '/' at the start, no '..', no file:// URL)", url);
			ok = false;
		} else if (!scheme) {
			val *im = image_beside(file, fm, url, line, col);
			if (im)
				val_list_add(images, im);
			ok = im && ok;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return ok;
}

static gint
cmp_case(gconstpointer a, gconstpointer b)
{
	const val *x = *(val *const *)a, *y = *(val *const *)b;
	const val *ox = val_get(x, "order"), *oy = val_get(y, "order");
	double dx = ox && ox->kind == VAL_NUMBER ? ox->num : 1e18;
	double dy = oy && oy->kind == VAL_NUMBER ? oy->num : 1e18;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(val_get(x, "slug")->str, val_get(y, "slug")->str);
}

/* The application asks for 3-5 case studies. */
#define CASES_MAX	5

/* Case studies sorted by order: two with the same order is an error at
 * both (the file name would silently decide); more than CASES_MAX a warning
 * at the first one too many. */
static bool
check_case_order(const val *list)
{
	bool ok = true;
	for (guint i = 1; i < val_len(list); i++) {
		const val *a = val_index(list, i - 1), *b = val_index(list, i);
		const val *oa = val_get(a, "order"), *ob = val_get(b, "order");
		if (!oa || !ob || oa->kind != VAL_NUMBER || ob->kind != VAL_NUMBER || oa->num != ob->num)
			continue;
		g_autofree char *na = g_path_get_basename(val_get(a, "file")->str);
		g_autofree char *nb = g_path_get_basename(val_get(b, "file")->str);
		diag(DIAG_ERROR, oa->file, oa->line, oa->col,
		     "order %.0f is also given to %s (line %d): each case study needs its own order", oa->num, nb, ob->line);
		diag(DIAG_ERROR, ob->file, ob->line, ob->col,
		     "order %.0f is also given to %s (line %d): each case study needs its own order", ob->num, na, oa->line);
		ok = false;
	}
	if (val_len(list) > CASES_MAX) {
		const val *extra = val_get(val_index(list, CASES_MAX), "order");
		diag(DIAG_WARNING, extra->file, extra->line, extra->col,
		     "%u case studies: the application asks for 3-5, so this one (number %d by order) and any after it "
		     "leave the readiness item unmet", val_len(list), CASES_MAX + 1);
	}
	return ok;
}

static bool
load_case_studies(val *root, const char *content_dir, const val *schema)
{
	g_autofree char *dir = g_build_filename(content_dir, "case-studies", NULL);
	static const char *const looks[] = { ".md", NULL };
	g_autoptr(GPtrArray) names = list_dir(dir, ".md", looks, "case studies");
	val *list = val_set_list(root, "case_studies");
	bool ok = true;

	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *text = NULL, *why = NULL;
		size_t len;
		if (!file_read(path, YAML_MAX_BYTES, &text, &len, &why)) {
			diag(DIAG_ERROR, path, 0, 0, "%s", why);
			ok = false;
			continue;
		}
		if (!g_utf8_validate(text, (gssize)len, NULL)) {
			const char *bad;
			g_utf8_validate(text, (gssize)len, &bad);
			int line, col;
			diag_locate(text, len, (size_t)(bad - text), &line, &col);
			diag(DIAG_ERROR, path, line, col, "invalid text: not UTF-8");
			ok = false;
			continue;
		}
		const char *body;
		int body_line;
		val *fm = content_front_matter(path, text, len, &body, &body_line);
		if (!fm || !schema_check(fm, schema, "")) {
			val_free(fm);
			ok = false;
			continue;
		}
		val_set_string(fm, "body", body);
		val_set_number(fm, "body_line", body_line);
		val_set_string(fm, "file", path);
		g_autofree char *slug = g_strndup(name, strlen(name) - 3);
		val_set_string(fm, "slug", slug);
		if (!images_inside(path, fm, body, body_line, val_set_list(fm, "images")) ||
		    !privacy_check_case_study(fm)) {
			val_free(fm);
			ok = false;
			continue;
		}
		val_list_add(list, fm);
	}
	g_ptr_array_sort(list->items, cmp_case);
	return check_case_order(list) && ok;
}

/* templates/rate-card.yaml, Meta's per-message rates (data, with their
 * sources), as root.rate_card when the templates have one; derive checks
 * its contents (derive/cost.c).  False after a located error. */
static bool
load_rate_card(val *root, const char *templates_dir)
{
	if (!searchpath_has(templates_dir, "rate-card.yaml"))
		return true;
	g_autofree char *path = searchpath_find(templates_dir, "rate-card.yaml");
	val *doc = yaml_load_file(path);
	if (!doc)
		return false;
	val *card = doc->kind == VAL_MAP ? val_get(doc, "rate_card") : NULL;
	if (!card || card->kind != VAL_MAP) {
		diag(DIAG_ERROR, path, doc->line, doc->col, "rate-card.yaml holds one mapping, rate_card: {currency, markets}");
		val_free(doc);
		return false;
	}
	val_map_set(root, "rate_card", val_copy(card));
	val_free(doc);
	return true;
}

val *
content_load(const char *content_dir, const char *templates_dir)
{
	g_autofree char *schema_path = searchpath_find(templates_dir, "schema.yaml");
	val *schema = yaml_load_file(schema_path);
	if (!schema)
		return NULL;
	if (schema->kind != VAL_MAP || !schema_validate_schema(schema)) {
		if (schema->kind != VAL_MAP)
			diag(DIAG_ERROR, schema_path, 1, 1, "the schema must be a mapping of file names to their keys");
		val_free(schema);
		return NULL;
	}
	if (!g_file_test(content_dir, G_FILE_TEST_IS_DIR)) {
		diag(DIAG_ERROR, content_dir, 0, 0, "no such content folder");
		val_free(schema);
		return NULL;
	}

	val *root = val_at(val_new_map(), g_intern_string(content_dir), 0, 0);
	bool ok = true;
	warn_top_level(content_dir, schema);
	const val *cases_schema = NULL;
	for (guint i = 0; i < val_len(schema); i++) {
		const char *key = val_key(schema, i);
		const val *sub = val_index(schema, i);
		if (!strcmp(key, METRICS_KEY))
			ok = load_metrics(root, content_dir, sub) && ok;
		else if (!strcmp(key, CASES_KEY))
			cases_schema = sub;
		else {
			size_t n = strlen(key);
			bool optional = key[n - 1] == '?';
			g_autofree char *name = g_strndup(key, optional ? n - 1 : n);
			ok = load_file(root, content_dir, name, optional, sub) && ok;
		}
	}
	if (cases_schema)
		ok = load_case_studies(root, content_dir, cases_schema) && ok;
	/* The privacy scan last, over everything: names declared private in
	 * any case study, national ID numbers of the company's country
	 * (templates/privacy.yaml). */
	g_autofree char *rules_path = searchpath_find(templates_dir, "privacy.yaml");
	bool have_rules = searchpath_has(templates_dir, "privacy.yaml");
	val *doc = have_rules ? yaml_load_file(rules_path) : NULL;
	const val *country = val_path(root, "company.address.country");
	privacy_rules *rules = NULL;
	if (doc || !have_rules)
		rules = privacy_rules_new(doc, country && country->kind == VAL_STRING ? country->str : NULL);
	if (rules)
		ok = privacy_scan_content(root, rules) && ok;
	else
		ok = false;
	privacy_rules_free(rules);
	val_free(doc);
	val_free(schema);
	if (ok) {
		ok = rules_load_privacy_law(root, templates_dir) && ok;
		ok = rules_load_commitments(root, templates_dir) && ok;
	}
	ok = architecture_resolve(root) && ok;	/* when architecture.yaml itself loaded */
	ok = load_rate_card(root, templates_dir) && ok;
	if (!ok || diag_errors()) {
		val_free(root);
		return NULL;
	}
	return root;
}
