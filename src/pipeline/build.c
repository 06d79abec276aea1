/* pipeline/build.c - one build: load → derive → render in memory, then
 * every output into a staging folder inside OUT, then the commit that puts
 * them in place (see build.h and commit.h).
 *
 * The order of a build:
 *   1. OUT is checked: not the root, not inside the content or templates
 *      folder, not holding them;
 *   2. an existing OUT is locked (flock on the folder itself, so no lock
 *      file appears in it), and what a killed build left is completed or
 *      removed (commit_recover); a first build into a folder that holds
 *      what dossier did not write stops here (commit_may_build);
 *   3. nothing changed since the last build: done (uptodate.h);
 *   4. pipeline_run_opts(): nothing is written before the input is known good;
 *   5. the staging folder OUT/.dossier-cache/stage-XXXXXX: every row of
 *      write_table[], unchanged files linked to the old ones, the record
 *      for the up-to-date check, the record of what the build wrote;
 *   6. the commit (commit_plan, commit_run).
 * SIGINT and SIGTERM stop a build within a second: interrupt.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "base/record.h"
#include "base/searchpath.h"
#include "write/site.h"
#include "write/program.h"
#include "write/write.h"
#include "pipeline/build.h"
#include "pipeline/commit.h"
#include "pipeline/interrupt.h"
#include "pipeline/uptodate.h"
#include "typeset/typeset.h"

/* ---- OUT: where it is, the lock ------------------------------------------ */

typedef struct {
	const char *given;	/* OUT as the user wrote it: for messages */
	char *real;		/* its real path (a linked OUT is followed once, here) */
	int lock_fd;		/* the flock, or -1 */
} out_dir;

static void
out_dir_close(out_dir *d)
{
	if (d->lock_fd >= 0)
		close(d->lock_fd);	/* releases the flock */
	g_free(d->real);
}

/* The real path `path` has, or would have once made: the real path of the
 * nearest folder above it that exists, with the rest appended.  NULL when
 * none can be resolved. */
static char *
real_path_planned(const char *path)
{
	char *real = realpath(path, NULL);
	if (real || !*path)
		return real;
	g_autofree char *parent = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	if (!strcmp(parent, path) || !strcmp(base, ".") || !strcmp(base, ".."))
		return NULL;
	g_autofree char *up = real_path_planned(parent);
	return up ? g_build_filename(up, base, NULL) : NULL;
}

/* `inner` is `outer` or inside it (both real paths). */
static bool
path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	return !strcmp(outer, "/") || (!strncmp(inner, outer, n) && (inner[n] == '/' || inner[n] == '\0'));
}

/* OUT may be used: not the root folder, not inside the content or
 * templates folder (the build would read what it wrote, and --watch
 * would build for ever), not holding them.  False after a diag. */
bool
build_out_ok(const build_opts *o)
{
	g_autofree char *out = real_path_planned(o->out_dir);
	if (!out || !strcmp(out, "/")) {
		diag(DIAG_ERROR, o->out_dir, 0, 0, "cannot use as the output folder: %s",
		     out ? "it is the root folder" : g_strerror(errno));
		return false;
	}
	g_auto(GStrv) tdirs = searchpath_dirs(o->templates_dir);
	g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(inputs, realpath(o->content_dir, NULL));
	for (guint i = 0; tdirs[i]; i++)
		g_ptr_array_add(inputs, realpath(tdirs[i], NULL));
	for (guint i = 0; i < inputs->len; i++) {
		const char *in = inputs->pdata[i];
		const char *what = i == 0 ? "content" : "templates";
		if (in && path_within(out, in)) {
			diag(DIAG_ERROR, o->out_dir, 0, 0, "the output folder must not be inside the %s folder: "
			     "a build would read what it wrote", what);
			return false;
		}
		if (in && path_within(in, out)) {
			diag(DIAG_ERROR, o->out_dir, 0, 0, "the output folder must not hold the %s folder: "
			     "a build would read what it wrote", what);
			return false;
		}
	}
	return true;
}

/* Create OUT when missing and find where it really is.  False after a diag. */
static bool
out_dir_open(out_dir *d, const build_opts *o)
{
	*d = (out_dir){ .given = o->out_dir, .lock_fd = -1 };
	if (!fileop_mkdirs(o->out_dir))
		return false;
	d->real = realpath(o->out_dir, NULL);
	if (!d->real) {
		diag(DIAG_ERROR, o->out_dir, 0, 0, "cannot use as the output folder: %s", g_strerror(errno));
		return false;
	}
	return true;
}

/* Take OUT's lock: wait for another build into it (saying so once), or fail
 * with no_wait.  A signal while waiting ends the process (interrupt.h). */
static bool
out_dir_lock(out_dir *d, bool no_wait)
{
	d->lock_fd = open(d->real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->lock_fd < 0) {
		diag(DIAG_ERROR, d->given, 0, 0, "cannot open the output folder: %s", g_strerror(errno));
		return false;
	}
	if (flock(d->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return true;
	if (no_wait) {
		diag(DIAG_ERROR, d->given, 0, 0, "another build is writing to this folder "
		     "(--no-wait: not waiting for it)");
		return false;
	}
	diag_say("dossier: waiting for another build into %s to finish", d->given);
	while (flock(d->lock_fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			diag(DIAG_ERROR, d->given, 0, 0, "cannot lock the output folder: %s", g_strerror(errno));
			return false;
		}
	return true;
}

/* Under the lock: what a killed build left is put right (a signal waits
 * meanwhile), and a first build into a folder that is not dossier's stops. */
static bool
out_dir_ready(const out_dir *d, bool force)
{
	interrupt_hold();
	bool ok = commit_recover(d->real, d->given);
	interrupt_reading();
	return ok && !interrupt_requested() && commit_may_build(d->real, d->given, force);
}

/* ---- the staging folder ------------------------------------------------- */

static bool
same_bytes(const char *a, const char *b)
{
	g_autofree char *da = NULL, *db = NULL, *why = NULL;
	size_t la, lb;
	return file_read(a, FILE_MAX_ATTACHMENT, &da, &la, &why) &&
	       file_read(b, FILE_MAX_ATTACHMENT, &db, &lb, &why) && la == lb && !memcmp(da, db, la);
}

/* Every output into the staging folder, then files whose bytes did not
 * change become the previous build's (commit.h). */
static bool
stage_fill(const WriteCtx *ctx)
{
	for (const write_kind *k = write_table; k->name; k++)
		if (interrupt_requested() || !k->write(ctx))
			return false;
	commit_keep_unchanged(ctx->old_out, ctx->stage);
	if (fileop_fault_hit()) {
		diag(DIAG_ERROR, NULL, 0, 0, "a file operation failed on purpose (DOSSIER_FAIL_AT)");
		return false;
	}
	return !interrupt_requested();
}

/* The cache folder (made when missing: *made; else its access and
 * modification times in times[], put back when the build fails), and in
 * it the staging folder and the trash folder of this build.  False after
 * a diag. */
static bool
stage_new(const out_dir *d, char **cache, bool *made, struct timespec times[2], char **stage, char **trash)
{
	*cache = g_build_filename(d->real, WRITE_CACHE_DIR, NULL);
	*made = false;
	GStatBuf st;
	if (g_lstat(*cache, &st) == 0) {
		times[0] = st.st_atim;
		times[1] = st.st_mtim;
	}
	if (g_lstat(*cache, &st) != 0) {
		if (!fileop_ok() || g_mkdir(*cache, 0755) != 0) {
			diag(DIAG_ERROR, d->given, 0, 0, "cannot create %s in it: %s", WRITE_CACHE_DIR, g_strerror(errno));
			return false;
		}
		*made = true;
	} else if (!S_ISDIR(st.st_mode) || fileop_is_mount(*cache)) {
		g_autofree char *shown = g_build_filename(d->given, WRITE_CACHE_DIR, NULL);
		diag(DIAG_ERROR, shown, 0, 0, "not a folder of dossier's (it keeps its record of what it "
		     "wrote there): move it out of the output folder");
		return false;
	}
	*stage = g_build_filename(*cache, "stage-XXXXXX", NULL);
	if (!fileop_ok() || !g_mkdtemp_full(*stage, 0755)) {
		diag(DIAG_ERROR, d->given, 0, 0, "cannot create a staging folder in it: %s", g_strerror(errno));
		g_clear_pointer(stage, g_free);
		if (*made)
			g_rmdir(*cache);
		return false;
	}
	*trash = g_strconcat(*cache, "/trash-", strrchr(*stage, '-') + 1, NULL);
	if (!fileop_ok() || g_mkdir(*trash, 0700) != 0) {
		diag(DIAG_ERROR, d->given, 0, 0, "cannot create a staging folder in it: %s", g_strerror(errno));
		g_rmdir(*stage);
		g_clear_pointer(stage, g_free);
		g_clear_pointer(trash, g_free);
		if (*made)
			g_rmdir(*cache);
		return false;
	}
	return true;
}

/* ---- the build ---------------------------------------------------------- */

/* Remove what a build that did not commit staged. */
static void
stage_remove(const char *stage, const char *trash, const char *made_cache)
{
	fileop_remove_tree(stage);
	fileop_remove_tree(trash);
	if (made_cache)
		g_rmdir(made_cache);
}

/* Everything one build leaves in process-wide state, forgotten when it
 * ends (docs/hacking.md, "State that outlives a call"): OUT's name for the
 * staging folder in messages, the pictures the PDFs drew (layouts kept by
 * --watch keep their own), the digests of the files it read and wrote. */
static void
forget_build(typeset_pictures *pictures)
{
	diag_alias_path(NULL, NULL);
	typeset_pictures_free(pictures);
	file_sha256_forget();
}

/* The outputs and the commit, once OUT is locked. */
static bool
build_outputs(package_rendered *pl, const build_opts *o, const out_dir *d, record *rec,
	      build_result *res)
{
	g_autofree char *cache = NULL, *stage = NULL, *trash = NULL;
	bool made_cache;
	struct timespec times[2] = { { 0 } };
	/* A signal between making the staging folder and telling the watchdog
	 * of it waits: ended at once while reading, it left the folder behind. */
	interrupt_hold();
	if (!stage_new(d, &cache, &made_cache, times, &stage, &trash))
		return false;
	interrupt_staging(stage, trash, cache, made_cache, times);
	/* What the previous build left and this one writes are not inputs. */
	record_ignore(rec, d->real);
	record_ignore(rec, stage);
	/* The program, once: its digest for the outputs' records, its
	 * entries for the build's. */
	g_autoptr(record) prog = record_new();
	program_record(prog);
	g_autofree char *program = record_digest(prog);
	record_merge(rec, prog);
	const char *pkg_name = package_name(pl->pkg);
	g_autofree char *pkg = g_build_filename(stage, pkg_name, NULL);
	g_autofree char *old_pkg = g_build_filename(d->real, pkg_name, NULL);
	GStatBuf st;
	bool have_old = g_lstat(old_pkg, &st) == 0 && S_ISDIR(st.st_mode);
	WriteCtx ctx = {
		.pl = pl, .stage = stage, .pkg = pkg, .pkg_name = pkg_name,
		.old_out = d->real, .old_pkg = have_old ? old_pkg : NULL,
		.opts = &o->opts, .stats = &res->stats,
		.pictures = typeset_pictures_new(),
		.record = rec, .program = program,
	};
	/* A message about a file names it where it will be, in OUT as given. */
	diag_alias_path(stage, d->given);
	bool ok = fileop_mkdirs(pkg) && stage_fill(&ctx);
	if (ok) {
		/* Steady: a second build from the same input would leave this
		 * very OUT (its CHANGES.md compares two equal states). */
		g_autofree char *was = g_build_filename(d->real, WRITE_CACHE_DIR, "state", NULL);
		g_autofree char *now = g_build_filename(stage, WRITE_CACHE_DIR, "state", NULL);
		bool steady = diag_worst() < 0 && same_bytes(was, now);
		res->documents = pl->docs->len;
		ok = uptodate_record(rec, stage, res, pkg_name, steady) && commit_write_record(stage);
	}
	forget_build(ctx.pictures);
	interrupt_hold();	/* from here on a signal waits for the end */
	commit *c = ok && !interrupt_requested() ? commit_plan(d->real, d->given, stage, trash) : NULL;
	if (c) {
		ok = commit_run(c);	/* removes the staging folder either way */
		commit_free(c);
		if (ok)
			res->swapped_at = g_get_real_time();
	} else {
		ok = false;
		stage_remove(stage, trash, NULL);
	}
	if (!ok && made_cache)
		g_rmdir(cache);
	else if (!ok)	/* the staging folder made and removed: OUT as it was, to the mtime */
		utimensat(AT_FDCWD, cache, times, AT_SYMLINK_NOFOLLOW);
	if (ok) {
		res->documents = pl->docs->len;
		res->package_dir = g_build_filename(d->given, pkg_name, NULL);
	}
	return ok;
}

/* --final: true when every readiness item is met (stand-ins count as
 * unmet); otherwise names each unmet item on stderr. */
static bool
refuse_unless_final(const package_rendered *pl)
{
	const val *r = val_get(pl->root, "readiness");
	if (val_truthy(val_get(r, "ready")))
		return true;
	diag_say("dossier build: --final: %s; nothing written:", val_get(r, "verdict")->str);
	const val *items = val_get(r, "items");
	for (guint i = 0; i < val_len(items); i++) {
		const val *it = val_index(items, i);
		if (val_get(it, "met")->b)
			continue;
		if (val_truthy(val_get(it, "commitment")))	/* located where the fact belongs */
			diag_say("%s: missing commitment %s: %s", val_get(it, "where")->str,
				 val_get(it, "fact")->str, val_get(it, "what")->str);
		else
			diag_say("  - %s: %s", val_get(it, "item")->str, val_get(it, "detail")->str);
	}
	return false;
}

static int build_recorded(const build_opts *o, build_result *res, out_dir *d, bool locked,
			  bool *complete, record *rec);

/* The build once OUT is locked (or does not exist yet: then it is made and
 * locked after the input is known good).  *complete: the new products are
 * in place. */
static int
build_locked(const build_opts *o, build_result *res, out_dir *d, bool locked, bool *complete)
{
	/* Nothing changed since the last build: nothing to do. */
	g_autofree char *why = NULL;
	if (o->opts.force)
		why = g_strdup("--force");
	else if (uptodate_check(o, o->out_dir, res, &why)) {
		res->up_to_date = true;
		return EXIT_OK;
	}
	if (o->opts.verbose)
		diag_say("dossier: building: %s", why);
	/* Everything read from here on goes into the build's record. */
	g_autoptr(record) rec = uptodate_values(o);
	record *was = record_push(rec);
	int status = build_recorded(o, res, d, locked, complete, rec);
	record_pop(was);
	return status;
}

/* The build proper, with its record current on this thread. */
static int
build_recorded(const build_opts *o, build_result *res, out_dir *d, bool locked, bool *complete,
	       record *rec)
{
	typeset_prepare();	/* fonts get ready while the content loads */
	g_autoptr(package_rendered) pl = pipeline_run_opts(o->content_dir, o->templates_dir, &o->pipe);
	typeset_prepare_wait();
	if (!pl || interrupt_requested())
		return pl ? EXIT_BAD : diag_exit_status();
	if (o->pipe.final && !refuse_unless_final(pl))
		return EXIT_NO;
	if (o->opts.verbose) {	/* where each document came from: the project or the defaults */
		g_autofree char *desc = searchpath_find(o->templates_dir, "package.yaml");
		diag_say("dossier: package description from %s", desc);
		for (guint i = 0; i < pl->docs->len; i++) {
			const package_doc *doc = pl->docs->pdata[i];
			g_autoptr(GString) line = g_string_new(NULL);
			g_string_printf(line, "dossier: %s from %s", doc->path, doc->template_file);
			g_autoptr(GPtrArray) used = record_files(doc->templates);	/* and its partials */
			for (guint k = 0; k < used->len; k++)
				if (strcmp(used->pdata[k], doc->template_file))
					g_string_append_printf(line, ", %s", (char *)used->pdata[k]);
			diag_say("%s", line->str);
		}
	}
	bool ok = locked || (out_dir_open(d, o) && out_dir_lock(d, o->no_wait) &&
			     out_dir_ready(d, o->opts.force));
	if (ok)
		ok = *complete = build_outputs(pl, o, d, rec, res);
	if (!ok && diag_worst() < DIAG_ERROR)
		diag(DIAG_ERROR, o->out_dir, 0, 0, "the build stopped; the output folder is as it was");
	return diag_exit_status();
}

int
build_run(const build_opts *o, build_result *res)
{
	*res = (build_result){ 0 };
	diag_reset();
	interrupt_begin();
	out_dir d = { .lock_fd = -1 };
	bool complete = false;
	int status;
	/* An existing OUT is locked first: whether it is up to date can only be
	 * told while no other build is about to replace it. */
	if (!build_out_ok(o))
		status = diag_exit_status();
	else if (g_file_test(o->out_dir, G_FILE_TEST_IS_DIR) &&
		 !(out_dir_open(&d, o) && out_dir_lock(&d, o->no_wait) && out_dir_ready(&d, o->opts.force)))
		status = diag_exit_status();
	else
		status = build_locked(o, res, &d, d.lock_fd >= 0, &complete);
	out_dir_close(&d);
	interrupt_end(complete);
	return status;
}
