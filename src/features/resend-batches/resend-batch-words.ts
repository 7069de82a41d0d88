import {
  resendSkipLabels,
  resendSkipReasons,
  type ResendBatch,
  type ResendItemState,
  type ResendPreview,
} from '../../../contracts/resend-batch-schemas.ts';
import type { StatusLook } from '../../components/ui/badge.tsx';
import { CheckCircleIcon, CircleDotIcon, ClockIcon, InfoIcon, MinusCircleIcon, SendIcon, XCircleIcon } from '../../components/ui/icons.tsx';

/** How each item of a batch reads: words first (never colour alone), an icon, a hint. */
export const resendItemLooks: Record<ResendItemState, StatusLook> = {
  queued: { label: 'Queued', tone: 'neutral', icon: CircleDotIcon, hint: 'Waiting its turn, at Catena’s pace.' },
  sending: { label: 'Sending', tone: 'info', icon: SendIcon, hint: 'The console is handing it to Catena now.' },
  in_doubt: {
    label: 'Not confirmed yet',
    tone: 'warning',
    icon: InfoIcon,
    hint: 'Catena did not answer in time. The console is checking with Catena; it is not sent again meanwhile.',
  },
  pending: { label: 'Pending', tone: 'info', icon: ClockIcon, hint: 'Catena took it and is delivering it.' },
  success: { label: 'Delivered', tone: 'success', icon: CheckCircleIcon, hint: 'The TSP accepted it.' },
  failed: { label: 'Failed', tone: 'danger', icon: XCircleIcon, hint: 'Catena gave up on the resend too.' },
  refused: { label: 'Refused', tone: 'danger', icon: XCircleIcon, hint: 'Catena or the console refused to send it.' },
  cancelled: { label: 'Cancelled', tone: 'neutral', icon: MinusCircleIcon, hint: 'The batch was cancelled before it was sent.' },
};

export const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/** "3 already resent, 2 not failed, 1 an error resending cannot fix (validation)", in the contract's order. */
export function skippedText(skipped: ResendPreview['skipped']): string {
  return resendSkipReasons
    .flatMap((reason) => {
      const count = skipped[reason];
      return count ? [`${count.toLocaleString()} ${resendSkipLabels[reason]}`] : [];
    })
    .join(', ');
}

export function skippedTotal(skipped: ResendPreview['skipped']): number {
  return Object.values(skipped).reduce((sum, count) => sum + (count ?? 0), 0);
}

/** "N will be resent; M skipped: …" */
export function previewText(preview: Pick<ResendPreview, 'will_resend' | 'skipped'>): string {
  const skippedCount = skippedTotal(preview.skipped);
  const head = `${preview.will_resend.toLocaleString()} will be resent`;
  return skippedCount > 0 ? `${head}; ${skippedCount.toLocaleString()} skipped: ${skippedText(preview.skipped)}.` : `${head}.`;
}

/** Items Catena took (or may have taken): everything but what waits, was refused or cancelled. */
export function resentCount(counts: ResendBatch['counts']): number {
  return counts.in_doubt + counts.pending + counts.success + counts.failed;
}

/** "48 resent: 45 delivered, 3 failed; 2 cancelled; skipped: 3 already resent, 2 not failed." */
export function batchSummaryText(batch: ResendBatch): string {
  const { counts } = batch;
  const outcomes = [
    counts.success > 0 || counts.failed === 0 ? `${counts.success.toLocaleString()} delivered` : null,
    counts.failed > 0 ? `${counts.failed.toLocaleString()} failed` : null,
    counts.pending > 0 ? `${counts.pending.toLocaleString()} still pending` : null,
    counts.in_doubt > 0 ? `${counts.in_doubt.toLocaleString()} not confirmed yet` : null,
  ].filter((part) => part !== null);
  const parts = [`${resentCount(counts).toLocaleString()} resent: ${outcomes.join(', ')}`];
  if (counts.refused > 0) parts.push(`${counts.refused.toLocaleString()} refused`);
  if (counts.cancelled > 0) parts.push(`${counts.cancelled.toLocaleString()} cancelled`);
  if (counts.queued + counts.sending > 0) parts.push(`${(counts.queued + counts.sending).toLocaleString()} still to send`);
  const skipped = skippedText(batch.skipped);
  if (skipped) parts.push(`skipped: ${skipped}`);
  return `${parts.join('; ')}.`;
}
