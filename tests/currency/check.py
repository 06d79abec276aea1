"""Read a package built in another currency as its reader would: every amount
in the company's currency, written that currency's way, and a price quoted in
another currency only beside its conversion, which names the exchange rate.

Usage: check.py PACKAGE_DIR CODE SYMBOL MINOR RATE_TEXT
  CODE       the company's ISO 4217 code (JPY)
  SYMBOL     how its amounts start ("¥", "€", "KWD\u00a0")
  MINOR      its minor units (JPY 0, EUR 2, KWD 3)
  RATE_TEXT  the exchange rate as the documents must name it ("¥150.25 per USD")
Reads every Markdown file, the text of every PDF (pdftotext) and the
spreadsheet (openpyxl).  Prints "ok currency: ..." / "FAIL currency: ...".
"""
import glob
import re
import subprocess
import sys

import openpyxl

pkg, code, symbol, minor, rate_text = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
fails = []


def check(cond, what):
    print(("ok currency: " if cond else "FAIL currency: ") + f"{code}: {what}")
    if not cond:
        fails.append(what)


sym = re.escape(re.sub(r"\s+", " ", symbol))
# A converted per-message rate (or the guide's USD threshold): its amount in the
# company's currency, then the quoted price and the exchange rate with its
# source and date in brackets.
conversion = re.compile(sym + r"[\d,]+(?:\.\d+)?(?:-[\d,]+)? \(USD\s[\d.,]+(?:-[\d,]+)? at " + re.escape(rate_text) +
                        r"; [^;()]+, \d{1,2} [A-Z][a-z]+ \d{4}\)")
amount = re.compile(sym + r"\d[\d,]*(?:\.(\d+))?")


def texts():
    for md in sorted(glob.glob(f"{pkg}/**/*.md", recursive=True)):
        yield md, open(md, encoding="utf-8").read()
    for pdf in sorted(glob.glob(f"{pkg}/**/*.pdf", recursive=True)):
        out = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
        yield pdf, out


seen_amounts = seen_conversions = 0
minor_ok = False
dollars, usd, wrong = [], [], []
for name, text in texts():
    flat = re.sub(r"\s+", " ", text.replace("\u00ad", ""))
    # Conversions out first: what is left must be the company's currency only.
    seen_conversions += len(conversion.findall(flat))
    rest = conversion.sub(" ", flat)
    dollars += [f"{name}: {rest[max(0, m.start() - 30):m.start() + 30]!r}" for m in re.finditer(r"\$", rest)]
    usd += [f"{name}: {u}" for u in re.findall(r"USD\s\d[\d,]*\.\d+", rest)]
    for m in amount.finditer(rest):
        seen_amounts += 1
        decimals = len(m.group(1)) if m.group(1) else 0
        if decimals and decimals == minor:
            minor_ok = True
        elif decimals and decimals != minor + 2:	# a rate has two decimals more
            wrong.append(f"{name}: {m.group(0)}")
        elif decimals and minor == 0:
            wrong.append(f"{name}: {m.group(0)}")
check(not dollars, f"no '$' in the Markdown and PDFs outside a converted rate {dollars[:3]}")
check(not usd, f"no USD price outside a converted rate {usd[:3]}")
check(not wrong, f"amounts with {code}'s {minor} decimals (rates {minor} + 2, beside their conversion) {wrong[:3]}")
check(seen_amounts > 50, f"amounts written in {code}: {seen_amounts}")
check(seen_conversions > 0, f"converted per-message rates name the exchange rate: {seen_conversions}")
if minor > 0:
    check(minor_ok, f"an amount with {code}'s {minor} minor units")


def decimals_of(f):
    return len(f.split(".")[1].split('"')[0]) if "." in f else 0


wb = openpyxl.load_workbook(f"{pkg}/business/client-metrics.xlsx")
formats, texts_with_dollar, bad_formats, unnamed = set(), [], [], []
for ws in wb:
    for row in ws.iter_rows():
        notes = re.sub(r"\s+", " ", " ".join(c.value for c in row if isinstance(c.value, str)))
        for c in row:
            where = f"{ws.title}!{c.coordinate}"
            if isinstance(c.value, str) and not c.value.startswith("=") and "$" in c.value:
                texts_with_dollar.append(where)  # formulas have $A$1 references
            f = c.number_format
            if not isinstance(c.value, (int, float)) or not ("$" in f or symbol.strip() in f):
                continue
            formats.add(f)
            if "$" in f or symbol.strip() not in f:
                bad_formats.append(f"{where} {f}")
            if decimals_of(f) > minor and rate_text not in notes:
                unnamed.append(where)
check(not texts_with_dollar, f"spreadsheet text without '$' {texts_with_dollar[:3]}")
check(formats and not bad_formats, f"spreadsheet number formats show {symbol.strip()!r}, never '$': "
      f"{sorted(formats)} {bad_formats[:3]}")
check(not unnamed, f"every spreadsheet rate with decimals names the exchange rate beside it {unnamed[:3]}")
check(any(decimals_of(f) == minor for f in formats),
      f"amount cells show {code}'s {minor} minor units: {sorted(formats)}")
check(all(decimals_of(f) in (minor, minor + 2) for f in formats),
      f"every money format has {minor} decimals, or {minor} + 2 for a rate: {sorted(formats)}")
check(any(decimals_of(f) == minor + 2 for f in formats), f"a rate format with {minor} + 2 decimals: {sorted(formats)}")
# The overhead the test makes 1212.5: the cell shows it to the minor unit.
overhead = [r[1] for r in wb["Cost analysis"].iter_rows() if str(r[0].value).startswith("Fixed monthly overhead")]
check(overhead and overhead[0].value == 1212.5 and decimals_of(overhead[0].number_format) == minor,
      f"the overhead cell holds 1212.5 and shows {minor} decimals: "
      f"{[(c.value, c.number_format) for c in overhead]}")
headers = [c.value for c in wb["Monthly"][1]]
check(f"MRR ({code})" in headers, f"Monthly's MRR column says {code}: {headers}")
sys.exit(1 if fails else 0)
