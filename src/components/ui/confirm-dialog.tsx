import { useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { useModal } from './use-modal.ts';

/**
 * A centred question that needs an answer before anything else ("Resend this message?"):
 * role="alertdialog", aria-modal, named and described by its own heading and text. It stacks
 * above the drawer (both use `useModal`): only the top one takes Escape and Tab, and closing it
 * gives focus back to the button that opened it. The content brings its own buttons.
 */
export function ConfirmDialog({
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
  /** Where focus starts: the safe answer ("Cancel"), so Enter never confirms by accident. */
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
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className="relative w-full max-w-lg rounded-xl bg-white p-5 shadow-2xl ring-1 ring-slate-900/10 transition duration-150 ease-out focus:outline-none starting:scale-95 starting:opacity-0 sm:p-6 dark:bg-slate-900 dark:ring-slate-700"
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
