import type { ReactNode, RefObject } from 'react';
import { buttonClasses } from './button.tsx';
import { ModalFrame } from './modal-frame.tsx';

/**
 * A centred modal: a form that asks for a few values ("Add account", "Reset password"), or, as
 * role="alertdialog" (ConfirmDialog), a question that needs an answer first. Named (and
 * described) by its own heading and text; the content brings its heading, form and buttons.
 * It stacks above the drawer: only the top one takes Escape and Tab (ModalFrame, use-modal.ts).
 */
export function Dialog({
  role = 'dialog',
  width = 'md',
  labelledBy,
  describedBy,
  onClose,
  initialFocusRef,
  children,
}: {
  role?: 'dialog' | 'alertdialog';
  /** A form fits `md`; a question with its context (what is resent, to whom) gets `lg`. */
  width?: 'md' | 'lg';
  labelledBy: string;
  describedBy?: string | undefined;
  /** Called for Escape. */
  onClose: () => void;
  /** Where focus starts (the first field, or the safe answer); the dialog itself when absent. */
  initialFocusRef?: RefObject<HTMLElement | null> | undefined;
  children: ReactNode;
}) {
  return (
    <ModalFrame
      role={role}
      labelledBy={labelledBy}
      describedBy={describedBy}
      onClose={onClose}
      initialFocusRef={initialFocusRef}
      layerClassName="fixed inset-0 z-50 grid place-items-center overflow-y-auto p-4"
      backdropClassName="fixed inset-0 bg-slate-900/40 dark:bg-black/70"
      panelClassName={`relative w-full ${width === 'lg' ? 'max-w-lg' : 'max-w-md'} rounded-xl bg-white p-5 shadow-2xl ring-1 ring-slate-900/10 transition duration-150 ease-out focus:outline-none starting:scale-95 starting:opacity-0 sm:p-6 dark:bg-slate-900 dark:ring-slate-700`}
    >
      {children}
    </ModalFrame>
  );
}

/** A dialog form's buttons: Cancel, and the submit button that says while the request runs. */
export function DialogFormActions({
  onCancel,
  pending,
  submitLabel,
  pendingLabel,
}: {
  onCancel: () => void;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
}) {
  return (
    <div className="flex flex-wrap justify-end gap-2 pt-1">
      <button type="button" onClick={onCancel} className={buttonClasses({ variant: 'secondary' })}>
        Cancel
      </button>
      <button type="submit" aria-disabled={pending} className={`${buttonClasses({ variant: 'primary' })} ${pending ? 'cursor-wait opacity-70' : ''}`}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </div>
  );
}
