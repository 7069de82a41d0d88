import { useEffect, useRef, useState, type FocusEvent } from 'react';

/**
 * A button that opens a panel beside it (a filter menu, the health details, the main navigation
 * on a phone): a click outside, Escape (focus goes back to the button) or tabbing out of it
 * closes the panel. Spread `onBlur` and `rootRef` on the element that holds both button and panel.
 * The console's one disclosure: every button with `aria-expanded` that opens a panel uses it.
 */
export function useDisclosure<Root extends HTMLElement = HTMLDivElement>() {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<Root>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      // Handled here: a drawer underneath must not close too.
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const onBlur = (event: FocusEvent<Root>) => {
    if (open && event.relatedTarget instanceof Node && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
  };

  return { open, setOpen, rootRef, buttonRef, onBlur };
}
