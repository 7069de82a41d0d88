import { useQuery } from '@tanstack/react-query';
import { can, type Capability, type SessionUser } from '../../contracts/access-schemas.ts';
import { sessionQueries } from './session-queries.ts';

/**
 * The signed-in person, or null while the session is not known. Inside the console's shell it
 * is always known: the shell renders its pages only once the session query has an answer.
 */
export function useSessionUser(): SessionUser | null {
  const { data } = useQuery({ ...sessionQueries.current(), select: selectUser });
  return data ?? null;
}

/**
 * Whether the signed-in person's role has a capability (the `capabilities` table in
 * contracts/access-schemas.ts, which the server enforces on every route). Hides what a role
 * cannot do; false while the session is not known, so nothing flashes up and away again.
 */
export function useCan(capability: Capability): boolean {
  const user = useSessionUser();
  return user !== null && can(user.role, capability);
}

function selectUser(session: { user: SessionUser }): SessionUser {
  return session.user;
}
