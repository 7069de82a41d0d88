import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { sendStatusSchema } from '../../contracts/send-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { eventually, messagesPerRecipient, startSimulator, type RunningSimulator } from '../support/simulator.ts';

/** Proxy: holds writes `writeHoldMs` before forwarding; answers Catena's operation list `listAnswerDelayMs` AFTER Catena answered (a slow page). */
async function slowListProxy(target: string) {
  const t = new URL(target);
  const state = { writeHoldMs: 0, listAnswerDelayMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isWrite = (req.method === 'POST' || req.method === 'PATCH') && (req.url ?? '').startsWith('/v2/telematics/');
      const isList = req.method === 'GET' && (req.url ?? '').startsWith('/v2/integrations/connections/resource-operations');
      const go = () => {
        const up = httpRequest(
          { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('end', () => {
              const send = () => {
                if (res.destroyed || res.writableEnded) return;
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                res.end(Buffer.concat(parts));
              };
              if (isList && state.listAnswerDelayMs > 0) setTimeout(send, state.listAnswerDelayMs);
              else send();
            });
          },
        );
        up.on('error', () => res.headersSent || res.writeHead(502).end());
        up.end(body);
      };
      if (isWrite && state.writeHoldMs > 0) setTimeout(go, state.writeHoldMs);
      else go();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${a.port}`,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let sim: RunningSimulator;
let proxy: Awaited<ReturnType<typeof slowListProxy>>;
let c: RunningConsole;
beforeAll(async () => {
  sim = await startSimulator();
  proxy = await slowListProxy(sim.url);
  proxy.state.listAnswerDelayMs = 9_000; // the periodic reconciler's first pass (at +1 s) reads Catena's list then, and finishes ~9 s later
  c = await startConsole({ catenaUrl: proxy.url, reconcile: true, dispatch: true, sendTimeoutMs: 800, landingWindowMs: 3_000 });
});
afterAll(async () => {
  await c?.close();
  await proxy?.close();
  await sim?.close();
});

describe('a send in doubt is settled by a reading of Catena begun after it could land', () => {
  it('a slow reconciler pass that read Catena before the request landed is not taken as the answer', async () => {
    const { items } = connectionListSchema.parse((await json(c, '/api/connections')).body);
    const conn = items.find((x) => x.name === 'Northwind Freight')!;
    const users = directoryUserListSchema.parse((await json(c, `/api/users?connection_id=${conn.id}`)).body).items;
    const dispatcher = users.find((u) => u.role === 'dispatcher')!;
    const driver = users.find((u) => u.role === 'driver' && u.is_active)!;
    await new Promise((r) => setTimeout(r, 1_500)); // the periodic pass has read Catena's list by now
    const text = `Stale ${randomUUID()}`;
    const body = { connection_id: conn.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: text };
    const key = randomUUID();
    proxy.state.writeHoldMs = 1_500; // lands 1.5 s later: well within the 3 s landing window
    const first = await post(c, '/api/messages', body, key);
    expect(first.status).toBe(504);
    proxy.state.writeHoldMs = 0;
    const { send_id } = (first.body as { error: { details: { send_id: string } } }).error.details;
    await eventually(async () => expect((await messagesPerRecipient(sim, text)).get(driver.id)?.sent).toBe(1), 5_000);
    const s = await eventually(
      async () => {
        const st = sendStatusSchema.parse((await json(c, `/api/sends/${send_id}`)).body);
        if (st.state === 'in_doubt') throw new Error('in doubt');
        return st;
      },
      20_000,
      200,
    );
    proxy.state.listAnswerDelayMs = 0;
    expect(s.state).toBe('sent');
    const retry = await post(c, '/api/messages', body, key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await messagesPerRecipient(sim, text)).get(driver.id)?.sent).toBe(1);
  }, 40_000);
});
