#!/usr/bin/env python3
"""`pdfinfo -struct-text PDF`, read from a copy of PDF without the
catalog's /OutputIntents.

usage: struct_text.py PDF    (prints what pdfinfo -struct-text prints)

poppler 22 builds Little CMS colour transforms from the output intent's ICC
profile each time it starts reading a page's content, and -struct-text reads
a page's content again for every element: 30 s of CPU for the example's
dossier.pdf with the output intent, 1 s without.  The copy differs from PDF
in that one key of the catalog (qpdf --update-from-json), so its structure
tree, pages and text are the same.
"""
import json
import os
import subprocess
import sys
import tempfile


def struct_text(path):
    j = json.loads(subprocess.run(["qpdf", "--json", "--json-key=qpdf", path],
                                  check=True, capture_output=True).stdout)
    head, objs = j["qpdf"]
    root_ref = objs["trailer"]["value"]["/Root"]
    root = objs["obj:" + root_ref]["value"]
    with tempfile.TemporaryDirectory(prefix="struct-text-") as tmp:
        src = path
        if "/OutputIntents" in root:
            del root["/OutputIntents"]
            upd = os.path.join(tmp, "update.json")
            with open(upd, "w", encoding="utf-8") as f:
                json.dump({"qpdf": [head, {"obj:" + root_ref: {"value": root}}]}, f)
            src = os.path.join(tmp, "copy.pdf")
            subprocess.run(["qpdf", "--update-from-json=" + upd, path, src], check=True)
        return subprocess.run(["pdfinfo", "-struct-text", src], capture_output=True,
                              text=True).stdout


if __name__ == "__main__":
    sys.stdout.write(struct_text(sys.argv[1]))
