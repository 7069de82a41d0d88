import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { json } from './console-api.ts';
import type { SignedIn } from './console-server.ts';

/** A simulator fleet as the console's directory shows it: the connection, a dispatcher, its active drivers (and an inactive one, if any). */
export async function fleetOf(api: Pick<SignedIn, 'fetch'>, name: string) {
  const { items } = connectionListSchema.parse((await json(api, '/api/connections')).body);
  const connection = items.find((c) => c.name === name);
  if (!connection) throw new Error(`no connection ${name}`);
  const users = directoryUserListSchema.parse((await json(api, `/api/users?connection_id=${connection.id}`)).body).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher');
  if (!dispatcher) throw new Error('no dispatcher');
  return {
    connection,
    dispatcher,
    drivers: users.filter((u) => u.role === 'driver' && u.is_active),
    inactiveDriver: users.find((u) => u.role === 'driver' && !u.is_active),
  };
}
