/**
 * What the console last learnt about reaching Catena and receiving its webhooks; fed by every
 * upstream call and by the webhook receiver, read by GET /api/health.
 */
export class UpstreamStatus {
  private lastSuccessAt: Date | null = null;
  private lastFailureAt: Date | null = null;
  private lastError: string | null = null;
  private lastWebhookAt: Date | null = null;

  recordSuccess(at = new Date()): void {
    this.lastSuccessAt = at;
    this.lastError = null;
  }

  /** `reason` must be safe to show: never a token, a secret or a raw upstream body. */
  recordFailure(reason: string, at = new Date()): void {
    this.lastFailureAt = at;
    this.lastError = reason;
  }

  recordWebhook(at = new Date()): void {
    this.lastWebhookAt = at;
  }

  snapshot() {
    const reachable =
      this.lastSuccessAt !== null && (this.lastFailureAt === null || this.lastSuccessAt >= this.lastFailureAt);
    return {
      reachable,
      last_success_at: this.lastSuccessAt?.toISOString() ?? null,
      last_error: reachable ? null : this.lastError,
      last_webhook_at: this.lastWebhookAt?.toISOString() ?? null,
    };
  }
}
