import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { signInLimitedDetailsSchema, signInRequestSchema, type Role } from '../../../../contracts/access-schemas.ts';
import { EyeIcon, EyeOffIcon, LockIcon } from '../../../components/ui/access-icons.tsx';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { FormMessage, TextField } from '../../../components/ui/form-field.tsx';
import { LogoMark } from '../../../components/ui/icons.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { formatClockTime } from '../../../lib/format.ts';
import { sessionMutations, signInQueries } from '../api/sign-in-queries.ts';
import { safeRedirectTarget } from '../sign-in-search-schemas.ts';
import { signInRoute } from '../sign-in-route.ts';
import { DemoAccountsPanel } from './demo-accounts-panel.tsx';

type FieldErrors = { email?: string; password?: string };

/**
 * "/sign-in": email and password, then back to where the person was going (`?redirect=`).
 * Wrong credentials, a paused sign-in (too many failures) and an unreachable server each say
 * what happened; with the simulator as upstream, the demo accounts are listed beside the form.
 */
export function SignInPage() {
  const { redirect } = signInRoute.useSearch();
  const navigate = signInRoute.useNavigate();
  const options = useQuery(signInQueries.options());
  const signIn = useMutation(sessionMutations.signIn());

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const formId = useId();
  const headingId = useId();

  // The email field is where everyone starts (jsx-a11y/no-autofocus: focus it once, on arrival).
  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  const submit = () => {
    const parsed = signInRequestSchema.safeParse({ email, password });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'email' || field === 'password') && !errors[field]) errors[field] = issue.message;
      }
      setFieldErrors(errors);
      signIn.reset();
      (errors.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    setFieldErrors({});
    signIn.mutate(parsed.data, {
      onSuccess: () => void navigate({ href: safeRedirectTarget(redirect), replace: true }),
      onError: (error) => {
        if (isApiError(error) && error.code === 'sign_in_failed') {
          // The usual slip is the password: select it, ready to be typed again.
          passwordRef.current?.focus();
          passwordRef.current?.select();
        }
      },
    });
  };

  const fillDemoAccount = (account: { email: string; password: string; role: Role }) => {
    setEmail(account.email);
    setPassword(account.password);
    setFieldErrors({});
    signIn.reset();
    submitRef.current?.focus();
  };

  const failure = signIn.isError ? describeFailure(signIn.error, signIn.submittedAt) : null;

  // Any other failure (paused, unreachable) has nothing to retype: focus moves to what it says.
  const failureNeedsFocus = signIn.isError && !(isApiError(signIn.error) && signIn.error.code === 'sign_in_failed');
  useEffect(() => {
    if (failureNeedsFocus) alertRef.current?.focus();
  }, [failureNeedsFocus]);
  const demoAccounts = options.data?.demo_accounts ?? null;

  return (
    <div className="flex min-h-dvh flex-col">
      <main className="flex flex-1 items-start justify-center px-4 py-10 sm:items-center sm:py-16">
        <div className={`grid w-full gap-6 ${demoAccounts ? 'max-w-4xl lg:grid-cols-[minmax(0,26rem)_minmax(0,1fr)] lg:items-start' : 'max-w-md'}`}>
          <section
            aria-labelledby={headingId}
            className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex items-center gap-3">
              <LogoMark className="size-10" />
              <div className="leading-tight">
                <p className="text-base font-semibold tracking-tight text-slate-900 dark:text-white">Fleet Ops Console</p>
                <p className="text-sm text-slate-500 dark:text-slate-400">Catena Telematics</p>
              </div>
            </div>
            <h1 id={headingId} className="mt-8 text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">
              Sign in
            </h1>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Use the account your console admin made for you.</p>

            <form
              id={formId}
              noValidate
              className="mt-6 space-y-5"
              onSubmit={(event) => {
                event.preventDefault();
                if (!signIn.isPending) submit();
              }}
            >
              {failure ? (
                <FormMessage ref={alertRef} tone="error" title={failure.title}>
                  {failure.detail}
                </FormMessage>
              ) : null}

              <TextField
                id={`${formId}-email`}
                inputRef={emailRef}
                label="Email"
                type="email"
                name="email"
                autoComplete="username"
                inputMode="email"
                spellCheck={false}
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                error={fieldErrors.email}
              />
              <TextField
                id={`${formId}-password`}
                inputRef={passwordRef}
                label="Password"
                type={showPassword ? 'text' : 'password'}
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                error={fieldErrors.password}
                trailing={
                  <button
                    type="button"
                    aria-pressed={showPassword}
                    onClick={() => setShowPassword((shown) => !shown)}
                    className={`${buttonClasses({ variant: 'ghost', size: 'sm' })} h-7 text-xs`}
                  >
                    {showPassword ? <EyeOffIcon className="size-4" /> : <EyeIcon className="size-4" />}
                    Show
                    <span className="sr-only"> password</span>
                  </button>
                }
              />

              <button
                ref={submitRef}
                type="submit"
                aria-disabled={signIn.isPending}
                className={`${buttonClasses({ variant: 'primary' })} h-10 w-full ${signIn.isPending ? 'cursor-wait opacity-70' : ''}`}
              >
                <LockIcon className="size-4" />
                {signIn.isPending ? 'Signing in…' : 'Sign in'}
              </button>
            </form>
          </section>

          {demoAccounts ? <DemoAccountsPanel accounts={demoAccounts} onUse={fillDemoAccount} /> : null}
        </div>
      </main>
      <footer className="px-4 pb-6 text-center text-xs text-slate-500 dark:text-slate-400">
        Sessions end after a while without use, and when an admin changes your role or password.
      </footer>
    </div>
  );
}

/** What went wrong, in words: the server's own message, with a title that says what kind of trouble it is. */
function describeFailure(error: unknown, submittedAt: number): { title: string; detail: string | null } {
  if (!isApiError(error)) return { title: 'Signing in did not work.', detail: errorMessage(error) };
  switch (error.code) {
    case 'sign_in_failed':
      return { title: error.message, detail: 'Check both and try again.' };
    case 'too_many_attempts': {
      // When: the wait the server gave, counted from when this attempt was sent, on this device's clock.
      const limited = signInLimitedDetailsSchema.safeParse(error.details);
      const until = limited.success ? ` You can try again at ${formatClockTime(submittedAt + limited.data.retry_after_seconds * 1000)}.` : '';
      return { title: 'Signing in is paused.', detail: `${error.message}${until}` };
    }
    case 'network_error':
      return { title: 'The console server cannot be reached.', detail: error.message };
    case 'invalid_input':
      return { title: 'The console server did not accept this sign-in.', detail: error.message };
    default:
      return { title: 'Signing in did not work.', detail: error.message };
  }
}
