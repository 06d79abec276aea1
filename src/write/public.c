/* write/public.c - the web edition's public pages: OUT/site/public/, only
 * the pages package.yaml's `public:` names (by default the privacy policy,
 * the terms of service, the messaging guidelines and a security page), and
 * .well-known/security.txt (RFC 9116), ready to upload to any static host
 * (package stage; see write.h).
 *
 * The pages were rendered against the content's facts alone
 * (package_render_public), with the public layout: no data date, no
 * metric, no case study, and no draft mark.  Each is self-contained: the
 * stylesheet inline, no script, no font or file from elsewhere; a link to
 * another public page goes to it, a link to anything else of the package
 * keeps its words and loses the link.  security.txt is written when
 * company.yaml gives security.disclosure (a Contact is required); Expires
 * is the data's date (build.date) plus public.security_txt.expires_days,
 * never the clock.
 */
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileop.h"
#include "write/html.h"
#include "write/site.h"
#include "write/write.h"

#define PUBLIC_DIR	"public"
#define SECURITY_TXT	".well-known/security.txt"

/* "privacy-policy.md" -> "privacy-policy.html" */
static char *
public_page(const package_doc *d)
{
	return site_page_path(d->path);
}

/* A link in a public page: to another public page, or nothing. */
static char *
link_public(void *ud, const char *target)
{
	GPtrArray *pub = ud;
	for (guint i = 0; i < pub->len; i++) {
		const package_doc *d = pub->pdata[i];
		if (!g_strcmp0(d->origin, target) || !strcmp(d->path, target))
			return public_page(d);
	}
	return NULL;
}

static html_nav *
public_nav(GPtrArray *pub, guint current)
{
	html_nav *nav = g_new0(html_nav, pub->len);
	for (guint i = 0; i < pub->len; i++) {
		const package_doc *d = pub->pdata[i];
		nav[i].title = d->title;
		nav[i].href = public_page(d);
		nav[i].current = i == current;
	}
	return nav;
}

static bool
write_public_page(const WriteCtx *ctx, guint i, const char *css)
{
	GPtrArray *pub = ctx->pl->public_docs;
	const package_doc *d = pub->pdata[i];
	g_autofree char *page = public_page(d);
	g_autofree char *shown = g_build_filename(ctx->stage, SITE_DIR, PUBLIC_DIR, d->path, NULL);
	html_source src = {
		.doc_path = d->origin ? d->origin : d->path, .shown = shown, .pkg_dir = ctx->pkg,
		.link = link_public, .link_ud = pub,
	};
	g_autofree char *body = html_body(&src, d->markdown);
	if (!body)
		return false;
	const val *company = val_path(ctx->pl->root, "company.name");
	html_nav *nav = public_nav(pub, i);
	html_page pg = {
		.lang = site_lang(ctx), .title = d->title, .site = company ? company->str : NULL,
		.css = css, .nav = nav, .n_nav = pub->len,
	};
	g_autofree char *html = html_page_render(&pg, body);
	for (guint k = 0; k < pub->len; k++)
		g_free(nav[k].href);
	g_free(nav);
	g_autofree char *path = g_build_filename(ctx->stage, SITE_DIR, PUBLIC_DIR, page, NULL);
	return fileop_write(path, html, strlen(html));
}

/* ---- security.txt --------------------------------------------------------- */

/* build.date ("2026-10-31") plus `days`, as RFC 9116 writes a date. */
static char *
expires(const val *root, int days)
{
	const val *d = val_path(root, "build.date");
	int y, m, dd;
	if (!d || d->kind != VAL_STRING || sscanf(d->str, "%d-%d-%d", &y, &m, &dd) != 3 ||
	    !g_date_valid_dmy((GDateDay)dd, (GDateMonth)m, (GDateYear)y))
		return NULL;
	GDate *g = g_date_new_dmy((GDateDay)dd, (GDateMonth)m, (GDateYear)y);
	g_date_add_days(g, (guint)days);
	char *s = g_strdup_printf("%04d-%02d-%02dT23:59:59Z", g_date_get_year(g), g_date_get_month(g),
				  g_date_get_day(g));
	g_date_free(g);
	return s;
}

static const char *
str_of(const val *map, const char *key)
{
	const val *v = val_get(map, key);
	return v && v->kind == VAL_STRING && *v->str ? v->str : NULL;
}

/* The file's lines, or NULL when the content gives no way to report. */
static char *
security_txt(const WriteCtx *ctx)
{
	const val *root = ctx->pl->root;
	const val *disc = val_path(root, "security.disclosure");
	const val *conf = val_path(package_desc(ctx->pl->pkg), "public.security_txt");
	const char *email = str_of(disc, "email"), *url = str_of(disc, "url");
	if (!disc || !conf || (!email && !url))
		return NULL;
	g_autofree char *exp = expires(root, (int)val_num(conf, "expires_days"));
	if (!exp)
		return NULL;
	GString *s = g_string_new(NULL);
	if (email)
		g_string_append_printf(s, "Contact: mailto:%s\n", email);
	if (url)
		g_string_append_printf(s, "Contact: %s\n", url);
	g_string_append_printf(s, "Expires: %s\n", exp);
	const val *langs = val_get(disc, "languages");
	for (guint i = 0; i < val_len(langs); i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "Preferred-Languages: ", val_index(langs, i)->str);
	if (val_len(langs))
		g_string_append_c(s, '\n');
	if (str_of(disc, "canonical"))
		g_string_append_printf(s, "Canonical: %s\n", str_of(disc, "canonical"));
	if (str_of(disc, "policy"))
		g_string_append_printf(s, "Policy: %s\n", str_of(disc, "policy"));
	return g_string_free(s, FALSE);
}

/* ---- the output -------------------------------------------------------------- */

void
site_index_public(const WriteCtx *ctx, GString *s)
{
	GPtrArray *pub = ctx->pl->public_docs;
	if (!pub || !pub->len)
		return;
	g_string_append(s, "<h2>Public pages</h2>\n<p>For the company's website, from "
		       PUBLIC_DIR "/ (no metric, case study or draft mark):</p>\n<ul class=\"documents\">\n");
	for (guint i = 0; i < pub->len; i++) {
		const package_doc *d = pub->pdata[i];
		g_autofree char *page = public_page(d);
		g_string_append(s, "<li><a href=\"" PUBLIC_DIR "/");
		html_escape(s, page);
		g_string_append(s, "\">");
		html_escape(s, d->title);
		g_string_append(s, "</a></li>\n");
	}
	g_string_append(s, "</ul>\n");
}

bool
public_write(const WriteCtx *ctx)
{
	GPtrArray *pub = ctx->pl->public_docs;
	if (!pub || !pub->len)
		return true;
	g_autofree char *css = site_stylesheet(ctx);
	if (!css)
		return false;
	for (guint i = 0; i < pub->len; i++)
		if (!write_public_page(ctx, i, css))
			return false;
	g_autofree char *txt = security_txt(ctx);
	if (!txt)
		return true;
	g_autofree char *path = g_build_filename(ctx->stage, SITE_DIR, PUBLIC_DIR, SECURITY_TXT, NULL);
	return fileop_write(path, txt, strlen(txt));
}
