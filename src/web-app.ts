// Serves the researchers' web app (built by `node web/build.mjs` into dist/web) at /, beside the API. Hashed assets
// are cached for a year; any other GET that asks for HTML and is not an API route gets index.html, so the app's
// own routes (/find, /instruments/12) survive a reload.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

/** Paths the app must never answer with index.html: the API, sign-in, admin and probes keep their own answers. */
const SERVER_ROUTES = /^\/(graphql|auth|admin|metrics|healthz|readyz)(\/|$)/;

/** dist/web from the compiled server (dist/src) and from the TypeScript sources (src/, tests and `npm run dev`). */
export function builtWebDir(): string {
  const root = path.basename(path.dirname(__dirname)) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');
  return path.join(root, 'dist', 'web');
}

/** Whether the web app has been built (it then owns /). */
export const webAppBuilt = (dir = builtWebDir()) => fs.existsSync(path.join(dir, 'index.html'));

export function mountWebApp(app: Express, dir = builtWebDir()): boolean {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    // `npm run dev` runs from the sources without building the app: say how to get it rather than a bare 404.
    app.get('/', (_req, res) => {
      res.status(404).type('text/plain').send('The web app is not built: run `npm run build` (or `npm run dev:web` for its dev server). GraphQL is at /graphql.\n');
    });
    return false;
  }
  app.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  app.get(/.*/, (req, res, next) => {
    if (SERVER_ROUTES.test(req.path) || !req.accepts('html')) return next();
    // index.html names the current hashed assets: never cached, so a new build is picked up at once.
    res.set('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
