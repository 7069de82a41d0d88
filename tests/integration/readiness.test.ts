import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { readinessSchema } from '../../contracts/health-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole } from '../support/console-server.ts';
import { startDelayingProxy } from '../support/delaying-proxy.ts';
import { createTestDatabase } from '../support/postgres-server.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { postgresTestUrl } from '../support/test-databases.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

const readiness = async (url: string) => {
  const response = await fetch(`${url}/api/health/ready`);
  return { status: response.status, body: readinessSchema.parse(await response.json()) };
};

describe('GET /api/health/ready, for load balancers', () => {
  it('answers 200 without a session while the server can reach its store', async () => {
    const consoleServer = await startConsole({ catenaUrl: sim.url });
    try {
      expect(await readiness(consoleServer.url)).toEqual({ status: 200, body: { ok: true, reason: null } });
    } finally {
      await consoleServer.close();
    }
  });

  it('answers 503 "store_unreachable" when its PostgreSQL is gone, while the process itself still answers', async () => {
    const database = await createTestDatabase(postgresTestUrl());
    const consoleServer = await startConsole({ catenaUrl: sim.url, databaseUrl: database.url });
    try {
      expect((await readiness(consoleServer.url)).status).toBe(200);
      await database.drop();
      expect(await readiness(consoleServer.url)).toEqual({ status: 503, body: { ok: false, reason: 'store_unreachable' } });
      expect((await fetch(`${consoleServer.url}/api/health/live`)).status).toBe(200);
    } finally {
      await consoleServer.close().catch(() => undefined);
    }
  });

  it('answers 503 "stopping" from the moment the server is asked to stop, while it finishes the send on its way', async () => {
    const proxy = await startDelayingProxy(sim.url);
    const consoleServer = await startConsole({ catenaUrl: proxy.url, dispatch: true });
    try {
      const { items } = connectionListSchema.parse((await json(consoleServer, '/api/connections')).body);
      const connection = items.find((c) => c.name === 'Northwind Freight');
      const users = directoryUserListSchema.parse((await json(consoleServer, `/api/users?connection_id=${connection?.id}`)).body).items;
      const dispatcher = users.find((u) => u.role === 'dispatcher');
      // The broadcast's first message is held on its way to Catena: stopping waits for it.
      proxy.hold(3_000);
      const created = await post(consoleServer, '/api/broadcasts', {
        connection_id: connection?.id,
        sender_id: dispatcher?.id,
        all_drivers: true,
        message_text: 'Drain me',
      });
      expect(created.status).toBe(202);
      await eventually(async () => {
        if (proxy.heldCount() === 0) throw new Error('nothing on its way yet');
      });
      const stopped = consoleServer.close();
      expect(await readiness(consoleServer.url)).toEqual({ status: 503, body: { ok: false, reason: 'stopping' } });
      await stopped;
    } finally {
      await consoleServer.close().catch(() => undefined);
      await proxy.close();
    }
  });

  it('with SHUTDOWN_DRAIN_SECONDS, goes on answering requests while it says "stopping", so a balancer takes it out first', async () => {
    const consoleServer = await startConsole({ catenaUrl: sim.url, shutdownDrainMs: 1_500 });
    try {
      const stopped = consoleServer.close();
      expect(await readiness(consoleServer.url)).toEqual({ status: 503, body: { ok: false, reason: 'stopping' } });
      // Still serving people meanwhile.
      expect((await consoleServer.fetch('/api/session')).status).toBe(200);
      await stopped;
      await expect(fetch(`${consoleServer.url}/api/health/ready`)).rejects.toThrow('fetch failed');
    } finally {
      await consoleServer.close().catch(() => undefined);
    }
  });
});
