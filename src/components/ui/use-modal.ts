import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * What every modal surface (the drawer, a confirmation) does, in one place:
 * - focus moves into it when it opens, and back to what had focus when it closes;
 * - Tab and Shift+Tab stay inside it (a focus trap), and focus that escapes is brought back;
 * - Escape closes it;
 * - the rest of the page is `inert`, so neither the mouse, the keyboard nor a screen reader's
 *   virtual cursor reaches it.
 * Modals stack (a confirmation opened from the drawer): only the top one reacts, and closing it
 * gives the one below its keyboard and its inertness back. Each modal must be rendered as a
 * direct child of <body> (a portal) so the others can be made inert around it.
 */

const stack: HTMLElement[] = [];
/** Marks what this module made inert, so it never un-inerts something another part set. */
const INERT_MARK = 'data-modal-inert';

function syncInert(): void {
  const top = stack.at(-1);
  for (const child of Array.from(document.body.children)) {
    if (!(child instanceof HTMLElement)) continue;
    const ours = child.hasAttribute(INERT_MARK);
    const shouldBeInert = top !== undefined && !child.contains(top);
    if (shouldBeInert && !child.hasAttribute('inert')) {
      child.setAttribute('inert', '');
      child.setAttribute(INERT_MARK, '');
    } else if (!shouldBeInert && ours) {
      child.removeAttribute('inert');
      child.removeAttribute(INERT_MARK);
    }
  }
}

const TABBABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function tabbables(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(TABBABLE)).filter((element) => !element.closest('[hidden],[inert]') && isShown(element));
}

/** Skips what is inside a closed <details> (not focusable) or styled away. */
function isShown(element: HTMLElement): boolean {
  const details = element.parentElement?.closest('details');
  if (details && !details.open && element.tagName !== 'SUMMARY') return false;
  const style = getComputedStyle(element);
  return style.display !== 'none' && style.visibility !== 'hidden';
}

function focusable(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isConnected && !element.closest('[inert]');
}

export type ModalOptions = {
  /** Called for Escape (and whatever else the component wires to it). */
  onClose: () => void;
  /** Receives focus on open; the container itself (tabIndex -1) when absent. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** A press outside the container (on the backdrop) closes it too. */
  closeOnOutsidePress?: boolean;
};

export function useModal(containerRef: RefObject<HTMLElement | null>, { onClose, initialFocusRef, closeOnOutsidePress = false }: ModalOptions): void {
  // The latest onClose without re-running the effect (and re-trapping focus) on every render.
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const opener = document.activeElement;
    const portal = container.parentElement === document.body ? container : topLevelAncestor(container);
    stack.push(portal);
    syncInert();
    (initialFocusRef?.current ?? container).focus({ preventScroll: true });

    const isTop = () => stack.at(-1) === portal;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isTop() || event.defaultPrevented) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = tabbables(container);
      const first = items[0];
      const last = items.at(-1);
      const active = document.activeElement;
      if (!first || !last) {
        event.preventDefault();
        container.focus();
      } else if (event.shiftKey && (active === first || active === container || !container.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !container.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    // Browsers keep focus out of inert content; this also covers those (and test DOMs) that do not.
    const onFocusIn = (event: FocusEvent) => {
      if (isTop() && event.target instanceof Node && !portal.contains(event.target)) container.focus();
    };
    const onPointerDown = (event: PointerEvent) => {
      if (closeOnOutsidePress && isTop() && event.target instanceof Node && !container.contains(event.target)) {
        onCloseRef.current();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('pointerdown', onPointerDown);

    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('pointerdown', onPointerDown);
      const index = stack.lastIndexOf(portal);
      if (index !== -1) stack.splice(index, 1);
      syncInert();
      // Give focus back only if it is still ours to give: inside this modal, or nowhere.
      const active = document.activeElement;
      const focusIsOurs = active === null || active === document.body || portal.contains(active);
      if (!focusIsOurs) return;
      if (focusable(opener)) opener.focus({ preventScroll: true });
      else stack.at(-1)?.querySelector<HTMLElement>('[role="dialog"],[role="alertdialog"]')?.focus();
    };
    // Ref objects are stable: this runs once per modal, for its whole life.
  }, [containerRef, initialFocusRef, closeOnOutsidePress]);
}

/**
 * How many modals are open now. A page's own shortcuts that keep working under one modal (j/k
 * under the log drawer) use it to stand still while another modal is open on top of it.
 */
export function openModalCount(): number {
  return stack.length;
}

function topLevelAncestor(element: HTMLElement): HTMLElement {
  let current = element;
  while (current.parentElement && current.parentElement !== document.body) current = current.parentElement;
  return current;
}
