// The built web app as the server serves it: index.html for the app's own routes, never for a server route; hashed
// assets cached for good; nothing loaded from another host; and the first page's JavaScript within budget.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { builtWebDir } from '../../src/web-app';
import { ensureWebBuilt, newContext } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

const FIRST_PAGE_JS_BUDGET = 200 * 1024;

describe('web app served by the API server', () => {
  let server: TestServer;
  const html = (url: string) => fetch(`${server.url}${url}`, { headers: { accept: 'text/html' }, redirect: 'manual' });

  before(async function () {
    this.timeout(120_000);
    ensureWebBuilt();
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('answers / and the app\'s own routes with index.html, uncached', async () => {
    for (const url of ['/', '/find?q=nmr', '/instruments/12', '/bookings']) {
      const response = await html(url);
      expect(response.status, url).to.equal(200);
      expect(response.headers.get('cache-control'), url).to.equal('no-cache');
      expect(await response.text(), url).to.contain('<div id="root"></div>');
    }
  });

  it('never answers a server route with the app', async () => {
    for (const url of ['/graphql', '/auth/sign-in', '/admin/queues', '/metrics', '/healthz', '/readyz', '/auth/no-such-page']) {
      const response = await html(url);
      expect(await response.text(), url).not.to.contain('<div id="root"></div>');
    }
    expect((await html('/healthz')).headers.get('content-type')).to.match(/json/);
  });

  it('serves hashed assets cached for a year, and a missing asset as 404 rather than the app', async () => {
    const index = fs.readFileSync(path.join(builtWebDir(), 'index.html'), 'utf8');
    const script = index.match(/<script type="module" crossorigin src="([^"]+)"/)![1];
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).to.equal(200);
    expect(asset.headers.get('content-type')).to.match(/javascript/);
    expect(asset.headers.get('cache-control')).to.contain('immutable');
    expect((await html('/assets/no-such-file.js')).status).to.equal(404);
  });

  it('loads nothing from another host: no remote scripts, styles or fonts', () => {
    const dir = builtWebDir();
    const index = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(index).not.to.match(/(src|href)="(https?:)?\/\//);
    for (const css of fs.readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.css'))) {
      expect(fs.readFileSync(path.join(dir, 'assets', css), 'utf8'), css).not.to.match(/url\(\s*['"]?(https?:)?\/\//);
    }
  });

  it('keeps the first page\'s JavaScript within 200 KB gzipped', () => {
    const dir = builtWebDir();
    const index = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    const files = [...index.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
    expect(files.length).to.be.greaterThan(0);
    const gzipped = files.reduce((sum, file) => sum + gzipSync(fs.readFileSync(path.join(dir, file))).length, 0);
    expect(gzipped, `${files.join(', ')}: ${gzipped} bytes gzipped`).to.be.at.most(FIRST_PAGE_JS_BUDGET);
  });

  it('runs under the production Content-Security-Policy (the app\'s own script sends a signed-out visitor to sign-in)', async function () {
    this.timeout(60_000);
    const production = await startTestServer({ cfg: { NODE_ENV: 'production' } });
    const context = await newContext();
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      const response = await page.goto(`${production.url}/`);
      expect(response?.headers()['content-security-policy']).to.contain("script-src 'self'");
      await page.waitForURL(/\/auth\/sign-in/);
      expect(refused).to.deep.equal([]);
    } finally {
      await context.close();
      await production.close();
    }
  });
});
