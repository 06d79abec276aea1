#!/usr/bin/env python3
"""The differential walk: random edits, one at a time, to a copy of an
example project; after each, an incremental `dossier build` into OUT must
leave exactly what a `dossier build --force` into a second folder leaves
(every file of both, byte for byte, the caches under .dossier-cache/ left
out), and `dossier verify` must pass on OUT and catch any file of the
package changed behind its back.

Usage: walk.py DOSSIER [--edits N] [--seed S] [--keep DIR]

The edits a user makes between two builds: a metric value of a snapshot, a
trigger threshold; a sentence of a case study, an image it shows (inline or
reference-style; its file edited, added or dropped); a template, a partial,
the theme, schema.yaml, package.yaml; a case study or a month added or
deleted; a file touched without a change.  Between edits, sometimes a file
of OUT is changed behind dossier's back (a byte appended, or an older
version of a PDF put back): verify must say so, exit 1, and the next build
must repair it.  One kind of edit makes the content wrong on purpose (a
mistake, fixed by the next edit): both builds must then fail, exit 2, and
leave OUT as it was; after any other edit both must succeed, so a walk
cannot pass by failing every build.

The project is small on purpose (its package is a document showing the
charts, the case studies, and the spreadsheet), so one edit costs two small
builds.  The choices come from random.Random(SEED): the same seed gives the
same edits, so a failure is replayed with the seed and the edit count it
prints (`walk.py DOSSIER --seed S --edits K`).
"""
import argparse, filecmp, hashlib, os, random, re, shutil, struct, subprocess, sys, tempfile, zlib

ap = argparse.ArgumentParser()
ap.add_argument('dossier')
ap.add_argument('--edits', type=int, default=200)
ap.add_argument('--seed', type=int, default=None)
ap.add_argument('--verbose', action='store_true', help='a line per edit')
ap.add_argument('--keep', help='leave the project here (replay a failure by hand)')
ap.add_argument('--only', help='only these kinds of edit, comma-separated (metric, case_image, template, ...)')
args = ap.parse_args()
seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
rng = random.Random(seed)
dossier = os.path.abspath(args.dossier)
root = os.getcwd()
src = os.environ.get('DOSSIER_SRC', root)

t = args.keep or tempfile.mkdtemp(prefix='dossier-walk-')
if args.keep:
    shutil.rmtree(t, ignore_errors=True)
    os.makedirs(t)
C = os.path.join(t, 'content')
T = os.path.join(t, 'templates')
OUT = os.path.join(t, 'out')
REF = os.path.join(t, 'ref')


def fail(msg):
    print(f'FAIL walk: seed {seed}, edit {step}: {what}: {msg}')
    print(f'  replay: python3 tests/walk.py DOSSIER --seed {seed} --edits {step}'
          f' --keep /tmp/walk')
    sys.exit(1)


def read(p):
    with open(p, encoding='utf-8') as f:
        return f.read()


def write(p, s):
    with open(p, 'w', encoding='utf-8') as f:
        f.write(s)


def png(w, h, rgb):
    """A small PNG of one colour with a stripe, w x h pixels."""
    rows = b''
    for y in range(h):
        c = rgb if y % 7 else (255 - rgb[0], 255 - rgb[1], 255 - rgb[2])
        rows += b'\0' + bytes(c) * w
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


# ---- the project ------------------------------------------------------------

shutil.copytree(os.path.join(src, 'tests/fixtures/campotech'), C)
shutil.copytree(os.path.join(src, 'templates'), T, ignore=shutil.ignore_patterns('skeleton'))
# A small package: one document showing charts (inline and by reference,
# through a partial), the case studies, the spreadsheet.
pkg = read(os.path.join(T, 'package.yaml'))
head = pkg.split('documents:\n')[0]
write(os.path.join(T, 'package.yaml'), head + '''documents:
  - path: company/charts.md
    template: walk-charts.mustache
    title: Charts
  - path: business/case-studies/case-study-{{n}}.md
    template: case-study.mustache
    each: case_studies
    title: "Case Study {{n}}: {{{title}}}"
''')
write(os.path.join(T, 'walk-charts.mustache'), '''{{<layout}}{{$body}}
## Messages

![Messages per month](../charts/messages.svg)

{{> walk-note}}

## Revenue

![Monthly recurring revenue][mrr]

[mrr]: ../charts/mrr.svg
{{/body}}{{/layout}}
''')
write(os.path.join(T, 'walk-note.mustache'), 'Figures as of {{latest.month_name}}.\n')
cases_dir = os.path.join(C, 'case-studies')
metrics_dir = os.path.join(C, 'metrics')
# Case studies of a page: each paragraph cut to its first two lines.
for n in sorted(os.listdir(cases_dir)):
    f = os.path.join(cases_dir, n)
    text = read(f)
    end = text.index('\n---\n', 4) + 5
    blocks = text[end:].split('\n\n')
    write(f, text[:end] + '\n\n'.join('\n'.join(b.split('\n')[:2]) for b in blocks))


def cases():
    return sorted(n for n in os.listdir(cases_dir) if n.endswith('.md'))


def months():
    return sorted(n for n in os.listdir(metrics_dir) if re.fullmatch(r'\d{4}-\d\d\.yaml', n))


def inputs():
    out = []
    for top in (C, T):
        for d, _, names in os.walk(top):
            out += [os.path.join(d, n) for n in names]
    return sorted(out)


# ---- the edits ---------------------------------------------------------------

def edit_metric():
    """A whole-number figure of a snapshot (whichever the schema names)."""
    f = os.path.join(metrics_dir, rng.choice(months()))
    s = read(f)
    found = list(re.finditer(r'^(\w+): (\d+)$', s, re.M))
    if not found:
        return f'metric: no whole number in {os.path.basename(f)}'
    m = rng.choice(found)
    key = m.group(1)
    v = int(m.group(2))
    nv = max(1, v + rng.choice([-1, 1]) * rng.randint(1, max(1, v // 20)))
    write(f, s[:m.start(2)] + str(nv) + s[m.end(2):])
    return f'metric: {os.path.basename(f)} {key} {v} -> {nv}'


def edit_trigger():
    f = os.path.join(C, 'triggers.yaml')
    s = read(f)
    key, choices = rng.choice([('whatsapp_ai_clients', [80, 100, 120]),
                               ('monthly_messages', [40000, 50000, 60000]),
                               ('webhook_avg_ms', [400, 500])])
    v = rng.choice(choices)
    write(f, re.sub(rf'^(  {key}: )\d+', rf'\g<1>{v}', s, flags=re.M))
    return f'trigger: {key} = {v}'


SENTENCES = ['The team measured it again a month later.', 'Nothing else changed in that period.',
             'The owner reads every summary on Fridays.', 'Replies now carry the job number.']


def edit_case_sentence():
    f = os.path.join(cases_dir, rng.choice(cases()))
    lines = read(f).split('\n')
    body = lines.index('---', 1) + 1
    paras = [i for i in range(body, len(lines)) if re.match(r'^[A-Z][a-z]', lines[i])]
    if not paras:
        return 'case sentence: no paragraph'
    i = rng.choice(paras)
    if rng.random() < 0.5:
        lines[i] = lines[i] + ' ' + rng.choice(SENTENCES)
    else:
        words = lines[i].split(' ')
        k = rng.randrange(len(words))
        words[k] = words[k].upper() if words[k].islower() else words[k].lower()
        lines[i] = ' '.join(words)
    write(f, '\n'.join(lines))
    return f'case sentence: {os.path.basename(f)} line {i + 1}'


def image_names():
    return sorted(n for n in os.listdir(cases_dir) if n.endswith('.png'))


def edit_case_image():
    """Show an image in a case study (inline or by reference), redraw an
    image a case study shows, or drop one."""
    f = os.path.join(cases_dir, rng.choice(cases()))
    s = read(f)
    shown = re.findall(r'(?:\]\(|\]: )(photo-\d\.png)', s)
    r = rng.random()
    if shown and r < 0.45:
        name = rng.choice(shown)
        w, h = rng.randint(8, 40), rng.randint(8, 40)
        with open(os.path.join(cases_dir, name), 'wb') as o:
            o.write(png(w, h, (rng.randrange(256), rng.randrange(256), rng.randrange(256))))
        return f'case image: {name} redrawn {w}x{h}'
    if shown and r < 0.6:
        name = shown[0]
        s = re.sub(r'\n!\[[^\]]*\]\(' + re.escape(name) + r'\)\n', '\n', s)
        s = re.sub(r'\n!\[[^\]]*\]\[(\w+)\]\n\n\[\1\]: ' + re.escape(name) + r'\n', '\n', s)
        write(f, s)
        return f'case image: {name} dropped from {os.path.basename(f)}'
    name = f'photo-{rng.randrange(3)}.png'
    p = os.path.join(cases_dir, name)
    if not os.path.exists(p):
        with open(p, 'wb') as o:
            o.write(png(16, 12, (40, 120, 200)))
    ref = rng.random() < 0.5
    if ref:
        label = f'p{rng.randrange(1000)}'
        s = s.rstrip('\n') + f'\n\n![A photo][{label}]\n\n[{label}]: {name}\n'
    else:
        s = s.rstrip('\n') + f'\n\n![A photo]({name})\n'
    write(f, s)
    return f'case image: {name} shown in {os.path.basename(f)} ({"reference" if ref else "inline"})'


def edit_template():
    name = rng.choice(['walk-charts.mustache', 'case-study.mustache', 'readiness.mustache'])
    f = os.path.join(T, name)
    s = read(f)
    if name == 'walk-charts.mustache' and rng.random() < 0.5:
        # The same chart inline or by reference, or another chart.
        chart = rng.choice(['mrr', 'clients', 'uptime'])
        if rng.random() < 0.5:
            s = re.sub(r'!\[Monthly recurring revenue\]\[mrr\]\n\n\[mrr\]: \.\./charts/\w+\.svg',
                       f'![Monthly recurring revenue](../charts/{chart}.svg)', s)
            s = re.sub(r'!\[Monthly recurring revenue\]\(\.\./charts/\w+\.svg\)',
                       f'![Monthly recurring revenue](../charts/{chart}.svg)', s)
        else:
            s = re.sub(r'!\[Monthly recurring revenue\]\(\.\./charts/\w+\.svg\)',
                       '![Monthly recurring revenue][mrr]\n\n[mrr]: ../charts/mrr.svg', s)
            s = re.sub(r'\[mrr\]: \.\./charts/\w+\.svg', f'[mrr]: ../charts/{chart}.svg', s)
        write(f, s)
        return f'template: {name}, the revenue chart is now {chart}'
    lines = s.split('\n')
    blanks = [i for i, l in enumerate(lines) if l == '' and i > 0]
    i = rng.choice(blanks) if blanks else len(lines) - 1
    lines.insert(i, '\n' + rng.choice(SENTENCES) + '\n')
    write(f, '\n'.join(lines))
    return f'template: {name}, a sentence at line {i + 1}'


def edit_partial():
    name = rng.choice(['walk-note.mustache', 'layout.mustache'])
    f = os.path.join(T, name)
    s = read(f)
    if name == 'walk-note.mustache':
        s = rng.choice(['Figures as of {{latest.month_name}}.\n', 'Data: {{latest.month_name}}.\n',
                        'Figures as of {{latest.month_name}}, from {{{company.name}}}.\n'])
    else:
        s = s.replace('— data as of', rng.choice(['— figures of', '— data as of']), 1)
        s = s.replace('— figures of', rng.choice(['— figures of', '— data as of']), 1)
    write(f, s)
    return f'partial: {name}'


def edit_theme():
    f = os.path.join(T, 'theme.yaml')
    s = read(f)
    k = rng.randrange(3)
    if k == 0:
        c = '#%06x' % rng.randrange(1 << 24)
        s = re.sub(r'^(  accent: )"#[0-9a-f]{6}"', rf'\g<1>"{c}"', s, flags=re.M)
        what = f'accent {c}'
    elif k == 1:
        v = rng.choice(['10', '10.5', '9.5'])
        s = re.sub(r'^(  body: )[0-9.]+', rf'\g<1>{v}', s, count=1, flags=re.M)
        what = f'body size {v}'
    else:
        c = '#%06x' % rng.randrange(1 << 24)
        s = re.sub(r'^(  heading: )"#[0-9a-f]{6}"', rf'\g<1>"{c}"', s, flags=re.M)
        what = f'heading colour {c}'
    write(f, s)
    return f'theme: {what}'


def edit_schema():
    f = os.path.join(T, 'schema.yaml')
    s = read(f)
    company = read(os.path.join(C, 'company.yaml'))
    # An optional key of company.yaml that the content gives, made
    # required (or back): the build must not change.
    keys = sorted(k for k in set(re.findall(r'^    (\w+): \w+\??\s', s, re.M))
                  if re.search(rf'^\s+{k}:', company, re.M))
    if keys and rng.random() < 0.5:
        k = rng.choice(keys)
        m = re.search(rf'^(    {k}: \w+)(\??)', s, re.M)
        s = s[:m.end(1)] + ('' if m.group(2) else '?') + s[m.end(2):]
        what = f'{k} {"required" if m.group(2) else "optional"}'
    else:
        s = s + f'# note {rng.randrange(100)}\n'
        what = 'a comment'
    write(f, s)
    return f'schema.yaml: {what}'


def edit_package():
    f = os.path.join(T, 'package.yaml')
    s = read(f)
    k = rng.randrange(3)
    if k == 0:
        title = rng.choice(['Charts', 'Figures', 'Growth in charts'])
        s = re.sub(r'(template: walk-charts.mustache\n    title: ).*', rf'\g<1>{title}', s)
        what = f'title {title}'
    elif k == 1:
        sub = rng.choice(['Meta WhatsApp Business Solution Provider application', 'BSP application'])
        s = re.sub(r'^subject: .*', f'subject: {sub}', s, flags=re.M)
        what = f'subject {sub}'
    else:
        entry = '  - path: technical/uptime-report.md\n    template: uptime-report.mustache\n' \
                '    title: Uptime and Reliability Report\n'
        s = s.replace(entry, '') if entry in s else s + entry
        what = 'the uptime report added or removed'
    write(f, s)
    return f'package.yaml: {what}'


def edit_add_case():
    have = cases()
    if len(have) >= 5:
        return edit_delete_case()
    f = rng.choice(have)
    s = read(os.path.join(cases_dir, f))
    orders = [int(m) for c in have for m in re.findall(r'^order: (\d+)', read(os.path.join(cases_dir, c)), re.M)]
    n = max(orders) + 1
    s = re.sub(r'^order: \d+', f'order: {n}', s, flags=re.M)
    s = re.sub(r'^title: "', 'title: "Again: ', s, count=1, flags=re.M)
    name = f'added-{rng.randrange(1000)}.md'
    write(os.path.join(cases_dir, name), s)
    return f'case study added: {name} (order {n}, from {f})'


def edit_delete_case():
    have = cases()
    if len(have) <= 1:
        return edit_add_case()
    f = rng.choice(have)
    os.unlink(os.path.join(cases_dir, f))
    return f'case study deleted: {f}'


def edit_add_month():
    ms = months()
    last = ms[-1]
    y, m = int(last[:4]), int(last[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    new = f'{y:04d}-{m:02d}'
    s = read(os.path.join(metrics_dir, last))
    s = re.sub(r'^month: .*', f'month: "{new}"', s, flags=re.M)
    # This month's incidents are last month's: none yet.
    s = re.sub(r'^incidents:\n(  .*\n|    .*\n)*', 'incidents: []\n', s, flags=re.M)
    write(os.path.join(metrics_dir, new + '.yaml'), s)
    return f'month added: {new}'


def edit_delete_month():
    ms = months()
    if len(ms) <= 3:
        return edit_add_month()
    os.unlink(os.path.join(metrics_dir, ms[-1]))
    return f'month deleted: {ms[-1]}'


pending_fix = []


def edit_mistake():
    """A value a build refuses (fixed by the next edit): both builds fail,
    and OUT stays as it was."""
    f = os.path.join(metrics_dir, rng.choice(months()))
    s = read(f)
    m = re.search(r'^(\w+): (\d+)$', s, re.M)
    if not m:
        return 'mistake: none'
    write(f, s[:m.start(2)] + m.group(2) + 'x' + s[m.end(2):])
    pending_fix.append((f, s))
    return f'mistake: {os.path.basename(f)} {m.group(1)} {m.group(2)}x'


def edit_fix():
    f, s = pending_fix.pop()
    write(f, s)
    return f'mistake fixed: {os.path.basename(f)}'


def edit_touch():
    f = rng.choice(inputs())
    st = os.stat(f)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    return f'touch: {os.path.relpath(f, t)}'


EDITS = [(edit_metric, 4), (edit_trigger, 1), (edit_case_sentence, 3), (edit_case_image, 4),
         (edit_template, 3), (edit_partial, 2), (edit_theme, 2), (edit_schema, 1), (edit_package, 2),
         (edit_add_case, 1), (edit_delete_case, 1), (edit_add_month, 1), (edit_delete_month, 1),
         (edit_touch, 3), (edit_mistake, 1)]
if args.only:
    kinds = args.only.split(',')
    unknown = [k for k in kinds if not any(e.__name__ == 'edit_' + k for e, _ in EDITS)]
    if unknown:
        sys.exit(f'walk.py: no kind of edit {", ".join(unknown)}; the kinds: '
                 + ', '.join(e.__name__[5:] for e, _ in EDITS))
    EDITS = [(e, w) for e, w in EDITS if e.__name__[5:] in kinds]


# ---- the builds and the comparison -----------------------------------------

# One typesetting thread per build: the two builds of an edit run side by
# side, and a second thread costs a second font map.
ENV = dict(os.environ, DOSSIER_THREADS='1')


def build(out, force):
    cmd = [dossier, 'build', '--quiet', '--content', C, '--templates', T, '--out', out]
    if force:
        cmd.append('--force')
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=ENV)


def tree(top):
    """Every file under top but the caches: relative path -> SHA-256."""
    files = {}
    for d, dirs, names in os.walk(top):
        if os.path.relpath(d, top) == '.':
            dirs[:] = [x for x in dirs if x != '.dossier-cache']
        for n in names:
            p = os.path.join(d, n)
            with open(p, 'rb') as f:
                files[os.path.relpath(p, top)] = hashlib.sha256(f.read()).hexdigest()
    return files


def verify(expect):
    p = subprocess.run([dossier, 'verify', os.path.join(OUT, 'bsp-application')],
                       capture_output=True, text=True)
    if p.returncode != expect:
        fail(f'verify exited {p.returncode}, not {expect}: {p.stdout}{p.stderr}')
    return p.stdout


def tamper(old_pdfs):
    """A file of the package changed behind dossier's back; verify must say so."""
    pkg = os.path.join(OUT, 'bsp-application')
    pdfs = {k: v for k, v in old_pdfs.items() if os.path.exists(os.path.join(pkg, k))}
    changed = [k for k, v in pdfs.items() if v != open(os.path.join(pkg, k), 'rb').read()]
    if changed and rng.random() < 0.6:
        rel = rng.choice(sorted(changed))
        os.unlink(os.path.join(pkg, rel))	# never write through the build's hard link
        with open(os.path.join(pkg, rel), 'wb') as f:
            f.write(pdfs[rel])
        how = 'an older version put back'
    else:
        files = sorted(k for k in tree(pkg) if k not in ('manifest.xml', 'SHA256SUMS'))
        rel = rng.choice(files)
        data = open(os.path.join(pkg, rel), 'rb').read()
        os.unlink(os.path.join(pkg, rel))
        with open(os.path.join(pkg, rel), 'wb') as f:
            f.write(data + b'\n')
        how = 'a byte appended'
    said = verify(1)
    if f'modified: {rel}' not in said:
        fail(f'verify did not name {rel} ({how}): {said}')
    return f'{rel}: {how}'


step = 0
what = 'the first build'
for out in (OUT, REF):
    p = build(out, False)
    err = p.communicate(timeout=300)[1]
    if p.returncode != 0:
        fail(err)
old_pdfs = {}
tampered = 0
failed = 0
kinds = {}	# how many edits of each kind, in the summary
for step in range(1, args.edits + 1):
    fn = edit_fix if pending_fix else rng.choices([e for e, _ in EDITS], weights=[w for _, w in EDITS])[0]
    before = tree(OUT)
    what = fn()
    kinds[fn.__name__[5:]] = kinds.get(fn.__name__[5:], 0) + 1
    wrong = bool(pending_fix)	# a mistake made, not yet fixed
    if rng.random() < 0.1:
        # Remember this package's PDFs, to put one back later.
        pkg = os.path.join(OUT, 'bsp-application')
        old_pdfs = {k: open(os.path.join(pkg, k), 'rb').read() for k in tree(pkg) if k.endswith('.pdf')}
    if old_pdfs and rng.random() < 0.08:
        what += '; then ' + tamper(old_pdfs)
        tampered += 1
        before = tree(OUT)
    a, b = build(OUT, False), build(REF, True)
    try:
        ea, eb = a.communicate(timeout=300)[1], b.communicate(timeout=300)[1]
    except subprocess.TimeoutExpired:
        a.kill(), b.kill()
        fail('a build took more than 5 minutes')
    ra, rb = a.returncode, b.returncode
    if ra != rb:
        fail(f'the incremental build exited {ra}, the --force build {rb}:\n{ea}\n{eb}')
    if args.verbose:
        errors = [l for l in ea.splitlines() if ': error: ' in l]
        print(f'{step}: {what}: exit {ra} {errors[0] if errors else ""}')
    if wrong != (ra != 0) or ra not in (0, 2):
        fail(f'the builds exited {ra} after ' + ('a mistake' if wrong else 'an edit that leaves the content right')
             + f':\n{ea}')
    if ra != 0:
        failed += 1
        if tree(OUT) != before:
            fail('a failed build changed OUT')
        continue
    now, ref = tree(OUT), tree(REF)
    if now != ref:
        diff = sorted(k for k in set(now) | set(ref) if now.get(k) != ref.get(k))
        fail('incremental OUT differs from the --force build: ' + ', '.join(diff[:8]))
    verify(0)

print(f'ok walk: {args.edits} edits (seed {seed}{"; only " + args.only if args.only else ""}; {failed} '
      f'left the content wrong and both builds failed; {tampered} with a file changed behind dossier\'s back): every incremental OUT equals '
      f'the --force build\'s, verify passed')
print('  edits: ' + ', '.join(f'{k} {n}' for k, n in sorted(kinds.items())))
if not args.keep:
    shutil.rmtree(t)
