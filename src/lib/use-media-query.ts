import { useSyncExternalStore } from 'react';

/**
 * Whether a CSS media query matches now, kept up to date (e.g. a table that shows fewer columns
 * on a phone). Where `matchMedia` does not exist (tests' DOM), nothing matches.
 */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      if (typeof window.matchMedia !== 'function') return () => {};
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => typeof window.matchMedia === 'function' && window.matchMedia(query).matches,
    () => false,
  );
}

/**
 * Below Tailwind's `md` (48rem = 768 px): a phone, or a narrow window. Lists read as cards and
 * the drawer and filter sheet take the whole screen (docs/decisions/0048-small-screens.md).
 */
export const SMALL_SCREEN_QUERY = '(max-width: 767px)';

export function useSmallScreen(): boolean {
  return useMediaQuery(SMALL_SCREEN_QUERY);
}
