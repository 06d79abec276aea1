/* appreview.h - the App Review kit rendered in memory (render stage; write/appreview.c
 * writes it to OUT/app-review/).
 *
 * For each permission some path of templates/programme.yaml asks for
 * (programme.permissions in the tree): its written explanation, from
 * app-review-justification-ID.mustache when the templates have one, else
 * app-review-justification.mustache, and the shot list of its screen
 * recording (app-review-shot-list.mustache); then the reviewer
 * instructions, the data handling answers and the business-verification
 * checklist.  The kit is beside the package, not in it: it is what the
 * applicant pastes and records in the App Dashboard, not what Meta's
 * partner team reads.
 */
#ifndef DOSSIER_APPREVIEW_H
#define DOSSIER_APPREVIEW_H

#include "render/package.h"

/* One file of the kit. */
typedef struct {
	char *name;		/* "whatsapp_business_messaging-justification.md" */
	char *markdown;
} appreview_file;

/* The kit (appreview_file*, free function set), empty when no path asks
 * for a permission; NULL after a located error.  Sets root.permission to
 * each permission in turn while it renders its files. */
GPtrArray *appreview_render(package *pkg, val *root, const char *templates_dir);

#endif
