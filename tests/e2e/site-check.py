#!/usr/bin/python3
"""tests/e2e/site-check.py OUT: what a reader of OUT/site/ relies on (used by site.sh).

Prints one "ok site: ..." or "FAIL site: ..." line per check and exits 1 when one failed:
- a page for every Markdown document of the package, and an index;
- every relative link and source, in every page, resolves to a file (crawled from the
  index; a #fragment must name an id of its page), and every page is reached;
- every image of the Markdown is a <figure> on its page; every drawing an inline <svg>
  with role="img", a <title> and a <desc> with text, aria-labelledby naming the title;
- ids unique on each page, <html lang>, <th scope> on every header cell, every checkbox
  labelled, exactly one <h1> and one <main>.
"""
import html.parser
import os
import re
import sys
import urllib.parse

out = sys.argv[1]
site = os.path.join(out, "site")
fails = 0


def ok(msg):
    print("ok site: " + msg)


def bad(msg):
    global fails
    fails += 1
    print("FAIL site: " + msg)


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.dup_ids = [], set(), []
        self.stack, self.svgs, self.figures = [], [], 0
        self.lang = None
        self.th_without_scope = 0
        self.checkboxes, self.labels_for = [], set()
        self.h1 = self.main = 0
        self.text_of = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("meta", "link", "input", "img", "br", "hr") and not self._void_svg(tag):
            self.stack.append(tag)
        if "id" in a:
            if a["id"] in self.ids:
                self.dup_ids.append(a["id"])
            self.ids.add(a["id"])
        for k in ("href", "src"):
            if k in a and tag != "use" and not (k == "href" and "svg" in self.stack):
                self.links.append(a[k])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "figure":
            self.figures += 1
        elif tag == "svg" and self.stack.count("svg") == 1:
            self.svgs.append({"attrs": a, "title": None, "desc": None, "in_figure": "figure" in self.stack})
        elif tag in ("title", "desc") and self.stack[-2:-1] == ["svg"] and self.svgs:
            self.text_of = (tag, a.get("id"))
            self.svgs[-1][tag] = ""
            self.svgs[-1][tag + "_id"] = a.get("id")
        elif tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        elif tag == "input" and a.get("type") == "checkbox":
            self.checkboxes.append(a)
        elif tag == "label" and "for" in a:
            self.labels_for.add(a["for"])
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.main += 1

    def _void_svg(self, tag):
        return False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("title", "desc"):
            self.text_of = None
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        if self.text_of and self.svgs:
            self.svgs[-1][self.text_of[0]] += data


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


pkg = next(d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d)) and
           os.path.exists(os.path.join(out, d, "manifest.xml")))
pkgdir = os.path.join(out, pkg)
docs = sorted(os.path.relpath(os.path.join(r, f), pkgdir) for r, _, fs in os.walk(pkgdir)
              for f in fs if f.endswith(".md"))
if not os.path.isfile(os.path.join(site, "index.html")):
    bad("no site/index.html")
missing = [d for d in docs if not os.path.isfile(os.path.join(site, d[:-3] + ".html"))]
if missing:
    bad("no page for " + ", ".join(missing))
else:
    ok("a page for each of the %d Markdown documents, and an index" % len(docs))

# Crawl from the index: every link resolves, every page is reached.
pages, seen, queue, broken, ext = {}, set(), [os.path.join(site, "index.html")], [], set()
while queue:
    path = queue.pop()
    if path in seen:
        continue
    seen.add(path)
    pages[path] = parse(path)
    for link in pages[path].links:
        u = urllib.parse.urlsplit(link)
        if u.scheme in ("http", "https", "mailto"):
            ext.add(link)
            continue
        if u.scheme == "data":
            continue
        if u.scheme or link.startswith("/"):
            broken.append("%s: %s (not relative)" % (os.path.relpath(path, out), link))
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(u.path))) if u.path else path
        if not os.path.isfile(target) or not os.path.realpath(target).startswith(os.path.realpath(out) + "/"):
            broken.append("%s: %s" % (os.path.relpath(path, out), link))
            continue
        if target.endswith(".html"):
            queue.append(target)
        if u.fragment and target.endswith(".html"):
            if target not in pages:
                pages[target] = parse(target)
            if u.fragment not in pages[target].ids:
                broken.append("%s: %s (no id %s)" % (os.path.relpath(path, out), link, u.fragment))
if broken:
    bad("%d links do not resolve: %s" % (len(broken), "; ".join(broken[:8])))
else:
    ok("every relative link of %d pages resolves (%d external links not followed)" % (len(seen), len(ext)))
unreached = [d for d in docs if os.path.join(site, d[:-3] + ".html") not in seen]
if unreached:
    bad("not linked from the site: " + ", ".join(unreached))
else:
    ok("every document's page is reached from the index")

# Figures and drawings.
problems = []
for d in docs:
    path = os.path.join(site, d[:-3] + ".html")
    p = pages.get(path) or parse(path)
    with open(os.path.join(pkgdir, d), encoding="utf-8") as f:
        images = len(re.findall(r"!\[[^\]]*\]\([^)]*\)", f.read()))
    if p.figures != images:
        problems.append("%s: %d figures for %d images" % (d, p.figures, images))
    for s in p.svgs:
        a = s["attrs"]
        if a.get("role") != "img" or not (s["title"] or "").strip() or not (s["desc"] or "").strip():
            problems.append("%s: an <svg> without role=img, <title> or <desc>" % d)
        elif a.get("aria-labelledby") != s.get("title_id"):
            problems.append("%s: <svg> aria-labelledby %s is not its title" % (d, a.get("aria-labelledby")))
        if not s["in_figure"]:
            problems.append("%s: an <svg> outside a <figure>" % d)
if problems:
    bad("figures: " + "; ".join(problems[:8]))
else:
    n = sum(len(p.svgs) for p in pages.values())
    ok("every image a <figure>; %d inline SVGs, each role=img with its <title> and <desc>" % n)

# Page structure.
problems = []
for path, p in sorted(pages.items()):
    name = os.path.relpath(path, site)
    if not p.lang:
        problems.append(name + ": no <html lang>")
    if p.dup_ids:
        problems.append("%s: ids used twice: %s" % (name, ", ".join(p.dup_ids[:3])))
    if p.th_without_scope:
        problems.append("%s: %d <th> without scope" % (name, p.th_without_scope))
    if p.h1 != 1 or p.main != 1:
        problems.append("%s: %d <h1>, %d <main>" % (name, p.h1, p.main))
    for c in p.checkboxes:
        if "aria-label" not in c and c.get("id") not in p.labels_for:
            problems.append(name + ": a checkbox without a label")
if problems:
    bad("structure: " + "; ".join(problems[:8]))
else:
    ok("every page: lang, one <h1> and <main>, unique ids, <th scope>, labelled checkboxes")
sys.exit(1 if fails else 0)
