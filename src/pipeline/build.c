/* pipeline/build.c - one build: load → derive → render in memory, then
 * every output into a staging OUT, then one swap (see build.h).
 *
 * The order of a build:
 *   1. pipeline_run_opts(): nothing is written before the input is known good;
 *   2. lock OUT (flock on the folder itself, so no lock file appears in it);
 *   3. delete what an earlier killed build left (.OUT.dossier-new-*);
 *   4. the staging folder: every row of write_table[], then what OUT holds
 *      that is not a build's, then unchanged files linked to the old ones;
 *   5. renameat2(RENAME_EXCHANGE) of the staging folder and OUT; the
 *      staging folder then holds the previous OUT and is deleted.
 * SIGINT and SIGTERM are caught while a build runs: the build stops before
 * the swap, removes its staging folder and ends by the same signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
#include "base/searchpath.h"
#include "write/site.h"
#include "write/write.h"
#include "pipeline/build.h"
#include "pipeline/uptodate.h"
#include "typeset/typeset.h"

#define STAGE_INFIX	".dossier-new-"	/* .OUT.dossier-new-XXXXXX beside OUT */

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t caught_signal;

static void
on_signal(int sig)
{
	caught_signal = sig;
}

typedef struct {
	struct sigaction old_int, old_term;
} signals_saved;

static void
signals_catch(signals_saved *s)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	caught_signal = 0;
	sigaction(SIGINT, &sa, &s->old_int);
	sigaction(SIGTERM, &sa, &s->old_term);
}

/* Restore the handlers; when a signal came, end by it now (the staging
 * folder is gone by then), as the signal would have without us: the
 * caller's own handler gets it when it has one (`dossier serve` stops
 * cleanly, exit 0), else the default ends the process.  `swapped`: the
 * signal came too late to stop the build, which is complete. */
static void
signals_restore(signals_saved *s, bool swapped)
{
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
	if (caught_signal) {
		if (!swapped)
			diag_say("dossier: interrupted; the output folder is as it was");
		const struct sigaction *old = caught_signal == SIGINT ? &s->old_int : &s->old_term;
		if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN)
			signal(caught_signal, SIG_DFL);
		raise(caught_signal);
	}
}

/* ---- OUT: where it is, the lock, what an earlier build left ------------- */

typedef struct {
	const char *given;	/* OUT as the user wrote it: for messages */
	char *real;		/* its real path (a linked OUT is followed once, here) */
	char *parent;		/* the folder holding it, where the staging folder goes */
	char *base;		/* its name */
	int lock_fd;		/* the flock, or -1 */
} out_dir;

static void
out_dir_close(out_dir *d)
{
	if (d->lock_fd >= 0)
		close(d->lock_fd);	/* releases the flock */
	g_free(d->real);
	g_free(d->parent);
	g_free(d->base);
}

/* `inner` (an existing folder) is `outer` or inside it. */
static bool
path_within(const char *inner, const char *outer)
{
	g_autofree char *ri = realpath(inner, NULL);
	size_t n = strlen(outer);
	return ri && !strncmp(ri, outer, n) && (ri[n] == '/' || ri[n] == '\0' || !strcmp(outer, "/"));
}

/* Create OUT when missing and find where it really is.  False after a diag. */
static bool
out_dir_open(out_dir *d, const build_opts *o)
{
	*d = (out_dir){ .given = o->out_dir, .lock_fd = -1 };
	if (!fileop_mkdirs(o->out_dir))
		return false;
	d->real = realpath(o->out_dir, NULL);
	if (!d->real || !strcmp(d->real, "/")) {
		diag(DIAG_ERROR, o->out_dir, 0, 0, "cannot use as the output folder: %s",
		     d->real ? "it is the root folder" : g_strerror(errno));
		return false;
	}
	g_auto(GStrv) tdirs = searchpath_dirs(o->templates_dir);
	bool holds_templates = false;
	for (guint i = 0; tdirs[i]; i++)
		holds_templates = holds_templates || path_within(tdirs[i], d->real);
	if (path_within(o->content_dir, d->real) || holds_templates) {
		diag(DIAG_ERROR, o->out_dir, 0, 0, "the output folder must not hold the content or "
		     "templates folder: a build replaces the whole output folder");
		return false;
	}
	d->parent = g_path_get_dirname(d->real);
	d->base = g_path_get_basename(d->real);
	return true;
}

/* Take OUT's lock: wait for another build into it (saying so once), or fail
 * with no_wait.  OUT is a new folder after every build (the swap), so the
 * lock is taken again when the folder locked is no longer OUT. */
static bool
out_dir_lock(out_dir *d, bool no_wait)
{
	for (bool said = false;;) {
		d->lock_fd = open(d->real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d->lock_fd < 0) {
			diag(DIAG_ERROR, d->given, 0, 0, "cannot open the output folder: %s", g_strerror(errno));
			return false;
		}
		if (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
			if (no_wait) {
				diag(DIAG_ERROR, d->given, 0, 0, "another build is writing to this folder "
				     "(--no-wait: not waiting for it)");
				return false;
			}
			if (!said)
				diag_say("dossier: waiting for another build into %s to finish", d->given);
			said = true;
			while (flock(d->lock_fd, LOCK_EX) != 0 && errno == EINTR)
				if (caught_signal)
					return false;
		}
		struct stat locked, now;
		if (fstat(d->lock_fd, &locked) == 0 && stat(d->real, &now) == 0 &&
		    locked.st_dev == now.st_dev && locked.st_ino == now.st_ino)
			return true;
		close(d->lock_fd);	/* swapped away meanwhile: lock the new OUT */
		d->lock_fd = -1;
	}
}

/* Staging folders of builds into OUT that were killed (under the lock, so
 * none of them is still being written). */
static void
out_dir_clean(const out_dir *d)
{
	g_autofree char *prefix = g_strconcat(".", d->base, STAGE_INFIX, NULL);
	g_autoptr(GDir) dir = g_dir_open(d->parent, 0, NULL);
	const char *name;
	while (dir && (name = g_dir_read_name(dir))) {
		if (g_str_has_prefix(name, prefix)) {
			g_autofree char *path = g_build_filename(d->parent, name, NULL);
			fileop_remove_tree(path);
		}
	}
}

/* ---- the staging folder ------------------------------------------------- */

/* Is `name` at OUT's top something a build writes (or left behind)? */
static bool
is_build_product(const char *name, const char *pkg_name)
{
	g_autofree char *zip = g_strconcat(pkg_name, ".zip", NULL);
	return !strcmp(name, pkg_name) || !strcmp(name, zip) || !strcmp(name, "readiness.md") ||
	       !strcmp(name, "CHANGES.md") || !strcmp(name, WRITE_CACHE_DIR) || !strcmp(name, SITE_DIR) ||
	       !strcmp(name, WRITE_APP_REVIEW_DIR) || !strcmp(name, WRITE_OBLIGATIONS_FILE) ||
	       (name[0] == '.' && strstr(name, ".new-")) ||	/* litter of older versions */
	       strstr(name, ".tmp-");
}

/* A copy of `from` at `to` made of hard links (folders made, links copied
 * as links, never followed).  False after a diag. */
static bool
link_tree(const char *from, const char *to)
{
	GStatBuf st;
	if (g_lstat(from, &st) != 0) {
		diag(DIAG_ERROR, from, 0, 0, "cannot keep: %s", g_strerror(errno));
		return false;
	}
	if (S_ISLNK(st.st_mode)) {
		g_autofree char *target = g_file_read_link(from, NULL);
		if (target && fileop_ok() && symlink(target, to) == 0)
			return true;
	} else if (S_ISREG(st.st_mode)) {
		if (fileop_link(from, to))
			return true;
	} else if (S_ISDIR(st.st_mode)) {
		if (!fileop_ok() || g_mkdir(to, st.st_mode & 07777) != 0) {
			diag(DIAG_ERROR, to, 0, 0, "cannot create folder: %s", g_strerror(errno));
			return false;
		}
		g_autoptr(GDir) d = g_dir_open(from, 0, NULL);
		const char *name;
		while (d && (name = g_dir_read_name(d))) {
			g_autofree char *f = g_build_filename(from, name, NULL);
			g_autofree char *t = g_build_filename(to, name, NULL);
			if (!link_tree(f, t))
				return false;
		}
		return d != NULL;
	} else {
		diag(DIAG_ERROR, from, 0, 0, "not a file or folder a build can keep in the output "
		     "folder; move it out of there");
		return false;
	}
	diag(DIAG_ERROR, from, 0, 0, "cannot keep in the new output folder: %s", g_strerror(errno));
	return false;
}

/* What OUT holds that no build writes goes into the new OUT too. */
static bool
carry_foreign(const char *old_out, const char *stage, const char *pkg_name)
{
	g_autoptr(GDir) d = g_dir_open(old_out, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *to = g_build_filename(stage, name, NULL);
		GStatBuf st;
		if (is_build_product(name, pkg_name) || g_lstat(to, &st) == 0)
			continue;
		g_autofree char *from = g_build_filename(old_out, name, NULL);
		if (!link_tree(from, to))
			return false;
	}
	return true;
}

static bool
same_bytes(const char *a, const char *b)
{
	g_autofree char *da = NULL, *db = NULL;
	gsize la, lb;
	return g_file_get_contents(a, &da, &la, NULL) && g_file_get_contents(b, &db, &lb, NULL) &&
	       la == lb && !memcmp(da, db, la);
}

/* A new file with the same bytes as the old one at the same place becomes
 * a hard link to the old file, so it is not rewritten: its mtime stays.
 * Only old files reached without a symbolic link count. */
static void
keep_unchanged(const char *stage, const char *old_out)
{
	g_autoptr(GPtrArray) files = fileop_files(stage);
	for (guint i = 0; files && i < files->len; i++) {
		const char *rel = files->pdata[i];
		g_autofree char *s = g_build_filename(stage, rel, NULL);
		g_autofree char *o = g_build_filename(old_out, rel, NULL);
		g_autofree char *o_dir = g_path_get_dirname(o);
		g_autofree char *o_real = realpath(o_dir, NULL);
		GStatBuf ss, os;
		if (!o_real || strcmp(o_real, o_dir) || g_lstat(o, &os) != 0 || !S_ISREG(os.st_mode) ||
		    g_stat(s, &ss) != 0 || ss.st_size != os.st_size)
			continue;	/* no such old file, or reached through a link */
		if (ss.st_dev == os.st_dev && ss.st_ino == os.st_ino)
			continue;	/* already the old file (a reused PDF) */
		if (same_bytes(s, o)) {
			g_autofree char *tmp = g_strconcat(s, ".keep", NULL);
			if (fileop_link(o, tmp) && g_rename(tmp, s) != 0)
				g_unlink(tmp);
		}
	}
}

/* A staging folder beside OUT, with OUT's permissions.  NULL after a diag. */
static char *
stage_new(const out_dir *d)
{
	g_autofree char *name = g_strconcat(".", d->base, STAGE_INFIX, "XXXXXX", NULL);
	char *stage = g_build_filename(d->parent, name, NULL);
	GStatBuf st;
	if (!fileop_ok() || !g_mkdtemp_full(stage, 0755) ||
	    (g_stat(d->real, &st) == 0 && g_chmod(stage, st.st_mode & 07777) != 0)) {
		diag(DIAG_ERROR, d->given, 0, 0, "cannot create a staging folder beside it: %s", g_strerror(errno));
		g_free(stage);
		return NULL;
	}
	return stage;
}

/* Every output into the staging folder, then what is kept from OUT. */
static bool
stage_fill(const WriteCtx *ctx)
{
	for (const write_kind *k = write_table; k->name; k++)
		if (caught_signal || !k->write(ctx))
			return false;
	if (caught_signal || !carry_foreign(ctx->old_out, ctx->stage, ctx->pkg_name))
		return false;
	keep_unchanged(ctx->stage, ctx->old_out);
	if (fileop_fault_hit()) {
		diag(DIAG_ERROR, NULL, 0, 0, "a file operation failed on purpose (DOSSIER_FAIL_AT)");
		return false;
	}
	return !caught_signal;
}

/* The one step: the staging folder becomes OUT. */
static bool
stage_swap(const char *stage, const out_dir *d)
{
	if (!fileop_ok() || renameat2(AT_FDCWD, stage, AT_FDCWD, d->real, RENAME_EXCHANGE) != 0) {
		diag(DIAG_ERROR, d->given, 0, 0, "cannot replace the output folder: %s", g_strerror(errno));
		return false;
	}
	return true;
}

/* ---- the build ---------------------------------------------------------- */

/* The outputs and the swap, once OUT is locked. */
static bool
build_outputs(package_rendered *pl, const build_opts *o, const out_dir *d, const uptodate *u,
	      build_result *res)
{
	g_autofree char *stage = stage_new(d);
	if (!stage)
		return false;
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
		ok = uptodate_record(u, stage, res, pkg_name, steady) && stage_swap(stage, d);
		if (ok)
			res->swapped_at = g_get_real_time();
	}
	diag_alias_path(NULL, NULL);
	typeset_pictures_free(ctx.pictures);	/* this build's; kept layouts keep theirs */
	file_sha256_forget();	/* the digests of this build's files */
	fileop_remove_tree(stage);	/* the failed build, or the previous OUT */
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

/* The build once OUT is locked (or does not exist yet: then it is made and
 * locked after the input is known good).  *swapped: the new OUT is in. */
static int
build_locked(const build_opts *o, build_result *res, out_dir *d, bool locked, bool *swapped)
{
	/* Nothing changed since the last build: nothing to do. */
	g_autoptr(uptodate) u = uptodate_new(o);
	g_autofree char *why = NULL;
	if (o->opts.force)
		why = g_strdup("--force");
	else if (uptodate_check(u, o->out_dir, res, &why)) {
		res->up_to_date = true;
		return EXIT_OK;
	}
	if (o->opts.verbose)
		diag_say("dossier: building: %s", why);
	typeset_prepare();	/* fonts get ready while the content loads */
	g_autoptr(package_rendered) pl = pipeline_run_opts(o->content_dir, o->templates_dir, &o->pipe);
	typeset_prepare_wait();
	if (!pl)
		return diag_exit_status();
	if (o->pipe.final && !refuse_unless_final(pl))
		return EXIT_NO;
	if (o->opts.verbose) {	/* where each document came from: the project or the defaults */
		g_autofree char *desc = searchpath_find(o->templates_dir, "package.yaml");
		diag_say("dossier: package description from %s", desc);
		for (guint i = 0; i < pl->docs->len; i++) {
			const package_doc *doc = pl->docs->pdata[i];
			diag_say("dossier: %s from %s", doc->path, doc->template_file);
		}
	}
	bool ok = locked || (out_dir_open(d, o) && out_dir_lock(d, o->no_wait));
	if (ok) {
		out_dir_clean(d);
		ok = *swapped = build_outputs(pl, o, d, u, res);
	}
	if (!ok && diag_worst() < DIAG_ERROR)
		diag(DIAG_ERROR, o->out_dir, 0, 0, "the build stopped; the output folder is as it was");
	return diag_exit_status();
}

int
build_run(const build_opts *o, build_result *res)
{
	*res = (build_result){ 0 };
	diag_reset();
	signals_saved saved;
	signals_catch(&saved);
	out_dir d = { .lock_fd = -1 };
	bool swapped = false;
	int status;
	/* An existing OUT is locked first: whether it is up to date can only be
	 * told while no other build is about to replace it. */
	if (g_file_test(o->out_dir, G_FILE_TEST_IS_DIR) && !(out_dir_open(&d, o) && out_dir_lock(&d, o->no_wait)))
		status = diag_exit_status();
	else
		status = build_locked(o, res, &d, d.lock_fd >= 0, &swapped);
	out_dir_close(&d);
	signals_restore(&saved, swapped);
	return status;
}
