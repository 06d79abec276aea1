#!/usr/bin/env python3
"""How full is each page?  Reads `dossier pdf --layout` dumps and reports
every page more than LIMIT blank, except the last page of a document and a
page followed by a top-level heading (a new h1 or h2 starts the next page).

usage: page_fill.py LIMIT DUMP...      (LIMIT as a fraction, e.g. 0.20)
Prints one line per offending page and exits 1 if there is any.

Blank is the part of the body (between the top and bottom margins) below
the lowest box of the page; the running header and footer lie outside the
body and do not count.
"""
import re
import sys

BOX = re.compile(r"^page (\d+): (\w+) x=([-\d.]+) y=([-\d.]+)(?: w=([-\d.]+) h=([-\d.]+))?")
OUTLINE = re.compile(r"^outline (\d+): page (\d+) y=([-\d.]+) '(.*)'$")
TOP, BOTTOM = 74.0, 841.8898 - 70.0     # the default theme's body on A4


def pages_of(path):
    pages, heads = {}, {}
    for line in open(path, encoding="utf-8"):
        m = BOX.match(line)
        if m:
            p, kind = int(m.group(1)), m.group(2)
            y = float(m.group(4))
            h = float(m.group(6) or 0)
            if kind in ("dest", "link"):
                continue
            bottom = y + 3 if kind == "text" else y + h   # text: y is the baseline
            if TOP - 1 <= y <= BOTTOM + 1:
                pages[p] = max(pages.get(p, TOP), min(bottom, BOTTOM))
            else:
                pages.setdefault(p, TOP)
            continue
        m = OUTLINE.match(line)
        if m and int(m.group(1)) <= 1:
            p, y = int(m.group(2)), float(m.group(3))
            if y <= TOP + 30:
                heads[p] = True
    return pages, heads


def main():
    limit = float(sys.argv[1])
    bad = 0
    for path in sys.argv[2:]:
        pages, heads = pages_of(path)
        last = max(pages) if pages else 0
        for p in sorted(pages):
            blank = (BOTTOM - pages[p]) / (BOTTOM - TOP)
            if p == last or heads.get(p + 1):
                continue
            if blank > limit:
                print("%s: page %d of %d is %.0f%% blank" % (path, p, last, blank * 100))
                bad += 1
    sys.exit(1 if bad else 0)


main()
