/* test_threads.c - builds of a document mixing scripts, typeset on several
 * threads at once as `dossier build` does (write/pdf.c): never a crash,
 * and the same bytes every time.
 *
 * tests/pdf/scripts.md sets Devanagari, Thai, Japanese, Latin and emoji
 * side by side, in paragraphs, tables, lists and footnotes: about twenty
 * font files, more than Cairo 1.16 keeps open at once (ten).  Cairo then
 * closes one thread's FreeType face while another uses it, and opens faces
 * on one FT_Library from two threads at once; builds of such a document
 * crashed in FreeType or failed Cairo's `index < array->num_elements'
 * assertion (issue 22).  The drawing lock (typeset/drawlock.c) gives Cairo
 * faces it never closes.
 *
 * Each round is one build: two documents laid out at once
 * (typeset_doc_new), then each drawn into its own PDF, both into a
 * combined dossier, and one more typeset from its Markdown
 * (typeset_markdown), all at once.  Every tenth build starts on new
 * threads (new Pango font maps, as a new process has); the others reuse
 * them (as `build --watch` does).  THREADS_ROUNDS rounds (default 200).
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "typeset/typeset.h"

#define N_DOCS 2
#define N_THREADS 2

static typeset_theme *theme;
static char *scripts;	/* tests/pdf/scripts.md */
static gsize scripts_len;

static void
setup(void)
{
	theme = typeset_theme_load(NULL);
	ck_assert(g_file_get_contents("pdf/scripts.md", &scripts, &scripts_len, NULL));
}

static void
teardown(void)
{
	g_free(scripts);
	typeset_theme_free(theme);
}

static const typeset_meta meta = { .footer = "Acme", .date = 1790812800, .mark = "DRAFT" };

/* One build's work. */
typedef struct {
	char *md[N_DOCS];
	typeset_doc *laid[N_DOCS];
	GBytes *pdf[N_DOCS + 2];	/* each document, the dossier, typeset_markdown's */
	int pages[N_DOCS + 2];
} build;

typedef struct {
	build *b;
	int job;
} task;

static void
lay_out(gpointer data, gpointer user)
{
	task *t = data;
	build *b = t->b;
	b->laid[t->job] = typeset_doc_new(theme, &meta, b->md[t->job], strlen(b->md[t->job]),
					  "scripts.md");
}

static void
draw(gpointer data, gpointer user)
{
	task *t = data;
	build *b = t->b;
	int j = t->job;

	if (j < N_DOCS) {
		b->pages[j] = typeset_doc_render(b->laid[j], &meta, "doc.pdf", &b->pdf[j]);
	} else if (j == N_DOCS) {
		typeset_part parts[N_DOCS];
		for (int k = 0; k < N_DOCS; k++)
			parts[k] = (typeset_part){ .folder = k < 2 ? "business" : "technical",
						   .md = b->md[k], .len = strlen(b->md[k]),
						   .md_file = "scripts.md", .doc = b->laid[k] };
		typeset_meta cover = meta;
		cover.title = "Scripts";
		b->pages[j] = typeset_dossier(theme, &cover, parts, N_DOCS, "dossier.pdf", &b->pdf[j]);
	} else {
		b->pages[j] = typeset_markdown(theme, &meta, b->md[0], strlen(b->md[0]),
					       "scripts.md", "alone.pdf", &b->pdf[j]);
	}
}

/* A crew of N_THREADS threads that runs one function on a list of tasks,
 * each thread taking the next task until none is left.  Threads and
 * barriers of pthreads, not a GThreadPool: the pool hands work over with
 * GLib's own futexes, which ThreadSanitizer cannot see (make tsan). */
typedef struct {
	pthread_t threads[N_THREADS];
	pthread_barrier_t start, done;
	GFunc fn;		/* NULL: the threads end */
	task *tasks;
	int n;
	gint next;		/* atomic */
} crew;

static void *
crew_run(void *data)
{
	crew *c = data;
	for (;;) {
		pthread_barrier_wait(&c->start);
		if (!c->fn)
			return NULL;
		int i;
		while ((i = g_atomic_int_add(&c->next, 1)) < c->n)
			c->fn(&c->tasks[i], NULL);
		pthread_barrier_wait(&c->done);
	}
}

static void
crew_start(crew *c)
{
	pthread_barrier_init(&c->start, NULL, N_THREADS + 1);
	pthread_barrier_init(&c->done, NULL, N_THREADS + 1);
	for (int i = 0; i < N_THREADS; i++)
		ck_assert_int_eq(pthread_create(&c->threads[i], NULL, crew_run, c), 0);
}

static void
crew_do(crew *c, GFunc fn, task *tasks, int n)
{
	c->fn = fn;
	c->tasks = tasks;
	c->n = n;
	c->next = 0;
	pthread_barrier_wait(&c->start);
	pthread_barrier_wait(&c->done);
}

static void
crew_end(crew *c)
{
	c->fn = NULL;
	pthread_barrier_wait(&c->start);
	for (int i = 0; i < N_THREADS; i++)
		pthread_join(c->threads[i], NULL);
	pthread_barrier_destroy(&c->start);
	pthread_barrier_destroy(&c->done);
}

static void
build_once(crew *c, build *b)
{
	task tasks[N_DOCS + 2];

	for (int i = 0; i < N_DOCS; i++)
		b->md[i] = g_strdup_printf("# Part %d\n\n%s", i + 1, scripts);
	for (int i = 0; i < N_DOCS + 2; i++)
		tasks[i] = (task){ b, i };
	crew_do(c, lay_out, tasks, N_DOCS);
	for (int i = 0; i < N_DOCS; i++)
		ck_assert_msg(b->laid[i], "document %d was not laid out", i);
	crew_do(c, draw, tasks, N_DOCS + 2);
	for (int i = 0; i < N_DOCS; i++) {
		typeset_doc_free(b->laid[i]);
		g_free(b->md[i]);
	}
}

static void
build_clear(build *b)
{
	for (int i = 0; i < N_DOCS + 2; i++)
		if (b->pdf[i])
			g_bytes_unref(b->pdf[i]);
	memset(b, 0, sizeof *b);
}

/* Whether a PDF names `font`: its font dictionaries are in compressed
 * object streams (pdf_finish.c), so every stream is inflated and read. */
static gboolean
names_font(const char *p, gsize n, const char *font)
{
	const char *end = p + n, *s = p;
	gboolean found = FALSE;

	while (!found && (s = memmem(s, (size_t)(end - s), "stream\n", 7))) {
		s += 7;
		z_stream z = { .next_in = (Bytef *)s, .avail_in = (uInt)(end - s) };
		guchar out[1 << 16];
		if (inflateInit(&z) != Z_OK)
			continue;
		GByteArray *a = g_byte_array_new();
		int rc;
		do {
			z.next_out = out;
			z.avail_out = sizeof out;
			rc = inflate(&z, Z_NO_FLUSH);
			g_byte_array_append(a, out, (guint)(sizeof out - z.avail_out));
		} while (rc == Z_OK);
		inflateEnd(&z);
		found = a->len && memmem(a->data, a->len, font, strlen(font)) != NULL;
		g_byte_array_unref(a);
	}
	return found;
}

START_TEST(mixed_scripts_built_on_threads_every_time_alike)
{
	const char *env = g_getenv("THREADS_ROUNDS");
	int rounds = env ? atoi(env) : 200;
	build first = { 0 };
	crew c;

	crew_start(&c);
	build_once(&c, &first);
	for (int i = 0; i < N_DOCS + 2; i++) {
		ck_assert_msg(first.pdf[i] && first.pages[i] > 0, "PDF %d of the first build failed", i);
		/* The scripts are typeset in their fonts, not as hex boxes. */
		gsize n;
		const char *p = g_bytes_get_data(first.pdf[i], &n);
		ck_assert_msg(names_font(p, n, "NotoSansDevanagari") && names_font(p, n, "NotoSansThai") &&
			      names_font(p, n, "CJKjp"), "PDF %d lacks a Devanagari, Thai or CJK font", i);
	}
	ck_assert_int_eq(first.pages[0], first.pages[N_DOCS + 1]);
	ck_assert(g_bytes_equal(first.pdf[0], first.pdf[N_DOCS + 1]));
	for (int r = 1; r < rounds; r++) {
		/* Every tenth build on new threads, with new font maps, as in a
		 * new process; the others on the same ones, as in --watch. */
		if (r % 10 == 0) {
			crew_end(&c);
			crew_start(&c);
		}
		build b = { 0 };
		build_once(&c, &b);
		for (int i = 0; i < N_DOCS + 2; i++) {
			ck_assert_msg(b.pdf[i], "round %d: PDF %d failed", r, i);
			ck_assert_msg(g_bytes_equal(b.pdf[i], first.pdf[i]),
				      "round %d: PDF %d differs from the first round's", r, i);
		}
		build_clear(&b);
	}
	crew_end(&c);
	build_clear(&first);
}
END_TEST

Suite *
suite_threads(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("mixed scripts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mixed_scripts_built_on_threads_every_time_alike);
	tcase_set_timeout(tc, 1800);
	suite_add_tcase(s, tc);
	return s;
}
