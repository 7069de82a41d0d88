import { z } from 'zod';

export const roles = ['admin', 'dispatcher', 'support', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * What each role may do. The server enforces it on every route; the SPA reads the same table to
 * hide what a role cannot do.
 */
export const capabilities = {
  /** See connections, operations, broadcasts. */
  view: ['admin', 'dispatcher', 'support', 'viewer'],
  /** Send a failed message again, or a broadcast's failed recipients. */
  resend: ['admin', 'dispatcher', 'support'],
  /** Compose messages and broadcasts. */
  send: ['admin', 'dispatcher'],
  /** Manage accounts and read the audit log. */
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Capability = keyof typeof capabilities;

export function can(role: Role, capability: Capability): boolean {
  return (capabilities[capability] as readonly Role[]).includes(role);
}

export const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const signInRequestSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter an email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(1024),
});

/** The details of a 429 `too_many_attempts` from POST /api/session: when to try again, and which limit held. */
export const signInLimitedDetailsSchema = z.object({
  retry_after_seconds: z.number().int().positive(),
  scope: z.enum(['address', 'account_and_address', 'account']),
});
export type SignInLimitedDetails = z.infer<typeof signInLimitedDetailsSchema>;

export const sessionSchema = z.object({
  user: sessionUserSchema,
  /** Send it back as X-CSRF-Token on every request that changes something. */
  csrf_token: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

/** GET /api/session/options: what the sign-in page may show before anyone signs in. */
export const signInOptionsSchema = z.object({
  demo_accounts: z.array(z.object({ email: z.string(), password: z.string(), role: roleSchema })).nullable(),
});

export const PASSWORD_MIN_LENGTH = 12;

export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  last_sign_in_at: z.string().nullable(),
});
export type Account = z.infer<typeof accountSchema>;
export const accountListSchema = z.object({ items: z.array(accountSchema) });

export const createAccountRequestSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter an email address.').max(254),
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  role: roleSchema,
  password: z.string().min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`).max(1024),
});

export const updateAccountRequestSchema = z
  .object({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(120).optional(),
    password: z.string().min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`).max(1024).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Nothing to change.');

/**
 * What an audit entry's target is, resolved by the server from its action (server/audit), so the
 * log can say it in words and link to it. An account is named as it is now; `id` and `name` are
 * null when no account has that address (a failed sign-in for an unknown one, or an account that
 * is gone), and the address recorded at the time is all there is.
 */
export const auditSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('operation'), id: z.string() }),
  z.object({ kind: z.literal('broadcast'), id: z.string() }),
  z.object({ kind: z.literal('resend_batch'), id: z.string() }),
  z.object({ kind: z.literal('incident'), id: z.string() }),
  z.object({ kind: z.literal('account'), id: z.string().nullable(), email: z.string(), name: z.string().nullable() }),
  z.object({ kind: z.literal('demo_scenario'), id: z.string(), scenario: z.string().nullable() }),
  z.object({ kind: z.literal('demo') }),
  z.object({ kind: z.literal('webhook_subscription') }),
  /** An action this release does not know: its target as it was recorded. */
  z.object({ kind: z.literal('other'), value: z.string() }),
]);
export type AuditSubject = z.infer<typeof auditSubjectSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_id: z.string().nullable(),
  /** The address the actor signed in with, recorded at the time. */
  actor_email: z.string().nullable(),
  /** The actor's account name as it is now; null when not signed in or the account is gone. */
  actor_name: z.string().nullable(),
  action: z.string(),
  /** The target as recorded (an id, an address); `subject` says what it is. */
  target: z.string().nullable(),
  subject: auditSubjectSchema.nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), next_cursor: z.string().nullable() });
export const auditQuerySchema = z.object({
  action: z.string().max(64).optional(),
  actor_id: z.string().max(64).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
