#!/usr/bin/env python3
"""Figures that float, and where they may land (issue 23, item 1).

usage: floats.py gen DIR          write the test documents into DIR
       floats.py check DIR        check DIR/*.pdf (typeset from them)

The documents: a figure (tests/pdf/img/chart.svg, with a caption) after a
referencing paragraph that ends at 20 different distances from the foot of
page 1, followed by a table, a list or a paragraph: 60 documents.  Every
word of the blocks around the figure is a token naming its block
(r01 r02 ... for the referencing paragraph, t01.. for table rows, i01.. for
list items, p01.. for the paragraph after), so `pdftotext -bbox` tells
where each line of each block went.

The checks, for every PDF:
- in reading order (page, then top to bottom) no block has words both
  before and after the figure's caption: the figure is never between two
  rows of one table, two items of one list or two lines of one paragraph;
- the figure stays before the next heading of its section's level
  ("## After");
- the structure tree (`pdfinfo -struct-text`) has the figure's element
  where the page has it: after the elements of the blocks drawn before it,
  before those drawn after it;
- the referencing paragraph's end lies at 20 different distances from the
  foot of page 1 (the set covers what it says it covers).
Prints one line per failure and a summary; exits 1 on any failure.
"""
import html
import os
import re
import shutil
import subprocess
import sys

KINDS = ("table", "list", "para")
FILLER = "Text that ends the document, a sentence or two long. "


def tokens(prefix, n):
    return " ".join("%s%02d" % (prefix, k) for k in range(1, n + 1))


def document(step, kind):
    # Filler lines (hard line breaks), one more each step: the
    # referencing paragraph ends one line lower.  (No "fi", "fl" or "ff"
    # in the text: poppler's -struct-text stops at a ligature.)
    lines = 22 + step
    out = ["# Floats %02d %s" % (step, kind), "", "## Section", ""]
    out.append("  \n".join("Filler line %d sets where the next paragraph ends." % k
                           for k in range(1, lines + 1)))
    out.append("")
    out.append("The chart below is cited here " + tokens("r", 14) + ".")
    out.append("")
    out.append("![Figcap chart of the figure](chart.svg)")
    out.append("")
    if kind == "table":
        out += ["| Row | Value |", "|---|---|"]
        out += ["| t%02d | t%02dv t%02dw |" % (k, k, k) for k in range(1, 13)]
    elif kind == "list":
        out += ["- i%02d %s" % (k, tokens("i%02dx" % k, 6)) for k in range(1, 11)]
    else:
        out.append(tokens("p", 120))
    out += ["", "## After a01", "", (FILLER * 8).strip(), ""]
    return "\n".join(out)


def gen(d):
    os.makedirs(d, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "img", "chart.svg"), d)
    for step in range(20):
        for kind in KINDS:
            with open(os.path.join(d, "f%02d-%s.md" % (step, kind)), "w") as f:
                f.write(document(step, kind))


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    page, res = 0, []
    for part in re.split(r"(<page [^>]*>)", out):
        if PAGE.match(part):
            page += 1
            continue
        for m in WORD.finditer(part):
            res.append((page, float(m.group(2)), float(m.group(4)), html.unescape(m.group(5))))
    return res


def block_of(w):
    m = re.match(r"^(r|t|i|p|a)\d\d", w)
    return m.group(1) if m else None


def struct_order(pdf):
    """The blocks in the order of the structure tree: 'F' for the figure."""
    out = subprocess.run(["pdfinfo", "-struct-text", pdf], capture_output=True, text=True).stdout
    order = []
    for line in out.splitlines():
        s = line.strip()
        if s.startswith('"'):
            if "Figcap" in s:
                b = "F"
            else:
                b = next((block_of(w) for w in s.strip('"').split() if block_of(w)), None)
            if b and (not order or order[-1] != b):
                order.append(b)
    return order


def check(d):
    bad, n, ends = [], 0, set()
    for name in sorted(os.listdir(d)):
        if not name.endswith(".pdf"):
            continue
        n += 1
        pdf = os.path.join(d, name)
        ws = words(pdf)
        cap = [(p, y0) for p, y0, y1, w in ws if w == "Figcap"]
        if len(cap) != 1:
            bad.append("%s: the caption is found %d times" % (name, len(cap)))
            continue
        fkey = cap[0]
        seen = {}
        for p, y0, y1, w in ws:
            b = block_of(w)
            if b:
                seen.setdefault(b, set()).add((p, y0) < fkey)
        for b, sides in seen.items():
            if len(sides) > 1:
                bad.append("%s: the figure lies inside block %r" % (name, b))
        if seen.get("a") != {False}:
            bad.append("%s: the figure moved past the next heading of its level" % name)
        # Reading order of the page: blocks before the figure, the figure,
        # blocks after it; the tree must say the same.
        visual = []
        for p, y0, y1, w in sorted(ws, key=lambda x: (x[0], x[1])):
            b = "F" if w == "Figcap" else block_of(w)
            if b and (not visual or visual[-1] != b):
                visual.append(b)
        tree = struct_order(pdf)
        if tree != visual:
            bad.append("%s: the tree reads %s, the pages %s" % (name, tree, visual))
        last = [(p, y1) for p, y0, y1, w in ws if w == "r14."]
        if last and last[0][0] == 1:
            ends.add(round(last[0][1]))
    if n != 3 * 20:
        bad.append("%d PDFs checked, 60 expected" % n)
    if len(ends) < 20:
        bad.append("the referencing paragraph ends at %d distances from page 1's foot, 20 wanted: %s"
                   % (len(ends), sorted(ends)))
    for b in bad:
        print(b)
    print("floats: %d PDFs, the referencing paragraph ending at %d distances from the foot, %d failures"
          % (n, len(ends), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2]))
    else:
        sys.exit(__doc__)
