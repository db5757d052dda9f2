// Vite builds web/ into dist/web, which the API server serves at /. `npm run dev:web` proxies the API to it.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.LABSHARE_API ?? 'http://localhost:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // No CDN, no inlined remote assets: everything the app needs is in dist/web.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(
      ['/graphql', '/auth'].map((path) => [
        path,
        // The API accepts the session cookie only from its own origin; through the proxy the page is on the dev
        // server's origin, so the proxy presents the API's own.
        { target: api, changeOrigin: true, headers: { origin: api } },
      ]),
    ),
  },
});
