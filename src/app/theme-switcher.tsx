import type { ComponentType } from 'react';
import { MonitorIcon, MoonIcon, SunIcon } from '../components/ui/icons.tsx';
import { themes, useSetTheme, useTheme, type Theme } from '../stores/preferences-store.ts';

const themeLooks: Record<Theme, { label: string; icon: ComponentType<{ className?: string }> }> = {
  system: { label: 'Match device', icon: MonitorIcon },
  light: { label: 'Light', icon: SunIcon },
  dark: { label: 'Dark', icon: MoonIcon },
};

/** A radio group (arrow keys move between options) drawn as a compact segmented control. */
export function ThemeSwitcher() {
  const theme = useTheme();
  const setTheme = useSetTheme();
  return (
    <fieldset className="flex items-center rounded-full bg-slate-100 p-0.5 ring-1 ring-slate-200 ring-inset dark:bg-slate-800/80 dark:ring-slate-700">
      <legend className="sr-only">Theme</legend>
      {themes.map((value) => {
        const look = themeLooks[value];
        const checked = theme === value;
        return (
          <label
            key={value}
            title={look.label}
            className={`relative grid size-7 cursor-pointer place-items-center rounded-full transition-colors has-focus-visible:outline-2 has-focus-visible:outline-offset-1 has-focus-visible:outline-brand-500 ${
              checked
                ? 'bg-white text-slate-900 shadow-xs dark:bg-slate-950 dark:text-slate-50'
                : 'text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-100'
            }`}
          >
            <input type="radio" name="theme" value={value} checked={checked} onChange={() => setTheme(value)} className="sr-only" />
            <look.icon className="size-4" />
            <span className="sr-only">{look.label}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
