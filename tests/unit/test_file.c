/* test_file.c - file_read(): only regular files, bounded before reading;
 * file_sha256(): each file read once per build, by identity; and the capture of messages (diag) not hiding later ones. */
#include <check.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/file.h"

START_TEST(reads_regular_files_up_to_the_limit)
{
	g_autofree char *dir = g_dir_make_tmp("dossier-file-XXXXXX", NULL);
	g_autofree char *f = g_build_filename(dir, "x", NULL);
	ck_assert(g_file_set_contents(f, "12345", 5, NULL));
	char *text, *why;
	size_t len;
	ck_assert(file_read(f, 5, &text, &len, &why));
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(text, "12345");
	g_free(text);
	ck_assert(!file_read(f, 4, &text, &len, &why));
	ck_assert_ptr_null(text);
	ck_assert_str_eq(why, "file is larger than the limit of 4 bytes");
	g_free(why);

	ck_assert(!file_read(dir, 100, &text, &len, &why));
	ck_assert_str_eq(why, "cannot read: a folder, not a regular file");
	g_free(why);
	g_autofree char *fifo = g_build_filename(dir, "fifo", NULL);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert(!file_read(fifo, 100, &text, &len, &why));	/* returns at once */
	ck_assert_str_eq(why, "cannot read: a FIFO, not a regular file");
	g_free(why);
	ck_assert(!file_read("/dev/zero", 100, &text, &len, &why));
	ck_assert_str_eq(why, "cannot read: a character device, not a regular file");
	g_free(why);
	g_autofree char *none = g_build_filename(dir, "none", NULL);
	ck_assert(!file_read(none, 100, &text, &len, &why));
	ck_assert_str_eq(why, "cannot read: No such file or directory");
	g_free(why);
	g_unlink(fifo);
	g_unlink(f);
	g_rmdir(dir);
}
END_TEST

START_TEST(size_text)
{
	g_autofree char *a = file_size_text(16u << 20), *b = file_size_text(2048), *c = file_size_text(100);
	ck_assert_str_eq(a, "16 MiB");
	ck_assert_str_eq(b, "2 KiB");
	ck_assert_str_eq(c, "100 bytes");
}
END_TEST

/* A message captured (and thrown away) by one part of a build must still
 * be printed when another part reports the same problem: a FIFO theme was
 * read by the charts under capture, and the typesetter's message was then
 * dropped as "already said" -- exit 2 without a word. */
START_TEST(capture_does_not_hide_later_messages)
{
	diag_reset();
	diag_capture_begin();
	diag(DIAG_ERROR, "theme.yaml", 0, 0, "bad");
	g_autofree char *inner = diag_capture_end();
	ck_assert_str_eq(inner, "theme.yaml: error: bad\n");
	/* Now to stderr, redirected to a file. */
	g_autofree char *dir = g_dir_make_tmp("dossier-diag-XXXXXX", NULL);
	g_autofree char *log = g_build_filename(dir, "stderr", NULL);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	diag(DIAG_ERROR, "theme.yaml", 0, 0, "bad");
	diag(DIAG_ERROR, "theme.yaml", 0, 0, "bad");	/* repeated: said once */
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	g_autofree char *printed = NULL;
	ck_assert(g_file_get_contents(log, &printed, NULL, NULL));
	ck_assert_str_eq(printed, "theme.yaml: error: bad\n");
	ck_assert_uint_eq(diag_errors(), 3);
	g_unlink(log);
	g_rmdir(dir);
	diag_reset();
}
END_TEST

/* The messages that are not about a file go through diag too (issue 20,
 * item 6): an error of usage is counted and printed as the commands always
 * printed it; what --verbose says is printed as given, every time, never
 * counted, and captured on a thread that captures. */
START_TEST(usage_and_said_lines_go_through_diag)
{
	diag_reset();
	diag_capture_begin();
	diag_say("dossier: unchanged a.pdf (1 page)");
	g_autofree char *inner = diag_capture_end();
	ck_assert_str_eq(inner, "dossier: unchanged a.pdf (1 page)\n");
	ck_assert_int_eq(diag_worst(), -1);
	g_autofree char *dir = g_dir_make_tmp("dossier-diag-XXXXXX", NULL);
	g_autofree char *log = g_build_filename(dir, "stderr", NULL);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	diag_tee_begin();
	diag_say("dossier: building: %s", "--force");
	diag_say("dossier: building: %s", "--force");	/* said again: printed again */
	ck_assert_int_eq(diag_exit_status(), EXIT_OK);
	diag_usage("pdf", TRUE, "no input file");
	diag_usage(NULL, FALSE, "--color must be auto, always or never, got '%s'", "x");
	g_autofree char *teed = diag_tee_end();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	const char *want = "dossier: building: --force\n"
			   "dossier: building: --force\n"
			   "dossier pdf: no input file\n"
			   "Try 'dossier pdf --help'.\n"
			   "dossier: --color must be auto, always or never, got 'x'\n";
	g_autofree char *printed = NULL;
	ck_assert(g_file_get_contents(log, &printed, NULL, NULL));
	ck_assert_str_eq(printed, want);
	ck_assert_str_eq(teed, want);
	ck_assert_uint_eq(diag_errors(), 2);
	ck_assert_int_eq(diag_exit_status(), EXIT_BAD);
	g_unlink(log);
	g_rmdir(dir);
	diag_reset();
}
END_TEST

/* The SHA-256 of the bytes (sha256sum's), remembered while the file keeps
 * its identity; a rewrite (new mtime), a replacement (new inode) or
 * forgetting reads it again; what is not a regular file is refused at once. */
START_TEST(sha256_of_files_read_once)
{
	g_autofree char *dir = g_dir_make_tmp("dossier-file-XXXXXX", NULL);
	g_autofree char *f = g_build_filename(dir, "x", NULL);
	ck_assert(g_file_set_contents(f, "abc", 3, NULL));
	char *why;
	guint64 size = 0;
	char *sha = file_sha256(f, &size, &why);
	ck_assert_str_eq(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_uint_eq(size, 3);
	g_free(sha);

	/* Same size, same mtime, same inode: taken as the same bytes (this is
	 * what saves reading a PDF again) ... */
	struct stat st;
	ck_assert_int_eq(stat(f, &st), 0);
	int fd = open(f, O_WRONLY);
	ck_assert_int_eq(pwrite(fd, "xyz", 3, 0), 3);
	struct timespec keep[2] = { st.st_atim, st.st_mtim };
	ck_assert_int_eq(futimens(fd, keep), 0);
	close(fd);
	sha = file_sha256(f, NULL, &why);
	ck_assert_str_eq(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	g_free(sha);
	/* ... until the build forgets. */
	file_sha256_forget();
	sha = file_sha256(f, NULL, &why);
	ck_assert_str_eq(sha, "3608bca1e44ea6c4d268eb6db02260269892c0b42b86bbf1e77a6fa16c3c9282");
	g_free(sha);

	/* A new mtime or a new inode: read again. */
	struct timespec later[2] = { st.st_atim, { st.st_mtim.tv_sec + 1, st.st_mtim.tv_nsec } };
	ck_assert(g_file_set_contents(f, "abc", 3, NULL));	/* a new file renamed over it */
	sha = file_sha256(f, NULL, &why);
	ck_assert_str_eq(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	g_free(sha);
	fd = open(f, O_WRONLY);
	ck_assert_int_eq(pwrite(fd, "xyz", 3, 0), 3);
	ck_assert_int_eq(futimens(fd, later), 0);
	close(fd);
	sha = file_sha256(f, &size, &why);
	ck_assert_str_eq(sha, "3608bca1e44ea6c4d268eb6db02260269892c0b42b86bbf1e77a6fa16c3c9282");
	g_free(sha);

	g_autofree char *fifo = g_build_filename(dir, "fifo", NULL);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_ptr_null(file_sha256(fifo, NULL, &why));	/* returns at once */
	ck_assert_str_eq(why, "cannot read: a FIFO, not a regular file");
	g_free(why);
	g_autofree char *none = g_build_filename(dir, "none", NULL);
	ck_assert_ptr_null(file_sha256(none, NULL, &why));
	ck_assert_str_eq(why, "cannot read: No such file or directory");
	g_free(why);
	file_sha256_forget();
	g_unlink(fifo);
	g_unlink(f);
	g_rmdir(dir);
}
END_TEST

Suite *
suite_file(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("file");
	tcase_add_test(tc, reads_regular_files_up_to_the_limit);
	tcase_add_test(tc, size_text);
	tcase_add_test(tc, sha256_of_files_read_once);
	tcase_add_test(tc, capture_does_not_hide_later_messages);
	tcase_add_test(tc, usage_and_said_lines_go_through_diag);
	suite_add_tcase(s, tc);
	return s;
}
