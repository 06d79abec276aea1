#!/usr/bin/env python3
"""Write a plain PDF (PDF 1.4, Helvetica, Letter) with one page per argument,
each text line centred on the page, nothing in the margins: a stand-in for a
supplied original made by another program.  Usage: mkpdf.py OUT "page 1 text|line 2" ..."""
import sys

out, pages = sys.argv[1], sys.argv[2:]
W, H = 612, 792
objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
kids = []
for i, text in enumerate(pages):
    pid, cid = 4 + 2 * i, 5 + 2 * i
    kids.append(b"%d 0 R" % pid)
    lines = text.split("|")
    ops = [b"BT /F1 14 Tf"]
    y = H / 2 + 10 * len(lines)
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"1 0 0 1 150 %.1f Tm (%s) Tj" % (y, esc.encode("cp1252")))
        y -= 20
    ops.append(b"ET")
    stream = b"\n".join(ops)
    objs[cid] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    objs[pid] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                 b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (W, H, cid))
objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))

data = b"%PDF-1.4\n"
offsets = {}
for n in sorted(objs):
    offsets[n] = len(data)
    data += b"%d 0 obj\n%s\nendobj\n" % (n, objs[n])
xref = len(data)
data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for n in sorted(objs):
    data += b"%010d 00000 n \n" % offsets[n]
data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(out, "wb").write(data)
