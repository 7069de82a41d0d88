import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';

/** Where `npm run server` listens; the dev server forwards API calls and webhooks to it. */
const CONSOLE_SERVER = process.env.CONSOLE_SERVER_URL ?? 'http://localhost:8080';
const MSW_WORKER = 'mockServiceWorker.js';

/**
 * public/ holds MSW's service worker for the browser-only demo. A normal build must ship no
 * MSW code, so it is removed from the output unless VITE_MSW=true.
 */
function dropMockWorker(keep: boolean): Plugin {
  let outDir = 'dist';
  return {
    name: 'fleet-ops:drop-mock-worker',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    async closeBundle() {
      if (!keep) await rm(join(outDir, MSW_WORKER), { force: true });
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const demo = (process.env.VITE_MSW ?? env.VITE_MSW) === 'true';
  return {
    plugins: [react(), tailwindcss(), dropMockWorker(demo)],
    server: {
      proxy: {
        '/api': { target: CONSOLE_SERVER, changeOrigin: true },
        '/webhooks': { target: CONSOLE_SERVER, changeOrigin: true },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // Source maps would hand anyone the unminified sources; the server also refuses *.map (404).
      sourcemap: false,
    },
  };
});
