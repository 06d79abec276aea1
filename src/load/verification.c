/* load/verification.c - business verification documents checked (load stage; see verification.h). */
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fmt.h"
#include "load/content.h"
#include "base/source.h"
#include "load/programme.h"
#include "load/verification.h"

/* What the first bytes say the file is: "pdf", "jpeg", "png", or a
 * description of something else for the message. */
static const char *
sniff(const char *data, size_t len, const char *name)
{
	if (len >= 5 && !memcmp(data, "%PDF-", 5))
		return "pdf";
	if (len >= 3 && !memcmp(data, "\xFF\xD8\xFF", 3))
		return "jpeg";
	if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1A\n", 8))
		return "png";
	if (len >= 4 && !memcmp(data, "PK\x03\x04", 4))
		return g_str_has_suffix(name, ".docx") || g_str_has_suffix(name, ".DOCX") ? "a Word document (.docx)"
		       : "a ZIP archive or an office document";
	if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return "an older office document (.doc, .xls)";
	if (len >= 12 && !memcmp(data, "RIFF", 4) && !memcmp(data + 8, "WEBP", 4))
		return "a WebP image";
	if (len >= 6 && (!memcmp(data, "GIF87a", 6) || !memcmp(data, "GIF89a", 6)))
		return "a GIF image";
	if (len >= 12 && !memcmp(data + 4, "ftyp", 4))
		return "a HEIC image or a video";
	return "unknown";
}

/* "PDF, JPEG and PNG" from the rules' types. */
static char *
types_text(const val *rules)
{
	const val *types = val_get(rules, "types");
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < val_len(types); i++) {
		if (i)
			g_string_append(s, i + 1 == val_len(types) ? " and " : ", ");
		g_autofree char *up = g_ascii_strup(val_index(types, i)->str, -1);
		g_string_append(s, up);
	}
	return g_string_free(s, FALSE);
}

/* Text folded for comparing names: lower case, accents removed, every run
 * of white space one space. */
static char *
fold_name(const char *s)
{
	g_autofree char *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
	g_autofree char *lower = g_utf8_casefold(nfd ? nfd : "", -1);
	GString *out = g_string_new(NULL);
	bool space = false;
	for (const char *p = lower; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_ismark(c))
			continue;
		if (g_unichar_isspace(c)) {
			if (!space && out->len)
				g_string_append_c(out, ' ');
			space = true;
			continue;
		}
		space = false;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

static void
problem(val *doc, const char *path, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
problem(val *doc, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	diag(DIAG_WARNING, path, 0, 0, "%s", msg);
	val_list_add(val_get(doc, "problems"), val_new_string_take(msg));
}

/* Whether `type` is one of the rules' types. */
static bool
type_allowed(const val *rules, const char *type)
{
	const val *types = val_get(rules, "types");
	for (guint i = 0; i < val_len(types); i++)
		if (!strcmp(val_index(types, i)->str, type))
			return true;
	return false;
}

/* One document's checks in the order a reviewer reads them (type,
 * size, legal name), each adding its finding to the document's map. */
static val *
check_document(const char *path, const char *name, const val *rules, const char *legal_name,
	       verification_pdf_text pdf_text)
{
	val *doc = val_new_map();
	val_set_string(doc, "file", name);
	val_set_list(doc, "problems");
	double max_bytes = val_num(rules, "max_megabytes") * 1000 * 1000;
	g_autofree char *data = NULL, *why = NULL;
	size_t len = 0;
	if (!file_read(path, FILE_MAX_ATTACHMENT, &data, &len, &why)) {
		problem(doc, path, "%s", why);
		val_set_string(doc, "type", "unreadable");
		val_set_bool(doc, "acceptable", false);
		val_map_set(doc, "legal_name_found", val_new_null());
		return doc;
	}
	const char *type = sniff(data, len, name);
	bool type_ok = type_allowed(rules, type);
	val_set_string(doc, "type", type_ok ? type : "other");
	val_set_number(doc, "bytes", (double)len);
	g_autofree char *mb = fmt_number(len / 1e6, 1), *max_mb = fmt_number(val_num(rules, "max_megabytes"),
									      val_num(rules, "max_megabytes") == (int)val_num(rules, "max_megabytes") ? 0 : 1);
	val_map_set(doc, "size", val_new_string_take(g_strdup_printf("%s MB", mb)));
	if (!type_ok) {
		g_autofree char *allowed = types_text(rules);
		if (!strcmp(type, "unknown"))
			problem(doc, path, "by its content not a %s file, whatever its name says: Meta's business "
				"verification takes only those (templates/programme.yaml, verification.types)", allowed);
		else
			problem(doc, path, "%s: Meta's business verification takes only %s files (templates/programme.yaml, "
				"verification.types)", type, allowed);
	}
	if ((double)len > max_bytes)
		problem(doc, path, "%s MB, more than the %s MB Meta takes for one document (templates/programme.yaml, "
			"verification.max_megabytes)", mb, max_mb);
	val *found = val_new_null();
	if (type_ok && !strcmp(type, "pdf") && legal_name && *legal_name) {
		const char *pwhy = NULL;
		g_autofree char *text = pdf_text ? pdf_text(data, len, &pwhy) : NULL;
		g_autofree char *hay = text ? fold_name(text) : NULL, *needle = fold_name(legal_name);
		if (!text) {
			val_set_string(doc, "text", pwhy ? pwhy : "its text cannot be read");
		} else if (!*g_strstrip(hay)) {
			val_set_string(doc, "text", "no text layer (a scan): check by eye that it shows the legal name");
		} else {
			val_free(found);
			found = val_new_bool(strstr(hay, needle) != NULL);
			if (!found->b)
				problem(doc, path, "the legal name \"%s\" does not appear in its text: Meta matches the documents "
					"against the legal name exactly", legal_name);
		}
	} else if (type_ok) {
		val_set_string(doc, "text", "an image: check by eye that it shows the legal name");
	}
	val_map_set(doc, "legal_name_found", found);
	val_set_bool(doc, "acceptable", val_len(val_get(doc, "problems")) == 0);
	return doc;
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
verification_check(val *root, const char *content_dir, const val *programme,
		   verification_pdf_text pdf_text)
{
	val *out = val_set_map(root, "verification");
	val *docs = val_set_list(out, "documents");
	const val *rules = val_get(programme, "verification");
	g_autofree char *dir = g_build_filename(content_dir, VERIFICATION_DIR, NULL);
	val_set_string(out, "folder", dir);
	const val *ln = val_path(root, "company.legal_name");
	const char *legal_name = ln && ln->kind == VAL_STRING ? ln->str : NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	/* Listed through file_list(), so the record of what is being made has
	 * the folder: a document added or removed makes what shows it again. */
	g_autoptr(GPtrArray) all = rules ? file_list(dir) : g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < all->len; i++) {
		const char *name = all->pdata[i];
		g_autofree char *core = NULL;
		if (!content_leftover(name, &core))	/* hidden files and editors' leftovers are not documents */
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, cmp_names);
	guint acceptable = 0;
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
		val *doc = check_document(path, names->pdata[i], rules, legal_name, pdf_text);
		acceptable += val_get(doc, "acceptable")->b;
		val_list_add(docs, doc);
	}
	double max_files = val_num(rules, "max_files");
	bool too_many = rules && names->len > max_files;
	if (too_many)
		diag(DIAG_WARNING, dir, 0, 0, "%u documents: Meta takes at most %u for business verification "
		     "(templates/programme.yaml, verification.max_files)", names->len, (unsigned)max_files);
	val_set_number(out, "count", names->len);
	val_set_number(out, "acceptable", acceptable);
	val_set_bool(out, "too_many", too_many);
	val_set_bool(out, "ready", names->len > 0 && acceptable == names->len && !too_many);
	val_set_bool(out, "documents_any", names->len > 0);
	if (legal_name)
		val_set_string(out, "legal_name", legal_name);
	if (rules) {
		val_map_set(out, "rules", val_copy(rules));
		g_autofree char *a = source_text(programme, val_get(rules, "source")->str);
		g_autofree char *b = source_text(programme, val_get(rules, "accepted_source")->str);
		val_map_set(out, "source_text", val_new_string_take(g_strdup_printf("%s; %s", a, b)));
	}
}
