#!/bin/sh
# templates/schema.yaml edited every way a user might (each key optional
# and left out, each scalar retyped): no crash, only located messages.
# The work is in schema-edits.py beside this file.
D=${DOSSIER:-./dossier}
exec python3 tests/e2e/schema-edits.py "$D"
