// One headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) shared by every browser test in the
// process, the web app built once (web/build.mjs skips the build when nothing changed), and axe-core injected from
// its npm package (nothing fetched). Closed by the root afterAll hook in setup.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'web');
const ROOT = path.resolve(__dirname, '..', '..');

let built = false;
/** Builds dist/web when its inputs changed; once per test process. */
export function ensureWebBuilt(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'web', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('web/build.mjs failed');
  built = true;
}

let shared: Promise<Browser> | undefined;

export async function sharedBrowser(): Promise<Browser> {
  shared ??= (async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk (.ci/run does)`);
    // Chromium's background connections are refused on a closed network; these flags keep it from trying.
    // playwright-core gives every launch a fresh, empty user-data-dir of its own (and deletes it on close).
    return chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    });
  })();
  return shared;
}

export async function closeSharedBrowser(): Promise<void> {
  if (!shared) return;
  const launched = shared;
  shared = undefined;
  const browser = await launched.catch(() => null);
  await browser?.close();
}

/** A fresh context (own cookies and storage): one person's browser. */
export async function newContext(options: { phone?: boolean; locale?: string; timezoneId?: string } = {}): Promise<BrowserContext> {
  const browser = await sharedBrowser();
  return browser.newContext({
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'Europe/London',
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const axeSource = () => fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** WCAG 2.1 A/AA violations axe rates serious or critical on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Strings, not functions: these run in the page, and the test program is compiled without the DOM's types.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ content: axeSource() });
  return page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  })()`);
}
