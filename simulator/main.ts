import { z } from 'zod';
import { createSimulator } from './app.ts';

/**
 * `npm run simulator` / the launcher's child process. Reads its settings from the environment,
 * refuses bad values with a clear message, and prints `Simulator listening on http://HOST:PORT`
 * once ready (the launcher waits for that line).
 */

// An empty variable counts as unset: launchers often pass `VAR=` through.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

const envSchema = z.object({
  SIMULATOR_PORT: optional(z.coerce.number().int().min(0).max(65_535).default(8090)),
  SIMULATOR_HOST: optional(z.string().min(1).default('127.0.0.1')),
  SIMULATOR_CLIENT_ID: optional(z.string().min(1).optional()),
  SIMULATOR_CLIENT_SECRET: optional(z.string().min(1).optional()),
  SIMULATOR_TIME_SCALE: optional(z.coerce.number().positive().max(1000).default(1)),
  SIMULATOR_SEED_HISTORY: optional(z.enum(['true', 'false']).default('true')),
  SIMULATOR_API_RATE_LIMIT: optional(z.coerce.number().positive().max(100_000).default(50)),
  SIMULATOR_LOG: optional(z.enum(['true', 'false']).default('false')),
  SIMULATOR_LARGE_FLEET_DRIVERS: optional(z.coerce.number().int().min(0).max(3000).default(0)),
});

const parsed = envSchema.safeParse(process.env);
if (!parsed.success) {
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  console.error(`Simulator: invalid environment:\n${problems}`);
  process.exit(1);
}
const env = parsed.data;

const simulator = await createSimulator({
  ...(env.SIMULATOR_CLIENT_ID !== undefined && { clientId: env.SIMULATOR_CLIENT_ID }),
  ...(env.SIMULATOR_CLIENT_SECRET !== undefined && { clientSecret: env.SIMULATOR_CLIENT_SECRET }),
  timeScale: env.SIMULATOR_TIME_SCALE,
  seedHistory: env.SIMULATOR_SEED_HISTORY === 'true',
  apiRateLimitPerSecond: env.SIMULATOR_API_RATE_LIMIT,
  logger: env.SIMULATOR_LOG === 'true',
  largeFleetDrivers: env.SIMULATOR_LARGE_FLEET_DRIVERS,
});

let url: string;
try {
  url = await simulator.listen(env.SIMULATOR_PORT, env.SIMULATOR_HOST);
} catch (error) {
  console.error(`Simulator: cannot listen on ${env.SIMULATOR_HOST}:${env.SIMULATOR_PORT}: ${error instanceof Error ? error.message : String(error)}`);
  await simulator.close();
  process.exit(1);
}
console.log(`Simulator listening on ${url}`);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`Simulator: ${signal} received, shutting down`);
  // A second signal, or a hang, must not leave the process running.
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Simulator: error while shutting down', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
