import { useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { useModal } from './use-modal.ts';

/**
 * A centred form that asks for a few values ("Add account", "Reset password"): role="dialog",
 * aria-modal, named by its own heading. Like ConfirmDialog it uses `useModal` (focus moves in
 * and back, Tab stays inside, Escape closes, the page behind is inert). The content brings its
 * own heading, form and buttons.
 */
export function Dialog({
  labelledBy,
  describedBy,
  onClose,
  initialFocusRef,
  children,
}: {
  labelledBy: string;
  describedBy?: string;
  /** Called for Escape. */
  onClose: () => void;
  /** Where focus starts: the first field. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useModal(ref, { onClose, initialFocusRef });

  return createPortal(
    <div className="fixed inset-0 z-50 grid place-items-center overflow-y-auto p-4">
      <div aria-hidden="true" className="fixed inset-0 bg-slate-900/40 dark:bg-black/70" />
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className="relative w-full max-w-md rounded-xl bg-white p-5 shadow-2xl ring-1 ring-slate-900/10 transition duration-150 ease-out focus:outline-none starting:scale-95 starting:opacity-0 sm:p-6 dark:bg-slate-900 dark:ring-slate-700"
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
