import { useEffect, useId, useMemo, useState, type Ref } from 'react';
import type { DirectoryUser } from '../../../../contracts/directory-schemas.ts';
import { SearchIcon } from '../../../components/ui/action-icons.tsx';
import { CheckIcon } from '../../../components/ui/icons.tsx';
import { inputClasses } from '../../../components/ui/form-field.tsx';

/** More matches than this are not listed: typing more of the name narrows them. */
const MAX_OPTIONS = 50;

/** Drivers whose name (or username) holds every typed word, active ones first, then by name. */
export function matchDrivers(drivers: readonly DirectoryUser[], query: string): DirectoryUser[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return drivers
    .filter((driver) => {
      const haystack = `${driver.name} ${driver.username ?? ''}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    })
    .sort((a, b) => Number(b.is_active) - Number(a.is_active) || a.name.localeCompare(b.name));
}

/**
 * Type-ahead over a connection's drivers: the WAI-ARIA combobox pattern with a listbox popup
 * (focus stays in the text box; arrow keys move the active option, Enter picks it, Escape closes
 * the list, then clears the text). Several drivers may be picked; picking a chosen one again
 * removes it. Inactive drivers are listed, marked, and cannot be picked.
 */
export function DriverCombobox({
  id,
  drivers,
  chosenIds,
  onToggle,
  disabled = false,
  invalid = false,
  describedBy,
  inputRef,
}: {
  id: string;
  drivers: readonly DirectoryUser[];
  chosenIds: readonly string[];
  onToggle: (driver: DirectoryUser) => void;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const listboxId = useId();
  const optionId = (driverId: string) => `${listboxId}-${driverId}`;

  const allMatches = useMemo(() => matchDrivers(drivers, query), [drivers, query]);
  const matches = allMatches.slice(0, MAX_OPTIONS);
  const active = open ? matches[Math.min(activeIndex, matches.length - 1)] : undefined;

  useEffect(() => {
    if (!active) return;
    // jsdom has no scrollIntoView; browsers keep the active option in view.
    document.getElementById(optionId(active.id))?.scrollIntoView?.({ block: 'nearest' });
    // optionId is derived from listboxId, which never changes.
    // oxlint-disable-next-line react/exhaustive-deps
  }, [active]);

  function move(step: 1 | -1) {
    if (!open) {
      setOpen(true);
      setActiveIndex(0);
      return;
    }
    if (matches.length === 0) return;
    setActiveIndex((index) => (Math.min(index, matches.length - 1) + step + matches.length) % matches.length);
  }

  function pick(driver: DirectoryUser) {
    if (!driver.is_active) return;
    onToggle(driver);
    setQuery('');
    setOpen(false);
  }

  return (
    <div className="relative">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
      <input
        ref={inputRef}
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listboxId}
        aria-activedescendant={active ? optionId(active.id) : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        disabled={disabled}
        placeholder={disabled ? '' : 'Type a driver’s name'}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
          setActiveIndex(0);
        }}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(event) => {
          switch (event.key) {
            case 'ArrowDown':
              event.preventDefault();
              move(1);
              break;
            case 'ArrowUp':
              event.preventDefault();
              move(-1);
              break;
            case 'Enter':
              // Ctrl/⌘+Enter is the form's "send" shortcut: leave it to the form.
              if (event.ctrlKey || event.metaKey) break;
              // Enter picks; it never submits the form from here.
              event.preventDefault();
              if (active) pick(active);
              else setOpen(true);
              break;
            case 'Escape':
              if (open) {
                event.preventDefault();
                setOpen(false);
              } else if (query) {
                event.preventDefault();
                setQuery('');
              }
              break;
            default:
          }
        }}
        className={`${inputClasses} pl-9`}
      />
      <div
        id={listboxId}
        role="listbox"
        aria-label="Drivers"
        aria-multiselectable="true"
        hidden={!open}
        className="absolute z-30 mt-1 max-h-72 w-full overflow-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg shadow-slate-900/10 dark:border-slate-700 dark:bg-slate-900 dark:shadow-black/40"
      >
        {matches.map((driver) => {
          const chosen = chosenIds.includes(driver.id);
          const isActive = driver.id === active?.id;
          return (
            // Keyboard users pick from the text box (aria-activedescendant); this is the pointer's way.
            // oxlint-disable-next-line jsx-a11y/click-events-have-key-events
            <div
              key={driver.id}
              id={optionId(driver.id)}
              role="option"
              tabIndex={-1}
              aria-selected={chosen}
              aria-disabled={!driver.is_active || undefined}
              // Keep focus in the text box while the pointer picks.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(driver)}
              className={`flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm ${
                driver.is_active ? 'cursor-pointer text-slate-800 dark:text-slate-200' : 'cursor-not-allowed text-slate-400 dark:text-slate-500'
              } ${isActive ? 'bg-brand-50 dark:bg-brand-400/10' : ''}`}
            >
              <span className="grid size-4 place-items-center text-brand-600 dark:text-brand-400">
                {chosen ? <CheckIcon className="size-4" /> : null}
              </span>
              <span className="min-w-0 flex-1 truncate">{driver.name}</span>
              {driver.is_active ? null : (
                <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-400">
                  Inactive
                </span>
              )}
            </div>
          );
        })}
        {matches.length === 0 ? (
          <div className="px-2.5 py-2 text-sm text-slate-500 dark:text-slate-400">No driver of this connection matches “{query}”.</div>
        ) : null}
        {allMatches.length > matches.length ? (
          <div className="px-2.5 py-2 text-xs text-slate-500 dark:text-slate-400">
            {allMatches.length - matches.length} more: type more of the name.
          </div>
        ) : null}
      </div>
      <span role="status" className="sr-only">
        {open ? `${allMatches.length} ${allMatches.length === 1 ? 'driver matches' : 'drivers match'}` : ''}
      </span>
    </div>
  );
}
