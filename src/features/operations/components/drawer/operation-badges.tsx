import type { ComponentType } from 'react';
import type { ErrorType } from '../../../../../contracts/operation-schemas.ts';
import { Badge, type BadgeTone } from '../../../../components/ui/badge.tsx';
import {
  CheckCircleIcon,
  FileWarningIcon,
  KeyIcon,
  ServerCrashIcon,
  WifiOffIcon,
  XCircleIcon,
} from '../../../../components/ui/icons.tsx';
import { errorTypeLooks } from '../operation-looks.tsx';

/** The table's words and hints for each error type (operation-looks), with an icon each. */
const errorTypeIcons: Record<ErrorType, { tone: BadgeTone; icon: ComponentType<{ className?: string }> }> = {
  auth: { tone: 'danger', icon: KeyIcon },
  validation: { tone: 'warning', icon: FileWarningIcon },
  network: { tone: 'neutral', icon: WifiOffIcon },
  tsp: { tone: 'warning', icon: ServerCrashIcon },
};

export function ErrorTypeBadge({ errorType }: { errorType: ErrorType }) {
  const { tone, icon } = errorTypeIcons[errorType];
  const look = errorTypeLooks[errorType];
  return (
    <Badge tone={tone} icon={icon} title={look.hint}>
      {look.label} error
    </Badge>
  );
}

export function AttemptOutcomeBadge({ outcome }: { outcome: 'success' | 'failed' }) {
  return outcome === 'success' ? (
    <Badge tone="success" icon={CheckCircleIcon}>
      Succeeded
    </Badge>
  ) : (
    <Badge tone="danger" icon={XCircleIcon}>
      Failed
    </Badge>
  );
}
