import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [react()],
        test: {
          name: 'spa',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/test/setup.ts'],
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['server/**/*.test.ts', 'simulator/**/*.test.ts', 'contracts/**/*.test.ts', 'tests/**/*.test.ts'],
          // One PostgreSQL server per run for the store tests: TEST_DATABASE_URL, else a throwaway one.
          globalSetup: ['tests/support/postgres-global-setup.ts'],
          // Server and simulator tests listen on loopback ports and wait on background work.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
