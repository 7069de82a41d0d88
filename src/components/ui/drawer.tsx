import type { ReactNode, RefObject } from 'react';
import { ModalFrame } from './modal-frame.tsx';

/**
 * A modal panel that slides in from the right: role="dialog", named by a heading inside it
 * (`labelledBy`). Like every modal (ModalFrame) it traps focus, closes on Escape and gives focus
 * back; a press on the backdrop closes it too. The content brings its own header and close button.
 * Below 768 px it takes the whole screen: a sliver of the page behind is no use on a phone.
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
  describedBy?: string | undefined;
  onClose: () => void;
  initialFocusRef?: RefObject<HTMLElement | null> | undefined;
  /** The dialog element, e.g. to move focus back to it after its content changed. */
  panelRef?: RefObject<HTMLDivElement | null> | undefined;
  children: ReactNode;
}) {
  return (
    <ModalFrame
      labelledBy={labelledBy}
      describedBy={describedBy}
      onClose={onClose}
      initialFocusRef={initialFocusRef}
      panelRef={panelRef}
      closeOnOutsidePress
      layerClassName="fixed inset-0 z-40 flex justify-end"
      backdropClassName="absolute inset-0 bg-slate-900/30 transition-opacity duration-200 starting:opacity-0 dark:bg-black/60"
      panelClassName="relative flex h-full w-full max-w-[46rem] flex-col bg-white shadow-2xl shadow-slate-900/20 ring-1 ring-slate-900/10 transition duration-200 ease-out focus:outline-none starting:translate-x-6 starting:opacity-0 max-md:max-w-none md:w-[92vw] dark:bg-slate-900 dark:shadow-black/50 dark:ring-slate-700/60"
    >
      {children}
    </ModalFrame>
  );
}
