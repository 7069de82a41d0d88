import { useEffect, useRef, useState } from 'react';
import { CheckIcon, CopyIcon } from './icons.tsx';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies `value` to the clipboard. Its name says what it copies ("Copy operation id"); the result
 * is shown (a check and "Copied") and announced through a polite live region, so it is not only
 * seen. Without the async Clipboard API (a page served over plain http) it falls back to the
 * selection-based copy.
 */
export function CopyButton({ value, label, showText = false }: { value: string; label: string; showText?: boolean }) {
  const [state, setState] = useState<CopyState>('idle');
  const rootRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    setState((await writeToClipboard(value, rootRef.current ?? document.body)) ? 'copied' : 'failed');
  }

  return (
    <span ref={rootRef} className="inline-flex items-center">
      <button
        type="button"
        aria-label={`Copy ${label}`}
        title={`Copy ${label}`}
        onClick={() => void copy()}
        className={`inline-flex h-7 shrink-0 items-center gap-1 rounded-md px-1.5 text-xs font-medium transition-colors ${
          state === 'copied'
            ? 'text-emerald-700 dark:text-emerald-400'
            : state === 'failed'
              ? 'text-red-700 dark:text-red-400'
              : 'text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100'
        }`}
      >
        {state === 'copied' ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
        {state === 'copied' ? <span>Copied</span> : state === 'failed' ? <span>Copy failed</span> : null}
        {state === 'idle' && showText ? <span>Copy</span> : null}
      </button>
      <span role="status" className="sr-only">
        {state === 'copied' ? `Copied ${label}` : state === 'failed' ? `Could not copy ${label}: select it and copy it by hand.` : ''}
      </span>
    </span>
  );
}

/** `host` keeps the helper text area inside the current modal, whose focus trap would pull focus back. */
export async function writeToClipboard(text: string, host: HTMLElement): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or not focused: try the older way below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  host.append(area);
  area.select();
  try {
    // Deprecated, but the only way left where the Clipboard API is missing (insecure origins).
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
