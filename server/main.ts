import { buildServer } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

/** Starts the console server from the environment; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const server = await buildServer(config);
  await server.start();
  server.app.log.info(
    { catena: config.catenaApiUrl, webhooks: `${config.publicUrl}/webhooks/catena`, store: describeStore(config), server_id: server.serverId },
    'console server started',
  );
  console.log(`Fleet Ops Console is running at ${config.publicUrl}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownDrainMs + 10_000);
    force.unref();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Where the store is, without the credentials a DATABASE_URL carries. */
function describeStore(config: { databaseUrl: string | null; dataDir: string }): string {
  if (!config.databaseUrl) return `SQLite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

await main();
