import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm run server` listens; the dev server forwards API calls and webhooks to it. */
const CONSOLE_SERVER = process.env.CONSOLE_SERVER_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react(), tailwindcss()],
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
});
