/* main.c - the unit-test runner: every suite of tests/unit/ (the Makefile
 * lists them in suites.h from the `Suite *suite_NAME(void)` definitions).
 * Run from tests/, so fixtures are found at relative paths.
 */
#include <check.h>
#include <stdlib.h>

#define X(name) Suite *name(void);
#include "suites.h"
#undef X

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
#define X(name) srunner_add_suite(sr, name());
#include "suites.h"
#undef X
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
