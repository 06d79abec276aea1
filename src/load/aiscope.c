/* load/aiscope.c - the AI-provider rule on the wording (load stage; see aiscope.h). */
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "load/aiscope.h"
#include "load/schema.h"
#include "load/yaml.h"

static const char aiscope_schema[] =
	"source:\n"
	"  title: string\n"
	"  url: url\n"
	"  effective: string\n"
	"  read: date\n"
	"  quote: text\n"
	"assistant_terms: [string]\n"
	"general_purpose_phrases: [string]\n"
	"negations: [string]\n";

/* Text folded for matching: ASCII letters in lower case, every run of
 * white space one space; map[i] is the byte of the original that byte i
 * of the folded text came from. */
typedef struct {
	GString *s;
	GArray *map;	/* size_t */
} folded;

static void
fold(folded *f, const char *text, size_t len, bool yaml)
{
	f->s = g_string_sized_new(len);
	f->map = g_array_sized_new(FALSE, FALSE, sizeof(size_t), (guint)len);
	bool line_start = true, comment = false, space = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n') {
			line_start = true;
			comment = false;
		} else if (line_start && c != ' ' && c != '\t') {
			line_start = false;
			comment = yaml && c == '#';	/* a whole-line YAML comment is not content */
		}
		if (comment)
			c = ' ';
		if (g_ascii_isspace(c)) {
			if (space)
				continue;
			space = true;
			c = ' ';
		} else {
			space = false;
		}
		g_string_append_c(f->s, g_ascii_tolower(c));
		g_array_append_val(f->map, i);
	}
}

static void
fold_free(folded *f)
{
	g_string_free(f->s, TRUE);
	g_array_unref(f->map);
}

/* A letter or digit of a word (any byte of a non-ASCII character counts). */
static bool
word_byte(char c)
{
	return g_ascii_isalnum(c) || (unsigned char)c >= 0x80;
}

/* The folded `phrase`, with a space run trimmed at both ends. */
static char *
fold_phrase(const char *phrase)
{
	folded f;
	fold(&f, phrase, strlen(phrase), false);
	g_autofree char *s = g_strstrip(g_strdup(f.s->str));
	fold_free(&f);
	return g_steal_pointer(&s);
}

/* Where `needle` stands in `hay` as whole words from `from` on; -1 when not. */
static gssize
find_word(const char *hay, size_t hay_len, const char *needle, size_t from)
{
	size_t n = strlen(needle);
	for (const char *p = hay + from; n && (p = strstr(p, needle)); p++) {
		size_t at = (size_t)(p - hay);
		bool left = at == 0 || !word_byte(hay[at - 1]) || !word_byte(needle[0]);
		bool right = at + n >= hay_len || !word_byte(hay[at + n]) || !word_byte(needle[n - 1]);
		if (left && right)
			return (gssize)at;
	}
	return -1;
}

/* Whether a negation stands before byte `at` in the same sentence (at
 * most 40 bytes back). */
static bool
negated(const char *hay, size_t at, const val *negations)
{
	size_t start = at > 40 ? at - 40 : 0;
	for (size_t i = at; i > start; i--)
		if (strchr(".!?;\n", hay[i - 1])) {
			start = i;
			break;
		}
	g_autofree char *window = g_strndup(hay + start, at - start);
	for (guint i = 0; i < val_len(negations); i++) {
		g_autofree char *neg = fold_phrase(val_index(negations, i)->str);
		if (find_word(window, strlen(window), neg, 0) >= 0)
			return true;
	}
	return false;
}

typedef struct {
	const val *policy;
	val *findings;		/* ai_policy.findings */
	char *first_mention;	/* "file:line:col" of the first assistant term in content */
	const char *mention_file;
	int mention_line, mention_col;
} scan;

static void
scan_file(scan *sc, const char *path, bool content)
{
	g_autofree char *text = NULL, *why = NULL;
	size_t len = 0;
	if (!file_read(path, FILE_MAX_CONTENT, &text, &len, &why) || !g_utf8_validate(text, (gssize)len, NULL))
		return;		/* the loader reports a file it cannot read */
	folded f;
	fold(&f, text, len, g_str_has_suffix(path, ".yaml"));
	const val *phrases = val_get(sc->policy, "general_purpose_phrases");
	const val *negations = val_get(sc->policy, "negations");
	const val *source = val_get(sc->policy, "source");
	for (guint i = 0; i < val_len(phrases); i++) {
		g_autofree char *needle = fold_phrase(val_index(phrases, i)->str);
		for (gssize at = find_word(f.s->str, f.s->len, needle, 0); at >= 0;
		     at = find_word(f.s->str, f.s->len, needle, (size_t)at + 1)) {
			if (negated(f.s->str, (size_t)at, negations))
				continue;
			int line, col;
			diag_locate(text, len, g_array_index(f.map, size_t, at), &line, &col);
			g_autofree char *quoted = g_strndup(text + g_array_index(f.map, size_t, at),
							    g_array_index(f.map, size_t, at + strlen(needle) - 1) -
							    g_array_index(f.map, size_t, at) + 1);
			diag(DIAG_WARNING, path, line, col,
			     "\"%s\" presents the AI assistant as general-purpose: the WhatsApp Business Solution Terms "
			     "bar general-purpose AI assistants from %s (templates/%s); describe the business tasks it "
			     "performs for each client instead", quoted, val_get(source, "effective")->str, AISCOPE_FILE);
			val *fnd = val_new_map();
			val_set_string(fnd, "file", path);
			val_set_number(fnd, "line", line);
			val_set_number(fnd, "col", col);
			val_set_string(fnd, "phrase", quoted);
			val_list_add(sc->findings, fnd);
		}
	}
	const val *terms = val_get(sc->policy, "assistant_terms");
	for (guint i = 0; content && !sc->first_mention && i < val_len(terms); i++) {
		g_autofree char *needle = fold_phrase(val_index(terms, i)->str);
		gssize at = find_word(f.s->str, f.s->len, needle, 0);
		if (at < 0)
			continue;
		diag_locate(text, len, g_array_index(f.map, size_t, at), &sc->mention_line, &sc->mention_col);
		sc->mention_file = g_intern_string(path);
		sc->first_mention = g_strdup_printf("%s:%d:%d", path, sc->mention_line, sc->mention_col);
	}
	fold_free(&f);
}

/* The paths in `dir` ending in `suffix`, hidden files left out; listed
 * through file_list(), so the record of what is being made has the folder. */
static GPtrArray *
names_in(const char *dir, const char *suffix)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) all = file_list(dir);
	for (guint i = 0; i < all->len; i++) {
		const char *name = all->pdata[i];
		if (name[0] != '.' && g_str_has_suffix(name, suffix))
			g_ptr_array_add(names, g_build_filename(dir, name, NULL));
	}
	return names;
}

static gint
cmp_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
scan_all(scan *sc, const char *content_dir, const char *templates_dir)
{
	const char *const folders[][2] = { { "", ".yaml" }, { "metrics", ".yaml" }, { "case-studies", ".md" } };
	for (size_t k = 0; k < G_N_ELEMENTS(folders); k++) {
		g_autofree char *dir = g_build_filename(content_dir, folders[k][0], NULL);
		g_autoptr(GPtrArray) files = names_in(dir, folders[k][1]);
		g_ptr_array_sort(files, cmp_paths);
		for (guint i = 0; i < files->len; i++)
			scan_file(sc, files->pdata[i], true);
	}
	g_autoptr(GPtrArray) templates = searchpath_list(templates_dir, ".mustache");
	for (guint i = 0; i < templates->len; i++) {
		g_autofree char *path = searchpath_find(templates_dir, templates->pdata[i]);
		scan_file(sc, path, false);
	}
}

bool
aiscope_check(val *root, const char *content_dir, const char *templates_dir)
{
	val *out = val_set_map(root, "ai_policy");
	if (!searchpath_has(templates_dir, AISCOPE_FILE)) {
		val_set_bool(out, "ok", true);
		return true;
	}
	g_autofree char *path = searchpath_find(templates_dir, AISCOPE_FILE);
	g_autoptr(val) policy = yaml_load_file(path);
	g_autoptr(val) schema = yaml_load_string("ai-policy schema", aiscope_schema, strlen(aiscope_schema));
	if (!policy)
		return false;
	if (policy->kind != VAL_MAP) {
		diag(DIAG_ERROR, path, policy->line, policy->col,
		     "%s must be a mapping (source, assistant_terms, general_purpose_phrases, negations)", AISCOPE_FILE);
		return false;
	}
	if (!schema_check(policy, schema, ""))
		return false;
	scan sc = { .policy = policy, .findings = val_new_list() };
	scan_all(&sc, content_dir, templates_dir);
	const val *scope = val_path(root, "ai_assistant.scope");
	bool stated = scope && scope->kind == VAL_LIST && val_len(scope) > 0;
	if (sc.first_mention && !stated)
		diag(DIAG_WARNING, sc.mention_file, sc.mention_line, sc.mention_col,
		     "the content describes an AI assistant, but company.yaml states no ai_assistant.scope: list the "
		     "business tasks it performs for each client (the WhatsApp Business Solution Terms bar "
		     "general-purpose AI assistants from %s; templates/%s)",
		     val_get(val_get(policy, "source"), "effective")->str, AISCOPE_FILE);
	guint n = val_len(sc.findings);
	val_set_bool(out, "describes_assistant", sc.first_mention != NULL);
	val_map_set(out, "first_mention", sc.first_mention ? val_new_string_take(sc.first_mention) : val_new_null());
	val_set_bool(out, "scope_stated", stated);
	val_set_number(out, "general_purpose", n);
	val_map_set(out, "findings", sc.findings);
	val_set_bool(out, "ok", n == 0 && (!sc.first_mention || stated));
	val_map_set(out, "source", val_copy(val_get(policy, "source")));
	return true;
}
