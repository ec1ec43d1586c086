/**
 * Headless chromium (playwright-core) for the browser tests, with every request to anything but
 * the gateway under test blocked and recorded — the dashboard must work with no network.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from './chromium.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const screens = `${root}test-results/screens`;

/** The same build `npm start` runs first (nothing when web/dist is newer than its sources). */
export async function buildDashboard(): Promise<void> {
  await promisify(execFile)(process.execPath, ['scripts/web-build.mjs', '--if-stale'], { cwd: root });
}

export interface GatewayBrowser {
  context: BrowserContext;
  /** URLs the route refused: anything not on the gateway's origin. */
  blocked: string[];
  open(path: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchAgainst(origin: string): Promise<GatewayBrowser> {
  await mkdir(screens, { recursive: true });
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith(`${origin}/`) || target.startsWith('data:')) return route.continue();
    blocked.push(target);
    return route.abort('internetdisconnected');
  });
  return {
    context,
    blocked,
    async open(path) {
      const page = await context.newPage();
      await page.goto(`${origin}${path}`);
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
    },
    close: () => browser.close(),
  };
}
