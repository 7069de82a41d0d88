import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from '../../../components/ui/button.tsx';

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

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ShortcutsModal
      open={open}
      onClose={onClose}
      title="Keyboard shortcuts"
      description="They work anywhere on this page except while you type in a field (Esc leaves it)."
    >
      <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
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
    </ShortcutsModal>
  );
}

/**
 * On the native <dialog>: showModal() gives the focus trap, Escape and an inert page. Focus goes
 * back to where it was when it closes. Where showModal() is missing (old browsers, jsdom) it opens
 * as a plain dialog. (The design system's own modal dialog is being built for the log drawer;
 * this can move onto it.)
 */
function ShortcutsModal({
  open,
  onClose,
  title,
  description,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      else dialog.removeAttribute('open');
      previous?.focus();
    };
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    // Escape: the native dialog fires "cancel"; without showModal() nothing does, so listen too.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('keydown', onKeyDown);
    return () => dialog.removeEventListener('keydown', onKeyDown);
  }, [open, onClose]);

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="fixed inset-0 m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl shadow-slate-900/20 backdrop:bg-slate-950/40 backdrop:backdrop-blur-[2px] dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:shadow-black/50"
    >
      <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4 dark:border-slate-800">
        <div>
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {description ? (
            <p id={descriptionId} className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">
              {description}
            </p>
          ) : null}
        </div>
        <Button size="sm" variant="ghost" onClick={onClose} data-autofocus>
          Close
        </Button>
      </div>
      <div className="px-5 py-4">{children}</div>
    </dialog>
  );
}
