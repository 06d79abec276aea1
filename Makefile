# dossier - builds the Meta BSP application package from content/.
#
#   make run     install missing Debian packages, build, generate out/bsp-application/
#   make check   the same set-up, then every test
#   make         just build ./dossier
#
# Put local overrides (CC, extra flags) in Makefile.local.

CC      ?= cc
PKGS    := glib-2.0 gio-2.0 gmodule-2.0 yaml-0.1 libxml-2.0 cairo cairo-pdf cairo-svg fontconfig \
           pango pangocairo librsvg-2.0 gdk-pixbuf-2.0 xlsxwriter minizip json-glib-1.0 \
           libgvc libcgraph poppler-glib libsoup-3.0 icu-uc icu-i18n libical zlib
# Debian packages that provide the libraries above, the test tools and fonts.
# A test whose tool is listed here fails, never skips, when the tool is
# missing: gnumeric's ssconvert recalculates the spreadsheet (xlsx.sh),
# mandoc lints dossier.1 and zsh loads the completion (cli.sh), valgrind
# checks for leaks (leak.sh, make valgrind); clang and its libFuzzer runtime
# build the fuzz targets (make fuzz, fuzz-replay).
DEB_PKGS := build-essential pkg-config libglib2.0-dev libyaml-dev libxml2-dev \
            libcairo2-dev libpango1.0-dev librsvg2-dev libgdk-pixbuf-2.0-dev libxlsxwriter-dev libminizip-dev \
            libcmark-gfm-dev libcmark-gfm-extensions-dev libcsv-dev libjson-glib-dev libgraphviz-dev libpoppler-glib-dev check \
            fonts-dejavu-core fonts-dejavu-extra fonts-noto-color-emoji \
            poppler-utils qpdf libxml2-utils python3-openpyxl python3-yaml unzip locales \
            gnumeric mandoc bash zsh valgrind clang libclang-rt-14-dev \
            libicu-dev libical-dev zlib1g-dev libsoup-3.0-dev fonts-noto-core fonts-noto-cjk \
            chromium python3-icalendar icc-profiles-free python3-jsonschema
# Chosen for the open issues, installed now so every machine has the same
# fonts: ICU (currency, normalisation), libical (obligations calendar),
# libsoup-3.0 (dossier serve), Noto for the scripts DejaVu lacks; qpdf,
# Chromium and python3-icalendar for tests; icc-profiles-free's
# sRGB profile is compiled into every PDF's output intent (ICC_PROFILE).
DEPS_PKGCONFIG := libical libsoup-3.0
# The web tests (tests/web/) drive Debian's chromium with playwright-core and
# check pages with axe-core, both from npm (package.json, package-lock.json,
# into node_modules/); npm comes with nodejs where it is installed from
# elsewhere, and is Debian's npm package otherwise, so it is installed only
# when missing (the two conflict).
# Locales for tests/e2e/locale.sh (the same bytes in any locale): a
# decimal-comma one, and one whose script and dates are not Latin.
TEST_LOCALES := es_AR ja_JP

# Where `make install` puts things; the binary looks for its default
# templates in DATADIR (compiled in, so rebuilt when PREFIX changes).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/dossier

CSTD    := -std=c17 -D_GNU_SOURCE -Isrc
WARN    := -Wall -Wextra -Wno-unused-parameter
OPT     ?= -O2 -g
# Fewer relocations and symbol look-ups at start-up (issue 15).
LDFLAGS += -Wl,-O1,--as-needed,--hash-style=gnu
CFLAGS_ALL  = $(CSTD) -I$(BUILD)/gen $(WARN) $(OPT) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
# librsvg and poppler-glib are opened when a document first needs
# them (src/typeset/lazylib.h), libsoup when `dossier serve` starts
# (src/cli/lazysoup.h): compiled against, not linked; their sonames are
# read from the libraries themselves.
LAZY_PKGS   := librsvg-2.0 poppler-glib libsoup-3.0
soname       = $(shell objdump -p $$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2) 2>/dev/null | awk '/SONAME/ { print $$2 }')
LAZY_DEFS   := -DLAZY_RSVG='"$(call soname,librsvg-2.0,librsvg-2.so)"' \
               -DLAZY_POPPLER='"$(call soname,poppler-glib,libpoppler-glib.so)"' \
               -DLAZY_SOUP='"$(call soname,libsoup-3.0,libsoup-3.0.so)"'
CFLAGS_ALL += $(LAZY_DEFS)
LDLIBS_ALL  = $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) gmodule-2.0 2>/dev/null) \
              -lcmark-gfm-extensions -lcmark-gfm -lcsv -lpthread -lm $(LDLIBS)
# The unit tests call both libraries directly too.
LDLIBS_TEST = $(shell pkg-config --libs $(LAZY_PKGS) check 2>/dev/null)

BUILD   := build
ifeq ($(SANITIZE),1)
OPT     := -O1 -g -fno-omit-frame-pointer
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BUILD   := build/asan
export ASAN_OPTIONS := abort_on_error=0:detect_leaks=1
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
# GLib 2.74 hands out GObjects from GSlice's magazines, which the sanitizers
# and valgrind cannot see into: a leaked PangoLayout went unnoticed.  Plain
# malloc, and memory cleared when freed, for every leak-checked run.
export G_SLICE := always-malloc
export G_DEBUG := gc-friendly
endif
# ThreadSanitizer, for `make tsan` (below): everything in build/tsan/.
ifeq ($(SANITIZE),thread)
OPT     := -O1 -g -fno-omit-frame-pointer
CFLAGS  += -fsanitize=thread
LDFLAGS += -fsanitize=thread
BUILD   := build/tsan
export TSAN_OPTIONS := suppressions=$(CURDIR)/tests/tsan.supp:halt_on_error=1:second_deadlock_stack=1
export G_SLICE := always-malloc
endif

sinclude Makefile.local

SRCS     := $(sort $(wildcard src/*/*.c))
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/cli/main.c,$(SRCS)))
MAIN_OBJ := $(BUILD)/cli/main.o
TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
TEST_OBJS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%.o,$(TEST_SRCS))

.PHONY: all run check deps clean unit golden golden-update e2e install uninstall FORCE valgrind tsan tsan-run bench fuzz fuzz-targets fuzz-walk fuzz-smoke fuzz-replay

all: dossier

ifeq ($(SANITIZE),1)
dossier: $(BUILD)/dossier
	@true
DOSSIER := $(BUILD)/dossier
else
DOSSIER := ./dossier
endif

$(DOSSIER): $(LIB_OBJS) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# The same program with the test hooks compiled in (-DDOSSIER_TESTING), for
# the test suites.  base/fileop.c: DOSSIER_FAIL_AT=N fails the Nth file
# operation of a build (tests/e2e/atomic.sh); typeset/document.c:
# DOSSIER_LEAK=pango-layout leaks one PangoLayout (tests/e2e/leak.sh).
# The installed ./dossier has neither hook.
TEST_BIN := $(BUILD)/dossier-test
TESTING_SRCS := src/base/fileop.c src/typeset/document.c
TESTING_OBJS := $(patsubst src/%.c,$(BUILD)/%-testing.o,$(TESTING_SRCS))
$(TESTING_OBJS): $(BUILD)/%-testing.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DDOSSIER_TESTING -MMD -MP -c -o $@ $<

$(TEST_BIN): $(filter-out $(patsubst src/%.c,$(BUILD)/%.o,$(TESTING_SRCS)),$(LIB_OBJS)) $(TESTING_OBJS) $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# The sRGB profile of every PDF's output intent (PDF/A), compiled in as
# srgb_icc[] (src/typeset/pdf_finish.c).
ICC_PROFILE := /usr/share/color/icc/sRGB.icc
$(BUILD)/gen/srgb_icc.h: $(ICC_PROFILE)
	@mkdir -p $(dir $@)
	@{ echo '/* $(ICC_PROFILE) (Debian icc-profiles-free), written by the Makefile. */'; \
	  echo 'static const unsigned char srgb_icc[] = {'; \
	  od -An -v -tu1 $< | awk '{ for (i = 1; i <= NF; i++) printf "%s,", $$i; print "" }'; \
	  echo '};'; } > $@.tmp && mv $@.tmp $@
$(BUILD)/typeset/pdf_finish.o: $(BUILD)/gen/srgb_icc.h

# The compiled-in data folder, rewritten only when DATADIR changes, and where
# a checkout keeps the example `dossier init --example` copies.
EXAMPLE := tests/fixtures/campotech
$(BUILD)/gen/datadir.h: FORCE
	@mkdir -p $(dir $@)
	@{ echo '#define DOSSIER_DATADIR "$(DATADIR)"'; echo '#define DOSSIER_EXAMPLE "$(EXAMPLE)"'; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/cli/project.o: $(BUILD)/gen/datadir.h
FORCE:

# The unit-test runner: every tests/unit/*.c defines `Suite *suite_NAME(void)`;
# the list of suites is generated from the sources.
$(BUILD)/tests/suites.h: $(TEST_SRCS)
	@mkdir -p $(dir $@)
	@grep -ho '^\(Suite \*\)\{0,1\}suite_[a-z0-9_]*(void)' $(TEST_SRCS) | sed 's/^.*\(suite_[a-z0-9_]*\)(void)/X(\1)/' | sort -u > $@

$(BUILD)/tests/%.o: tests/unit/%.c $(BUILD)/tests/suites.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags check) -I$(BUILD)/tests -MMD -MP -c -o $@ $<

$(BUILD)/unit-tests: $(LIB_OBJS) $(TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL) $(LDLIBS_TEST)

# Install what is missing, as root, only when pkg-config (or a tool) says so.
deps:
	@missing=0; \
	for p in $(PKGS) $(DEPS_PKGCONFIG) check; do pkg-config --exists $$p 2>/dev/null || missing=1; done; \
	test -e /usr/include/cmark-gfm-core-extensions.h || missing=1; \
	test -e /usr/include/csv.h || missing=1; \
	test -e $(ICC_PROFILE) || missing=1; \
	for t in pdftotext qpdf xmllint unzip ssconvert mandoc bash zsh valgrind clang chromium; do command -v $$t >/dev/null || missing=1; done; \
	command -v clang >/dev/null && { test -e "$$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$$(uname -m).a" || missing=1; }; \
	for l in $(TEST_LOCALES); do test -e /usr/share/i18n/locales/$$l || missing=1; done; \
	/usr/bin/python3 -c "import openpyxl, yaml, icalendar, jsonschema" 2>/dev/null || missing=1; \
	fonts=$$(fc-list 2>/dev/null); \
	echo "$$fonts" | grep -qi NotoColorEmoji && echo "$$fonts" | grep -qi DejaVuSerif-Italic || missing=1; \
	echo "$$fonts" | grep -qi NotoSansDevanagari && echo "$$fonts" | grep -qi NotoSansCJK || missing=1; \
	if [ $$missing = 1 ]; then \
		echo "deps: installing missing Debian packages (apt-get)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEB_PKGS) >/dev/null; \
	fi; \
	if ! command -v npm >/dev/null; then \
		echo "deps: installing Debian's nodejs and npm (apt-get)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; \
	fi; \
	if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then \
		echo "deps: installing the web tests' playwright-core and axe-core (npm ci)"; \
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error; \
	fi; \
	for l in $(TEST_LOCALES); do \
		locale -a 2>/dev/null | grep -qix "$$l.utf-\{0,1\}8" && continue; \
		echo "deps: generating the $$l.UTF-8 locale (localedef)"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO localedef -i $$l -f UTF-8 $$l.UTF-8 || exit 1; \
	done

run: deps
	$(MAKE) all
	$(DOSSIER) build

# Test suites: the unit tests, the golden files and each tests/e2e/NAME.sh
# (suite e2e-NAME) are independent targets, so `make -j` runs them side by
# side; each uses its own temporary folders.  tests/run.sh keeps a suite's
# output in $(RESULTS)/SUITE.log and prints it in one piece; tests/summary.sh
# prints "N passed, N failed, N skipped" per suite and in total.
# The longest suites come first, so they start first.
RESULTS   := $(BUILD)/test-results
E2E_FIRST := walk schema-edits atomic bad-input pdf web incremental final
E2E_NAMES := $(E2E_FIRST) $(filter-out $(E2E_FIRST),$(patsubst tests/e2e/%.sh,%,$(sort $(wildcard tests/e2e/*.sh))))
E2E       := $(addprefix e2e-,$(E2E_NAMES))
SUITES    := $(E2E) golden content unit
# make check's differential walk (suite e2e-walk): a fixed seed, so that
# make check is repeatable and CI never fails by chance; 200 edits, 40 under
# the sanitizers (each build is several times slower there).  The long
# random walk is `make fuzz-walk`.
CHECK_WALK_SEED  ?= 1
ifeq ($(SANITIZE),1)
CHECK_WALK_EDITS ?= 40
else
CHECK_WALK_EDITS ?= 200
endif
TEST_ENV   = RESULTS=$(RESULTS) DOSSIER=$(DOSSIER) DOSSIER_TEST=$(TEST_BIN) UNIT=$(BUILD)/unit-tests \
             WALK_SEED=$(CHECK_WALK_SEED) WALK_EDITS=$(CHECK_WALK_EDITS)

.PHONY: $(addprefix suite-,$(SUITES)) tests
suite-unit: $(BUILD)/unit-tests
$(addprefix suite-,golden content $(E2E)): $(DOSSIER) $(TEST_BIN)
$(addprefix suite-,$(SUITES)): suite-%:
	@$(TEST_ENV) sh tests/run.sh $*

unit: suite-unit
	@$(TEST_ENV) sh tests/summary.sh unit

golden: suite-golden
	@$(TEST_ENV) sh tests/summary.sh golden

golden-update: $(DOSSIER)
	DOSSIER=$(DOSSIER) sh tests/golden.sh --update

e2e: $(addprefix suite-,$(E2E))
	@$(TEST_ENV) sh tests/summary.sh $(E2E)

tests: $(addprefix suite-,$(SUITES))
	@$(TEST_ENV) sh tests/summary.sh $(SUITES)

check: deps
	$(MAKE) tests

# memcheck over a build of the example into a fresh temporary folder,
# removed afterwards whatever the outcome.
valgrind: dossier
	@t=$$(mktemp -d) && trap 'rm -rf "$$t"' EXIT && \
	echo "valgrind: ./dossier build --out $$t/out" && \
	G_SLICE=always-malloc G_DEBUG=gc-friendly DOSSIER_THREADS=2 \
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
		--suppressions=tests/valgrind.supp ./dossier build --out "$$t/out"

# The thread stress test (tests/unit/test_threads.c: 200 builds of a
# document mixing scripts, typeset on several threads at once) built with
# ThreadSanitizer into build/tsan/ and run alone; any report fails it.  It
# takes about 10 minutes of CPU (more on a busy machine: the test's time
# limit is raised to two hours).
# tests/tsan.supp says what ThreadSanitizer cannot see, and why.
tsan:
	$(MAKE) SANITIZE=thread tsan-run

tsan-run: $(BUILD)/unit-tests
	cd tests && CK_RUN_SUITE=threads CK_TIMEOUT_MULTIPLIER=4 ../$(BUILD)/unit-tests

# `make fuzz`: the libFuzzer targets built, and the differential walk at
# length.  The targets (fuzz/README.md): every src/*.c but main.c, built
# with clang and the sanitizers into an archive, linked into one binary per
# fuzz/fuzz_NAME.c.  `make fuzz-smoke` runs each for FUZZ_TIME seconds from
# fuzz/corpus/NAME/; new inputs go to build/fuzz/corpus/NAME/.
# `make fuzz-walk`: tests/walk.py with WALK_EDITS random edits and a random
# seed (make check's e2e-walk makes 200 with a fixed one), each followed by
# an incremental and a --force build compared byte for byte; WALK_SEED=N
# replays a run.
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 20
FUZZ_BUILD   := build/fuzz
FUZZ_NAMES   := $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = $(CSTD) -I$(BUILD)/gen $(WARN) -Wno-missing-field-initializers -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(LAZY_DEFS)
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ_BUILD)/%.o,$(filter-out src/cli/main.c,$(SRCS)))

fuzz: fuzz-targets fuzz-walk

fuzz-targets: $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))

WALK_EDITS ?= 5000
fuzz-walk: $(DOSSIER)
	DOSSIER_SRC=$(CURDIR) python3 tests/walk.py $(DOSSIER) --edits $(WALK_EDITS) $(if $(WALK_SEED),--seed $(WALK_SEED))

$(FUZZ_BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/typeset/pdf_finish.o: $(BUILD)/gen/srgb_icc.h

$(FUZZ_BUILD)/libdossier.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_BUILD)/libdossier.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libdossier.a $(LDLIBS_ALL)

fuzz-smoke: fuzz-targets
	@for t in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		dict=; [ -f fuzz/$$t.dict ] && dict=-dict=fuzz/$$t.dict; \
		echo "fuzz-smoke: $$t for $(FUZZ_TIME) s"; \
		G_SLICE=always-malloc G_DEBUG=gc-friendly \
		LSAN_OPTIONS=suppressions=fuzz/lsan.supp:print_suppressions=0 \
		$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_BUILD)/$$t- -print_final_stats=1 $$dict \
			$(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t \
			2> $(FUZZ_BUILD)/$$t.log || { tail -40 $(FUZZ_BUILD)/$$t.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_BUILD)/$$t.log; \
	done

# Every committed seed (fuzz/corpus/NAME/*, the regress-* findings among
# them) run once through its target, no fuzzing: what CI runs after the
# sanitizer pass, a few seconds once the targets are built.
fuzz-replay: fuzz-targets
	@for t in $(FUZZ_NAMES); do \
		G_SLICE=always-malloc G_DEBUG=gc-friendly \
		LSAN_OPTIONS=suppressions=fuzz/lsan.supp:print_suppressions=0 \
		$(FUZZ_BUILD)/fuzz_$$t -timeout=30 -rss_limit_mb=2048 fuzz/corpus/$$t/* \
			> $(FUZZ_BUILD)/$$t-replay.log 2>&1 || { tail -40 $(FUZZ_BUILD)/$$t-replay.log; echo "fuzz-replay: $$t FAILED"; exit 1; }; \
		echo "fuzz-replay: $$t: $$(ls fuzz/corpus/$$t | wc -l) seeds clean"; \
	done

-include $(wildcard $(FUZZ_BUILD)/*/*.d)

# Build times (full, no-change, one snapshot, one case study), then
# typesetting speed against the plain Pango+Cairo floor (bench/floor.c) and
# pandoc+weasyprint and Typst where installed (bench/README.md has the
# figures and the commands).
bench: dossier $(BUILD)/bench-floor
	DOSSIER=$(DOSSIER) bash bench/builds.sh
	DOSSIER=$(DOSSIER) FLOOR=$(BUILD)/bench-floor bash bench/run.sh

$(BUILD)/bench-floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O2 $(shell pkg-config --cflags pangocairo cairo-pdf) -o $@ $< $(shell pkg-config --libs pangocairo cairo-pdf)

# make install PREFIX=/usr DESTDIR=/tmp/stage: the binary, the manual, the
# bash and zsh completions, the default templates (with templates/skeleton/,
# what `dossier init` writes) and the example (`dossier init
# --example`) under DATADIR, the documentation (README.md and docs/) in
# DOCDIR; make uninstall removes exactly those, then the folders install
# made if they are empty.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/dossier
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
INSTALL_TEMPLATES = $(shell find templates -type f | LC_ALL=C sort)
INSTALL_EXAMPLE   = $(shell cd $(EXAMPLE) && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
INSTALL_DOCS      = $(shell cd docs && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
# The manual and the skeleton name the documentation's folder as it is for
# PREFIX=/usr/local; installed elsewhere, they name DOCDIR.
DOC_DEFAULT := /usr/local/share/doc/dossier

install: $(DOSSIER)
	install -D -m 755 $(DOSSIER) $(DESTDIR)$(BINDIR)/dossier
	install -d $(DESTDIR)$(MANDIR)/man1
	sed 's|$(DOC_DEFAULT)|$(DOCDIR)|g' dossier.1 > $(DESTDIR)$(MANDIR)/man1/dossier.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/dossier.1
	install -D -m 644 completions/dossier.bash $(DESTDIR)$(BASHCOMPDIR)/dossier
	install -D -m 644 completions/_dossier $(DESTDIR)$(ZSHCOMPDIR)/_dossier
	@for f in $(INSTALL_TEMPLATES); do install -D -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	@for f in $(DESTDIR)$(DATADIR)/templates/skeleton/*.yaml; do sed -i 's|$(DOC_DEFAULT)|$(DOCDIR)|g' $$f || exit 1; done
	@for f in $(INSTALL_DOCS); do install -D -m 644 docs/$$f $(DESTDIR)$(DOCDIR)/$$f || exit 1; done
	@sed 's|](docs/|](|g' README.md > $(DESTDIR)$(DOCDIR)/README.md && chmod 644 $(DESTDIR)$(DOCDIR)/README.md
	@for f in $(INSTALL_EXAMPLE); do \
		install -D -m 644 $(EXAMPLE)/$$f $(DESTDIR)$(DATADIR)/example/$$f || exit 1; done
	@echo "install: $(DESTDIR)$(BINDIR)/dossier, $(DESTDIR)$(DATADIR)/, $(DESTDIR)$(DOCDIR)/"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dossier $(DESTDIR)$(MANDIR)/man1/dossier.1 \
		$(DESTDIR)$(BASHCOMPDIR)/dossier $(DESTDIR)$(ZSHCOMPDIR)/_dossier
	@for f in $(INSTALL_TEMPLATES); do rm -f $(DESTDIR)$(DATADIR)/$$f; done
	@for f in $(INSTALL_EXAMPLE); do rm -f $(DESTDIR)$(DATADIR)/example/$$f; done
	@for f in $(INSTALL_DOCS) README.md; do rm -f $(DESTDIR)$(DOCDIR)/$$f; done
	@[ ! -d $(DESTDIR)$(DATADIR) ] || find $(DESTDIR)$(DATADIR) -depth -type d -empty -delete
	@[ ! -d $(DESTDIR)$(DOCDIR) ] || find $(DESTDIR)$(DOCDIR) -depth -type d -empty -delete
	@for d in $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(PREFIX)/share/bash-completion $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(PREFIX)/share/zsh \
		$(DESTDIR)$(PREFIX)/share/doc \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(PREFIX)/share; do \
		rmdir --ignore-fail-on-non-empty $$d 2>/dev/null || true; done

clean:
	rm -rf build dossier out

-include $(wildcard $(BUILD)/*/*.d)
