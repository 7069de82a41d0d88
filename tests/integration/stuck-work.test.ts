import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationPageSchema, type OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { json } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { storedOperation } from '../support/stored-operation.ts';

let consoleServer: RunningConsole;
beforeAll(async () => {
  // Catena is never asked: stuck work is read from the store alone.
  consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9' });
});
afterAll(async () => {
  await consoleServer.close();
});

function pendingMessage(minutesAgo: number): OperationWithLogs {
  return storedOperation({ minutesAgo, source_name: 'geotab', status: 'pending', attempt_count: 0, payload: { message_text: 'Still on its way?' } });
}

describe('GET /api/operations?stuck=true', () => {
  it('lists the operations still pending past their threshold, and refuses a stuck value it cannot read', async () => {
    const stuck = pendingMessage(25);
    const recent = pendingMessage(2);
    await consoleServer.store.upsertMany([stuck, recent], 'reconciler');
    const page = operationPageSchema.parse((await json(consoleServer, '/api/operations?stuck=true')).body);
    expect(page.items.map((item) => item.id)).toEqual([stuck.id]);

    // The unfiltered list marks the same one, and only it, for the table.
    const all = operationPageSchema.parse((await json(consoleServer, '/api/operations')).body);
    expect(all.items.filter((item) => item.stuck).map((item) => item.id)).toEqual([stuck.id]);
    expect(all.items.find((item) => item.id === recent.id)?.stuck).toBeUndefined();

    const refused = await json(consoleServer, '/api/operations?stuck=maybe');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/stuck/);
  });
});
