/* verification.h - the documents supplied for Meta's business verification
 * (load stage).
 *
 * content/verification/ holds the official documents the applicant will
 * upload when Meta verifies the business (registration, tax registration,
 * a document with the legal name and the address or phone).  They are not
 * part of the package.  Each is checked against the rules of
 * templates/programme.yaml (`verification:`): its type read from its
 * first bytes (PDF, JPEG, PNG), its size, how many there are, and, where
 * its text can be read (a PDF with a text layer, through poppler-glib),
 * whether it names the company's legal name.  Each problem is a warning
 * at the file; the result goes to root.verification (docs/data-model.md),
 * which the paths and the App Review kit read.
 */
#ifndef DOSSIER_VERIFICATION_H
#define DOSSIER_VERIFICATION_H

#include <stdbool.h>

#include "base/value.h"

#define VERIFICATION_DIR	"verification"

/* The text of a PDF of `len` bytes, or NULL when it cannot be read (*why
 * then says why); the caller frees it.  The loader reads no PDF itself:
 * the pipeline, which may use the typesetter's PDF reader, passes one. */
typedef char *(*verification_pdf_text)(const char *data, size_t len, const char **why);

/* Check content_dir/verification/ against programme.verification and set
 * root.verification; `pdf_text` (may be NULL: no text read) finds the
 * legal name in a PDF.  Nothing checked (verification.ready false, no
 * documents) when the programme has no rules.  Never fails: a document
 * Meta would refuse is a warning, not bad input. */
void verification_check(val *root, const char *content_dir, const val *programme,
			verification_pdf_text pdf_text);

#endif
