import { z } from 'zod';

/**
 * /sign-in?redirect=/operations%3Fstatus%3Dfailed: where the person was going. Only a path on
 * this console is followed (never another site, never the sign-in page itself); anything else
 * goes to the Overview.
 */
export const signInSearchSchema = z.object({
  redirect: z.string().max(2048).optional().catch(undefined),
});
export type SignInSearch = z.infer<typeof signInSearchSchema>;

export function safeRedirectTarget(redirect: string | undefined): string {
  if (!redirect || !redirect.startsWith('/') || redirect.startsWith('//') || redirect.startsWith('/\\')) return '/';
  const path = redirect.split(/[?#]/, 1)[0] ?? '/';
  if (path === '/sign-in' || path.startsWith('/sign-in/')) return '/';
  return redirect;
}
