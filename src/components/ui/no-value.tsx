/**
 * An empty table cell: a dash to the eye, words to a screen reader ("No error", "Not sent yet").
 * `relative`: the hidden words are positioned, and would otherwise escape a table's sideways
 * scroll and widen the page on a phone.
 */
export function NoValue({ spoken }: { spoken: string }) {
  return (
    <span className="relative text-slate-400 dark:text-slate-500">
      <span aria-hidden="true">—</span>
      <span className="sr-only">{spoken}</span>{' '}
    </span>
  );
}
