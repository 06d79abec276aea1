/* cli/watch.h - build, then build again whenever a file of the content or
 * templates folders changes: `dossier build --watch` and `dossier serve`
 * (cli/build.c).
 */
#ifndef DOSSIER_CLI_WATCH_H
#define DOSSIER_CLI_WATCH_H

#include <stdbool.h>

typedef struct watch watch;

/* Called after every build: its exit status, the messages it printed
 * (borrowed) and the package folder's name (NULL when it failed before
 * knowing it). */
typedef void (*watch_built_fn)(int status, const char *messages, const char *pkg_name, void *ud);

/* Watch the folders and build once now (calling `built`, which may be
 * NULL); later builds run from the caller's GLib main loop.  Free with
 * watch_free(). */
watch *watch_new(const char *content, const char *templates, const char *out, bool quiet,
		 watch_built_fn built, void *ud);
void watch_free(watch *w);

#endif
