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
#include "base/record.h"
#include "base/searchpath.h"
#include "typeset/typeset.h"

#define CACHE_MAGIC	"dossier-typeset-cache 2"
#define PDF_CACHE_MAX_PAGES	100000	/* a page count in the cache past this: damaged */
#define DOSSIER_PDF	"dossier.pdf"

/* One document laid out, for its own PDF and dossier.pdf. */
typedef struct {
	package_doc *doc;
	const record *values;		/* what its PDF is made from (the job's) */
	char *shown;			/* its Markdown as messages name it (OUT/...) */
	char *dir;			/* STAGE/<its folder>: relative images */
	typeset_doc *laid;		/* NULL: not needed, or it failed */
	record *reads;			/* the files laying it out read (images) */
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
	record *rec;			/* what it is made from: the values handed
					 * in, then every file read making it */
	char *sha;			/* SHA-256 of the PDF, once made */
	char *msgs;			/* what typesetting it said (captured) */
	int pages;
	bool reused;
	bool failed_to_start;		/* its write failed before it ran (test hook) */
} pdf_job;

typedef struct {
	const typeset_theme *theme;
	const record *base;		/* what every PDF is made from: the program,
					 * the theme file read */
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
	record_free(j->rec);
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
	record *was = record_push(l->reads);	/* the images it reads */
	l->laid = typeset_doc_new(run->theme, &meta, l->doc->markdown, strlen(l->doc->markdown),
				  l->shown);
	record_pop(was);
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
	record *was = record_push(j->rec);	/* what drawing it reads */
	j->pages = typeset_one(j, run, out, &pdf);
	record_pop(was);
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
	const char *sde = record_getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		gint64 t = g_ascii_strtoll(sde, &end, 10);
		if (!*end)
			return t;
	}
	const val *t = val_path(root, "build.time");
	return t && t->kind == VAL_NUMBER ? (gint64)t->num : 0;
}

/* ---- records -------------------------------------------------------------- */

/* The page metadata every PDF shares, as values of its record. */
static void
meta_values(record *r, const typeset_meta *m)
{
	/* Every field of typeset_meta is recorded here or per job (title,
	 * base_dir: the job's path and title): a field added to the struct
	 * stops this assertion until it is recorded too. */
	G_STATIC_ASSERT(sizeof(typeset_meta) == sizeof(struct {
		const char *title, *author, *subject, *footer, *base_dir;
		gint64 date;
		const char *paper;
		unsigned flags;
		const char *mark, *language;
		const void *pictures;	/* known by their files' bytes, which are read */
	}));
	record_value_str(r, "author", m->author);
	record_value_str(r, "subject", m->subject);
	record_value_str(r, "footer", m->footer);
	record_value_str(r, "paper", m->paper);
	record_value_str(r, "mark", m->mark);
	record_value_str(r, "language", m->language);
	g_autofree char *date = g_strdup_printf("%" G_GINT64_FORMAT, m->date);
	record_value_str(r, "date", date);
	g_autofree char *flags = g_strdup_printf("%u", m->flags);
	record_value_str(r, "flags", flags);
}

/* A job's record before it is made: the values handed in (the files the
 * typesetter reads come later, as it reads them); `stage` is the folder
 * whose files the record names relative to it. */
static record *
job_record(const pdf_run *run, const char *path, const char *title)
{
	record *r = record_new();
	record_set_out(r, run->stage);
	record_merge(r, run->base);
	record_value_str(r, "path", path);
	record_value_str(r, "title", title);
	meta_values(r, &run->meta);
	return r;
}

/* ---- the cache file ---------------------------------------------------- */

/* What the previous build recorded of one PDF. */
typedef struct {
	char sha[65];
	int pages;
	record *rec;
} cached_pdf;

static void
cached_free(gpointer p)
{
	cached_pdf *c = p;
	record_free(c->rec);
	g_free(c);
}

/* One "pdf\tPATH\tSHA\tPAGES" line and the record lines after it. */
static bool
cache_entry(GHashTable *t, const char *head, GString *lines)
{
	g_auto(GStrv) f = g_strsplit(head, "\t", -1);
	guint64 pages = 0;
	/* A page count in range: the sum over every PDF is an int. */
	if (g_strv_length(f) != 4 || strlen(f[2]) != 64 ||
	    !g_ascii_string_to_unsigned(f[3], 10, 0, PDF_CACHE_MAX_PAGES, &pages, NULL))
		return false;
	cached_pdf *c = g_new0(cached_pdf, 1);
	memcpy(c->sha, f[2], 65);
	c->pages = (int)pages;
	c->rec = record_parse(lines->str);
	if (!c->rec) {
		g_free(c);
		return false;
	}
	g_hash_table_replace(t, g_strcompress(f[1]), c);
	return true;
}

static bool
cache_parse(GHashTable *t, char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GString) rec = g_string_new(NULL);
	const char *head = NULL;
	for (char **l = lines + 1; *l; l++) {
		if (g_str_has_prefix(*l, "pdf\t") || !**l) {
			if (head && !cache_entry(t, head, rec))
				return false;
			head = *l;
			g_string_truncate(rec, 0);
		} else if (!head) {
			return false;
		} else {
			g_string_append_printf(rec, "%s\n", *l);
		}
	}
	return true;
}

/* The cache's entries: NULL (after a warning) when the file is corrupt or
 * foreign, an empty table when it does not exist.  Maps a PDF's path to
 * its cached_pdf. */
static GHashTable *
cache_load(const char *file)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cached_free);
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
		last[1] = '\0';
		ok = cache_parse(t, text);
	}
	if (!ok) {
		diag(DIAG_WARNING, file, 0, 0, "typesetting cache is damaged or not dossier's; ignored (every PDF is typeset again)");
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
		g_autofree char *path = g_strescape(j->path, NULL);
		g_autofree char *rec = record_text(j->rec);
		g_string_append_printf(s, "pdf\t%s\t%s\t%d\n%s", path, j->sha, j->pages, rec);
	}
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)s->str, s->len);
	g_string_append_printf(s, "sha256 %s\n", sum);
	bool ok = fileop_write(file, s->str, s->len);
	g_string_free(s, TRUE);
	return ok;
}

/* Keep the previous PDF when everything its record names is as it was and
 * its bytes are what the cache says; the job's record is then that one. */
static bool
reuse(pdf_job *j, GHashTable *cache, const char *old_dir, const char *stage)
{
	cached_pdf *c = cache ? g_hash_table_lookup(cache, j->path) : NULL;
	if (!c)
		return false;
	g_autofree char *changed = record_changed(c->rec, j->rec, stage);
	if (changed)
		return false;
	g_autofree char *old = file_under(old_dir, j->path);
	g_autofree char *sha = old ? sha_of(old) : NULL;
	if (!sha || strcmp(c->sha, sha))
		return false;			/* changed since: never trusted */
	g_autofree char *to = g_build_filename(stage, j->path, NULL);
	if (!fileop_link(old, to))
		return false;
	j->sha = g_steal_pointer(&sha);
	j->pages = c->pages;
	j->reused = true;
	record_merge(j->rec, c->rec);
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

/* Every job, dossier.pdf first (it is the longest), each with the record
 * of the values it is made from; the parts of dossier.pdf into
 * run->parts.  dossier.pdf's values are its parts'. */
static void
plan_jobs(package_rendered *pl, pdf_run *run, GPtrArray *jobs, GPtrArray *md_files)
{
	pdf_job *dossier = g_new0(pdf_job, 1);
	dossier->path = DOSSIER_PDF;
	dossier->rec = job_record(run, DOSSIER_PDF, run->title);
	g_ptr_array_add(jobs, dossier);
	for (guint i = 0; i < pl->docs->len; i++) {
		package_doc *d = pl->docs->pdata[i];
		typeset_part *p = &run->parts[run->n_parts++];
		p->folder = d->folder;
		p->title = d->title;
		g_autofree char *part = g_strdup_printf("part %u", i);
		g_autofree char *folder = g_strconcat(part, " folder", NULL);
		g_autofree char *title = g_strconcat(part, " title", NULL);
		record_value_str(dossier->rec, folder, d->folder);
		record_value_str(dossier->rec, title, d->title);
		if (d->supplied) {	/* drawn into dossier.pdf when it is a PDF */
			p->attachment = d->pdf_path;
			p->attachment_file = d->supplied;
			g_autofree char *name = g_strconcat(part, " attachment", NULL);
			record_value_str(dossier->rec, name, d->pdf_path);
			record *was = record_push(dossier->rec);	/* the supplied file */
			g_autofree char *sha = sha_of(d->supplied);
			record_pop(was);
			continue;
		}
		p->md = d->markdown;
		p->len = strlen(d->markdown);
		p->md_file = g_build_filename(run->stage, d->path, NULL);
		g_ptr_array_add(md_files, (char *)p->md_file);
		g_autofree char *md = g_strconcat(part, " markdown", NULL);
		record_value_str(dossier->rec, md, d->markdown);
		pdf_layout *l = &run->layouts[run->n_layouts++];
		l->doc = d;
		l->shown = diag_shown_path(p->md_file);
		l->dir = g_path_get_dirname(p->md_file);
		l->reads = record_new();
		record_set_out(l->reads, run->stage);
		pdf_job *j = g_new0(pdf_job, 1);
		j->path = d->pdf_path;
		j->doc = d;
		j->lay = l;
		j->rec = job_record(run, d->pdf_path, d->title);
		record_value_str(j->rec, "markdown", d->markdown);
		l->values = j->rec;
		g_ptr_array_add(jobs, j);
	}
}

/* Typeset what cannot be kept from the previous build. */
static void
typeset_jobs(const WriteCtx *ctx, pdf_run *run, GPtrArray *jobs)
{
	g_autofree char *old_cache = g_build_filename(ctx->old_out, WRITE_CACHE_DIR, PDF_CACHE, NULL);
	bool force = ctx->opts->force;
	g_autoptr(GHashTable) cache = force ? NULL : cache_load(old_cache);
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
	/* What laying out read is part of what each PDF typeset now read:
	 * its own layout's, and every layout for dossier.pdf. */
	for (guint i = 0; i < todo->len; i++) {
		pdf_job *j = todo->pdata[i];
		for (size_t k = 0; k < run->n_layouts; k++)
			if (!j->lay || j->lay == &run->layouts[k])
				record_merge(j->rec, run->layouts[k].reads);
	}
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
	record *rec;			/* what it was laid out from: values and reads */
} kept_layout;

/* The layouts of the last build, when write_opts.keep asked for them, by
 * the path of their PDF.  A layout is made from what its record names, so
 * one whose record is unchanged is the layout a new build would make; it
 * is drawn, never changed (typeset.h). */
static struct {
	record *base;			/* what the theme was loaded from */
	typeset_theme *theme;		/* the theme they point to */
	GHashTable *docs;		/* PDF path -> kept_layout */
} kept;

static void
kept_layout_free(gpointer p)
{
	kept_layout *k = p;
	typeset_doc_free(k->laid);
	record_free(k->rec);
	g_free(k->msgs);
	g_free(k->shown);
	g_free(k);
}

static void
kept_clear(void)
{
	g_clear_pointer(&kept.docs, g_hash_table_unref);	/* before their theme */
	g_clear_pointer(&kept.theme, typeset_theme_free);
	g_clear_pointer(&kept.base, record_free);
}

/* Layouts the last build kept for this one. */
static void
kept_lookup(pdf_run *run)
{
	for (size_t i = 0; kept.docs && i < run->n_layouts; i++) {
		pdf_layout *l = &run->layouts[i];
		kept_layout *k = g_hash_table_lookup(kept.docs, l->doc->pdf_path);
		g_autofree char *changed = k ? record_changed(k->rec, l->values, run->stage) : NULL;
		if (k && !changed) {
			l->laid = k->laid;
			l->msgs = g_strdup(k->msgs);
			record_merge(l->reads, k->rec);
			l->kept = true;
		}
	}
}

/* Keep this build's layouts, and its theme, for the next build; the
 * layouts it did not use are freed. */
static void
kept_store(pdf_run *run, typeset_theme *theme, record *base)
{
	GHashTable *docs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, kept_layout_free);
	for (size_t i = 0; i < run->n_layouts; i++) {
		pdf_layout *l = &run->layouts[i];
		const char *path = l->doc->pdf_path;
		gpointer key, k = NULL;
		if (l->kept) {
			if (g_hash_table_steal_extended(kept.docs, path, &key, &k))
				g_hash_table_insert(docs, key, k);
		} else if (l->laid && !g_hash_table_contains(docs, path)) {
			record *rec = record_new();
			record_merge(rec, l->values);
			record_merge(rec, l->reads);
			k = g_new(kept_layout, 1);
			*(kept_layout *)k = (kept_layout){ l->laid, l->msgs, l->shown, rec };
			g_hash_table_insert(docs, g_strdup(path), k);
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
	if (kept.base != base)
		record_free(kept.base);
	kept.base = base;
}

/* The theme (kept from the last build of this process when the files it
 * was loaded from are as they were), and in *base what it was loaded from
 * with the program: the start of every PDF's record.  NULL after a diag. */
static typeset_theme *
theme_for(const WriteCtx *ctx, bool keep, record **base)
{
	if (keep && kept.base) {
		g_autoptr(record) now = record_new();
		record_value_str(now, "program", ctx->program);
		g_autofree char *changed = record_changed(kept.base, now, NULL);
		if (!changed) {
			*base = kept.base;
			return kept.theme;
		}
	}
	kept_clear();
	*base = record_new();
	record_value_str(*base, "program", ctx->program);
	record *was = record_push(*base);
	g_autofree char *path = searchpath_find(ctx->pl->templates_dir, "theme.yaml");
	typeset_theme *theme = typeset_theme_load(file_exists(path) ? path : NULL);
	record_pop(was);
	if (!theme)
		g_clear_pointer(base, record_free);
	return theme;
}

bool
pdf_write(const WriteCtx *ctx)
{
	package_rendered *pl = ctx->pl;
	bool keep = ctx->opts->keep && !ctx->opts->force;
	record *base = NULL;
	typeset_theme *theme = theme_for(ctx, keep, &base);
	if (!theme)
		return false;
	pdf_run run = {
		.theme = theme,
		.base = base,
		.meta = pdf_meta(pl, ctx->opts),
		.title = package_title(pl->pkg),
		.stage = ctx->pkg,
		.progress = ctx->opts->progress,
		.keep = keep,
		.parts = g_new0(typeset_part, pl->docs->len),
		.layouts = g_new0(pdf_layout, pl->docs->len),
	};
	run.meta.pictures = ctx->pictures;
	g_autoptr(GPtrArray) md_files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func(job_free);
	plan_jobs(pl, &run, jobs, md_files);
	if (keep)
		kept_lookup(&run);
	typeset_jobs(ctx, &run, jobs);
	report_jobs(ctx, &run, jobs);
	g_autofree char *cache = g_build_filename(ctx->stage, WRITE_CACHE_DIR, PDF_CACHE, NULL);
	bool ok = !run.failed && cache_save(cache, jobs);
	for (guint i = 0; i < jobs->len; i++)	/* what the build read, outside OUT */
		record_merge_reads(ctx->record, ((pdf_job *)jobs->pdata[i])->rec);
	if (keep) {
		kept_store(&run, theme, base);
	} else {
		for (size_t i = 0; i < run.n_layouts; i++) {
			typeset_doc_free(run.layouts[i].laid);
			g_free(run.layouts[i].msgs);
			g_free(run.layouts[i].shown);
		}
		typeset_theme_free(theme);
		record_free(base);
	}
	for (size_t i = 0; i < run.n_layouts; i++) {
		g_free(run.layouts[i].dir);
		record_free(run.layouts[i].reads);
	}
	g_free(run.layouts);
	g_free(run.parts);
	return ok;
}
