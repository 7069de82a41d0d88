import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { TimeDisplay } from '../lib/format.ts';

/**
 * Device preferences only: how this browser shows things. Server data lives in React Query,
 * shareable view state in the URL.
 */

export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];
export const timeDisplays = ['relative', 'local', 'utc'] as const satisfies readonly TimeDisplay[];
export const densities = ['comfortable', 'compact'] as const;
export type Density = (typeof densities)[number];
/**
 * How often live views poll. A device preference, not part of a shared link: a wall display may
 * want 30 s and a support desk 2 s, and whoever opens a link keeps their own. Pausing is per visit
 * (page state), so nobody comes back tomorrow to a view that silently stopped updating.
 */
export const liveIntervals = [2_000, 5_000, 10_000, 30_000] as const;
export type LiveInterval = (typeof liveIntervals)[number];

type Preferences = {
  theme: Theme;
  timeDisplay: TimeDisplay;
  density: Density;
  liveIntervalMs: LiveInterval;
  /** Presenter mode: larger type, and personal data (e-mail, phone, licence numbers) masked on screen. */
  presenter: boolean;
};

type PreferencesStore = Preferences & {
  setTheme: (theme: Theme) => void;
  setTimeDisplay: (timeDisplay: TimeDisplay) => void;
  setDensity: (density: Density) => void;
  setLiveIntervalMs: (liveIntervalMs: LiveInterval) => void;
  setPresenter: (presenter: boolean) => void;
};

export const defaultPreferences: Preferences = {
  theme: 'system',
  timeDisplay: 'relative',
  density: 'comfortable',
  liveIntervalMs: 5_000,
  presenter: false,
};

export const PREFERENCES_STORAGE_KEY = 'fleet-ops-console:preferences';

function oneOf<T extends string | number>(allowed: readonly T[], value: unknown, fallback: T): T {
  return allowed.find((item) => item === value) ?? fallback;
}

export const usePreferencesStore = create<PreferencesStore>()(
  persist(
    (set) => ({
      ...defaultPreferences,
      setTheme: (theme) => set({ theme }),
      setTimeDisplay: (timeDisplay) => set({ timeDisplay }),
      setDensity: (density) => set({ density }),
      setLiveIntervalMs: (liveIntervalMs) => set({ liveIntervalMs }),
      setPresenter: (presenter) => set({ presenter }),
    }),
    {
      name: PREFERENCES_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ theme, timeDisplay, density, liveIntervalMs, presenter }) => ({ theme, timeDisplay, density, liveIntervalMs, presenter }),
      // localStorage is outside our control: keep only values this version knows.
      merge: (persisted, current) => {
        const saved = typeof persisted === 'object' && persisted !== null ? persisted : {};
        return {
          ...current,
          theme: oneOf(themes, 'theme' in saved ? saved.theme : undefined, current.theme),
          timeDisplay: oneOf(timeDisplays, 'timeDisplay' in saved ? saved.timeDisplay : undefined, current.timeDisplay),
          density: oneOf(densities, 'density' in saved ? saved.density : undefined, current.density),
          liveIntervalMs: oneOf(liveIntervals, 'liveIntervalMs' in saved ? saved.liveIntervalMs : undefined, current.liveIntervalMs),
          presenter: 'presenter' in saved && saved.presenter === true,
        };
      },
    },
  ),
);

export const useTheme = () => usePreferencesStore((state) => state.theme);
export const useSetTheme = () => usePreferencesStore((state) => state.setTheme);
export const useTimeDisplay = () => usePreferencesStore((state) => state.timeDisplay);
export const useSetTimeDisplay = () => usePreferencesStore((state) => state.setTimeDisplay);
export const useDensity = () => usePreferencesStore((state) => state.density);
export const useSetDensity = () => usePreferencesStore((state) => state.setDensity);
export const useLiveIntervalMs = () => usePreferencesStore((state) => state.liveIntervalMs);
export const useSetLiveIntervalMs = () => usePreferencesStore((state) => state.setLiveIntervalMs);
export const usePresenter = () => usePreferencesStore((state) => state.presenter);
export const useSetPresenter = () => usePreferencesStore((state) => state.setPresenter);
