"""Which documents state each content fact, read from the templates.

Usage: data-model.py [--check | --write] [TEMPLATES_DIR] [DOC]
  (default templates/ and docs/data-model.md)
Prints the table of docs/data-model.md's "Where each fact is used": every key of
templates/schema.yaml's company.yaml, with the documents whose templates name it
(directly, through a partial, or through a form derive adds beside it:
KEY_text, KEY_count, KEY_long, ...), commitments marked.  --check exits 1 when
the table in DOC differs from what the templates say; --write replaces it.

The templates are read as Mustache: a name inside a section is looked up in
the section's own keys first (the schema says which those are), then outward,
as the engine does.
"""
import os
import re
import sys

import yaml

args = [a for a in sys.argv[1:] if not a.startswith("--")]
tdir = args[0] if args else "templates"
doc = args[1] if len(args) > 1 else "docs/data-model.md"
mode = next((a for a in sys.argv[1:] if a.startswith("--")), "")

schema = yaml.safe_load(open(os.path.join(tdir, "schema.yaml"), encoding="utf-8"))
package = yaml.safe_load(open(os.path.join(tdir, "package.yaml"), encoding="utf-8"))
commitments = {c["fact"] for c in yaml.safe_load(open(os.path.join(tdir, "commitments.yaml"), encoding="utf-8"))["commitments"]}


def keys(node, prefix, out):
    """Every key path of the schema under `prefix` ('company.name'); lists by their item."""
    if isinstance(node, list):
        node = node[0]
    if not isinstance(node, dict):
        return
    for k, v in node.items():
        k = k.rstrip("?")
        if isinstance(v, str) and v.startswith("renamed"):
            continue
        path = prefix + k
        out.append(path)
        keys(v, path + ".", out)


facts = []
keys(schema["company.yaml"], "", facts)
keys(schema["architecture.yaml"], "", facts)
factset = set(facts)
SUFFIXES = ("_text", "_count", "_one", "_several", "_any", "_long", "_lower", "_latest",
            "_full", "_latin", "_stated", "_heading")
DERIVED = {  # forms derive adds, by the fact they come from
    "company.legal_name_text": ["company.legal_name", "company.legal_name_latin"],
    "company.legal_name_full": ["company.legal_name", "company.legal_name_latin"],
    "company.tax_id.heading": ["company.tax_id.kind", "company.tax_id.label"],
    "company.address.text": ["company.address.lines", "company.address.street", "company.address.postal_code",
                             "company.address.city", "company.address.province", "company.address.country"],
    "compliance.privacy.controller_text": ["compliance.privacy.controller", "company.legal_name",
                                           "company.legal_name_latin", "company.address.lines"],
    "compliance.privacy.uses": ["compliance.privacy.sells_personal_data",
                                "compliance.privacy.uses_content_for_advertising",
                                "compliance.privacy.uses_content_for_ai_training"],
    "compliance.privacy.uses_any": ["compliance.privacy.sells_personal_data",
                                    "compliance.privacy.uses_content_for_advertising",
                                    "compliance.privacy.uses_content_for_ai_training"],
    "support.availability.target_text": ["support.availability.target"],
    "support.availability.stated": ["support.availability.target", "support.availability.contractual"],
    "security.audits_latest": ["security.audits.date"],
    "integrations.webhook.cloud_api_any": ["integrations.webhook.endpoints.cloud_api"],
    "integrations.retry.factor_text": ["integrations.retry.factor"],
    "compliance.messaging.enforcement.step_lower": ["compliance.messaging.enforcement.step"],
    "use_cases_text": ["use_cases.title"],
    "architecture.components.where": ["architecture.components.provider", "architecture.components.region"],
    "architecture.message_flow.from_name": ["architecture.message_flow.from", "architecture.components.name"],
    "architecture.message_flow.to_name": ["architecture.message_flow.to", "architecture.components.name"],
    "architecture.routes.current_text": ["architecture.routes.current", "architecture.components.name"],
    "architecture.routes.direct_text": ["architecture.routes.direct", "architecture.components.name"],
}


# The other content files reach documents through figures derive computes
# from them: a tag under one of these roots names the file(s).
FILES = {
    "latest": ["metrics/*.yaml"], "history": ["metrics/*.yaml"], "history_first": ["metrics/*.yaml"],
    "growth": ["metrics/*.yaml"], "projection": ["metrics/*.yaml"], "uptime": ["metrics/*.yaml"],
    "latency": ["metrics/*.yaml"], "cost": ["pricing.yaml", "metrics/*.yaml"], "pricing": ["pricing.yaml"],
    "triggers": ["triggers.yaml", "metrics/*.yaml"], "readiness": ["every content file"],
    "requirements": ["every content file"], "financials": ["financials.yaml"],
    "case_studies": ["case-studies/*.md"], "case_study": ["case-studies/*.md"],
    "attachments": ["attachments/"],
}
file_uses = {}


def resolve(name, stack):
    """The schema facts a tag's name stands for, inside the sections `stack`."""
    if name.startswith("privacy_law."):
        return ["compliance.privacy.framework"]
    root = name.split(".")[0]
    if root in FILES and not stack:
        for f in FILES[root]:
            file_uses.setdefault(f, set()).add(current_doc[0])
        return []
    if name == ".":
        return [stack[-1]] if stack and stack[-1] in factset else []
    for ctx in reversed(stack + [""]):
        full = (ctx + "." + name) if ctx else name
        if full in DERIVED:
            return DERIVED[full]
        if full in factset:
            return [full]
        for s in SUFFIXES:
            if full.endswith(s) and full[: -len(s)] in factset:
                return [full[: -len(s)]]
    return []


TAG = re.compile(r"\{\{\s*([#^/&{>!<$]?)\s*([^}]*?)\s*\}?\}\}", re.S)


def scan(name, seen):
    """Facts named by template `name` and the partials it includes."""
    if name in seen:
        return set()
    seen.add(name)
    path = os.path.join(tdir, name)
    if not os.path.exists(path):
        return set()
    text = open(path, encoding="utf-8").read()
    found, stack = set(), []
    for m in TAG.finditer(text):
        kind, tag = m.group(1), m.group(2).strip("&{} ")
        if kind == "!":
            continue
        if kind in ("<", ">"):
            found |= scan(tag + ".mustache", seen)
            continue
        if kind == "$":
            continue
        if kind in ("#", "^"):
            hit = resolve(tag, stack)
            found |= set(hit)
            ctx = hit[0] if len(hit) == 1 else (stack[-1] if stack else "")
            stack.append(ctx)
            continue
        if kind == "/":
            if stack:
                stack.pop()
            continue
        found |= set(resolve(tag, stack))
    return found


uses = {}
current_doc = [""]
for d in package["documents"]:
    docname = os.path.basename(d["path"])[:-3]
    if "{{" in docname:
        docname = "case-study"
    current_doc[0] = docname
    for f in scan(d["template"], set()):
        uses.setdefault(f, set()).add(docname)
    for attr in ("title",):
        for f in {x for t in TAG.findall(d[attr]) for x in resolve(t[1].strip("&{} "), [])}:
            uses.setdefault(f, set()).add(docname)
# The web edition's public pages of their own (package.yaml's public.pages).
for pg in package.get("public", {}).get("pages", []):
    if isinstance(pg, dict) and "template" in pg:
        current_doc[0] = os.path.basename(pg["path"])[:-3] + " (public page)"
        for f in scan(pg["template"], set()):
            uses.setdefault(f, set()).add(current_doc[0])
every = {os.path.basename(d["path"])[:-3] if "{{" not in d["path"] else "case-study" for d in package["documents"]}

lines = ["| fact | documents that state it |", "|---|---|"]
for f in facts:
    if f not in uses:
        continue
    docs = uses[f]
    where = "every document" if docs >= every else ", ".join(sorted(docs))
    lines.append("| `%s`%s | %s |" % (f, " (commitment)" if f in commitments else "", where))
unused = [f for f in facts if f not in uses and not any(g.startswith(f + ".") and g in uses for g in facts)]
lines.append("")
lines.append("Read by derive, the formatting or the consistency checks, and named by no template: " +
             (", ".join("`%s`" % f for f in unused) if unused else "none") + ".")
lines.append("")
lines.append("| other content | documents that show figures computed from it |")
lines.append("|---|---|")
for f in sorted(file_uses):
    docs = file_uses[f]
    lines.append("| `%s` | %s |" % (f, "every document" if docs >= every else ", ".join(sorted(docs))))
table = "\n".join(lines) + "\n"

BEGIN, END = "<!-- facts: begin (python3 tests/data-model.py --write) -->\n", "<!-- facts: end -->\n"
if mode in ("--check", "--write"):
    text = open(doc, encoding="utf-8").read()
    if BEGIN not in text or END not in text:
        print("FAIL data-model: %s has no table between %r and %r" % (doc, BEGIN.strip(), END.strip()))
        sys.exit(1)
    head, rest = text.split(BEGIN, 1)
    old, tail = rest.split(END, 1)
    if mode == "--write":
        open(doc, "w", encoding="utf-8").write(head + BEGIN + table + END + tail)
        sys.exit(0)
    missing = [c for c in sorted(commitments) if ("`%s` (commitment)" % c) not in table]
    if missing:
        print("FAIL data-model: commitments stated by no document: %s" % missing)
        sys.exit(1)
    print("ok data-model: every commitment of templates/commitments.yaml is stated by a document")
    # Free text says which documents it is written for, and no other shows it.
    wrong, n = [], 0
    stack = []
    for i, l in enumerate(open(os.path.join(tdir, "schema.yaml"), encoding="utf-8").read().split("\n")):
        m = re.match(r"^(\s*)(- )?([a-z_0-9.]+)\??:\s*(\S.*)?$", l)
        if not m:
            continue
        ind = len(m.group(1)) + (2 if m.group(2) else 0)
        while stack and stack[-1][0] >= ind:
            stack.pop()
        stack.append((ind, m.group(3)))
        rest = m.group(4) or ""
        if stack[0][1] not in ("company.yaml", "architecture.yaml") or not rest.split("#")[0].strip().startswith("text"):
            continue
        path = ".".join(k for _, k in stack[1:])
        n += 1
        w = re.search(r"written for: ([a-z, -]+)$", rest)
        if not w:
            wrong.append("%s (schema.yaml:%d) says no document it is written for" % (path, i + 1))
            continue
        declared = {d.strip() for d in w.group(1).split(",")}
        shown = {d.replace(" (public page)", "") for d in uses.get(path, set())}
        if shown - declared:
            wrong.append("%s is written for %s but shown in %s" % (path, ", ".join(sorted(declared)),
                                                                  ", ".join(sorted(shown - declared))))
    if wrong:
        print("FAIL data-model: " + "; ".join(wrong))
        sys.exit(1)
    print("ok data-model: each of the %d free-text fields is shown only in the documents it is written for" % n)
    if old != table:
        import difflib
        print("FAIL data-model: %s does not say which documents state each fact, as the templates do "
              "(python3 tests/data-model.py --write):" % doc)
        sys.stdout.writelines(list(difflib.unified_diff(old.splitlines(True), table.splitlines(True)))[:40])
        sys.exit(1)
    print("ok data-model: %s lists the %d facts the templates state, with their documents"
          % (doc, sum(1 for l in lines if l.startswith("| `") and "/" not in l.split("`")[1])))
else:
    sys.stdout.write(table)
