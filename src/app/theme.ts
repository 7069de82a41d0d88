import { usePreferencesStore, type Theme } from '../stores/preferences-store.ts';

/**
 * Mirrors the theme preference onto <html data-theme>. "system" removes the attribute, and the
 * CSS then follows prefers-color-scheme by itself (see src/index.css).
 */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

/** Presenter mode makes the type larger from the root (rem), so every page grows alike (src/index.css). */
export function applyPresenter(presenter: boolean, root: HTMLElement = document.documentElement): void {
  root.classList.toggle('presenter', presenter);
}

/** Applies the stored theme (and presenter mode) now and on every change; returns the unsubscribe function. */
export function syncThemeWithDocument(): () => void {
  applyTheme(usePreferencesStore.getState().theme);
  applyPresenter(usePreferencesStore.getState().presenter);
  return usePreferencesStore.subscribe((state, previous) => {
    if (state.theme !== previous.theme) applyTheme(state.theme);
    if (state.presenter !== previous.presenter) applyPresenter(state.presenter);
  });
}
