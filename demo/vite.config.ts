import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = new URL('.', import.meta.url).pathname;

/**
 * The demo pages. `npm start` passes the sync server's URL, the store id and a token per till in
 * POS_DEMO_CONFIG; without it (a plain `vite demo`) the tills work offline on their devices.
 */
export default defineConfig({
  root: here,
  define: {
    __POS_DEMO_CONFIG__: process.env.POS_DEMO_CONFIG ?? JSON.stringify({ server: '', storeId: 'demo-store', tokens: {} }),
  },
  server: { fs: { allow: [resolve(here, '..')] } },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(here, 'index.html'),
        sell: resolve(here, 'sell.html'),
        backOffice: resolve(here, 'back-office.html'),
        storeView: resolve(here, 'store-view.html'),
      },
    },
  },
});
