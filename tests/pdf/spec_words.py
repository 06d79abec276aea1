#!/usr/bin/env python3
"""Nothing lost: every word of every CommonMark/GFM spec example reaches the PDF.

    spec_words.py split SPEC.txt... OUTDIR    one Markdown file per example
    spec_words.py check OUTDIR TEXT.txt       compare with pdftotext output

`split` writes OUTDIR/ex-NNNN.md (the example, after a marker heading
"###### XSPECX NNNN" and a blank line, which starts every example from a
clean block state) and OUTDIR/expected.tsv (number, section, words).  The
words are those of the HTML that the installed libcmark-gfm (the parser the
typesetter uses, through ctypes) makes of the example, tags removed and
entities decoded: what the parser produced is what must reach the page.
Where a spec example expects something else (the spec is newer than the
library) the library's reading counts; without the library, the spec's HTML.  `dossier pdf` typesets all files into one combined PDF,
each example parsed on its own; `check` cuts pdftotext's output at the
markers and looks for every word of an example in its own stretch of text.
Words are compared with everything but letters and digits removed, so line
breaks and hyphens inserted at line ends do not matter.
"""
import html
import os
import re
import sys
import unicodedata

FENCE = "`" * 32


def examples(path):
    """(section, markdown, html) for each enabled example of a spec file."""
    section = ""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        if line.startswith(FENCE + " example"):
            disabled = "disabled" in line
            md, out, j, part = [], [], i + 1, 0
            while not lines[j].startswith(FENCE):
                if lines[j] == "." and part == 0:
                    part = 1
                else:
                    (md if part == 0 else out).append(lines[j])
                j += 1
            i = j
            if not disabled:
                fix = lambda s: "\n".join(s).replace("\u2192", "\t")
                yield section, fix(md) + "\n", fix(out)
        i += 1


def cmark_html():
    """A function Markdown → HTML through libcmark-gfm with the GFM
    extensions and the footnotes dossier enables, or None when the library
    is missing."""
    import ctypes
    import ctypes.util
    try:
        core = ctypes.CDLL(ctypes.util.find_library("cmark-gfm") or "libcmark-gfm.so")
        ext = ctypes.CDLL(ctypes.util.find_library("cmark-gfm-extensions")
                          or "libcmark-gfm-extensions.so")
    except OSError:
        return None
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    ext.cmark_gfm_core_extensions_ensure_registered()
    core.cmark_find_syntax_extension.restype = vp
    core.cmark_find_syntax_extension.argtypes = [cp]
    core.cmark_parser_new.restype = vp
    core.cmark_parser_attach_syntax_extension.argtypes = [vp, vp]
    core.cmark_parser_feed.argtypes = [vp, cp, ctypes.c_size_t]
    core.cmark_parser_finish.restype = vp
    core.cmark_parser_finish.argtypes = [vp]
    core.cmark_parser_get_syntax_extensions.restype = vp
    core.cmark_parser_get_syntax_extensions.argtypes = [vp]
    core.cmark_render_html.restype = ctypes.POINTER(ctypes.c_char)
    core.cmark_render_html.argtypes = [vp, ctypes.c_int, vp]
    core.cmark_node_free.argtypes = [vp]
    core.cmark_parser_free.argtypes = [vp]
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [vp]
    OPT_VALIDATE_UTF8, OPT_FOOTNOTES, OPT_UNSAFE = 1 << 9, 1 << 13, 1 << 17
    exts = [core.cmark_find_syntax_extension(n)
            for n in (b"table", b"tasklist", b"strikethrough", b"autolink")]

    def html(md):
        p = core.cmark_parser_new(OPT_VALIDATE_UTF8 | OPT_FOOTNOTES)
        for e in exts:
            core.cmark_parser_attach_syntax_extension(p, e)
        data = md.encode("utf-8")
        core.cmark_parser_feed(p, data, len(data))
        root = core.cmark_parser_finish(p)
        out = core.cmark_render_html(root, OPT_UNSAFE | OPT_FOOTNOTES,
                                     core.cmark_parser_get_syntax_extensions(p))
        text = ctypes.string_at(out).decode("utf-8", "replace")
        libc.free(ctypes.cast(out, vp))
        core.cmark_node_free(root)
        core.cmark_parser_free(p)
        return text
    return html


def norm(s):
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", s))


def words(html_text):
    # A note's links back to its references ("↩", "↩2") are its number in
    # the PDF, as in print: no words of their own.
    html_text = re.sub(r'<a href="#fnref[^"]*" class="footnote-backref".*?</a>',
                       " ", html_text)
    text = re.sub(r"<[^>]*>", " ", html_text)
    text = html.unescape(text)
    return [w for w in re.findall(r"\w+", unicodedata.normalize("NFKC", text))]


def split(specs, outdir):
    os.makedirs(outdir, exist_ok=True)
    render = cmark_html()
    n = 0
    with open(os.path.join(outdir, "expected.tsv"), "w", encoding="utf-8") as tsv:
        for spec in specs:
            for section, md, out in examples(spec):
                n += 1
                with open(os.path.join(outdir, "ex-%04d.md" % n), "w",
                          encoding="utf-8") as f:
                    f.write("###### XSPECX %04d\n\n" % n)
                    f.write(md)
                if render:
                    out = render(md)
                tsv.write("%d\t%s\t%s\n" % (n, section, " ".join(words(out))))
    print(n)


def no_font(word):
    """True if some character of the word has no installed font (it is
    drawn as a hex box, which carries no text)."""
    import subprocess
    for ch in word:
        if ord(ch) < 0x250:
            continue
        r = subprocess.run(["fc-list", ":charset=%x" % ord(ch), "family"],
                           capture_output=True, text=True)
        if not r.stdout.strip():
            return True
    return False


def check(outdir, text_path):
    text = open(text_path, encoding="utf-8", errors="replace").read()
    # The example's stretch: from its marker to the next marker.
    marks = [(m.start(), int(m.group(1)))
             for m in re.finditer(r"XSPECX (\d{4})", text)]
    stretch = {}
    for k, (pos, num) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        stretch[num] = stretch.get(num, "") + norm(text[pos:end])
    total = missing = unfonted = 0
    for line in open(os.path.join(outdir, "expected.tsv"), encoding="utf-8"):
        num, section, ws = line.rstrip("\n").split("\t")
        num = int(num)
        total += 1
        if num not in stretch:
            print("example %d (%s): not in the PDF" % (num, section))
            missing += 1
            continue
        lost = [w for w in ws.split() if norm(w) not in stretch[num]]
        if lost and all(no_font(w) for w in lost):
            unfonted += 1
            continue
        if lost:
            print("example %d (%s): lost %s" % (num, section, " ".join(lost[:8])))
            missing += 1
    print("%d examples, %d with words lost%s" % (
        total, missing, ", %d with a script no installed font covers" % unfonted
        if unfonted else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "split":
        split(sys.argv[2:-1], sys.argv[-1])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
