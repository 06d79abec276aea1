#!/bin/sh
# The differential walk (tests/walk.py): 200 random edits to a copy of the
# example, one at a time; after each, the incremental build's OUT must equal
# a --force build's byte for byte, and verify must pass (and catch a file of
# the package changed behind dossier's back).  The seed is random and
# printed; a failure prints the command that replays it.  `make fuzz-walk`
# runs 5,000.  WALK_EDITS and WALK_SEED override the count and the seed.
D=${DOSSIER:-./dossier}
exec python3 "${DOSSIER_SRC:-.}/tests/walk.py" "$D" --edits "${WALK_EDITS:-200}" ${WALK_SEED:+--seed "$WALK_SEED"}
