#!/bin/bash
# Any company, any country, any stack: nothing about CampoTech, Argentina or
# CampoTech's stack comes from templates/ or src/.
#   1. The CampoTech example, the second example (tests/fixtures/marcai: a
#      Brazilian Ltda. on AWS with SQS and one BSP), the third
#      (tests/fixtures/naminori: a Japanese K.K. on Azure, APPI, yen) and a copy of the
#      CampoTech example with every Argentine, CampoTech and stack-specific
#      value replaced by a Norwegian company's on Google Cloud each build,
#      and every PDF passes qpdf --check.
#   2. In the replaced copy's package none of the replaced words appears:
#      not in the Markdown, the PDFs' text, the SVGs or the spreadsheet.
#   2b. templates/ and src/ name nothing of the example.
#   3. The architecture overview shows the component names as PDF text, and
#      no ASCII arrow pictures are left.
set -u
D=${DOSSIER:-./dossier}
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fails=0
ok() { echo "ok any-company: $1"; }
bad() { echo "FAIL any-company: $1"; fails=$((fails + 1)); }

# The words that must not appear, each with its replacement; a pattern
# ending in /I is matched without regard to case.
replacements=(
	"CampoTech/I" "Fjordline"
	"Argentine" "Norwegian"
	"Argentina" "Norway"
	"Córdoba" "Bergen"
	"Buenos Aires" "Oslo"
	"Rosario" "Trondheim"
	"Mendoza" "Stavanger"
	"Tucumán" "Tromsø"
	"Mar del Plata" "Kristiansand"
	"La Plata" "Drammen"
	"Santa Fe" "Ålesund"
	"Neuquén" "Bodø"
	"Salta" "Molde"
	"Villa Carlos Paz" "Lillehammer"
	"Patagonia" "Finnmark"
	"CUIT" "Org.nr."
	"AFIP" "Altinn"
	"ARCA" "Skatteetaten"
	"IPJ" "Brønnøysund"
	"Inspección de Personas Jurídicas" "Foretaksregisteret"
	"Matrícula" "Reg."
	"Sociedad por Acciones Simplificada" "Aksjeselskap"
	"S.A.S." "AS"
	"ley-25326" "gdpr"
	"Ley 25.326" "personopplysningsloven"
	"25,326" "2018-06-15-38"
	"25.326" "2018-06-15-38"
	"AAIP" "Datatilsynet"
	"Agencia de Acceso a la Información Pública" "the Norwegian Data Protection Authority"
	"pesos" "kroner"
	"ARS" "NOK"
	"UTC−3" "UTC+1"
	"Vercel" "Google Cloud"
	"Edge Functions" "Cloud Run services"
	"Edge Function" "Cloud Run service"
	"Edge Network" "CDN"
	"Redis" "Memorystore"
	"BullMQ" "Pub/Sub"
	"Upstash" "Aiven"
	"Supabase" "Cloud SQL"
	"Twilio" "MessageBird"
	"360dialog" "Vonage"
	"Node.js" "Kotlin"
	"gru1" "europe-north1"
	"iad1" "europe-west1"
	"sa-east-1" "europe-north1"
)

# 1. Three builds.
cp -R tests/fixtures/campotech "$t/replaced"
sedscript=$t/sed
: > "$sedscript"
words=()
for ((i = 0; i < ${#replacements[@]}; i += 2)); do
	w=${replacements[i]} r=${replacements[i + 1]} flag=
	case $w in */I) w=${w%/I} flag=I ;; esac
	words+=("$w$([ -n "$flag" ] && echo /I)")
	# sed: the word as a literal (escape . / and [ ), every occurrence.
	lit=$(printf '%s' "$w" | sed 's/[.[\/*^$]/\\&/g')
	printf 's/%s/%s/g%s\n' "$lit" "$(printf '%s' "$r" | sed 's/[\/&]/\\&/g')" "$flag" >> "$sedscript"
done
find "$t/replaced" -type f \( -name '*.yaml' -o -name '*.md' \) -exec sed -i -f "$sedscript" {} +

# find_words FOLDER-OR-FILE: prints each replaced word found in it.
find_words() {
	for w in "${words[@]}"; do
		case $w in
		*/I) grep -rqiF -- "${w%/I}" "$1" && echo "${w%/I}" ;;
		*) grep -rqF -- "$w" "$1" && echo "$w" ;;
		esac
	done
}
left=$(find_words "$t/replaced")
[ -z "$left" ] && ok "the replaced copy of the example holds none of the words" \
	|| bad "the replacement left words in the content: $left"

for ex in campotech:tests/fixtures/campotech marcai:tests/fixtures/marcai naminori:tests/fixtures/naminori replaced:$t/replaced; do
	name=${ex%%:*} dir=${ex#*:}
	if "$D" build --quiet --content "$dir" --out "$t/out-$name" 2> "$t/err"; then
		ok "$name builds"
	else
		bad "$name does not build: $(cat "$t/err")"
		continue
	fi
	n=0 broken=
	while IFS= read -r pdf; do
		n=$((n + 1))
		qpdf --check "$pdf" > /dev/null 2>&1 || broken="$broken ${pdf#"$t/out-$name/"}"
	done < <(find "$t/out-$name/bsp-application" -name '*.pdf' | sort)
	[ -z "$broken" ] && [ "$n" -gt 10 ] && ok "$name: all $n PDFs pass qpdf --check" \
		|| bad "$name: qpdf --check fails on:$broken ($n PDFs)"
done

# 2. Nothing of the replaced words in the replaced copy's package.
P=$t/out-replaced/bsp-application
if [ -d "$P" ]; then
	mkdir -p "$t/text"
	while IFS= read -r pdf; do
		rel=${pdf#"$P/"}
		mkdir -p "$t/text/$(dirname "$rel")"
		pdftotext -enc UTF-8 "$pdf" "$t/text/$rel.txt"
	done < <(find "$P" -name '*.pdf')
	unzip -p "$P/business/client-metrics.xlsx" > "$t/text/client-metrics.xlsx.xml"
	for kind in md svg; do
		mkdir -p "$t/$kind"
		(cd "$P" && find . -name "*.$kind" -exec cp --parents {} "$t/$kind/" \;)
		[ -n "$(ls -A "$t/$kind")" ] || bad "no .$kind files in the package"
	done
	cp "$t/out-replaced/readiness.md" "$t/md/"
	for part in md:Markdown text:"PDF text and spreadsheet" svg:SVG; do
		left=$(find_words "$t/${part%%:*}")
		[ -z "$left" ] && ok "no replaced word in the package's ${part#*:}" \
			|| bad "the package's ${part#*:} still says: $(echo $left)"
	done
	grep -q "Fjordline" "$t/text/company/company-overview.pdf.txt" \
		&& grep -q "Org.nr." "$t/text/company/company-overview.pdf.txt" \
		&& ok "the replacements are what the documents say" || bad "the new company's facts are missing"
fi

# 2b. The tool's own files name none of the example's company, people, stack
# or Argentine institutions (templates/privacy.yaml and templates/privacy-laws/
# are exempt: they are the tables of each country's ID-number patterns and of
# each privacy law's vocabulary, Argentina's among others).
own=
for w in CampoTech campotech.com.ar "Martín Muñoz" "Lucía Fernández" Córdoba Cordoba Argentine \
	plomeria plomería climatizacion electricidad gas-mendoza Rosario Mendoza Twilio Sentry \
	AFIP ARCA IPJ AAIP "Ley 25.326" 25,326 Vercel "Edge Function" "Edge Functions" BullMQ Redis \
	Upstash Supabase 360dialog gru1 iad1; do
	hits=$(grep -rliwF --exclude=privacy.yaml --exclude-dir=privacy-laws -- "$w" templates src | tr '\n' ' ')
	[ -z "$hits" ] || own="$own
  '$w' in $hits"
done
[ -z "$own" ] && ok "templates/ and src/ name nothing of the example" \
	|| bad "the tool's own files name the example:$own"

# 3. The architecture overview: component names in the text, no ASCII pictures.
for name in campotech marcai naminori; do
	dir=$t/out-$name/bsp-application/technical
	[ -f "$dir/architecture-overview.pdf" ] || continue
	pdftotext -enc UTF-8 "$dir/architecture-overview.pdf" "$t/arch-$name.txt"
	tr -s ' \n' ' ' < "$t/arch-$name.txt" > "$t/arch-$name.flat"
	missing=
	src=tests/fixtures/$name/architecture.yaml
	while IFS= read -r c; do
		grep -qF -- "$c" "$t/arch-$name.flat" || missing="$missing '$c'"
	done < <(sed -n 's/^ *name: "\(.*\)"$/\1/p' "$src")
	[ -z "$missing" ] && ok "$name: every component's name is in architecture-overview.pdf's text" \
		|| bad "$name: components missing from the PDF text:$missing"
	if grep -l -e '──►' -e '◄──' "$t"/out-$name/bsp-application/*/*.md > /dev/null 2>&1 ||
	   awk '/^```/{c=!c; next} c && /→/{f=1} END{exit !f}' "$t"/out-$name/bsp-application/*/*.md; then
		bad "$name: an ASCII arrow picture is left in a document"
	else
		ok "$name: no ASCII arrow pictures"
	fi
done

[ $fails = 0 ]
