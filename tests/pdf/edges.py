#!/usr/bin/env python3
"""Is every word inside the area a printer prints?  Printers cut 3-6 mm
(8.5-17 pt) from each edge of the paper, so no glyph may stand closer than
MARGIN points to any edge.

usage: edges.py MARGIN PHRASE BBOX...
  BBOX is the output of `pdftotext -bbox FILE.pdf BBOX` (one per PDF).
Prints one line per word closer than MARGIN to an edge, and one per page
whose text does not have PHRASE (the draft band's words, in order, on one
line at the top of the page; "" checks nothing), and exits 1 if there is any.
The last line is "N pages, N words" of what was checked.
"""
import html
import re
import sys

PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def check(path, margin, phrase, out):
    pages = words = 0
    page_w = page_h = 0.0
    top = []            # the words of the page's first line, in order

    def end_page():
        line = " ".join(w for _, w in sorted(top))
        if pages and phrase and phrase not in line:
            out.append(f"{path}: page {pages}: no '{phrase}' at its top (the first line reads '{line}')")

    for text in open(path, encoding="utf-8"):
        m = PAGE.search(text)
        if m:
            end_page()
            pages += 1
            page_w, page_h = float(m.group(1)), float(m.group(2))
            top = []
            first_y = None
            continue
        m = WORD.search(text)
        if not m:
            continue
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        word = html.unescape(m.group(5))
        words += 1
        room = min(x0, y0, page_w - x1, page_h - y1)
        if room < margin:
            out.append(f"{path}: page {pages}: '{word}' is {room:.1f} pt from the edge "
                       f"(x {x0:.1f}-{x1:.1f}, y {y0:.1f}-{y1:.1f})")
        if first_y is None or abs(y0 - first_y) < 1:
            first_y = y0 if first_y is None else first_y
            top.append((x0, word))
    end_page()
    return pages, words


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    margin, phrase = float(sys.argv[1]), sys.argv[2]
    out, pages, words = [], 0, 0
    for path in sys.argv[3:]:
        p, w = check(path, margin, phrase, out)
        pages += p
        words += w
    for line in out:
        print(line)
    print(f"{pages} pages, {words} words")
    sys.exit(1 if out else 0)


if __name__ == "__main__":
    main()
