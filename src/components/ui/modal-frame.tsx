import { useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { useModal } from './use-modal.ts';

/**
 * The one way the console shows a modal (Dialog, ConfirmDialog, Drawer): a portal on <body>, a
 * backdrop, and a labelled panel that `useModal` makes modal (focus in and back to the opener,
 * Tab kept inside, Escape closing only the top layer, the page behind inert). Callers choose the
 * role, the layout and the look; the behaviour is the same for all.
 */
export function ModalFrame({
  role = 'dialog',
  labelledBy,
  describedBy,
  onClose,
  initialFocusRef,
  panelRef,
  closeOnOutsidePress = false,
  layerClassName,
  backdropClassName,
  panelClassName,
  children,
}: {
  role?: 'dialog' | 'alertdialog';
  labelledBy: string;
  describedBy?: string | undefined;
  onClose: () => void;
  initialFocusRef?: RefObject<HTMLElement | null> | undefined;
  panelRef?: RefObject<HTMLDivElement | null> | undefined;
  closeOnOutsidePress?: boolean;
  layerClassName: string;
  backdropClassName: string;
  panelClassName: string;
  children: ReactNode;
}) {
  const ownRef = useRef<HTMLDivElement>(null);
  const ref = panelRef ?? ownRef;
  useModal(ref, { onClose, initialFocusRef, closeOnOutsidePress });

  return createPortal(
    <div className={layerClassName}>
      <div aria-hidden="true" className={backdropClassName} />
      <div
        ref={ref}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className={panelClassName}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
