import type { DirectoryUser, UserRole } from '../../../contracts/directory-schemas.ts';

/** A directory person as the operations views need them: a name, and whether they drive. */
export type Person = Pick<DirectoryUser, 'name' | 'role'>;

/** "Abdi Price (driver)": a driver is named as one, so a reply never reads as a dispatcher's message. */
export function personWithRole(person: Person): string {
  return person.role === 'driver' ? `${person.name} (driver)` : person.name;
}

/**
 * Who a message is from and to, read from its payload. A message whose sender is a driver is a
 * driver's reply (sent from the cab, not by a dispatcher), so the views say "From Abdi Price
 * (driver)" first instead of the recipient's name, which would read as if the dispatcher wrote it.
 */
export function messageParties(
  payload: Record<string, unknown>,
  people: ReadonlyMap<string, Person>,
): { sender: Person | undefined; recipient: Person | undefined; fromDriver: boolean } {
  const lookup = (key: string) => {
    const id = payload[key];
    return typeof id === 'string' ? people.get(id.toLowerCase()) : undefined;
  };
  const sender = lookup('sender_id');
  const recipient = lookup('recipient_id');
  return { sender, recipient, fromDriver: sender?.role === ('driver' satisfies UserRole) };
}
