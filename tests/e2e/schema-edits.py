#!/usr/bin/env python3
"""Every key of templates/schema.yaml made optional and left out of the
content, and every scalar key that is not text retyped to `string` or `any`: `dossier check`
(load, derive, render; no typesetting) must end with 0, 1 or 2 -- never a
crash -- and every line it prints on stderr is a located message.  Before
derive read through checked accessors, `rate_usd: money?` with the key left
out was a SIGSEGV.  Usage: schema-edits.py DOSSIER"""
import os, re, shutil, subprocess, sys, tempfile

dossier = os.path.abspath(sys.argv[1])
root = os.getcwd()
t = tempfile.mkdtemp()
fails = 0
runs = 0
located = re.compile(r'^(\S+?)(:\d+(:\d+)?)?: (error|warning|note): .+$|^dossier: (error|warning): .+$')

schema_lines = open(os.path.join(root, 'templates/schema.yaml')).read().split('\n')

def content_file_of(lineno):
    """The content file a schema line belongs to (the last top-level key above it)."""
    for i in range(lineno, -1, -1):
        m = re.match(r'^([A-Za-z0-9_./*-]+?)\??:\s*(#.*)?$', schema_lines[i])
        if m:
            return m.group(1)
    return None

w = os.path.join(t, 'w')
shutil.copytree(os.path.join(root, 'content'), os.path.join(w, 'content'))
shutil.copytree(os.path.join(root, 'templates'), os.path.join(w, 'templates'))
originals = {}
for d, _, names in os.walk(os.path.join(w, 'content')):
    for n in names:
        originals[os.path.join(d, n)] = open(os.path.join(d, n), 'rb').read()

def run(name, schema, edit_content):
    global fails, runs
    for f, data in originals.items():
        open(f, 'wb').write(data)
    open(os.path.join(w, 'templates/schema.yaml'), 'w').write(schema)
    if edit_content:
        edit_content(w)
    p = subprocess.run([dossier, 'check'], cwd=w, capture_output=True, text=True, timeout=60)
    runs += 1
    bad = [l for l in p.stderr.splitlines() if not located.match(l)]
    if p.returncode not in (0, 1, 2) or bad or (p.returncode == 2 and not p.stderr):
        fails += 1
        print(f'FAIL schema-edits: {name}: exit {p.returncode}: {p.stderr[-300:]}')

def drop_lines(text, key):
    """The text without every `key:` and its indented block; a list item
    that starts with the key starts with its next key instead."""
    lines = text.split('\n')
    out = []
    i = 0
    while i < len(lines):
        m = re.match(r'^(\s*)(- )?' + re.escape(key) + r':', lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        col = len(m.group(1)) + (2 if m.group(2) else 0)
        i += 1
        while i < len(lines) and (lines[i].strip() == '' or
                                   len(lines[i]) - len(lines[i].lstrip()) > col):
            i += 1
        if m.group(2):	# promote the next key of the item
            if i < len(lines) and len(lines[i]) - len(lines[i].lstrip()) == col and \
               not lines[i].lstrip().startswith('- '):
                lines[i] = m.group(1) + '- ' + lines[i].lstrip()
            else:
                out.append(m.group(1) + '- {}')
    return '\n'.join(out)

def drop_key(key, file_glob):
    def edit(w):
        import glob
        for f in glob.glob(os.path.join(w, 'content', file_glob)):
            s = open(f).read()
            if f.endswith('.md'):	# front matter only
                head, sep, body = s[4:].partition('\n---\n')
                s = s[:4] + drop_lines(head, key) + sep + body
            else:
                s = drop_lines(s, key)
            open(f, 'w').write(s)
    return edit

# The unedited example must pass, or every run below proves nothing.
p = subprocess.run([dossier, 'check'], cwd=w, capture_output=True, text=True, timeout=60)
if p.returncode not in (0, 1) or p.stderr:
    print(f'FAIL schema-edits: the unedited example: exit {p.returncode}: {p.stderr[-300:]}')
    sys.exit(1)

for i, line in enumerate(schema_lines):
    m = re.match(r'^(\s+)(- )?([a-z_]+)(\??):\s*([^#\n]*?)\s*(#.*)?$', line)
    if not m or m.group(4):
        continue
    indent, dash, key, _, typ, _ = m.groups()
    f = content_file_of(i)
    if not f:
        continue
    glob_ = f if '*' in f else f
    # 1. optional, and left out of the content
    edited = list(schema_lines)
    if typ and not typ.startswith('['):
        edited[i] = f'{indent}{dash or ""}{key}: {typ.rstrip("?")}?'
    else:
        edited[i] = f'{indent}{dash or ""}{key}?:{(" " + typ) if typ else ""}'
    run(f'{key} (line {i + 1}) optional and left out', '\n'.join(edited), drop_key(key, glob_))
    # 2. a scalar that is not text retyped: its value reaches derive as
    #    text, or as anything (text keys retyped change nothing)
    if typ and not typ.startswith('[') and typ.rstrip('?') not in ('string', 'text'):
        for new in ('string', 'any'):
            edited = list(schema_lines)
            edited[i] = f'{indent}{dash or ""}{key}: {new}'
            run(f'{key} (line {i + 1}) retyped {new}', '\n'.join(edited), None)

shutil.rmtree(t, ignore_errors=True)
print(f'{"ok" if fails == 0 else "FAIL"} schema-edits: {runs} edited schemas, {fails} failed')
sys.exit(1 if fails else 0)
