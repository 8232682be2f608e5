import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The kiosk app: one page the station agent serves at its kiosk URL. Asset
 * URLs are relative so the same build also works under a sub-path.
 */
export default defineConfig({
  root: here('./src/kiosk'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/kiosk'),
    emptyOutDir: true,
    // The kiosk PC runs a current Chromium; no legacy syntax is needed.
    target: 'chrome120',
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev -w @cubby/web`, with a station agent on its default port.
    proxy: { '/api': 'http://127.0.0.1:8181' },
  },
});
