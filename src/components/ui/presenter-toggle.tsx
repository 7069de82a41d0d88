import { usePresenter, useSetPresenter } from '../../stores/preferences-store.ts';

/** Presenter mode on this device: larger type, personal data masked. A labelled switch (Space toggles it). */
export function PresenterToggle({ showHint = false }: { showHint?: boolean }) {
  const presenter = usePresenter();
  const setPresenter = useSetPresenter();
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm font-medium text-slate-700 dark:text-slate-200">
      <input
        type="checkbox"
        role="switch"
        checked={presenter}
        aria-checked={presenter}
        onChange={(event) => setPresenter(event.target.checked)}
        className="size-4 accent-brand-600"
      />
      Presenter mode
      <span className="text-slate-500 dark:text-slate-400">{presenter ? 'on' : 'off'}</span>
      {showHint ? (
        <span className="font-normal text-slate-600 dark:text-slate-400">— larger type; e-mail addresses, phone and licence numbers hidden</span>
      ) : null}
    </label>
  );
}
