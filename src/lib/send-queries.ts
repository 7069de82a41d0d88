import { queryOptions } from '@tanstack/react-query';
import { SEND_IN_DOUBT, sendInDoubtDetailsSchema, sendStatusSchema, type SendInDoubtDetails, type SendStatus } from '../../contracts/send-schemas.ts';
import { apiGet, isApiError } from './api-client.ts';
import { pollInterval } from './live-polling.ts';

/**
 * A send in doubt (GET /api/sends/{id}): the request left for Catena but no answer came, so the
 * console is settling it against Catena's own list. One factory for every feature that shows one
 * (Compose, the log drawer's resend; house style #18). Here because features do not import each other.
 */

/** The server settles a send within seconds of `settles_at`; worth asking often until then. */
export const SEND_POLL_MS = 2_000;

/** `sending` and `in_doubt` may still change; `sent`, `not_sent` and `refused` are final. */
export type SettledSend = SendStatus & { state: 'sent' | 'not_sent' | 'refused' };

export function isSettled(status: SendStatus | undefined): status is SettledSend {
  return status !== undefined && status.state !== 'sending' && status.state !== 'in_doubt';
}

export const sendQueries = {
  all: () => ['sends'] as const,

  /** Polled until the send settled (house style #5); backs off while the server does not answer. */
  status: (sendId: string) =>
    queryOptions({
      queryKey: [...sendQueries.all(), sendId] as const,
      queryFn: ({ signal }) => apiGet(`/api/sends/${encodeURIComponent(sendId)}`, sendStatusSchema, { signal }),
      refetchInterval: (query) => (isSettled(query.state.data) ? false : pollInterval(SEND_POLL_MS, query.state)),
      refetchIntervalInBackground: false,
      staleTime: SEND_POLL_MS - 500,
    }),
};

/**
 * The send an error leaves in doubt: `504 send_in_doubt` (no answer from Catena in time) or
 * `409 send_in_doubt` (the same key again while it is still being settled). Not "not sent".
 */
export function sendInDoubt(error: unknown): SendInDoubtDetails | null {
  if (!isApiError(error) || error.code !== SEND_IN_DOUBT) return null;
  const details = sendInDoubtDetailsSchema.safeParse(error.details);
  return details.success ? details.data : null;
}

/** Said wherever a send is in doubt, in the same words. */
export const IN_DOUBT_HEADLINE = 'Not confirmed yet — checking with Catena';
