import { maskPersonal, type PersonalKind } from '../../lib/personal-data.ts';
import { usePresenter } from '../../stores/preferences-store.ts';

/**
 * Personal data of a person — an e-mail address, a phone number, a driver's licence number —
 * drawn through this one component, so presenter mode (a device preference) masks it everywhere
 * it appears on screen. Licence plates are not a person's data and are never masked.
 */
export function Personal({ kind, children }: { kind: PersonalKind; children: string }) {
  const presenter = usePresenter();
  if (!presenter) return children;
  return <span title={`${kindWords[kind]} hidden in presenter mode`}>{maskPersonal(kind, children)}</span>;
}

/** For places that take a string (a title, a label): the value, masked in presenter mode. */
export function usePersonal(): (kind: PersonalKind, value: string) => string {
  const presenter = usePresenter();
  return (kind, value) => (presenter ? maskPersonal(kind, value) : value);
}

const kindWords: Record<PersonalKind, string> = {
  email: 'E-mail address',
  phone: 'Phone number',
  licence: 'Licence number',
};
