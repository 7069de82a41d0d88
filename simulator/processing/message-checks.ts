import type { Prng } from '../lib/prng.ts';
import type { ConnectionRecord, Directory } from '../directory/directory-store.ts';
import type { OperationRecord } from '../operations/operation-store.ts';
import { outcomes, type AttemptOutcome } from './attempt-outcomes.ts';
import { tspProfile } from './tsp-profiles.ts';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * What Catena itself checks before calling the TSP: it must resolve sender and recipient to the
 * connection's users, and a message needs text. These fail without a TSP call (no status code).
 */
export function catenaSideCheck(op: OperationRecord, connection: ConnectionRecord, directory: Directory): AttemptOutcome | null {
  const senderId = text(op.payload['sender_id']) ?? '';
  const recipientId = text(op.payload['recipient_id']) ?? '';
  if (!directory.userOfConnection(senderId, connection.id)) return outcomes.unknownUser('sender_id', senderId, connection);
  if (!directory.userOfConnection(recipientId, connection.id)) return outcomes.unknownUser('recipient_id', recipientId, connection);
  const message = text(op.payload['message_text']);
  if (message === null || message.trim() === '') return outcomes.missingText();
  return null;
}

/** What the TSP rejects: text over its limit, a deactivated recipient. */
export function tspSideCheck(op: OperationRecord, connection: ConnectionRecord, directory: Directory, prng: Prng): AttemptOutcome | null {
  const profile = tspProfile(connection.tsp);
  const message = text(op.payload['message_text']) ?? '';
  // Count characters the way people (and TSP limits) do: code points, not UTF-16 units.
  const length = [...message].length;
  if (length > profile.maxMessageChars) return outcomes.tooLong(profile, length, prng);
  const recipient = directory.userOfConnection(text(op.payload['recipient_id']) ?? '', connection.id);
  if (recipient && !recipient.is_active) return outcomes.inactiveRecipient(profile, recipient, prng);
  return null;
}
