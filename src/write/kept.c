/* write/kept.c - outputs kept from the previous build (see kept.h). */
#include <string.h>

#include "base/file.h"
#include "base/fileop.h"
#include "write/kept.h"

struct kept {
	const WriteCtx *ctx;
	char *record;		/* STAGE/.dossier-cache/NAME */
	GHashTable *old;	/* PATH -> "KEY SHA"; NULL: nothing to keep */
	GString *lines;		/* the new record */
};

kept *
kept_open(const WriteCtx *ctx, const char *name)
{
	kept *k = g_new0(kept, 1);
	k->ctx = ctx;
	k->record = g_build_filename(ctx->stage, WRITE_CACHE_DIR, name, NULL);
	k->lines = g_string_new(NULL);
	g_autofree char *old = g_build_filename(ctx->old_out, WRITE_CACHE_DIR, name, NULL);
	g_autofree char *text = NULL, *why = NULL;
	if (ctx->opts->force || !ctx->old_pkg || !file_read(old, FILE_MAX_CONTENT, &text, NULL, &why))
		return k;
	k->old = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++)	/* KEY SHA PATH */
		if (strlen(*l) > 130 && (*l)[64] == ' ' && (*l)[129] == ' ')
			g_hash_table_replace(k->old, g_strdup(*l + 130), g_strndup(*l, 129));
	return k;
}

char *
kept_take(kept *k, const char *rel, const char *key)
{
	const char *entry = k->old ? g_hash_table_lookup(k->old, rel) : NULL;
	if (!entry || strncmp(entry, key, 64) || entry[64] != ' ')
		return NULL;
	g_autofree char *old = file_under(k->ctx->old_pkg, rel);
	g_autofree char *why = NULL;
	g_autofree char *sha = old ? file_sha256(old, NULL, &why) : NULL;
	if (!sha || strcmp(sha, entry + 65))
		return NULL;		/* changed since: never trusted */
	g_autofree char *to = g_build_filename(k->ctx->pkg, rel, NULL);
	return fileop_link(old, to) ? g_steal_pointer(&sha) : NULL;
}

void
kept_note(kept *k, const char *rel, const char *key, const char *sha)
{
	g_string_append_printf(k->lines, "%s %s %s\n", key, sha, rel);
}

bool
kept_close(kept *k, bool write)
{
	bool ok = !write || fileop_write(k->record, k->lines->str, k->lines->len);
	if (k->old)
		g_hash_table_destroy(k->old);
	g_string_free(k->lines, TRUE);
	g_free(k->record);
	g_free(k);
	return ok;
}

bool
kept_write(const WriteCtx *ctx, const char *rel, const char *data, gsize len)
{
	g_autofree char *path = g_build_filename(ctx->pkg, rel, NULL);
	g_autofree char *old = file_under(ctx->old_pkg, rel);
	g_autofree char *have = NULL, *why = NULL;
	gsize n = 0;
	if (old && file_read(old, len, &have, &n, &why) && n == len && !memcmp(have, data, len) &&
	    fileop_link(old, path))
		return true;
	return fileop_write(path, data, len);
}
