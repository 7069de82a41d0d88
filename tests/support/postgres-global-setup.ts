/**
 * Vitest global setup for the `node` project: one PostgreSQL server per run, its URL provided to
 * every test as inject('postgresUrl') (read it through tests/support/test-databases.ts).
 * TEST_DATABASE_URL, when set, is used as it is; otherwise a throwaway server is started
 * (tests/support/postgres-server.ts) and stopped in the teardown.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres, type TestPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL whose role may create databases; tests make their own with freshPostgresDatabase(). */
    postgresUrl: string;
  }
}

let server: TestPostgres | undefined;

export async function setup(project: TestProject): Promise<void> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) {
    project.provide('postgresUrl', fromEnv);
    return;
  }
  server = await startTestPostgres();
  project.provide('postgresUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}
