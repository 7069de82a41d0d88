import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../contracts/health-schemas.ts';
import { NOT_ANSWERING_AFTER_MS } from '../../server/catena/catena-client.ts';
import { PROBE_WHEN_QUIET_MS } from '../../server/health/upstream-probe.ts';
import { json } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { startDelayingProxy } from '../support/delaying-proxy.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';

let sim: RunningSimulator;
let proxy: Awaited<ReturnType<typeof startDelayingProxy>>;
let consoleServer: RunningConsole;
beforeAll(async () => {
  sim = await startSimulator();
  proxy = await startDelayingProxy(sim.url);
  // No directory cache: every connections list is a call to Catena.
  consoleServer = await startConsole({ catenaUrl: proxy.url, directoryCacheMs: 0 });
});
afterAll(async () => {
  await consoleServer.close();
  await proxy.close();
  await sim.close();
});

const health = async () => healthSchema.parse((await json(consoleServer, '/api/health')).body);

describe('upstream health', () => {
  it('says Catena is not answering while a call still waits, and that it is back as soon as a call succeeds', async () => {
    expect((await json(consoleServer, '/api/connections')).status).toBe(200);
    expect((await health()).upstream.reachable).toBe(true);

    // Catena hangs: it answers only after a little longer than the console waits before saying so.
    proxy.holdEverything(NOT_ANSWERING_AFTER_MS + 2_000);
    const waiting = json(consoleServer, '/api/connections');
    const silent = await eventually(
      async () => {
        const seen = await health();
        if (seen.upstream.reachable) throw new Error('still reachable');
        return seen;
      },
      NOT_ANSWERING_AFTER_MS + 1_500,
      100,
    );
    expect(silent.ok).toBe(false);
    expect(silent.upstream.last_error).toMatch(/^Catena has not answered GET \/v2\/.+ for 5 s\.$/);

    // The directory answers from what it read before (served at once while Catena is slow).
    expect((await waiting).status).toBe(200);
    // The call that waited gets its answer: Catena is reachable again as soon as it does.
    const back = await eventually(
      async () => {
        const seen = await health();
        if (!seen.upstream.reachable) throw new Error('not back yet');
        return seen;
      },
      5_000,
      100,
    );
    expect(back.upstream.last_error).toBeNull();
    proxy.holdEverything(0);
  }, 20_000);

  it('says at once that Catena cannot be reached when a call is refused', async () => {
    const down = await startConsole({ catenaUrl: 'http://127.0.0.1:9' });
    try {
      expect((await json(down, '/api/connections')).status).toBeGreaterThanOrEqual(500);
      const seen = healthSchema.parse((await json(down, '/api/health')).body);
      expect(seen.upstream.reachable).toBe(false);
      expect(seen.upstream.last_error).toMatch(/Could not reach Catena/);
    } finally {
      await down.close();
    }
  });

  it("with nobody calling Catena, the leader's probe tells within seconds that it stopped answering, and that it is back", async () => {
    const probed = await startConsole({ catenaUrl: proxy.url, probe: true });
    try {
      const healthOf = async () => healthSchema.parse((await json(probed, '/api/health')).body);
      await eventually(async () => expect((await healthOf()).upstream.reachable).toBe(true), 5_000, 100);

      // From now on the test asks the console only for its health, which never calls Catena.
      proxy.holdEverything(NOT_ANSWERING_AFTER_MS + 3_000);
      const silent = await eventually(
        async () => {
          const seen = await healthOf();
          if (seen.upstream.reachable) throw new Error('still reachable');
          return seen;
        },
        PROBE_WHEN_QUIET_MS + NOT_ANSWERING_AFTER_MS + 2_000,
        100,
      );
      expect(silent.upstream.last_error).toMatch(/^Catena has not answered GET \/v2\/integrations\/connections for 5 s\.$/);

      proxy.holdEverything(0);
      await eventually(async () => expect((await healthOf()).upstream.reachable).toBe(true), 6_000, 100);
    } finally {
      proxy.holdEverything(0);
      await probed.close();
    }
  }, 30_000);
});
