import { useId, useRef } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';

const shortcuts: readonly { keys: readonly string[]; does: string }[] = [
  { keys: ['j'], does: 'Next operation (with the log open, the log shows it)' },
  { keys: ['k'], does: 'Previous operation (with the log open, the log shows it)' },
  { keys: ['Enter'], does: 'Open the operation’s log' },
  { keys: ['x'], does: 'Select the operation, for a bulk resend (Shift+Space on a checkbox selects a range)' },
  { keys: ['Esc'], does: 'Close the log' },
  { keys: ['/'], does: 'Search' },
  { keys: ['Esc'], does: 'Leave the search box (the search stays)' },
  { keys: ['?'], does: 'Show these shortcuts' },
];

/**
 * The page's shortcuts, on the console's one modal (Dialog): focus starts on Close and goes back
 * where it was, Tab stays inside, Escape closes it, and the page's own shortcuts rest meanwhile.
 */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  if (!open) return null;
  return (
    <Dialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={closeRef}>
      <div className="flex items-start justify-between gap-4">
        <div>
          <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Keyboard shortcuts
          </h2>
          <p id={descriptionId} className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
            They work anywhere on this page except while you type in a field (Esc leaves it).
          </p>
        </div>
        <Button ref={closeRef} size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <dl className="mt-4 divide-y divide-slate-100 text-sm dark:divide-slate-800">
        {shortcuts.map((shortcut) => (
          <div key={shortcut.does} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-slate-700 dark:text-slate-300">{shortcut.does}</dt>
            <dd className="flex gap-1">
              {shortcut.keys.map((key) => (
                <kbd
                  key={key}
                  className="min-w-7 rounded-md border border-slate-300 bg-slate-50 px-1.5 py-0.5 text-center font-mono text-xs text-slate-800 shadow-[inset_0_-1px_0] shadow-slate-300 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:shadow-slate-600"
                >
                  {key}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
