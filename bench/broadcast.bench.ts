/**
 * Benchmark: a broadcast to 1,000 drivers while Catena (the simulator) allows 50 requests/s.
 * Measures the time from the 202 until every recipient has been handed to Catena, against the
 * 20 s that the limit allows at best, and checks that no recipient was lost or sent twice
 * (counted on Catena's side, through its operation list).
 *
 *   npx tsx bench/broadcast.bench.ts [recipients=1000] [rate=50]
 */
import { sql } from 'kysely';
import { scalarOf } from '../tests/support/store-queries.ts';
import { randomUUID } from 'node:crypto';
import { broadcastDetailSchema } from '../contracts/broadcast-schemas.ts';
import { connectionListSchema, directoryUserListSchema } from '../contracts/directory-schemas.ts';
import { operationPageSchema } from '../contracts/operation-schemas.ts';
import { createSimulator } from '../simulator/app.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, startConsole } from '../tests/support/console-server.ts';

const recipients = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 50);

const simulator = await createSimulator({
  clientId: SIM_CLIENT_ID,
  clientSecret: SIM_CLIENT_SECRET,
  seedHistory: false,
  apiRateLimitPerSecond: rate,
  largeFleetDrivers: recipients,
});
const simUrl = await simulator.listen(0, '127.0.0.1');
const consoleServer = await startConsole({ catenaUrl: simUrl, subscribe: true, reconcile: true, dispatch: true });
try {
  await consoleServer.subscribed;
  const connections = connectionListSchema.parse(await (await consoleServer.fetch(`/api/connections`)).json()).items;
  const fleet = connections.find((c) => c.name === 'Continental Express');
  if (!fleet) throw new Error('the simulator has no large fleet');
  const users = directoryUserListSchema.parse(await (await consoleServer.fetch(`/api/users?connection_id=${fleet.id}`)).json()).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher');
  const drivers = users.filter((u) => u.role === 'driver' && u.is_active);
  if (!dispatcher || drivers.length !== recipients) throw new Error(`expected ${recipients} drivers, found ${drivers.length}`);

  const text = `Bench broadcast ${randomUUID()}`;
  const started = performance.now();
  const response = await consoleServer.fetch(`/api/broadcasts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ connection_id: fleet.id, sender_id: dispatcher.id, all_drivers: true, message_text: text }),
  });
  const accepted = performance.now();
  const { id } = broadcastDetailSchema.parse(await response.json());

  const unsent = {
    get: (batchId: string) => scalarOf(consoleServer.database, sql`SELECT COUNT(*) FROM sends WHERE batch_id = ${batchId} AND state != 'submitted'`),
  };
  while (Number(await unsent.get(id)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const allSubmitted = performance.now();

  await consoleServer.reconciler.runOnce();
  const perRecipient = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = operationPageSchema.parse(
      await (await consoleServer.fetch(`/api/operations?limit=500&q=${encodeURIComponent(text)}${cursor ? `&cursor=${cursor}` : ''}`)).json(),
    );
    for (const op of page.items) {
      const recipient = String(op.payload.recipient_id);
      perRecipient.set(recipient, (perRecipient.get(recipient) ?? 0) + 1);
    }
    cursor = page.next_cursor;
  } while (cursor);

  const minimum = recipients / rate;
  const seconds = (allSubmitted - started) / 1000;
  const lost = drivers.filter((d) => !perRecipient.has(d.id)).length;
  const duplicated = [...perRecipient.values()].filter((n) => n > 1).length;
  console.log(`recipients:                  ${recipients}`);
  console.log(`Catena rate limit:           ${rate} requests/s (minimum ${minimum.toFixed(1)} s)`);
  console.log(`202 after:                   ${(accepted - started).toFixed(0)} ms`);
  console.log(`all submitted after:         ${seconds.toFixed(2)} s (${(seconds / minimum).toFixed(3)} × the minimum)`);
  console.log(`operations at Catena:        ${[...perRecipient.values()].reduce((a, b) => a + b, 0)}`);
  console.log(`lost recipients:             ${lost}`);
  console.log(`recipients sent twice:       ${duplicated}`);
} finally {
  await consoleServer.close();
  await simulator.close();
}
