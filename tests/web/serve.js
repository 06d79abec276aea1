// tests/web/serve.js URL PAGE EDIT BREAK: a page of `dossier serve` open in
// Debian's Chromium follows the edits (tests/e2e/serve.sh runs it): after
// the shell command EDIT (a new sentence in a case study) the open page
// shows the new sentence with no reload by hand; after BREAK (a broken
// YAML) it shows the located error.  Requests may only go to 127.0.0.1.
'use strict';
const { execSync } = require('child_process');
const { chromium } = require('playwright-core');
const [base, page_path, edit, brk, text, error] = process.argv.slice(2);
let fails = 0;
const ok = (m) => console.log('ok serve: ' + m);
const bad = (m) => { fails++; console.log('FAIL serve: ' + m); };
(async () => {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
	const context = await browser.newContext();
	const outside = [];
	await context.route('**/*', (route) => {
		const u = route.request().url();
		if (u.startsWith('http://127.0.0.1:') || u.startsWith('data:')) return route.continue();
		outside.push(u);
		return route.abort();
	});
	const page = await context.newPage();
	await page.goto(base + page_path);
	await page.waitForFunction(() => document.readyState === 'complete');
	await page.waitForTimeout(300);	// the event stream is open
	execSync(edit);
	try {
		await page.waitForFunction((t) => !!document.body && document.body.innerText.includes(t), text, { timeout: 30000 });
		ok('an edit of the case study reaches the open page, no reload by hand');
	} catch (e) { bad('the edit did not reach the page: ' + e.message.split('\n')[0]); }
	execSync(brk);
	try {
		await page.waitForFunction((t) => !!document.body && document.body.innerText.includes(t), error, { timeout: 30000 });
		ok('a broken YAML shows its located error in the page: ' + error);
	} catch (e) { bad('no located error in the page: ' + (await page.innerText('body').catch(() => '(no page)')).slice(0, 300)); }
	outside.length ? bad('requests off 127.0.0.1: ' + outside.join(' ')) : ok('no request left 127.0.0.1');
	await browser.close();
	process.exit(fails ? 1 : 0);
})().catch((e) => { console.log('FAIL serve: ' + (e && e.stack || e)); process.exit(1); });
