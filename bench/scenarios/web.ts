// Scenario 8: the web app in headless Chromium on the demo data: the time from navigation to an interactive
// instrument week view (the first free cell of the calendar is in the page, with its handlers), with an empty
// browser cache and with a warm one. Target: under 1 s with an empty cache.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DateTime } from 'luxon';
import { chromium, type Page } from 'playwright-core';
import type { BenchContext, ScenarioResult } from '../lib/context';
import { createPool, freshDatabase } from '../lib/db';
import { SERVER_ENTRY, startHttp } from '../lib/processes';
import { DIST, serviceEnv } from '../lib/settings';
import { median, round } from '../lib/stats';

const NAME = 'web-week-view';
const TITLE = 'web app: navigation to an interactive instrument week view in headless Chromium, demo data';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTRUMENT = 'Hitachi SU8230 FE-SEM';

// Runs in the page before its scripts: the instant the calendar's first free cell (a button React rendered with its
// handlers) appears, on the page's own clock, whose zero is the navigation's start.
const MARK_INTERACTIVE = `
  new MutationObserver((_, observer) => {
    if (document.querySelector('button.cell.free')) {
      window.__interactiveAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

function skipped(reason: string, quick: boolean): ScenarioResult {
  return { name: NAME, title: TITLE, finishedAt: new Date().toISOString(), quick, reps: 0, setup: {}, comparisons: [], figures: {}, targets: [], notes: [], skipped: reason };
}

function firstPageJsGzipBytes(): number {
  const dir = path.join(DIST, 'web');
  const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [...index.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(dir, file))).length, 0);
}

export async function webWeekView(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  if (!existsSync(CHROMIUM)) return skipped(`${CHROMIUM} is missing (apt-get install chromium)`, settings.quick);
  if (!existsSync(path.join(DIST, 'web', 'index.html'))) return skipped('dist/web is missing: run npm run build', settings.quick);
  // Its own database with the demo seeded by the server itself, as `npm start` does on an empty one.
  const databaseUrl = `${settings.databaseUrl}_web`;
  await freshDatabase(databaseUrl);
  // Demo sign-in is refused in production; the server differs from production only in that and in its CSP.
  const api = await startHttp({ name: 'api-web', entry: SERVER_ENTRY, env: serviceEnv(settings, { DATABASE_URL: databaseUrl, SEED_DEMO: 'true', NODE_ENV: 'development' }) });
  const pool = createPool(databaseUrl, 1);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const [rows] = await pool.query('SELECT id FROM instruments WHERE name = ?', [INSTRUMENT]);
    const instrumentId = (rows as { id: number }[])[0]?.id;
    if (!instrumentId) return skipped(`the demo has no "${INSTRUMENT}"`, settings.quick);
    const week = DateTime.now().setZone('Asia/Ho_Chi_Minh').startOf('week').plus({ weeks: 1 }).toISODate();
    const target = `${api.url}/instruments/${instrumentId}?week=${week}`;

    const signIn = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const first = await signIn.newPage();
    await first.goto(`${api.url}/auth/sign-in`);
    await first.getByRole('button', { name: /Nguyễn Thị Lan/ }).click();
    await first.waitForURL(`${api.url}/`);
    const session = await signIn.storageState();
    await signIn.close();

    const measure = async (page: Page) => {
      await page.goto(target, { waitUntil: 'commit' });
      await page.waitForFunction('window.__interactiveAt !== undefined', undefined, { timeout: 30_000 });
      return page.evaluate<number>('window.__interactiveAt');
    };
    // Empty cache: a new context each time (own cookies from the sign-in, no cached assets).
    const cold: number[] = [];
    const warm: number[] = [];
    const runs = Math.max(settings.reps, 3);
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState: session });
      await context.addInitScript(MARK_INTERACTIVE);
      const page = await context.newPage();
      const coldMs = await measure(page);
      const warmMs = await measure(page);
      await context.close();
      // The first round warms the server (JIT, MariaDB's buffers) and is not counted.
      if (i === 0) continue;
      cold.push(round(coldMs, 1));
      warm.push(round(warmMs, 1));
      ctx.log(`   run ${i}: empty cache ${coldMs.toFixed(0)} ms, warm cache ${warmMs.toFixed(0)} ms`);
    }
    const coldP50 = median(cold);
    const warmP50 = median(warm);
    const jsKb = round(firstPageJsGzipBytes() / 1024, 1);
    return {
      name: NAME,
      title: TITLE,
      finishedAt: new Date().toISOString(),
      quick: settings.quick,
      reps: runs,
      setup: { instrument: `${INSTRUMENT} (demo), next week`, viewport: '1280×900', browser: `Chromium ${browser.version()}`, 'first page JS': `${jsKb} KB gzipped` },
      comparisons: [],
      figures: { emptyCacheMs: cold, warmCacheMs: warm },
      targets: [
        { text: 'navigation → interactive week view, median with an empty cache, under 1 s', met: coldP50 < 1000, measured: `${round(coldP50, 0)} ms (warm cache ${round(warmP50, 0)} ms)` },
        { text: 'first page JavaScript at most 200 KB gzipped', met: jsKb <= 200, measured: `${jsKb} KB` },
      ],
      notes: [
        'Measured in the page: performance.now() when the first free calendar cell appears, from navigation start; the sign-in is done once beforehand and its cookie reused.',
        'Empty cache: a fresh browser context (HTML, scripts, catalog and GraphQL all fetched); warm cache: the same page navigated again (hashed assets from the cache, GraphQL fetched again).',
      ],
    };
  } finally {
    await browser.close();
    await pool.end();
    await api.stop();
  }
}
