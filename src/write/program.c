/* write/program.c - the program every output is made by (see program.h).
 *
 * The libraries are those mapped when this is first asked for (before a
 * document opens librsvg or poppler-glib): each build of a process
 * (--watch) then looks at the same list, which is this file's one piece of
 * process-wide state, set once and never reset.
 */
#include <fontconfig/fontconfig.h>
#include <link.h>
#include <string.h>

#include "write/program.h"

static int
add_library(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (info->dlpi_name && info->dlpi_name[0] == '/')
		g_ptr_array_add(data, g_strdup(info->dlpi_name));
	return 0;
}

static gpointer
list_libraries(gpointer unused)
{
	(void)unused;
	GPtrArray *libs = g_ptr_array_new_with_free_func(g_free);
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_ptr_array_add(libs, exe ? exe : g_strdup("/proc/self/exe"));
	dl_iterate_phdr(add_library, libs);
	return libs;
}

/* fontconfig's configuration files, font folders and caches, and every
 * font file it lists. */
static void
add_fonts(record *r)
{
	FcConfig *config = FcConfigReference(NULL);
	FcStrList *lists[] = { FcConfigGetConfigFiles(config), FcConfigGetFontDirs(config),
			       FcConfigGetCacheDirs(config) };
	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
		FcChar8 *s;
		while (lists[i] && (s = FcStrListNext(lists[i])))
			record_lib(r, (const char *)s);
		if (lists[i])
			FcStrListDone(lists[i]);
	}
	FcPattern *pat = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FILE, NULL);
	FcFontSet *fs = FcFontList(config, pat, os);
	for (int i = 0; fs && i < fs->nfont; i++) {
		FcChar8 *file = NULL;
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) == FcResultMatch)
			record_lib(r, (const char *)file);
	}
	if (fs)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	FcConfigDestroy(config);
}

void
program_record(record *r)
{
	static GOnce once = G_ONCE_INIT;
	GPtrArray *libs = g_once(&once, list_libraries, NULL);
	for (guint i = 0; i < libs->len; i++)
		record_lib(r, libs->pdata[i]);
	/* Where fontconfig looks for its configuration (fonts-conf(5)). */
	static const char *const env[] = { "FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT",
					   "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
					   NULL };
	for (const char *const *e = env; *e; e++)
		record_env(r, *e);
	add_fonts(r);
}
