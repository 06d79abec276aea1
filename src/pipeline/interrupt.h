/* interrupt.h - SIGINT and SIGTERM during a build (pipeline stage; used by
 * pipeline/build.c).
 *
 * A build stops within a second of SIGINT or SIGTERM, whatever it is doing,
 * and leaves OUT as it was.  What that takes depends on the phase:
 *   - reading (OUT's record, loading, deriving, rendering, waiting for
 *     another build's lock): nothing has been written, so the signal ends
 *     the process at once;
 *   - staging (the products written into OUT/.dossier-cache/stage-*): the
 *     build notices the signal between outputs and removes its staging
 *     folder itself; when it has not begun to within a fifth of a second (one
 *     long typesetting job), a watchdog thread removes the staging folder
 *     and ends the process;
 *   - holding (the commit into OUT, completing a killed build's commit, or
 *     removing a staging folder): the signal waits until that is done.
 * Either way the process then ends by the signal (exit status 128+N in a
 * shell), after "dossier: interrupted; the output folder is as it was"
 * unless the build was complete when the signal came.  A command with a
 * handler of its own for the signal (dossier serve) gets it instead, once
 * the build has stopped; while reading, the build then stops at its next
 * step (interrupt_requested()).
 */
#ifndef DOSSIER_INTERRUPT_H
#define DOSSIER_INTERRUPT_H

#include <stdbool.h>
#include <time.h>

/* Catch the signals for one build (the phase: reading). */
void interrupt_begin(void);

/* Staging: what the watchdog removes when it has to end the process
 * (copied): the staging and trash folders in `cache`; then `cache` itself
 * when this build `made` it, else its access and modification times are
 * put back to `times`. */
void interrupt_staging(const char *stage, const char *trash, const char *cache, bool made,
		       const struct timespec times[2]);

/* Staging ends, or something that must not stop half-way begins while
 * reading (completing a killed build's commit): hold any signal until
 * interrupt_reading() or interrupt_end().  When the watchdog has already
 * begun to remove the staging folder, this waits for it (it then ends the
 * process, or, for a command with a handler of its own, leaves the build
 * to stop: interrupt_requested() is true). */
void interrupt_hold(void);

/* Back to reading; a signal that came while holding ends the process now
 * (or, with a handler of the command's, makes interrupt_requested() true). */
void interrupt_reading(void);

/* A signal came during this build. */
bool interrupt_requested(void);

/* Restore the handlers.  When a signal came, end the process by it now,
 * saying OUT is as it was unless `complete` (the build was done). */
void interrupt_end(bool complete);

#endif
