#!/bin/sh
# Only the write/ file of an output writes its files (docs/hacking.md, "A new
# output format"): the stages before it - load, derive, render, typeset,
# chart - return bytes or values and never open, create, rename or link a
# file for writing, nor write to standard output.  The typesetter hands
# back a PDF's bytes (write/pdf.c and cli/pdf.c write them); the diagrams'
# SVG text is written by write/diagrams.c.  What else writes files is the
# build itself (pipeline/: staging, the swap, its record), the commands
# (cli/: init, month, pdf) and the helpers they call (base/fileop.c,
# base/stamp.c).
set -u
src=${DOSSIER_SRC:-.}/src
fails=0
ok() { echo "ok layering: $1"; }
bad() { echo "FAIL layering: $1"; fails=$((fails + 1)); }

[ -d "$src/typeset" ] || { bad "no source tree at $src"; exit 1; }
# File writes in C: GLib, stdio, POSIX, Cairo's file surfaces,
# libxlsxwriter, minizip, GIO, and base/fileop.h's and base/stamp.h's own.
writes='g_file_set_contents|fopen *\([^)]*"[wa+]|open *\([^)]*O_(WRONLY|RDWR|CREAT)|mkstemp|g_rename *\(|[^_a-z]rename(at2?)? *\(|[^_a-z]link *\(|symlink *\(|fwrite *\(|fputs *\([^)]*stdout|(^|[^_a-z])printf *\(|(^|[^_a-z])puts *\(|putchar *\(|g_print *\(|fprintf *\( *stdout|cairo_(pdf|svg|ps)_surface_create *\(|cairo_surface_write_to_png *\(|workbook_new|zipOpen|g_file_replace|g_file_create|fileop_(write|copy|link|mkdirs) *\(|stamp_write *\(|file_write_atomic *\('
found=$(cd "$src" && grep -nE "$writes" load/*.c derive/*.c render/*.c typeset/*.c chart/*.c)
[ -z "$found" ] && ok "load, derive, render, typeset and chart write no file" \
	|| bad "a stage before write/ writes a file: $found"

# The pattern finds what it is meant to find: the first three were writes
# in typeset/ and chart/ (write/ and cli/ make them now).
missed=0
for line in \
	'if (!g_file_set_contents_full(out_pdf, (const char *)buf->data,' \
	'if (fwrite(buf->data, 1, buf->len, stdout) != buf->len ||' \
	'return fileop_write(path, svg, strlen(svg));' \
	'FILE *f = fopen(path, "wb");' \
	'cairo_surface_t *s = cairo_pdf_surface_create(path, w, h);' \
	'int fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);' \
	'printf("%s\\n", text);' \
	'	puts(line);' \
	'g_print("%s", text);' \
	'fprintf(stdout, "%s", text);'
do
	printf '%s\n' "$line" | grep -qE "$writes" || { bad "the pattern misses: $line"; missed=1; }
done
for line in \
	'FILE *f = fopen(real, "rb");' \
	'cairo_surface_t *s = cairo_pdf_surface_create_for_stream(stream_write, buf,' \
	'd->pdfs[i] = pdf_pages_open(p->attachment_file, d->doc->page_w,' \
	'char *s = g_strdup_printf("%d", n);' \
	'fprintf(stderr, "dossier: typesetting %d/%d", done, total);' \
	'snprintf(buf, sizeof buf, "%d", n);'
do
	printf '%s\n' "$line" | grep -qE "$writes" && { bad "the pattern takes a read for a write: $line"; missed=1; }
done
[ $missed = 0 ] && ok "the pattern tells writes from reads"

# Every input is read through base/file.h (file_read, file_sha256,
# file_exists, file_list), which records it in the record of what is being
# made (base/record.h): a stage that opened, listed or looked for a file
# itself would make an input no rebuild checks.  write/ and pipeline/ read
# the previous build's files, which are not inputs.
reads='g_file_get_contents|g_mapped_file_new|fopen *\(|g_dir_open|opendir *\(|g_file_test *\([^;]*EXISTS|[^_a-z.>]open *\([^)]*O_RDONLY'
found=$(cd "$src" && grep -nE "$reads" load/*.c derive/*.c render/*.c typeset/*.c chart/*.c)
[ -z "$found" ] && ok "load, derive, render, typeset and chart read files only through base/file.h" \
	|| bad "a stage reads a file past base/file.h, so no record has it: $found"
missed=0
for line in \
	'if (!v->file || !g_file_get_contents(v->file, &text, &len, NULL))' \
	'FILE *f = fopen(real, "rb");' \
	'g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);' \
	'if (optional && !g_file_test(path, G_FILE_TEST_EXISTS))'
do
	printf '%s\n' "$line" | grep -qE "$reads" || { bad "the read pattern misses: $line"; missed=1; }
done
[ $missed = 0 ] && ok "the read pattern finds reads (the first four were in load/, derive/ and render/)"

# Where the package's PDFs and diagrams are written now.
grep -q 'file_write_atomic' "$src/write/pdf.c" && grep -q 'kept_write\|fileop_write' "$src/write/diagrams.c" \
	&& ok "write/pdf.c writes the PDFs, write/diagrams.c the diagrams" || bad "write/pdf.c or write/diagrams.c writes no file"
[ $fails = 0 ]
