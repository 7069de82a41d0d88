import type { DirectoryConnection, DirectoryUser } from '../../contracts/directory-schemas.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError } from '../http/http-error.ts';

type Draft = { connection_id: string; sender_id: string; recipient_ids: readonly string[]; message_text: string };

/**
 * What the console can tell before anything goes to Catena: the connection can send, the sender
 * is one of its dispatchers, every recipient is one of its active drivers, and the text fits the
 * TSP. Each refusal names the field to fix, so the form can show it beside that field.
 */
export async function checkDraft(
  directory: DirectoryService,
  draft: Draft,
): Promise<{ connection: DirectoryConnection; sender: DirectoryUser; recipients: DirectoryUser[] }> {
  const connection = await checkConnection(directory, draft.connection_id, 'messages');
  const users = new Map((await directory.listUsers(connection.id)).map((user) => [user.id, user]));
  const sender = users.get(draft.sender_id.toLowerCase());
  if (!sender || sender.role !== 'dispatcher') {
    throw new HttpError(422, 'sender_not_dispatcher', `The sender must be a dispatcher of ${connection.name}.`, { field: 'sender_id' });
  }
  const recipients: DirectoryUser[] = [];
  const unknown: string[] = [];
  const inactive: string[] = [];
  for (const id of new Set(draft.recipient_ids.map((r) => r.toLowerCase()))) {
    const user = users.get(id);
    if (!user || user.role !== 'driver') unknown.push(id);
    else if (!user.is_active) inactive.push(user.name);
    else recipients.push(user);
  }
  if (unknown.length > 0) {
    throw new HttpError(
      422,
      'recipient_not_driver',
      `${plural(unknown.length, 'recipient is', 'recipients are')} not a driver of ${connection.name}.`,
      {
        field: 'recipient_id',
        recipient_ids: unknown,
      },
    );
  }
  if (inactive.length > 0) {
    throw new HttpError(
      422,
      'recipient_inactive',
      `Inactive at the TSP, so the message would fail: ${inactive.slice(0, 5).join(', ')}${inactive.length > 5 ? ` and ${inactive.length - 5} more` : ''}.`,
      {
        field: 'recipient_id',
      },
    );
  }
  const max = connection.limits.message_text_max;
  if (max !== null && draft.message_text.length > max) {
    throw new HttpError(422, 'text_too_long', `${connection.tsp} takes at most ${max} characters; this text has ${draft.message_text.length}.`, {
      field: 'message_text',
      limit: max,
      length: draft.message_text.length,
    });
  }
  return { connection, sender, recipients };
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}

/** The connection, when it can take writes now; otherwise a refusal naming the field to fix. */
export async function checkConnection(
  directory: DirectoryService,
  connectionId: string,
  what: 'messages' | 'writes' = 'writes',
): Promise<DirectoryConnection> {
  const connection = await directory.getConnection(connectionId);
  if (!connection) {
    throw new HttpError(404, 'connection_not_found', 'No such connection is visible to this console.', { field: 'connection_id' });
  }
  if (!connection.can_send) {
    throw new HttpError(
      422,
      'connection_inactive',
      `${connection.name} (${connection.tsp}) cannot take ${what} now: ${connection.inactive_reason ?? connection.status}`,
      {
        field: 'connection_id',
      },
    );
  }
  return connection;
}
