// tests/web/pages.js SITE SHOTS: every page of a built OUT/site/ in Debian's
// Chromium (/usr/bin/chromium, driven by playwright-core; no browser is
// downloaded), as tests/e2e/web.sh runs it.  For each page:
//   - a screenshot of the screen (1280 px wide, whole page) and of the page
//     as printed, into SHOTS (to look at: KEEP=1 make suite-e2e-web);
//   - no console error, no failed request, and no request to anything but
//     file:// (and data: URLs): every other request is blocked and counted;
//   - axe-core's checks (WCAG 2.x A and AA, and best practices): no
//     violation of "serious" or "critical" impact.
// Prints one "ok web: ..." or "FAIL web: ..." line per check; exits 1 on a failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const AXE = require.resolve('axe-core/axe.min.js');

const [site, shots] = process.argv.slice(2);
let fails = 0;
const ok = (m) => console.log('ok web: ' + m);
const bad = (m) => { fails++; console.log('FAIL web: ' + m); };

function pages(dir) {
	const out = [];
	for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) out.push(...pages(p));
		else if (e.name.endsWith('.html')) out.push(p);
	}
	return out;
}

// A request the pages may make: their own files and data: URLs.
const allowed = (url) => url.startsWith('file://') || url.startsWith('data:');

(async () => {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const outside = [];
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (allowed(url)) return route.continue();
		outside.push(url);
		return route.abort();
	});
	const all = pages(site);
	const problems = { console: [], failed: [], axe: [] };
	let checked = 0;
	for (const file of all) {
		const rel = path.relative(site, file);
		const page = await context.newPage();
		page.on('console', (m) => { if (m.type() === 'error') problems.console.push(rel + ': ' + m.text()); });
		page.on('pageerror', (e) => problems.console.push(rel + ': ' + e.message));
		page.on('requestfailed', (r) => problems.failed.push(rel + ': ' + r.url() + ' ' + (r.failure() || {}).errorText));
		const resp = await page.goto('file://' + file, { waitUntil: 'load' });
		if (!resp) problems.failed.push(rel + ': no response');
		const name = rel.replace(/[/\\]/g, '_').replace(/\.html$/, '');
		await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: path.join(shots, name + '.print.png'), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
		await page.addScriptTag({ path: AXE });
		const result = await page.evaluate(async () => {
			const r = await window.axe.run(document, {
				preload: false,	// its own fetch of the stylesheets fails on file://
				runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
			});
			return r.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length,
				target: v.nodes[0] && v.nodes[0].target.join(' ') }));
		});
		for (const v of result)
			if (v.impact === 'serious' || v.impact === 'critical')
				problems.axe.push(`${rel}: ${v.id} (${v.impact}, ${v.n}x, first ${v.target})`);
		checked++;
		await page.close();
	}
	await browser.close();
	if (checked === all.length && checked > 0) ok(`opened ${checked} pages, each with a screenshot of screen and print`);
	else bad(`opened ${checked} of ${all.length} pages`);
	problems.console.length ? bad('console errors: ' + problems.console.slice(0, 5).join('; '))
		: ok('no console error on any page');
	problems.failed.length ? bad('failed requests: ' + problems.failed.slice(0, 5).join('; '))
		: ok('no failed request');
	outside.length ? bad('requests outside file:// (blocked): ' + outside.slice(0, 5).join(' '))
		: ok('no request left file://');
	problems.axe.length ? bad('axe-core, serious or critical: ' + problems.axe.slice(0, 8).join('; '))
		: ok('axe-core: no serious or critical violation on any page');
	process.exit(fails ? 1 : 0);
})().catch((e) => { console.log('FAIL web: ' + (e && e.stack || e)); process.exit(1); });
