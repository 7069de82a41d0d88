/**
 * The audit log's actions in words. The server records these codes (server/audit, and each
 * route that writes); one it adds later still shows, as its code.
 */
export const auditActionWords = {
  sign_in: 'Signed in',
  sign_in_failed: 'Failed to sign in',
  sign_out: 'Signed out',
  message_sent: 'Sent a message',
  operation_resent: 'Resent a failed message',
  broadcast_created: 'Started a broadcast',
  broadcast_resent: 'Resent a broadcast to failed recipients',
  account_created: 'Added an account',
  account_updated: 'Changed an account',
  resend_batch_started: 'Started a bulk resend',
  resend_batch_cancelled: 'Cancelled a bulk resend',
  incident_resend_armed: "Set a provider incident's failures to resend on recovery",
  webhooks_replayed: 'Reactivated webhooks and replayed missed events',
  demo_scenario_on: 'Switched a demo scenario on',
  demo_scenario_off: 'Switched a demo scenario off',
  demo_traffic_set: 'Changed the demo traffic',
  demo_reset: 'Reset the demo to its seed',
} as const satisfies Record<string, string>;

export type KnownAuditAction = keyof typeof auditActionWords;
export const knownAuditActions = Object.keys(auditActionWords) as KnownAuditAction[];

export function isKnownAuditAction(action: string): action is KnownAuditAction {
  return Object.hasOwn(auditActionWords, action);
}

export function auditActionInWords(action: string): string {
  return isKnownAuditAction(action) ? auditActionWords[action] : action;
}

/**
 * An entry's details as "key: value" pairs of plain text. Values are whatever the server stored
 * (a connection id, a role, a count); anything that is not a string is written as JSON.
 */
export function auditDetailPairs(details: Record<string, unknown> | null): { key: string; value: string }[] {
  if (!details) return [];
  return Object.entries(details).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)),
  }));
}
