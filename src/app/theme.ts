import { usePreferencesStore, type Theme } from '../stores/preferences-store.ts';

/**
 * Mirrors the theme preference onto <html data-theme>. "system" removes the attribute, and the
 * CSS then follows prefers-color-scheme by itself (see src/index.css).
 */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

/** Applies the stored theme now and on every change; returns the unsubscribe function. */
export function syncThemeWithDocument(): () => void {
  applyTheme(usePreferencesStore.getState().theme);
  return usePreferencesStore.subscribe((state, previous) => {
    if (state.theme !== previous.theme) applyTheme(state.theme);
  });
}
