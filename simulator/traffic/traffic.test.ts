import { describe, expect, it } from 'vitest';
import { buildSeedWorld } from '../seed/seed-world.ts';
import type { WriteService } from '../writes/write-service.ts';
import { TRAFFIC_KINDS, TrafficGenerator } from './traffic.ts';

describe('background traffic', () => {
  it('sends messages from every dispatcher of a fleet, not from one only', () => {
    const { directory } = buildSeedWorld();
    // nextWrite() only picks; nothing is submitted, so no write service is reached.
    const traffic = new TrafficGenerator({ directory, writes: {} as WriteService, onError: () => undefined });
    traffic.set({ mix: Object.fromEntries(TRAFFIC_KINDS.map((kind) => [kind, kind === 'message' ? 1 : 0])) });
    const senders = new Set<string>();
    for (let i = 0; i < 400; i += 1) {
      const write = traffic.nextWrite();
      if (write?.body['sender_id']) senders.add(String(write.body['sender_id']));
    }
    const dispatchers = directory.users.filter((u) => !u.is_driver && directory.connection(u.connection_id)?.status === 'active');
    expect(senders).toEqual(new Set(dispatchers.map((u) => u.id)));
  });
});
