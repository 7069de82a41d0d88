import type { FastifyBaseLogger } from 'fastify';
import type { Duty } from '../coordination/leader-duties.ts';

/**
 * Health learns of Catena only from calls. When none is made for a while (the directory is cached
 * for a minute, the reconciler reads every 30 s), the header would go on saying "connected" long
 * after Catena stopped answering. So the leader asks Catena the cheapest question after every
 * quiet spell of `quietMs`: with the client's "not answering" mark 5 s into a call, the header
 * tells within seconds, and a success clears it at once. One server asks for all of them: the
 * status is shared through the store.
 */
export const PROBE_WHEN_QUIET_MS = 2_000;
/** How often the leader looks whether a quiet spell has passed. */
const CHECK_EVERY_MS = 1_000;

export function upstreamProbe(
  catena: { quietForMs(): number; probe(): Promise<void> },
  log: FastifyBaseLogger,
  { quietMs = PROBE_WHEN_QUIET_MS, checkEveryMs = CHECK_EVERY_MS }: { quietMs?: number; checkEveryMs?: number } = {},
): Duty {
  let timer: NodeJS.Timeout | null = null;
  let probing = false;
  const check = () => {
    if (probing || catena.quietForMs() < quietMs) return;
    probing = true;
    // Its outcome is in the health status already; nothing else to do with a failure.
    void catena
      .probe()
      .catch((error: unknown) => log.debug({ err: error instanceof Error ? error.message : error }, 'Catena did not answer the health probe'))
      .finally(() => {
        probing = false;
      });
  };
  return {
    name: 'upstream probe',
    start() {
      timer = setInterval(check, checkEveryMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
