import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSimulator } from './test-support/sim-harness.ts';

describe('createSimulator().close()', () => {
  it('returns promptly while retries wait and a webhook delivery hangs', async () => {
    // A receiver that never answers: the delivery would wait its full 3 s without close().
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const h = await startSimulator({ timeScale: 1, seedHistory: false });
    try {
      await h.api('/v2/notifications/webhooks', { json: { url: `http://127.0.0.1:${port}/hook`, event_name: 'resource_operation.*' } });
      const northwind = await h.connection('Northwind Freight');
      await h.call('/_sim/scenarios', { json: { scenario: 'outage', connection_id: northwind.id } });
      const users = (
        await h.api<{ items: { id: string; is_driver: boolean; is_active: boolean }[] }>(`/v2/telematics/users?connection_id=${northwind.id}`)
      ).body.items;
      const created = await h.api('/v2/telematics/messages', {
        json: {
          connection_id: northwind.id,
          sender_id: users.find((u) => !u.is_driver)?.id,
          recipient_id: users.find((u) => u.is_driver && u.is_active)?.id,
          message_text: 'in flight',
        },
      });
      expect(created.status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      const started = Date.now();
      await h.close();
      expect(Date.now() - started).toBeLessThan(1000);
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
