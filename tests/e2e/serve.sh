#!/bin/bash
# dossier serve: the web edition on 127.0.0.1, rebuilt and reloaded on every
# change (tests/web/serve.js in Chromium: a case-study edit reaches the open
# page, a broken YAML shows its located error there); paths out of OUT
# refused (.., its percent-encoded forms, a symbolic link to /etc), methods
# other than GET and HEAD refused; SIGTERM ends it with exit 0 and no
# staging folder left.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
fails=0
ok() { echo "ok serve: $1"; }
bad() { echo "FAIL serve: $1"; fails=$((fails + 1)); }
cp -r content "$t/c"
"$D" serve --content "$t/c" --templates templates --out "$t/out" > "$t/log" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q '^dossier: watching' "$t/log" && break; sleep 0.1; done
port=$(sed -n 's|^dossier: serving http://127.0.0.1:\([0-9]*\)/ .*|\1|p' "$t/log")
[ -n "$port" ] && grep -q '^dossier: watching' "$t/log" && ok "serves on a free port it prints: $port" || bad "no address: $(cat "$t/log")"
U=http://127.0.0.1:$port
code() { curl -s --path-as-is -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "$U/")" = 200 ] && curl -s "$U/" | grep -q 'new EventSource' && ok "/ is the index, with the reload script" || bad "/: $(code "$U/")"
[ "$(code "$U/bsp-application/dossier.pdf")" = 200 ] && ok "the package's PDFs are served" || bad "pdf: $(code "$U/bsp-application/dossier.pdf")"
ln -s /etc "$t/out/site/etc"
for p in /../content/company.yaml /%2e%2e/content/company.yaml /%2E%2E/%2E%2E/c/company.yaml /..%2fcontent%2fcompany.yaml /%2e%2e%2fcontent%2fcompany.yaml /etc/passwd /bsp-application/../../c/company.yaml; do
	c=$(code "$U$p")
	case $c in 4*) ;; *) bad "GET $p: $c" ;; esac
	curl -s --path-as-is "$U$p" | grep -q 'legal_name\|root:' && bad "GET $p served the file"
done
ok "GET /../content/company.yaml, its percent-encoded forms and a link to /etc: refused (4xx)"
[ "$(code -X POST "$U/")" = 405 ] && [ "$(code -X DELETE "$U/index.html")" = 405 ] && [ "$(code -I "$U/")" = 200 ] &&
	ok "POST and DELETE refused (405), HEAD answered" || bad "methods: $(code -X POST "$U/")"

# A request with a body is answered at once, without the body being read.
got=$(python3 - "$port" <<'PY'
import socket, sys
def first_line(data):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.settimeout(5)
    s.sendall(data)
    try:
        return s.recv(100).split(b"\r\n")[0].decode()
    except OSError as e:
        return repr(e)
    finally:
        s.close()
print(first_line(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 500000000\r\n\r\n"))
print(first_line(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"))
PY
)
[ "$got" = "HTTP/1.1 413 Request Entity Too Large
HTTP/1.1 405 Method Not Allowed" ] && ok "a request announcing a 500 MB body: 413 at once; a POST with a body: 405" ||
	bad "bodies: $got"

cs=$(grep -l '^order: 1$' "$t"/c/case-studies/*.md)
NODE_PATH=$PWD/node_modules node tests/web/serve.js "$U" /business/case-studies/case-study-1.html \
	"printf '\nA sentence written while the page was open.\n' >> '$cs'" \
	"sed -i 's/^  name: CampoTech\$/  name: [CampoTech/' '$t/c/company.yaml'" \
	"A sentence written while the page was open." "c/company.yaml:6:13: error: YAML syntax" || fails=$((fails + 1))

# SIGTERM while a build runs (an edit just made): the build stops, exit 0.
sed -i 's/^  name: \[CampoTech$/  name: CampoTech/' "$t/c/company.yaml"
sleep 0.3
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
left=$(ls -a "$t" "$t/out/.dossier-cache" | grep -c 'dossier-new\|^stage-\|^trash-')
[ $rc = 0 ] && [ "$left" = 0 ] && ok "SIGTERM during a build: exit 0, no staging folder left" ||
	bad "SIGTERM: exit $rc, $left staging folders: $(tail -3 "$t/log")"
# ... and while idle.
"$D" serve --content "$t/c" --templates templates --out "$t/out" > "$t/log" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q '^dossier: watching' "$t/log" && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
left=$(ls -a "$t" "$t/out/.dossier-cache" | grep -c 'dossier-new\|^stage-\|^trash-')
[ $rc = 0 ] && [ "$left" = 0 ] && ok "SIGTERM while waiting: exit 0, no staging folder left" ||
	bad "SIGTERM idle: exit $rc, $left staging folders: $(tail -3 "$t/log")"
echo "serve: $fails failed"
[ "$fails" = 0 ]
