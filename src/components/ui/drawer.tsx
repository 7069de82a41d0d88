import { useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { useModal } from './use-modal.ts';

/**
 * A modal panel that slides in from the right: role="dialog", aria-modal, named by a heading
 * inside it (`labelledBy`), focus trapped inside, Escape or a press on the backdrop closes it,
 * and focus goes back to what had it before. The content brings its own header and close button.
 */
export function Drawer({
  labelledBy,
  describedBy,
  onClose,
  initialFocusRef,
  panelRef,
  children,
}: {
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** The dialog element, e.g. to move focus back to it after its content changed. */
  panelRef?: RefObject<HTMLDivElement | null>;
  children: ReactNode;
}) {
  const ownRef = useRef<HTMLDivElement>(null);
  const ref = panelRef ?? ownRef;
  useModal(ref, { onClose, initialFocusRef, closeOnOutsidePress: true });

  return createPortal(
    <div className="fixed inset-0 z-40 flex justify-end">
      <div
        aria-hidden="true"
        className="absolute inset-0 bg-slate-900/30 transition-opacity duration-200 starting:opacity-0 dark:bg-black/60"
      />
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className="relative flex h-full w-full max-w-[46rem] flex-col bg-white shadow-2xl shadow-slate-900/20 ring-1 ring-slate-900/10 transition duration-200 ease-out focus:outline-none starting:translate-x-6 starting:opacity-0 sm:w-[92vw] dark:bg-slate-900 dark:shadow-black/50 dark:ring-slate-700/60"
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
