/* project.h - where a command finds its folders (cli).
 *
 * A project is a folder holding the project file dossier.yaml; every command
 * run in it or in any folder below it works on that project, as git does:
 *   content   PROJECT/content
 *   templates PROJECT/templates (when it exists), then the installed defaults
 *   out       PROJECT/out
 * Outside any project the current folder stands in for it.  Paths are given
 * relative to the current folder ("content", "../content"), so messages name
 * files the way the user reaches them.
 *
 * The installed defaults (the data folder) are, in order: $DOSSIER_DATADIR;
 * the folder of the dossier binary when it is a checkout (it has
 * templates/package.yaml); the folder chosen at build time from PREFIX
 * (PREFIX/share/dossier).  The data folder holds templates/ (with
 * templates/skeleton/, what `init` writes) and example/ (what `init
 * --example` writes; in a checkout, the Makefile's EXAMPLE folder).
 */
#ifndef DOSSIER_PROJECT_H
#define DOSSIER_PROJECT_H

#include <stdbool.h>

#define PROJECT_FILE "dossier.yaml"

typedef struct {
	char *root;		/* the project folder, relative to the current one; "." outside a project */
	bool found;		/* a dossier.yaml was found */
	char *content;		/* each the option given, else the project's */
	char *templates;	/* a search list (base/searchpath.h) */
	char *out;
} project;

/* The folders for a command: each explicit option (NULL if not given) wins.
 * An explicit templates folder is still followed by the installed defaults. */
void project_resolve(project *p, const char *opt_content, const char *opt_templates,
		     const char *opt_out);
void project_clear(project *p);

/* True when the current folder is in a project (a dossier.yaml here or above). */
bool project_found(void);

/* The data folder (see above), or NULL when none is there; owned by the module. */
const char *project_data_dir(void);

/* `dossier init [--example] DIR`. */
int cmd_init(int argc, char **argv);

#endif
