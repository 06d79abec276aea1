#!/usr/bin/env python3
"""Does a PDF carry what PDF/UA-1 asks of a tagged file (and PDF/A-2's
identification), as far as dossier writes it?  Read from `qpdf --json`
(objects and decoded page content), `pdfinfo -meta` (the XMP packet) and
`pdfinfo -struct-text` (the text of the structure tree).

usage: pdfua.py PDF...
For each file it checks:
  - the catalog: /Lang, /ViewerPreferences /DisplayDocTitle true,
    /MarkInfo /Marked true, an sRGB output intent, and the trailer's /ID;
  - the XMP packet: pdfuaid:part 1, pdfaid:part 2, and dc:title equal to the
    Info dictionary's /Title (not empty);
  - the structure tree: /Alt (not empty) on every Figure, /Scope on every
    TH, every Table's rows inside THead/TBody, a THead of TH cells only,
    an /ID on every Note;
  - the pages: /Tabs /S on each page with annotations, /Contents and the
    print flag (/F 4) on each link annotation; everything a page's content
    paints (text, paths, images) is inside a tagged marked-content sequence
    (an /MCID) or an /Artifact;
  - furniture: the footer ("Page N of M") is drawn on every page, yet no
    structure element holds a page-number footer or the draft band's words.
Prints one line per defect and exits 1 if there is any; the last line
counts what was checked.
"""
import base64
import html
import json
import re
import subprocess
import sys

from struct_text import struct_text

PAINTS = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"BI", b"m", b"re"}
# A token of a content stream (PDF 32000-1, 7.2): a comment, a string (its
# parentheses escaped, as Cairo writes them), a dictionary's edge, a hex
# string, a delimiter, a name, or a word (number or operator).
TOKEN = re.compile(rb"%[^\r\n]*|\((?:\\.|[^\\()])*\)|<<|>>|<[^>]*>|[\[\]{}]"
                   rb"|/[^\s()<>\[\]{}/%]*|[^\s()<>\[\]{}/%]+", re.S)
INLINE_END = re.compile(rb"\sEI(?=[\s]|$)")


def tokens(s):
    """(is_operator, bytes) of each token of content stream s."""
    pos = 0
    while True:
        m = TOKEN.search(s, pos)
        if not m:
            return
        w = m.group(0)
        pos = m.end()
        if w[:1] == b"%":
            continue
        c = w[:1]
        op = (c.isalpha() or c in (b"'", b'"')) and w not in (b"true", b"false", b"null")
        yield op, w
        if w == b"ID":      # inline image data, up to EI
            e = INLINE_END.search(s, pos + 1)
            pos = e.end() if e else len(s)


def untagged_paint(content):
    """The painting operators outside any /MCID or /Artifact sequence."""
    stack, operands, bad = [], [], []
    for op, w in tokens(content):
        if not op:
            operands.append(w)
            continue
        if w in (b"BDC", b"BMC"):
            tag = operands[0] if operands else b""
            stack.append(tag == b"/Artifact" or (w == b"BDC" and b"/MCID" in operands))
        elif w == b"EMC":
            if stack:
                stack.pop()
        elif w in PAINTS and not any(stack):
            bad.append(w.decode("latin-1"))
        operands = []
    return bad


def string(v):
    """A qpdf JSON v2 string's text ("u:..." or "b:hex"), else None."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        return bytes.fromhex(v[2:]).decode("latin-1")
    return None


def check(path, out, counts):
    def fail(msg):
        out.append(f"{path}: {msg}")

    j = json.loads(subprocess.run(
        ["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized", path],
        check=True, capture_output=True).stdout)
    objs = j["qpdf"][1]

    def get(ref):
        """The value of an object, following one indirect reference."""
        if isinstance(ref, str) and ref.endswith(" R"):
            o = objs.get("obj:" + ref, {})
            return o.get("value", o.get("stream", {}).get("dict"))
        return ref

    def data(ref):
        s = objs.get("obj:" + ref, {}).get("stream", {})
        return base64.b64decode(s.get("data", ""))

    trailer = objs["trailer"]["value"]
    root = get(trailer["/Root"])
    info = get(trailer.get("/Info")) or {}
    if not string(root.get("/Lang")):
        fail("no /Lang in the catalog")
    if get(root.get("/ViewerPreferences", {})).get("/DisplayDocTitle") is not True:
        fail("no /ViewerPreferences /DisplayDocTitle true")
    if get(root.get("/MarkInfo", {})).get("/Marked") is not True:
        fail("no /MarkInfo /Marked true")
    intents = [get(i) for i in get(root.get("/OutputIntents", [])) or []]
    if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        fail("no PDF/A output intent with a profile")
    if len(trailer.get("/ID", [])) != 2:
        fail("no /ID in the trailer")

    title = string(info.get("/Title"))
    xmp = subprocess.run(["pdfinfo", "-meta", path], check=True, capture_output=True,
                         text=True).stdout
    if "<pdfuaid:part>1</pdfuaid:part>" not in xmp:
        fail("no pdfuaid:part 1 in the XMP metadata")
    if "<pdfaid:part>2</pdfaid:part>" not in xmp:
        fail("no pdfaid:part 2 in the XMP metadata")
    m = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    xmp_title = html.unescape(m.group(1)) if m else None
    if not title or xmp_title != title:
        fail(f"dc:title {xmp_title!r} is not the document's title {title!r}")

    # The structure tree, element by element.
    tree = get(root.get("/StructTreeRoot"))
    if not tree:
        fail("no structure tree")
        tree = {}
    seen = set()
    todo = [(tree.get("/K"), None)]
    while todo:
        k, parent = todo.pop()
        if isinstance(k, list):
            todo.extend((x, parent) for x in k)
            continue
        if not (isinstance(k, str) and k.endswith(" R")) or k in seen:
            continue
        seen.add(k)
        e = get(k)
        if not isinstance(e, dict) or "/S" not in e:
            continue
        s = e["/S"]
        counts[s] = counts.get(s, 0) + 1
        kids = e.get("/K")
        kids = kids if isinstance(kids, list) else [kids]
        kinds = [get(x).get("/S") for x in kids if isinstance(get(x), dict) and "/S" in get(x)]
        if s == "/Figure" and not string(e.get("/Alt")):
            fail(f"a Figure ({k}) without /Alt")
        if s == "/TH":
            attrs = get(e.get("/A"))
            attrs = [get(a) for a in attrs] if isinstance(attrs, list) else [attrs]
            if not any(isinstance(a, dict) and a.get("/Scope") in ("/Row", "/Column", "/Both")
                       for a in attrs):
                fail(f"a TH ({k}) without /Scope")
        if s == "/Note" and not string(e.get("/ID")):
            fail(f"a Note ({k}) without /ID")
        if s == "/Table" and any(x not in ("/THead", "/TBody", "/TFoot", "/Caption") for x in kinds):
            fail(f"a Table ({k}) with {sorted(set(kinds))} inside, not THead/TBody")
        if s == "/THead":
            for r in kids:
                cells = get(r).get("/K") if isinstance(get(r), dict) else None
                cells = cells if isinstance(cells, list) else [cells]
                if any(get(c).get("/S") != "/TH" for c in cells if isinstance(get(c), dict)):
                    fail(f"a THead ({k}) with a cell that is no TH")
        if s == "/TR" and get(parent).get("/S") not in ("/THead", "/TBody", "/TFoot"):
            fail(f"a TR ({k}) outside THead/TBody")
        todo.extend((x, k) for x in reversed(kids))

    # The pages: annotations and content.
    pages = [p["object"] for p in j["pages"]]
    for n, ref in enumerate(pages, 1):
        page = get(ref)
        annots = get(page.get("/Annots", [])) or []
        if annots and page.get("/Tabs") != "/S":
            fail(f"page {n}: {len(annots)} annotations but no /Tabs /S")
        for a in map(get, annots):
            counts["annotations"] = counts.get("annotations", 0) + 1
            if a.get("/Subtype") == "/Link":
                if not string(a.get("/Contents")):
                    fail(f"page {n}: a link without /Contents")
                if not isinstance(a.get("/F"), int) or not a["/F"] & 4:
                    fail(f"page {n}: a link without the print flag (/F 4)")
        contents = page.get("/Contents")
        refs = contents if isinstance(contents, list) else [contents]
        content = b"\n".join(data(r) for r in get(refs) if r)
        counts["artifacts"] = counts.get("artifacts", 0) + content.count(b"/Artifact BMC")
        bad = untagged_paint(content)
        if bad:
            fail(f"page {n}: {len(bad)} operators paint outside any tagged or artifact "
                 f"sequence ({', '.join(sorted(set(bad)))})")
    counts["pages"] = counts.get("pages", 0) + len(pages)

    # Furniture: drawn, but never in the tree.
    struct = struct_text(path)
    text = subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True,
                          text=True).stdout
    footers = len(re.findall(r"Page \d+ of \d+", text))
    if footers < len(pages) - 1:    # all but a cover
        fail(f"{footers} page-number footers drawn on {len(pages)} pages")
    for phrase in (r"Page \d+ of \d+", "Draft — not for submission"):
        m = re.search(phrase, struct)
        if m:
            fail(f"a structure element holds the furniture {m.group(0)!r}")


def main():
    out, counts = [], {}
    for path in sys.argv[1:]:
        check(path, out, counts)
    for line in out:
        print(line)
    print(f"{len(sys.argv) - 1} files, {counts.get('pages', 0)} pages: "
          f"{counts.get('/Figure', 0)} Figures, {counts.get('/TH', 0)} TH, "
          f"{counts.get('/Table', 0)} Tables, {counts.get('annotations', 0)} annotations, "
          f"{counts.get('artifacts', 0)} artifact sequences")
    sys.exit(1 if out else 0)


if __name__ == "__main__":
    main()
