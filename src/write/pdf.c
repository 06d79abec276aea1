/* write/pdf.c - every document of the package typeset to PDF, and the
 * combined dossier.pdf (package stage; see write.h and pdf.h).
 *
 * The PDFs are typeset on a GThreadPool, one thread per core, in one
 * process, in two rounds: every document a PDF to make needs is laid out
 * once (typeset_doc_new), then each PDF is cut into pages and drawn from
 * those layouts, the combined dossier.pdf first since it is the longest;
 * it lays out nothing again.
 * Each job has the typesetter make its PDF's bytes, writes them to its own
 * file (the typesetter writes none) and collects its own messages (diag's
 * capture is per thread); the messages are said afterwards in job order,
 * so a failed build says the same things in the same order every time.  Typesetting
 * keeps no mutable state of its own outside the call, Pango's default font
 * map is per thread, and cmark-gfm's parses take turns (typeset/parse.c), so the
 * bytes of a PDF do not depend on which thread made it or what that thread
 * made before: tests/e2e/build.sh builds with DOSSIER_THREADS=1 and =8 and
 * compares every byte; tests/unit/test_parallel.c fails without the lock.
 */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <pango/pango.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <errno.h>

#include "write/pdf.h"
#include "write/write.h"
#include "base/fileop.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "typeset/typeset.h"
#include "base/version.h"

#define CACHE_MAGIC	"dossier-typeset-cache 1"
#define PDF_CACHE_MAX_PAGES	100000	/* a page count in the cache past this: damaged */
#define DOSSIER_PDF	"dossier.pdf"

/* One document laid out, for its own PDF and dossier.pdf. */
typedef struct {
	package_doc *doc;
	const char *key;		/* its PDF's key (the job's) */
	char *shown;			/* its Markdown as messages name it (OUT/...) */
	char *dir;			/* STAGE/<its folder>: relative images */
	typeset_doc *laid;		/* NULL: not needed, or it failed */
	bool needed;
	bool kept;			/* laid out by an earlier build of this process */
	char *msgs;			/* what laying it out said (captured) */
	bool said;			/* msgs replayed */
} pdf_layout;

/* One PDF to make. */
typedef struct {
	const char *path;		/* in the package: "company/company-overview.pdf" */
	package_doc *doc;		/* NULL for dossier.pdf */
	pdf_layout *lay;		/* its layout; NULL for dossier.pdf */
	char *key;			/* SHA-256 of its inputs */
	char *sha;			/* SHA-256 of the PDF, once made */
	char *msgs;			/* what typesetting it said (captured) */
	int pages;
	bool reused;
	bool failed_to_start;		/* its write failed before it ran (test hook) */
} pdf_job;

typedef struct {
	const typeset_theme *theme;
	typeset_meta meta;		/* shared fields; title set per job */
	const char *title;		/* dossier.pdf's title (package.yaml) */
	const char *stage;
	typeset_part *parts;
	size_t n_parts;
	pdf_layout *layouts;		/* one per Markdown document */
	size_t n_layouts;
	gint failed;			/* atomic */
	int done;			/* for the progress line; under lock */
	int total;
	bool progress;
	bool keep;			/* write_opts.keep */
	GMutex lock;			/* the progress line */
} pdf_run;

static void
job_free(gpointer p)
{
	pdf_job *j = p;
	g_free(j->key);
	g_free(j->sha);
	g_free(j->msgs);
	g_free(j);
}

/* The file's SHA-256 (base/file.h remembers it for the manifest and the
 * zip of this build), or NULL when it cannot be read. */
static char *
sha_of(const char *path)
{
	g_autofree char *why = NULL;
	return file_sha256(path, NULL, &why);
}

/* Lay one document out (the first half of the work, on a worker thread). */
static void
run_layout(gpointer data, gpointer user)
{
	pdf_layout *l = data;
	pdf_run *run = user;
	typeset_meta meta = run->meta;
	meta.title = l->doc->title;
	meta.base_dir = l->dir;
	diag_capture_begin();
	/* Named as in OUT, not the staging folder: a layout kept for the next
	 * build (--watch) may still say something when it is drawn then. */
	l->laid = typeset_doc_new(run->theme, &meta, l->doc->markdown, strlen(l->doc->markdown),
				  l->shown);
	l->msgs = diag_capture_end();
}

/* Typeset one job from the layouts into *pdf; returns its page count or
 * -1 (after a diag, or when a layout it needs failed: that said why
 * already).  `out` names the PDF in messages. */
static int
typeset_one(pdf_job *j, pdf_run *run, const char *out, GBytes **pdf)
{
	typeset_meta meta = run->meta;
	*pdf = NULL;
	if (!j->doc) {
		for (size_t i = 0; i < run->n_layouts; i++)
			if (!run->layouts[i].laid)
				return -1;
		meta.title = run->title;
		return typeset_dossier(run->theme, &meta, run->parts, run->n_parts, out, pdf);
	}
	if (!j->lay->laid)
		return -1;
	meta.title = j->doc->title;
	return typeset_doc_render(j->lay->laid, &meta, out, pdf);
}

/* The typesetter's bytes as the file `path`, atomically (the job's file
 * operation was counted before the jobs ran, in job order), and their
 * digest in *sha, from the bytes: the file is not read back. */
static bool
write_pdf(const char *path, GBytes *pdf, char **sha)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(pdf, &len);
	return file_write_atomic(path, data, len, sha);
}

/* One job on a worker thread: typeset, then write and hash the bytes. */
static void
run_job(gpointer data, gpointer user)
{
	pdf_job *j = data;
	pdf_run *run = user;
	if (j->failed_to_start) {
		j->pages = -1;
		return;
	}
	g_autofree char *out = g_build_filename(run->stage, j->path, NULL);
	g_autoptr(GBytes) pdf = NULL;
	diag_capture_begin();
	j->pages = typeset_one(j, run, out, &pdf);
	if (j->pages >= 0 && !write_pdf(out, pdf, &j->sha))
		j->pages = -1;
	j->msgs = diag_capture_end();
	if (j->pages < 0) {
		g_atomic_int_set(&run->failed, 1);
		return;
	}
	g_mutex_lock(&run->lock);
	run->done++;
	if (run->progress) {
		diag_progress("dossier: typesetting %d/%d", run->done, run->total);
	}
	g_mutex_unlock(&run->lock);
}

/* Worker threads: one per core, or DOSSIER_THREADS (1 to 64; for the
 * determinism test and for measuring). */
static int
thread_count(void)
{
	const char *e = g_getenv("DOSSIER_THREADS");
	int n = e ? atoi(e) : 0;
	return n >= 1 && n <= 64 ? n : (int)MAX(1, g_get_num_processors());
}

/* The worker threads, kept from the layouts to the PDFs (each has fonts
 * of its own): a pool and a count of what it finished. */
typedef struct {
	GThreadPool *pool;
	GFunc fn;
	gpointer user;
	GMutex lock;
	GCond done;
	guint pending;
} workers;

static void
worker_run(gpointer data, gpointer self)
{
	workers *w = self;
	w->fn(data, w->user);
	g_mutex_lock(&w->lock);
	w->pending--;
	g_cond_signal(&w->done);
	g_mutex_unlock(&w->lock);
}

static void
workers_free(workers *w)
{
	if (!w->pool)
		return;
	g_thread_pool_free(w->pool, FALSE, TRUE);
	w->pool = NULL;
	g_cond_clear(&w->done);
	g_mutex_clear(&w->lock);
}

/* The threads kept for the next build of this process (write_opts.keep). */
static workers kept_workers;

/* fn(item, user) for every item; returns when all are done.  With one
 * thread everything happens on the calling thread. */
static void
workers_do(workers *w, GPtrArray *items, GFunc fn, gpointer user)
{
	if (!w->pool) {
		for (guint i = 0; i < items->len; i++)
			fn(items->pdata[i], user);
		return;
	}
	w->fn = fn;
	w->user = user;
	w->pending = items->len;
	for (guint i = 0; i < items->len; i++)
		g_thread_pool_push(w->pool, items->pdata[i], NULL);
	g_mutex_lock(&w->lock);
	while (w->pending)
		g_cond_wait(&w->done, &w->lock);
	g_mutex_unlock(&w->lock);
}

/* Every job runs, even after a failure: the messages of a failed build are
 * then the same from run to run.  First every document that a PDF to make
 * needs is laid out, then the PDFs are cut into pages and drawn, on the
 * same threads. */
static void
run_jobs(GPtrArray *todo, pdf_run *run)
{
	g_autoptr(GPtrArray) layouts = g_ptr_array_new();
	for (size_t i = 0; i < run->n_layouts; i++)
		if (run->layouts[i].needed && !run->layouts[i].kept)
			g_ptr_array_add(layouts, &run->layouts[i]);
	int width = MIN(thread_count(), (int)MAX(todo->len, layouts->len));
	for (guint i = 0; i < todo->len; i++) {
		/* The jobs' writes, counted here in job order (base/fileop.h). */
		pdf_job *j = todo->pdata[i];
		if (!fileop_ok()) {
			g_autofree char *out = g_build_filename(run->stage, j->path, NULL);
			diag(DIAG_ERROR, out, 0, 0, "cannot write: %s", g_strerror(errno));
			j->failed_to_start = true;
			g_atomic_int_set(&run->failed, 1);
		}
	}
	/* Builds that follow in this process (--watch) use the same threads:
	 * each keeps its font map, warm with the fonts, glyphs and shapes of
	 * the documents (half the time of drawing dossier.pdf otherwise). */
	workers own = { 0 }, *w = run->keep ? &kept_workers : &own;
	int threads = run->keep ? thread_count() : width;
	if (!w->pool && threads > 1) {
		g_mutex_init(&w->lock);
		g_cond_init(&w->done);
		w->pool = g_thread_pool_new(worker_run, w, threads, TRUE, NULL);
	}
	workers_do(w, layouts, run_layout, run);
	for (size_t i = 0, k = 0; i < run->n_parts; i++)
		if (run->parts[i].md)
			run->parts[i].doc = run->layouts[k++].laid;
	workers_do(w, todo, run_job, run);
	if (w == &own)
		workers_free(w);
}

static gint64
pdf_date(const val *root)
{
	const char *sde = g_getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		gint64 t = g_ascii_strtoll(sde, &end, 10);
		if (!*end)
			return t;
	}
	const val *t = val_path(root, "build.time");
	return t && t->kind == VAL_NUMBER ? (gint64)t->num : 0;
}

/* ---- keys ------------------------------------------------------------------ */

static gint
cmp_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);	/* elements are char* */
}

/* The installed fonts (file, index, size): a new or updated font changes
 * what fontconfig picks, so it changes every key. */
static char *
fonts_digest(void)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	FcPattern *pat = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, NULL);
	FcFontSet *fs = FcFontList(NULL, pat, os);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; fs && i < fs->nfont; i++) {
		FcChar8 *file = NULL;
		int index = 0;
		FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file);
		FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
		GStatBuf st = { 0 };
		if (file)
			g_stat((const char *)file, &st);
		g_ptr_array_add(lines, g_strdup_printf("%s %d %lld %lld", file ? (const char *)file : "",
						       index, (long long)st.st_size, (long long)st.st_mtime));
	}
	g_ptr_array_sort(lines, cmp_strings);
	for (guint i = 0; i < lines->len; i++)
		g_checksum_update(c, (const guchar *)lines->pdata[i], -1);
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	char *d = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return d;
}

static void
update_str(GChecksum *c, const char *s)
{
	g_checksum_update(c, (const guchar *)(s ? s : ""), -1);
	g_checksum_update(c, (const guchar *)"\0", 1);
}

/* Add the bytes of every local image the Markdown shows. */
static void
update_images(GChecksum *c, const char *md, const char *md_path, const char *stage)
{
	g_autoptr(GRegex) re = g_regex_new("!\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)", 0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;
	g_autofree char *dir = g_path_get_dirname(md_path);
	g_regex_match(re, md, 0, &mi);
	while (g_match_info_matches(mi)) {
		g_autofree char *src = g_match_info_fetch(mi, 1);
		if (!strstr(src, "://")) {
			g_autofree char *path = g_build_filename(stage, dir, src, NULL);
			g_autofree char *sha = sha_of(path);
			update_str(c, src);
			update_str(c, sha ? sha : "missing");
		}
		g_match_info_next(mi, NULL);
	}
}

/* The common part of every key: versions, theme, fonts, page metadata. */
static char *
base_key(const char *theme_path, const typeset_meta *meta)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	update_str(c, DOSSIER_VERSION);
	update_str(c, pango_version_string());
	update_str(c, cairo_version_string());
	update_str(c, "charts and diagrams drawn by their own code");	/* not librsvg (typeset_pictures) */
	g_autofree char *theme = NULL, *why = NULL;
	size_t len = 0;
	if (theme_path && file_read(theme_path, FILE_MAX_CONTENT, &theme, &len, &why))
		g_checksum_update(c, (const guchar *)theme, (gssize)len);
	update_str(c, "theme-end");
	g_autofree char *fonts = fonts_digest();
	update_str(c, fonts);
	update_str(c, meta->author);
	update_str(c, meta->subject);
	update_str(c, meta->footer);
	update_str(c, meta->paper);
	update_str(c, meta->mark);
	update_str(c, meta->language);
	update_str(c, meta->flags & TYPESET_FINAL ? "final" : "");
	g_autofree char *date = g_strdup_printf("%" G_GINT64_FORMAT, meta->date);
	update_str(c, date);
	char *k = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return k;
}

static char *
doc_key(const char *base, const package_doc *d, const char *stage)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	update_str(c, base);
	update_str(c, d->path);
	update_str(c, d->title);
	update_str(c, d->markdown);
	update_images(c, d->markdown, d->path, stage);
	char *k = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return k;
}

/* ---- the cache file ---------------------------------------------------- */

GHashTable *
pdf_cache_load(const char *file)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *text = NULL, *why = NULL;
	if (!g_file_test(file, G_FILE_TEST_EXISTS))
		return t;			/* no cache: a full build */
	size_t len = 0;
	bool read = file_read(file, FILE_MAX_CONTENT, &text, &len, &why);
	/* Last line: "sha256 DIGEST" over everything before it. */
	char *last = read ? g_strrstr(text, "\nsha256 ") : NULL;
	bool ok = read && strlen(text) == len && g_str_has_prefix(text, CACHE_MAGIC "\n") && last;
	if (ok) {
		g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text,
								   (gsize)(last + 1 - text));
		ok = !strncmp(last + 8, sum, 64) && last[8 + 64] == '\n' && last[8 + 65] == '\0';
	}
	if (ok) {
		*last = '\0';
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		for (char **l = lines + 1; *l && ok; l++) {
			char key[65], sha[65], count[16];
			int at = 0;
			guint64 pages = 0;
			/* A page count in range: the sum over every PDF is an int. */
			if (sscanf(*l, "%64s %64s %15s %n", key, sha, count, &at) != 3 || at == 0 ||
			    !(*l)[at] || strlen(key) != 64 || strlen(sha) != 64 ||
			    !g_ascii_string_to_unsigned(count, 10, 0, PDF_CACHE_MAX_PAGES, &pages, NULL)) {
				ok = false;
				break;
			}
			g_hash_table_insert(t, g_strdup(*l + at), g_strdup_printf("%s %s %d", key, sha, (int)pages));
		}
	}
	if (!ok) {
		diag(DIAG_WARNING, file, 0, 0, "typesetting cache is damaged or not dossier's; ignored (every PDF is typeset again)");
		g_hash_table_remove_all(t);
		g_hash_table_unref(t);
		return NULL;
	}
	return t;
}

static bool
cache_save(const char *file, GPtrArray *jobs)
{
	GString *s = g_string_new(CACHE_MAGIC "\n");
	for (guint i = 0; i < jobs->len; i++) {
		pdf_job *j = jobs->pdata[i];
		g_string_append_printf(s, "%s %s %d %s\n", j->key, j->sha, j->pages, j->path);
	}
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)s->str, s->len);
	g_string_append_printf(s, "sha256 %s\n", sum);
	bool ok = fileop_write(file, s->str, s->len);
	g_string_free(s, TRUE);
	return ok;
}

/* Keep the previous PDF when its key and bytes are what the cache says. */
static bool
reuse(pdf_job *j, GHashTable *cache, const char *old_dir, const char *stage)
{
	const char *entry = cache ? g_hash_table_lookup(cache, j->path) : NULL;
	if (!entry || strncmp(entry, j->key, 64))
		return false;
	g_autofree char *old = file_under(old_dir, j->path);
	g_autofree char *sha = old ? sha_of(old) : NULL;
	if (!sha || strncmp(entry + 65, sha, 64))
		return false;			/* changed since: never trusted */
	g_autofree char *to = g_build_filename(stage, j->path, NULL);
	if (!fileop_link(old, to))
		return false;
	j->sha = g_steal_pointer(&sha);
	j->pages = atoi(entry + 130);
	j->reused = true;
	return true;
}

/* On every page of a package that is not final-ready (readiness.final_ready). */

/* The page metadata every PDF shares: author and footer from the content,
 * title and subject from package.yaml; the band of a draft. */
static typeset_meta
pdf_meta(package_rendered *pl, const write_opts *opts)
{
	const val *company = val_get(pl->root, "company");
	const val *legal = val_get(company, "legal_name");
	const val *lang = val_get(package_desc(pl->pkg), "language");
	return (typeset_meta){
		.language = lang && lang->kind == VAL_STRING ? lang->str : NULL,
		.flags = opts->final ? TYPESET_FINAL : 0,
		.author = legal && legal->kind == VAL_STRING ? legal->str : val_get(company, "name")->str,
		.subject = package_subject(pl->pkg),
		.footer = val_get(company, "name")->str,
		.date = pdf_date(pl->root),
		.mark = val_truthy(val_path(pl->root, "readiness.final_ready")) ? NULL : WRITE_DRAFT_MARK,
	};
}

/* Every job, dossier.pdf first (it is the longest); the parts of
 * dossier.pdf into run->parts.  dossier.pdf's key covers every part. */
static void
plan_jobs(package_rendered *pl, pdf_run *run, const char *base, GPtrArray *jobs, GPtrArray *md_files)
{
	pdf_job *dossier = g_new0(pdf_job, 1);
	dossier->path = DOSSIER_PDF;
	g_ptr_array_add(jobs, dossier);
	GChecksum *all = g_checksum_new(G_CHECKSUM_SHA256);
	update_str(all, base);
	update_str(all, DOSSIER_PDF);
	for (guint i = 0; i < pl->docs->len; i++) {
		package_doc *d = pl->docs->pdata[i];
		typeset_part *p = &run->parts[run->n_parts++];
		p->folder = d->folder;
		p->title = d->title;
		update_str(all, d->folder);
		update_str(all, d->title);
		if (d->supplied) {	/* drawn into dossier.pdf when it is a PDF */
			p->attachment = d->pdf_path;
			p->attachment_file = d->supplied;
			g_autofree char *sha = sha_of(d->supplied);
			update_str(all, d->pdf_path);
			update_str(all, sha ? sha : "missing");
			continue;
		}
		p->md = d->markdown;
		p->len = strlen(d->markdown);
		p->md_file = g_build_filename(run->stage, d->path, NULL);
		g_ptr_array_add(md_files, (char *)p->md_file);
		pdf_layout *l = &run->layouts[run->n_layouts++];
		l->doc = d;
		l->shown = diag_shown_path(p->md_file);
		l->dir = g_path_get_dirname(p->md_file);
		pdf_job *j = g_new0(pdf_job, 1);
		j->path = d->pdf_path;
		j->doc = d;
		j->lay = l;
		j->key = doc_key(base, d, run->stage);
		l->key = j->key;
		update_str(all, j->key);
		g_ptr_array_add(jobs, j);
	}
	dossier->key = g_strdup(g_checksum_get_string(all));
	g_checksum_free(all);
}

/* Typeset what cannot be kept from the previous build. */
static void
typeset_jobs(const WriteCtx *ctx, pdf_run *run, GPtrArray *jobs)
{
	g_autofree char *old_cache = g_build_filename(ctx->old_out, WRITE_CACHE_DIR, PDF_CACHE, NULL);
	bool force = ctx->opts->force;
	g_autoptr(GHashTable) cache = force ? NULL : pdf_cache_load(old_cache);
	g_autoptr(GPtrArray) todo = g_ptr_array_new();
	for (guint i = 0; i < jobs->len; i++) {
		pdf_job *j = jobs->pdata[i];
		if (!force && reuse(j, cache, ctx->old_pkg, run->stage))
			continue;
		g_ptr_array_add(todo, j);
		/* dossier.pdf (a job without a doc) needs every layout. */
		for (size_t k = 0; k < run->n_layouts; k++)
			if (!j->lay || j->lay == &run->layouts[k])
				run->layouts[k].needed = true;
	}
	run->total = (int)todo->len;
	g_mutex_init(&run->lock);
	run_jobs(todo, run);
	g_mutex_clear(&run->lock);
	if (run->progress && run->total > 0)
		diag_progress(NULL);
}

/* Count pages, typeset and kept PDFs; a line each with --verbose; then
 * what each job said, in job order. */
static void
report_jobs(const WriteCtx *ctx, pdf_run *run, GPtrArray *jobs)
{
	write_stats *st = ctx->stats;
	st->pages = st->typeset = st->reused = 0;
	for (guint i = 0; i < jobs->len; i++) {
		pdf_job *j = jobs->pdata[i];
		st->pages += MAX(j->pages, 0);
		if (j->reused)
			st->reused++;
		else
			st->typeset++;
		if (ctx->opts->verbose && j->pages >= 0)
			diag_say("dossier: %s %s (%d page%s)", j->reused ? "unchanged" : "typeset  ",
				 j->path, j->pages, j->pages == 1 ? "" : "s");
	}
	/* Each job says what laying out its documents said (dossier.pdf: all
	 * of them, in order), then what making the PDF said. */
	for (guint i = 0; i < jobs->len; i++) {
		pdf_job *j = jobs->pdata[i];
		for (size_t k = 0; k < run->n_layouts; k++) {
			pdf_layout *l = &run->layouts[k];
			if ((!j->lay || j->lay == l) && !j->reused && l->msgs && !l->said) {
				diag_replay(l->msgs);
				l->said = true;
			}
		}
		if (j->msgs)
			diag_replay(j->msgs);
	}
}

/* ---- layouts kept between the builds of one process (--watch) ------------ */

typedef struct {
	typeset_doc *laid;
	char *msgs;			/* what laying it out said */
	char *shown;			/* the file its messages name (borrowed by it) */
} kept_layout;

/* The layouts of the last build, when write_opts.keep asked for them.  A
 * layout is a function of its PDF's key (base_key() covers the theme, the
 * fonts and the versions), so one with the same key is the layout a new
 * build would make; it is drawn, never changed (typeset.h). */
static struct {
	char *base;			/* base_key() they were made under */
	typeset_theme *theme;		/* the theme they point to */
	GHashTable *docs;		/* doc_key() -> kept_layout */
} kept;

static void
kept_layout_free(gpointer p)
{
	kept_layout *k = p;
	typeset_doc_free(k->laid);
	g_free(k->msgs);
	g_free(k->shown);
	g_free(k);
}

static void
kept_clear(void)
{
	g_clear_pointer(&kept.docs, g_hash_table_unref);	/* before their theme */
	g_clear_pointer(&kept.theme, typeset_theme_free);
	g_clear_pointer(&kept.base, g_free);
}

/* Layouts the last build kept for this one. */
static void
kept_lookup(pdf_run *run)
{
	for (size_t i = 0; kept.docs && i < run->n_layouts; i++) {
		pdf_layout *l = &run->layouts[i];
		kept_layout *k = g_hash_table_lookup(kept.docs, l->key);
		if (k) {
			l->laid = k->laid;
			l->msgs = g_strdup(k->msgs);
			l->kept = true;
		}
	}
}

/* Keep this build's layouts, and its theme, for the next build; the
 * layouts it did not use are freed. */
static void
kept_store(pdf_run *run, typeset_theme *theme, const char *base)
{
	GHashTable *docs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, kept_layout_free);
	for (size_t i = 0; i < run->n_layouts; i++) {
		pdf_layout *l = &run->layouts[i];
		gpointer key, k = NULL;
		if (l->kept) {
			if (g_hash_table_steal_extended(kept.docs, l->key, &key, &k))
				g_hash_table_insert(docs, key, k);
		} else if (l->laid && !g_hash_table_contains(docs, l->key)) {
			k = g_new(kept_layout, 1);
			*(kept_layout *)k = (kept_layout){ l->laid, l->msgs, l->shown };
			g_hash_table_insert(docs, g_strdup(l->key), k);
			l->msgs = l->shown = NULL;
		} else {
			typeset_doc_free(l->laid);
		}
		g_free(l->msgs);
		g_free(l->shown);
	}
	if (kept.docs)
		g_hash_table_unref(kept.docs);
	kept.docs = docs;
	kept.theme = theme;
	g_free(kept.base);
	kept.base = g_strdup(base);
}

bool
pdf_write(const WriteCtx *ctx)
{
	package_rendered *pl = ctx->pl;
	g_autofree char *theme_path = searchpath_find(pl->templates_dir, "theme.yaml");
	bool has_theme = g_file_test(theme_path, G_FILE_TEST_EXISTS);
	typeset_meta meta = pdf_meta(pl, ctx->opts);
	meta.pictures = ctx->pictures;
	g_autofree char *base = base_key(has_theme ? theme_path : NULL, &meta);
	bool keep = ctx->opts->keep && !ctx->opts->force;
	typeset_theme *theme = kept.theme;
	if (!keep || !kept.base || strcmp(kept.base, base)) {
		kept_clear();
		theme = typeset_theme_load(has_theme ? theme_path : NULL);
		if (!theme)
			return false;
	}
	pdf_run run = {
		.theme = theme,
		.meta = meta,
		.title = package_title(pl->pkg),
		.stage = ctx->pkg,
		.progress = ctx->opts->progress,
		.keep = keep,
		.parts = g_new0(typeset_part, pl->docs->len),
		.layouts = g_new0(pdf_layout, pl->docs->len),
	};
	g_autoptr(GPtrArray) md_files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func(job_free);
	plan_jobs(pl, &run, base, jobs, md_files);
	if (keep)
		kept_lookup(&run);
	typeset_jobs(ctx, &run, jobs);
	report_jobs(ctx, &run, jobs);
	g_autofree char *cache = g_build_filename(ctx->stage, WRITE_CACHE_DIR, PDF_CACHE, NULL);
	bool ok = !run.failed && cache_save(cache, jobs);
	if (keep) {
		kept_store(&run, theme, base);
	} else {
		for (size_t i = 0; i < run.n_layouts; i++) {
			typeset_doc_free(run.layouts[i].laid);
			g_free(run.layouts[i].msgs);
			g_free(run.layouts[i].shown);
		}
		typeset_theme_free(theme);
	}
	for (size_t i = 0; i < run.n_layouts; i++)
		g_free(run.layouts[i].dir);
	g_free(run.layouts);
	g_free(run.parts);
	return ok;
}
