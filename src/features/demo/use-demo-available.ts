import { useQuery } from '@tanstack/react-query';
import type { Role } from '../../../contracts/access-schemas.ts';
import { demoQueries } from './api/demo-queries.ts';

/** True when this console is in demo mode and the person is an admin (the only ones who may use it). */
export function useDemoAvailable(role: Role): boolean {
  const availability = useQuery({ ...demoQueries.availability(), enabled: role === 'admin' });
  return role === 'admin' && availability.data === true;
}
