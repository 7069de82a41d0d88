import { useId } from 'react';

/**
 * One choice out of a few, as a radio group drawn as a segmented control: arrow keys move
 * between options, and the legend names the group for assistive technology.
 */
export function SegmentedControl<T extends string | number>({
  legend,
  showLegend = false,
  options,
  value,
  onChange,
}: {
  legend: string;
  showLegend?: boolean;
  options: readonly { value: T; label: string; title?: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="flex items-center gap-2">
      <legend className={showLegend ? 'float-left mr-2 text-xs font-medium text-slate-500 dark:text-slate-400' : 'sr-only'}>{legend}</legend>
      <div className="flex items-center rounded-lg bg-slate-100 p-0.5 ring-1 ring-slate-200 ring-inset dark:bg-slate-800/80 dark:ring-slate-700">
        {options.map((option) => {
          const checked = option.value === value;
          return (
            <label
              key={String(option.value)}
              title={option.title}
              className={`relative cursor-pointer rounded-md px-2.5 py-1 text-xs font-medium whitespace-nowrap transition-colors has-focus-visible:outline-2 has-focus-visible:outline-offset-1 has-focus-visible:outline-brand-500 ${
                checked
                  ? 'bg-white text-slate-900 shadow-xs dark:bg-slate-950 dark:text-slate-50'
                  : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'
              }`}
            >
              <input
                type="radio"
                name={name}
                value={String(option.value)}
                checked={checked}
                onChange={() => onChange(option.value)}
                className="sr-only"
              />
              {option.label}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
