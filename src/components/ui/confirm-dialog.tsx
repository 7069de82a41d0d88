import type { ReactNode, RefObject } from 'react';
import { Dialog } from './dialog.tsx';

/**
 * A centred question that needs an answer before anything else ("Resend this message?"): a
 * Dialog with role="alertdialog". Closing it gives focus back to the button that opened it.
 * The content brings its own buttons.
 */
export function ConfirmDialog({
  labelledBy,
  describedBy,
  onClose,
  initialFocusRef,
  children,
}: {
  labelledBy: string;
  describedBy?: string | undefined;
  /** Called for Escape. */
  onClose: () => void;
  /** Where focus starts: the safe answer ("Cancel"), so Enter never confirms by accident. */
  initialFocusRef?: RefObject<HTMLElement | null> | undefined;
  children: ReactNode;
}) {
  return (
    <Dialog role="alertdialog" width="lg" labelledBy={labelledBy} describedBy={describedBy} onClose={onClose} initialFocusRef={initialFocusRef}>
      {children}
    </Dialog>
  );
}
