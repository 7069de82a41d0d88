import type { ComponentType, ReactNode } from 'react';

export type BadgeTone = 'success' | 'warning' | 'danger' | 'neutral' | 'info';

/** How one value of a status reads: words, an icon, a tone, and a hint shown on hover. */
export type StatusLook = { label: string; tone: BadgeTone; icon: ComponentType<{ className?: string }>; hint: string };

const toneClasses: Record<BadgeTone, string> = {
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25',
  warning: 'bg-amber-50 text-amber-900 ring-amber-600/25 dark:bg-amber-400/10 dark:text-amber-200 dark:ring-amber-400/25',
  danger: 'bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25',
  neutral: 'bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-400/10 dark:text-slate-300 dark:ring-slate-400/20',
  info: 'bg-brand-50 text-brand-800 ring-brand-600/20 dark:bg-brand-400/10 dark:text-brand-200 dark:ring-brand-400/25',
};

/** A small status pill. Always icon + words: colour is never the only signal. */
export function Badge({
  tone,
  icon: Icon,
  children,
  title,
}: {
  tone: BadgeTone;
  icon: ComponentType<{ className?: string }>;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${toneClasses[tone]}`}
    >
      <Icon className="size-3.5" />
      {children}
    </span>
  );
}

/** A status from its look: the look's words (or `children`), with its hint as the title. */
export function StatusBadge({ look, children }: { look: StatusLook; children?: ReactNode }) {
  return (
    <Badge tone={look.tone} icon={look.icon} title={look.hint}>
      {children ?? look.label}
    </Badge>
  );
}
