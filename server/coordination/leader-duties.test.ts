import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { eventually } from '../../tests/support/simulator.ts';
import { LeaderDuties, type Duty } from './leader-duties.ts';
import { LeaseStore } from './lease-store.ts';

const log = pino({ level: 'silent' });

/** A duty that says whether it is running now, and how often it was started. */
function recordingDuty(name: string) {
  const duty = { name, running: false, starts: 0 };
  const asDuty: Duty = {
    name,
    start: () => {
      duty.running = true;
      duty.starts += 1;
    },
    stop: async () => {
      duty.running = false;
    },
  };
  return { duty, asDuty };
}

/** Long enough that a busy machine's timers do not blur the bounds asserted below (a lease lasts 2.5 of these). */
const CHECK_MS = 300;

describe('the leader of several servers (PostgreSQL)', () => {
  it('is exactly one server, whose duties run there only; when it dies another takes them over within one interval', async () => {
    const stores = await openSharedStores('postgres', 3);
    const servers = stores.map((store, index) => {
      const { duty, asDuty } = recordingDuty(`housekeeping ${index}`);
      return {
        duty,
        leader: new LeaderDuties({ leases: new LeaseStore(store), serverId: `server-${index}`, checkEveryMs: CHECK_MS, duties: [asDuty], log }),
      };
    });
    try {
      await Promise.all(servers.map((server) => server.leader.start()));
      await eventually(async () => {
        expect(servers.filter((server) => server.duty.running)).toHaveLength(1);
      });
      // Stays one over several renewals.
      for (let round = 0; round < 5; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
        expect(servers.filter((server) => server.duty.running)).toHaveLength(1);
        expect(servers.filter((server) => server.leader.isLeader)).toHaveLength(1);
      }

      // The leader "dies": its timers stop with no goodbye (its lease is not given up).
      const first = servers.find((server) => server.duty.running);
      if (!first) throw new Error('no leader');
      const stopTicking = first.leader as unknown as { stopped: boolean };
      stopTicking.stopped = true;
      const died = performance.now();
      await eventually(
        async () => {
          expect(servers.filter((server) => server !== first && server.duty.running)).toHaveLength(1);
        },
        5_000,
        10,
      );
      // The lease lasts 2.5 checks; the others ask every check: within 3.5 checks (0.875 of a reconcile interval of 4 checks).
      expect(performance.now() - died).toBeLessThan(CHECK_MS * 3.5 + 250);
      // And the dead one no longer counts itself the leader once its renewal is stale.
      await eventually(
        async () => {
          expect(first.leader.isLeader).toBe(false);
        },
        2_000,
        10,
      );
    } finally {
      for (const server of servers) await server.leader.stop();
    }
  });

  it('gives the lead up when stopped, so another server takes it at its next check', async () => {
    const [a, b] = await openSharedStores('postgres', 2);
    const one = recordingDuty('reconciler A');
    const two = recordingDuty('reconciler B');
    const leaderA = new LeaderDuties({ leases: new LeaseStore(a!), serverId: 'a', checkEveryMs: 1_000, duties: [one.asDuty], log });
    const leaderB = new LeaderDuties({ leases: new LeaseStore(b!), serverId: 'b', checkEveryMs: 1_000, duties: [two.asDuty], log });
    try {
      await leaderA.start();
      await leaderB.start();
      expect([one.duty.running, two.duty.running]).toEqual([true, false]);
      await leaderA.stop();
      expect(one.duty.running).toBe(false);
      // Well before A's lease (2.5 s) would have run out.
      await eventually(
        async () => {
          expect(two.duty.running).toBe(true);
        },
        1_500,
        20,
      );
    } finally {
      await leaderA.stop();
      await leaderB.stop();
    }
  });

  it('stops leading when its store stops answering, before another server could take the lease', async () => {
    const [store] = await openSharedStores('postgres', 1);
    const leases = new LeaseStore(store!);
    const { duty, asDuty } = recordingDuty('settling');
    let hang = false;
    const hanging = Object.assign(Object.create(leases) as LeaseStore, {
      acquire: (name: string, holder: string, ttlMs: number) => (hang ? new Promise<boolean>(() => undefined) : leases.acquire(name, holder, ttlMs)),
    });
    const leader = new LeaderDuties({ leases: hanging, serverId: 'a', checkEveryMs: CHECK_MS, duties: [asDuty], log });
    try {
      await leader.start();
      expect(duty.running).toBe(true);
      hang = true;
      const hungAt = performance.now();
      await eventually(
        async () => {
          expect(leader.isLeader).toBe(false);
        },
        2_000,
        5,
      );
      // The lease itself lasts 2.5 checks: this server stopped counting itself the leader before that.
      expect(performance.now() - hungAt).toBeLessThan(CHECK_MS * 2.5);
      await eventually(
        async () => {
          expect(duty.running).toBe(false);
        },
        2_000,
        10,
      );
    } finally {
      await leader.stop();
    }
  });
});

describe('the one server on SQLite', () => {
  it('leads from its start, with no lease to wait for after a crash', async () => {
    const [store] = await openSharedStores('sqlite', 1);
    // A dead server's lease, still running.
    await new LeaseStore(store!).acquire('leader', 'the server before the crash', 60_000);
    const { duty, asDuty } = recordingDuty('reconciler');
    const leader = new LeaderDuties({
      leases: new LeaseStore(store!),
      serverId: 'restarted',
      checkEveryMs: 1_000,
      duties: [asDuty],
      log,
      soleServer: true,
    });
    try {
      await leader.start();
      expect(duty.running).toBe(true);
      expect(leader.isLeader).toBe(true);
    } finally {
      await leader.stop();
    }
  });
});
