import { describe, expect, it } from 'vitest';
import { usePreferencesStore } from '../stores/preferences-store.ts';
import { syncThemeWithDocument } from './theme.ts';

describe('syncThemeWithDocument', () => {
  it('sets data-theme for an explicit choice and removes it for "system"', () => {
    const root = document.documentElement;
    const stop = syncThemeWithDocument();
    expect(root).not.toHaveAttribute('data-theme');

    usePreferencesStore.getState().setTheme('dark');
    expect(root).toHaveAttribute('data-theme', 'dark');

    usePreferencesStore.getState().setTheme('system');
    expect(root).not.toHaveAttribute('data-theme');
    stop();
  });
});

describe('presenter mode', () => {
  it('puts the presenter class (larger type) on <html> while it is on', () => {
    const stop = syncThemeWithDocument();
    usePreferencesStore.getState().setPresenter(true);
    expect(document.documentElement).toHaveClass('presenter');
    usePreferencesStore.getState().setPresenter(false);
    expect(document.documentElement).not.toHaveClass('presenter');
    stop();
  });
});
