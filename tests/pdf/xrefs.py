#!/usr/bin/env python3
"""Numbered captions and cross-references as links (issue 23, item 8),
over a built package (OUT/bsp-application):

- every Markdown link to another document of the package ("[Privacy
  Policy](../compliance/privacy-policy.md)") names a file that exists;
- in dossier.pdf the words of each such link are a link to the page where
  that document starts (its bookmark's page);
- in the document's own PDF they are a link to the other document's PDF,
  relative ("../compliance/privacy-policy.pdf"), which exists;
- every image with alt text in a document is captioned "Figure N." in its
  PDF, N counting 1, 2, 3 ... in each document (the theme's label).

usage: xrefs.py PACKAGE [LABEL]
Prints one line per fault and a summary; exits 1 if there is any fault.
Reads the PDFs with `qpdf --json` (the link annotations, the named
destinations, the bookmarks) and `pdftotext -bbox` (the words under each
link).
"""
import html
import json
import os
import re
import subprocess
import sys

LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)#\s:]+\.md)(#[^)\s]*)?\)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(")


def qpdf_objects(pdf):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", pdf],
                         capture_output=True, text=True, check=True).stdout
    objs = json.loads(out)["qpdf"][1]
    return {k[4:]: v.get("value") for k, v in objs.items() if k.startswith("obj:")}, \
        objs["trailer"]["value"]


def pdf_string(s):
    return s[2:] if isinstance(s, str) and s.startswith("u:") else s


def named_dests(objs, root):
    """name -> page object of the /Names /Dests tree."""
    dests = {}
    names = objs[root].get("/Names")
    names = objs[names] if isinstance(names, str) else names
    if not names or "/Dests" not in names:
        return dests
    todo = [names["/Dests"]]
    while todo:
        node = todo.pop()
        node = objs[node] if isinstance(node, str) else node
        todo.extend(node.get("/Kids", []))
        pairs = node.get("/Names", [])
        for k in range(0, len(pairs), 2):
            d = pairs[k + 1]
            d = objs[d] if isinstance(d, str) and d in objs else d
            if isinstance(d, dict):
                d = d["/D"]
            dests[pdf_string(pairs[k])] = d[0]
    return dests


def outline_pages(objs, root):
    """title -> page object of every bookmark."""
    got = {}
    top = objs[root].get("/Outlines")
    if not top:
        return got
    todo = [objs[top].get("/First")]
    while todo:
        o = todo.pop()
        if not o:
            continue
        node = objs[o]
        d = node.get("/Dest")
        if isinstance(d, list):
            got.setdefault(pdf_string(node["/Title"]), d[0])
        todo.append(node.get("/Next"))
        todo.append(node.get("/First"))
    return got


def words_by_page(pdf):
    """[(height, [(xmin, ymin, xmax, ymax, word)])] per page, top-down y."""
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">(.*?)</word>', m.group(3))]
        pages.append((float(m.group(2)), words))
    return pages


def links(pdf):
    """[(page number, words under the link, ('dest', page number) or ('uri', uri))]."""
    objs, trailer = qpdf_objects(pdf)
    root = trailer["/Root"]
    kids, todo = [], [objs[root]["/Pages"]]
    while todo:
        n = todo.pop(0)
        if objs[n].get("/Type") == "/Pages":
            todo[:0] = objs[n]["/Kids"]
        else:
            kids.append(n)
    number = {p: i + 1 for i, p in enumerate(kids)}
    dests = named_dests(objs, root)
    text = words_by_page(pdf)
    got = []
    for p, page in enumerate(kids, 1):
        annots = objs[page].get("/Annots", [])
        annots = objs[annots] if isinstance(annots, str) else annots
        height, words = text[p - 1]
        for a in annots:
            a = objs[a] if isinstance(a, str) else a
            if a.get("/Subtype") != "/Link":
                continue
            x0, y0, x1, y1 = a["/Rect"]
            top, bottom = height - y1, height - y0
            # A word is under the link when most of it is (the link
            # leaves out the punctuation pdftotext gives its words).
            under = [w for w in words if min(w[2], x1) - max(w[0], x0) > (w[2] - w[0]) / 2
                     and top - 1 <= (w[1] + w[3]) / 2 <= bottom + 1]
            said = flat(" ".join(w[4] for w in under))
            act = a.get("/A")
            act = objs[act] if isinstance(act, str) else act
            if "/Dest" in a:
                d = a["/Dest"]
                d = dests.get(pdf_string(d)) if isinstance(d, str) else d[0]
                got.append((p, said, ("dest", number.get(d))))
            elif act and act.get("/S") == "/URI":
                got.append((p, said, ("uri", pdf_string(act["/URI"]))))
            elif act and act.get("/S") == "/GoTo":
                d = act["/D"]
                d = dests.get(pdf_string(d)) if isinstance(d, str) else d[0]
                got.append((p, said, ("dest", number.get(d))))
    # A link broken across lines is one annotation per line: the words
    # of consecutive annotations to the same place are read together too.
    for k in range(len(got) - 1, 0, -1):
        (p1, s1, h1), (p2, s2, h2) = got[k - 1], got[k]
        if h1 == h2 and p2 - p1 in (0, 1):
            got.append((p1, s1 + " " + s2, h1))
    return got, {t: number.get(pg) for t, pg in outline_pages(objs, root).items()}


def first_heading(md):
    for line in open(md, encoding="utf-8"):
        m = re.match(r"^#\s+(.*?)\s*$", line)
        if m:
            return m.group(1)
    return None


def flat(s):
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


def main():
    pkg = sys.argv[1]
    label = sys.argv[2] if len(sys.argv) > 2 else "Figure"
    faults, xrefs, captions = [], 0, 0
    mds = sorted(os.path.relpath(os.path.join(d, f), pkg) for d, _, fs in os.walk(pkg)
                 for f in fs if f.endswith(".md"))
    dossier_links, bookmarks = links(os.path.join(pkg, "dossier.pdf"))
    for md in mds:
        src = open(os.path.join(pkg, md), encoding="utf-8").read()
        pdf = os.path.join(pkg, md[:-3] + ".pdf")
        if not os.path.exists(pdf):
            continue
        own, _ = links(pdf)
        for m in LINK.finditer(src):
            words, rel = flat(m.group(1)), m.group(2)
            xrefs += 1
            target = os.path.normpath(os.path.join(os.path.dirname(md), rel))
            if not os.path.exists(os.path.join(pkg, target)):
                faults.append("%s: link to %s: no such document" % (md, rel))
                continue
            want = bookmarks.get(first_heading(os.path.join(pkg, target)))
            if not any(words in said and how == ("dest", want) for _, said, how in dossier_links):
                faults.append("dossier.pdf: %r (%s) is not a link to page %s, where %s starts"
                              % (words, md, want, target))
            rel_pdf = rel[:-3] + ".pdf"
            if not any(words in said and how == ("uri", rel_pdf) for _, said, how in own):
                faults.append("%s: %r is not a link to %s" % (pdf[len(pkg) + 1:], words, rel_pdf))
        alts = [a for a in IMAGE.findall(src) if a.strip()]
        text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                                   capture_output=True, text=True).stdout.split())
        nums = [int(n) for n in re.findall(re.escape(label) + r"\s(\d+)\.", text)]
        captions += len(alts)
        if alts and nums != list(range(1, len(alts) + 1)):
            faults.append("%s: %d figures, captions numbered %s" % (pdf[len(pkg) + 1:], len(alts), nums))
    print("\n".join(faults))
    print("%d cross-references in %d documents, %d captions" % (xrefs, len(mds), captions))
    sys.exit(1 if faults or not xrefs or not captions else 0)


main()
