import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: process.argv[4] ?? 'light' });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('response', (r) => { if (r.status() >= 400) console.log('status', r.status(), r.url()); });
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(process.argv[2]);
await page.waitForTimeout(3000);
if (process.argv[5]) { await page.evaluate(process.argv[5]); await page.waitForTimeout(2000); }
await page.screenshot({ path: '/tmp/dash/' + (process.argv[3] ?? 'shot') + '.png', fullPage: true });
await browser.close();
