import { useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Single-key shortcuts for a page (j, k, /, ?). They never fire while someone types: not in a
 * text field, select or editable element, not with Ctrl/Alt/Meta held (those belong to the
 * browser), and not when another handler already used the key.
 */
export type ShortcutHandlers = Partial<Record<string, (event: KeyboardEvent) => void>>;

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    // Checkboxes and radios take no text: a shortcut there is fine.
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(target.type);
  }
  return false;
}

export function useKeyboardShortcuts(handlers: ShortcutHandlers, { enabled = true }: { enabled?: boolean } = {}): void {
  // The latest handlers without re-subscribing on every render.
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (isTypingTarget(event.target)) return;
      const handler = handlersRef.current[event.key];
      if (!handler) return;
      handler(event);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
