import { useEffect, useRef, type ReactNode } from 'react';
import type { SendStatus } from '../../../contracts/send-schemas.ts';
import { formatClockTime } from '../../lib/format.ts';
import { IN_DOUBT_HEADLINE, isSettled } from '../../lib/send-queries.ts';
import { AlertTriangleIcon, CheckCircleIcon, ClockIcon, XCircleIcon } from './icons.tsx';

const looks = {
  checking: {
    icon: ClockIcon,
    box: 'bg-amber-50 text-amber-950 ring-amber-600/25 dark:bg-amber-400/10 dark:text-amber-100 dark:ring-amber-400/25',
  },
  sent: {
    icon: CheckCircleIcon,
    box: 'bg-emerald-50 text-emerald-950 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-100 dark:ring-emerald-400/25',
  },
  not_sent: {
    icon: AlertTriangleIcon,
    box: 'bg-slate-50 text-slate-900 ring-slate-500/20 dark:bg-slate-800/60 dark:text-slate-100 dark:ring-slate-600',
  },
  refused: {
    icon: XCircleIcon,
    box: 'bg-red-50 text-red-950 ring-red-600/20 dark:bg-red-500/10 dark:text-red-100 dark:ring-red-400/25',
  },
} as const;

const settledHeadlines: Record<'sent' | 'not_sent' | 'refused', string> = {
  sent: 'Confirmed: Catena has the message',
  not_sent: 'Confirmed: Catena never got it — nothing was sent',
  refused: 'Catena refused it — nothing was sent',
};

/**
 * A send in doubt and how it settled, in words (never colour alone): "Not confirmed yet —
 * checking with Catena" until the console has settled it against Catena's own list, then what
 * Catena has. Takes focus when it appears, so the news is where the person is; `children` is the
 * next step (a link to the operation, "Send again").
 */
export function SendCheckNotice({
  status,
  settlesAt,
  error,
  children,
}: {
  /** The last answer of GET /api/sends/{id}; undefined until it came. */
  status: SendStatus | undefined;
  settlesAt: string;
  /** Why the check itself could not be read (it goes on polling). */
  error?: string | null | undefined;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const settled = isSettled(status) ? status : null;
  const look = looks[settled ? settled.state : 'checking'];
  const until = settled ? null : (status?.settles_at ?? settlesAt);

  return (
    <div
      ref={ref}
      tabIndex={-1}
      className={`flex gap-3 rounded-lg p-3 text-sm ring-1 ring-inset focus:outline-none focus-visible:ring-2 ${look.box}`}
    >
      <look.icon className="mt-0.5 size-5 shrink-0" />
      <div className="min-w-0 space-y-1">
        <p role="status" className="font-semibold">
          {settled ? settledHeadlines[settled.state] : IN_DOUBT_HEADLINE}
        </p>
        {settled ? (
          <p>{settled.message}</p>
        ) : (
          <p>
            The request left the console, but Catena’s answer did not come in time. This is not “not sent”: the console checks Catena’s own list
            {until ? ` (by ${formatClockTime(until)} at the latest)` : ''} before it may be sent again.
            {status?.message ? ` ${status.message}` : ''}
          </p>
        )}
        {error ? <p className="text-xs">Could not read the check just now ({error}); still trying.</p> : null}
        {children}
      </div>
    </div>
  );
}
