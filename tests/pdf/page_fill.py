#!/usr/bin/env python3
"""How full is each page?  Reads `dossier pdf --layout` dumps and reports
every page more than LIMIT blank, except the last page of a document and a
page followed by a top-level heading (a new h1 or h2 starts the next page).

usage: page_fill.py LIMIT DUMP...      (LIMIT as a fraction, e.g. 0.20)
Prints one line per offending page and exits 1 if there is any.
A page followed by a page that starts with a figure is left out too: the
figure did not fit there and may not go past the heading that follows it.

usage: page_fill.py --last LIMIT DUMP...
The last page of each document: a table of the documents, their pages and
how full the last page is; exits 1 if a document of more than one page
ends on a page less than LIMIT full.

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
    pages, heads, figs = {}, {}, {}
    for line in open(path, encoding="utf-8"):
        m = BOX.match(line)
        if m:
            p, kind = int(m.group(1)), m.group(2)
            y = float(m.group(4))
            h = float(m.group(6) or 0)
            if kind in ("dest", "link"):
                continue
            if p not in pages and kind == "image" and y <= TOP + 1:
                figs[p] = True
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
    return pages, heads, figs


def last_pages(limit, paths):
    bad = 0
    print("| document | pages | last page full |")
    print("|---|---:|---:|")
    for path in paths:
        pages, heads, figs = pages_of(path)
        last = max(pages) if pages else 0
        full = (pages.get(last, TOP) - TOP) / (BOTTOM - TOP)
        flag = ""
        if last > 1 and full < limit:
            flag = " (under %.0f%%)" % (limit * 100)
            bad += 1
        name = re.sub(r"\.layout$", "", path.split("/")[-1])
        print("| %s | %d | %.0f%%%s |" % (name, last, full * 100, flag))
    sys.exit(1 if bad else 0)


def main():
    if sys.argv[1] == "--last":
        last_pages(float(sys.argv[2]), sys.argv[3:])
    limit = float(sys.argv[1])
    bad = 0
    for path in sys.argv[2:]:
        pages, heads, figs = pages_of(path)
        last = max(pages) if pages else 0
        for p in sorted(pages):
            blank = (BOTTOM - pages[p]) / (BOTTOM - TOP)
            if p == last or heads.get(p + 1) or figs.get(p + 1):
                continue
            if blank > limit:
                print("%s: page %d of %d is %.0f%% blank" % (path, p, last, blank * 100))
                bad += 1
    sys.exit(1 if bad else 0)


main()
