import { useId, type ReactNode } from 'react';
import { ChevronDownIcon } from './icons.tsx';
import { useDisclosure } from './use-disclosure.ts';

/**
 * A filter that picks several values: a button that names the filter and what it is set to,
 * opening a group of checkboxes. Escape, a click outside or tabbing away closes it; Escape
 * returns focus to the button.
 */
export type FilterOption<T extends string> = {
  value: T;
  label: ReactNode;
  text: string;
  hint?: string;
  /** A link or button beside the option (outside its label, so it does not tick the box). */
  action?: ReactNode;
};

export function FilterMenu<T extends string>({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: readonly FilterOption<T>[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
}) {
  const { open, setOpen, rootRef, buttonRef, onBlur } = useDisclosure();
  const panelId = useId();

  const chosen = options.filter((option) => selected.includes(option.value));
  const summary = chosen.length === 0 ? 'any' : chosen.length === 1 ? (chosen[0]?.text ?? '') : `${chosen.length} selected`;
  const active = chosen.length > 0;

  const toggle = (value: T) => onChange(selected.includes(value) ? selected.filter((item) => item !== value) : [...selected, value]);

  return (
    <div ref={rootRef} className="relative" onBlur={onBlur}>
      <button
        ref={buttonRef}
        type="button"
        aria-label={`${label}: ${summary}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className={`inline-flex h-9 max-w-64 items-center gap-1.5 rounded-md px-3 text-sm font-medium shadow-xs ring-1 transition-colors ring-inset ${
          active
            ? 'bg-brand-50 text-brand-900 ring-brand-600/30 hover:bg-brand-100 dark:bg-brand-400/10 dark:text-brand-100 dark:ring-brand-400/30 dark:hover:bg-brand-400/15'
            : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800'
        }`}
      >
        <span>{label}</span>
        {active ? (
          <span className="truncate rounded bg-white/80 px-1.5 text-xs font-semibold text-brand-800 dark:bg-slate-950/40 dark:text-brand-200">
            {summary}
          </span>
        ) : null}
        <ChevronDownIcon className={`size-4 opacity-60 transition-transform ${open ? 'rotate-180' : ''}`} />
      </button>

      <div
        id={panelId}
        hidden={!open}
        className="absolute left-0 z-30 mt-1.5 w-max max-w-[min(22rem,calc(100vw-2rem))] min-w-52 rounded-lg border border-slate-200 bg-white p-1.5 shadow-lg shadow-slate-900/10 dark:border-slate-700 dark:bg-slate-900 dark:shadow-black/40"
      >
        <fieldset>
          <legend className="sr-only">{label}</legend>
          {options.map((option) => {
            const box = (
              <label
                key={option.value}
                title={option.hint}
                className="flex min-w-0 flex-1 cursor-pointer items-center gap-2.5 rounded-md px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
              >
                <input
                  type="checkbox"
                  checked={selected.includes(option.value)}
                  onChange={() => toggle(option.value)}
                  className="size-4 rounded border-slate-300 accent-brand-600 dark:border-slate-600"
                />
                {option.label}
              </label>
            );
            return option.action ? (
              <div key={option.value} className="flex items-center gap-2 pr-2">
                {box}
                <span className="shrink-0 text-xs">{option.action}</span>
              </div>
            ) : (
              box
            );
          })}
        </fieldset>
        {active ? (
          <div className="mt-1 border-t border-slate-100 pt-1 dark:border-slate-800">
            <button
              type="button"
              onClick={() => onChange([])}
              className="w-full rounded-md px-2 py-1.5 text-left text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800"
            >
              Any {label.toLowerCase()}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
