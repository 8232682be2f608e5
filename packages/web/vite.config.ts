import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The kiosk app: one page the station agent serves at its kiosk URL. Asset
 * URLs are relative so the same build also works under a sub-path.
 */
const kiosk: UserConfig = {
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
};

/**
 * The admin dashboard (`--mode dashboard`): its own entry and output, so none
 * of its code reaches the kiosk's bundle. The server serves it at /dashboard/.
 */
const dashboard: UserConfig = {
  root: here('./src/dashboard'),
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: here('./dist/dashboard'),
    emptyOutDir: true,
    // Staff laptops and tablets: current Chrome, Edge, Safari, Firefox.
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev -w @cubby/web -- --mode dashboard`, with `npm start` running the server.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
};

export default defineConfig(({ mode }) => (mode === 'dashboard' ? dashboard : kiosk));
