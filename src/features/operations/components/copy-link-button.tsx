import { useEffect, useRef, useState } from 'react';
import { LinkIcon } from '../../../components/ui/action-icons.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { writeToClipboard } from '../../../components/ui/copy-button.tsx';

/**
 * "Copy link": copies what `makeLink()` returns at the moment of the click (so a relative range is
 * frozen then, not when the page loaded). Unlike CopyButton it is a labelled button and, where
 * the clipboard is refused, it shows the link, selected, for copying by hand: a link is long,
 * and "select it yourself" would have nothing on screen to select.
 */
export function CopyLinkButton({ makeLink }: { makeLink: () => string }) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'copied' } | { kind: 'failed'; link: string }>({
    kind: 'idle',
  });
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.kind !== 'copied') return;
    const timer = setTimeout(() => setState({ kind: 'idle' }), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    const link = makeLink();
    const copied = await writeToClipboard(link, rootRef.current ?? document.body);
    setState(copied ? { kind: 'copied' } : { kind: 'failed', link });
  };

  return (
    <div ref={rootRef} className="relative flex items-center gap-2">
      <Button
        size="sm"
        onClick={() => void copy()}
        title="A link to exactly this view: filters, the time range as fixed times, and the open operation"
      >
        <LinkIcon className="size-4" />
        {state.kind === 'copied' ? 'Link copied' : 'Copy link'}
      </Button>
      <span role="status" className="sr-only">
        {state.kind === 'copied' ? 'Link copied to the clipboard' : ''}
      </span>
      {state.kind === 'failed' ? (
        <label className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
          Copy this link:
          <input
            readOnly
            value={state.link}
            onFocus={(event) => event.currentTarget.select()}
            className="h-8 w-72 rounded-md border-0 bg-white px-2 font-mono text-xs ring-1 ring-slate-300 ring-inset dark:bg-slate-900 dark:ring-slate-700"
          />
        </label>
      ) : null}
    </div>
  );
}
