#!/bin/bash
# The command line as a user meets it: help, version, "did you mean",
# colour on a terminal only, no PDF onto a terminal, the manual (clean
# under mandoc -Tlint, naming every command and option), the bash and zsh
# completions, make install and uninstall.  mandoc, zsh and script(1) are
# in `make deps`: their absence is a failure, not a skip.
set -u
D=${DOSSIER:-./dossier}
case $D in /*) ;; *) D=$PWD/$D ;; esac
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok cli: $1"; }
bad() { echo "FAIL cli: $1"; fails=$((fails + 1)); }
# Every command `dossier help` lists (init and serve among them).
COMMANDS=$("$D" help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
case " $COMMANDS " in *" init "*) ;; *) bad "dossier help lists no init: $COMMANDS" ;; esac

# help, version
f0=$fails
for c in $COMMANDS; do
	"$D" "$c" --help > "$t/a" 2>&1; "$D" help "$c" > "$t/b" 2>&1
	cmp -s "$t/a" "$t/b" && grep -q "dossier $c" "$t/a" || bad "help $c differs from $c --help: $(diff "$t/a" "$t/b" | head -5)"
done
[ $fails = $f0 ] && ok "dossier help CMD prints CMD --help, for every command"
"$D" help > "$t/a" 2>&1 && grep -q '^  build ' "$t/a" && ok "dossier help lists the commands" || bad "help: $(cat "$t/a")"
v=$("$D" --version)
[ "$("$D" -V)" = "$v" ] && [ "$("$D" version)" = "$v" ] && echo "$v" | grep -q '^dossier [0-9]' \
	&& ok "-V, --version and version print \"$v\"" || bad "version: $v / $("$D" -V) / $("$D" version)"

# Unknown commands and options.
"$D" buld > "$t/out" 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "dossier: unknown command 'buld'; did you mean 'build'?
Try 'dossier --help' for the list of commands." ] && [ ! -s "$t/out" ] \
	&& ok "an unknown command suggests the closest" || bad "buld: exit $rc: $(cat "$t/err")"
"$D" frobnicate 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(head -1 "$t/err")" = "dossier: unknown command 'frobnicate'" ] && ok "no suggestion when nothing is close" || bad "frobnicate: $(cat "$t/err")"
"$D" help chek 2> "$t/err"; rc=$?
[ $rc = 2 ] && grep -q "did you mean 'check'" "$t/err" && ok "help of an unknown command suggests too" || bad "help chek: $(cat "$t/err")"
"$D" --color=sometimes check 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "dossier: --color must be auto, always or never, got 'sometimes'" ] \
	&& ok "a bad --color value is refused" || bad "--color=sometimes: exit $rc: $(cat "$t/err")"

# Colour: on a terminal (script(1) gives one) unless NO_COLOR; --color wins.
command -v script > /dev/null || bad "script(1) is not installed (bsdutils)"
E=$'\e'
expect="${E}[1mnope.md:${E}[0m ${E}[1;31merror:${E}[0m cannot read: No such file or directory"
cd "$t"
"$D" pdf nope.md 2> "$t/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$t/err")" = "nope.md: error: cannot read: No such file or directory" ] \
	&& ok "cannot read: one phrasing, no colour into a file" || bad "plain: exit $rc: $(cat -v "$t/err")"
TERM=xterm script -qec "$D pdf nope.md" /dev/null > "$t/tty" 2>&1
grep -qF "$expect" "$t/tty" && ok "colour on a terminal" || bad "no colour on a terminal: $(cat -v "$t/tty")"
NO_COLOR=1 TERM=xterm script -qec "$D pdf nope.md" /dev/null > "$t/tty" 2>&1
grep -q "$E" "$t/tty" && bad "colour although NO_COLOR is set: $(cat -v "$t/tty")" || ok "NO_COLOR turns colour off"
NO_COLOR=1 TERM=xterm script -qec "$D --color=always pdf nope.md" /dev/null > "$t/tty" 2>&1
grep -qF "$expect" "$t/tty" && ok "--color=always wins over NO_COLOR" || bad "--color=always: $(cat -v "$t/tty")"
TERM=xterm script -qec "$D pdf --color=never nope.md" /dev/null > "$t/tty" 2>&1
grep -q "$E" "$t/tty" && bad "colour despite --color=never" || ok "--color=never on a command"
"$D" pdf --color=always nope.md 2> "$t/err"
[ "$(cat "$t/err")" = "$expect" ] && ok "--color=always into a file" || bad "always: $(cat -v "$t/err")"

# No binary PDF onto a terminal, unless -o - says so.
TERM=xterm script -qec "echo '# Hi' | $D pdf -; echo rc=\$?" /dev/null > "$t/tty" 2>&1
grep -q 'rc=2' "$t/tty" && grep -q "not writing a binary PDF to the terminal" "$t/tty" && ! grep -q '%PDF' "$t/tty" \
	&& ok "pdf - refuses a terminal" || bad "pdf onto a terminal: $(head -c 300 "$t/tty" | cat -v)"
TERM=xterm script -qec "echo '# Hi' | $D pdf - -o -" /dev/null > "$t/tty" 2>&1
grep -aq '%PDF-' "$t/tty" && ok "-o - forces it" || bad "-o -: $(head -c 200 "$t/tty" | cat -v)"
echo '# Hi' | "$D" pdf - | head -c 5 | grep -q '%PDF-' && ok "into a pipe as before" || bad "pdf into a pipe"
cd - > /dev/null

# The manual.
command -v mandoc > /dev/null || bad "mandoc is not installed (make deps installs it)"
lint=$(mandoc -Tlint dossier.1 2>&1)
[ -z "$lint" ] && ok "mandoc -Tlint dossier.1 prints nothing" || bad "mandoc -Tlint: $lint"
MANWIDTH=200 mandoc -Tascii dossier.1 | col -b > "$t/man"
f0=$fails
for c in $COMMANDS help version; do
	grep -q "dossier $c" "$t/man" || bad "the manual lacks the command $c"
done
for c in $COMMANDS; do
	for o in $("$D" "$c" --help | sed -n '/Application Options/,$p' | grep -o -- '--[a-z-]*' | sort -u); do
		grep -q -- "$o" "$t/man" || bad "the manual lacks $c $o"
	done
done
for s in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES NO_COLOR SOURCE_DATE_EPOCH; do
	grep -q "$s" "$t/man" || bad "the manual lacks $s"
done
[ $fails = $f0 ] && ok "the manual names every command and option, exit status, environment, files, examples"

# Completions.
out=$(bash -c 'source completions/dossier.bash && complete -p dossier')
[ "$out" = "complete -F _dossier dossier" ] && ok "bash: complete -p dossier after sourcing" || bad "bash: $out"
got=$(bash -c 'source completions/dossier.bash
	c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _dossier; echo "${COMPREPLY[*]}"; }
	c dossier bu; c dossier build --fo; c dossier --color=never check --js; c dossier help ve
	c dossier --color al; cd tests/pdf && c dossier pdf elem')
[ "$got" = "build
--force
--json
verify version
always
elements.md" ] && ok "bash completes commands, options, values and files" || bad "bash completion: $got"
command -v zsh > /dev/null || bad "zsh is not installed (make deps installs it)"
got=$(zsh -f -c 'fpath=(completions $fpath); autoload -Uz compinit; compinit -u -d '"$t"'/zcd; print -r -- $_comps[dossier]' 2>&1)
[ "$got" = _dossier ] && ok "zsh: compinit finds _dossier" || bad "zsh: $got"

# make install / uninstall, with DESTDIR and the default PREFIX: the binary
# installed is the one the other suites are running.  (Another PREFIX is
# compiled in, so it would relink that binary under their feet: install.sh
# tries PREFIX in a build folder of its own.)
make -s install DESTDIR="$t/stage" > "$t/inst" 2>&1 || bad "make install: $(cat "$t/inst")"
bin=$(find "$t/stage" -path '*/bin/dossier')
for f in bin/dossier share/man/man1/dossier.1 share/bash-completion/completions/dossier share/zsh/site-functions/_dossier; do
	[ -s "${bin%/bin/dossier}/$f" ] || bad "make install did not install PREFIX/$f"
done
[ -x "$bin" ] && cmp -s "$bin" "$DOSSIER" && ok "make install DESTDIR: binary (the one tested, not relinked), manual, completions" \
	|| bad "make install: installed binary '$bin' is not $DOSSIER"
make -s uninstall DESTDIR="$t/stage" > "$t/inst" 2>&1
[ -z "$(find "$t/stage" -type f)" ] && ok "make uninstall removes them" || bad "left after uninstall: $(find "$t/stage" -type f)"

# Start-up (issue 15): librsvg and poppler-glib are opened when a document
# needs them (a supplied SVG or PDF: pdf.sh, supplied.sh draw both), libqpdf
# when the first PDF is finished, and libsoup when `dossier serve` starts
# (serve.sh), not mapped into every process.
needed=$(readelf -d "$DOSSIER" | awk '/NEEDED/ { print $NF }')
case "$needed" in
*rsvg* | *poppler* | *soup* | *qpdf*) bad "dossier is linked to librsvg, poppler-glib, libqpdf or libsoup: $needed" ;;
*) ok "librsvg, poppler-glib, libqpdf and libsoup are not linked, opened when first needed" ;;
esac

[ $fails = 0 ]
