#!/bin/sh
# The differential walk (tests/walk.py): random edits to a copy of the
# example, one at a time; after each, the incremental build's OUT must equal
# a --force build's byte for byte, and verify must pass (and catch a file of
# the package changed behind dossier's back).  In make check the seed is
# fixed (WALK_SEED, 1 by default), so a run of make check is repeatable and
# CI is never flaky by chance; 200 edits, 40 under SANITIZE=1 (the Makefile
# passes WALK_EDITS).  `make fuzz-walk` walks 5,000 edits with a random
# seed, printed with the command that replays a failure.
D=${DOSSIER:-./dossier}
exec python3 "${DOSSIER_SRC:-.}/tests/walk.py" "$D" --edits "${WALK_EDITS:-200}" --seed "${WALK_SEED:-1}"
