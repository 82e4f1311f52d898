import { Msg } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';

/** A form-level message (an error, or a confirmation), announced to screen readers. */
export function Notice({
  ctx,
  k,
  kind,
}: {
  ctx: PageContext;
  k?: string | undefined;
  kind: 'error' | 'ok';
}) {
  if (!k) return null;
  return (
    <p class={kind} role={kind === 'error' ? 'alert' : 'status'}>
      <Msg ctx={ctx} k={k} />
    </p>
  );
}

/** The submit button of a form, in its own row. */
export function SubmitButton({ ctx, k }: { ctx: PageContext; k: string }) {
  return (
    <div>
      <button type="submit">
        <Msg ctx={ctx} k={k} />
      </button>
    </div>
  );
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function LoginPage(p: {
  ctx: PageContext;
  csrfToken: string;
  next: string;
  username: string;
  error?: string | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="login.heading" />
      </h1>
      <Notice ctx={ctx} k={p.error} kind="error" />
      <form method="post" action={ctx.href('/login')} class="fields">
        <Csrf token={p.csrfToken} />
        <input type="hidden" name="next" value={p.next} />
        <label>
          <Msg ctx={ctx} k="login.username" />
          <input
            name="username"
            value={p.username}
            required
            maxLength={64}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            dir="auto"
          />
        </label>
        <label>
          <Msg ctx={ctx} k="login.password" />
          <input
            name="password"
            type="password"
            required
            maxLength={256}
            autocomplete="current-password"
          />
        </label>
        <SubmitButton ctx={ctx} k="login.submit" />
      </form>
      <p class="meta">
        <Msg ctx={ctx} k="login.forgot" />
      </p>
    </>
  );
}

export function CodePage(p: {
  ctx: PageContext;
  csrfToken: string;
  next: string;
  error?: string | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="login.code.heading" />
      </h1>
      <Notice ctx={ctx} k={p.error} kind="error" />
      <form method="post" action={ctx.href('/login/code')} class="fields">
        <Csrf token={p.csrfToken} />
        <input type="hidden" name="next" value={p.next} />
        <label>
          <Msg ctx={ctx} k="login.code.label" />
          <input
            name="code"
            inputMode="numeric"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            required
            autocomplete="one-time-code"
            dir="ltr"
          />
        </label>
        <SubmitButton ctx={ctx} k="login.submit" />
      </form>
    </>
  );
}

export function PasswordPage(p: {
  ctx: PageContext;
  csrfToken: string;
  error?: string | undefined;
  done?: boolean;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="account.password.heading" />
      </h1>
      <Notice ctx={ctx} k={p.error} kind="error" />
      <Notice ctx={ctx} k={p.done ? 'account.password.changed' : undefined} kind="ok" />
      <form method="post" action={ctx.href('/workspace/account/password')} class="fields">
        <Csrf token={p.csrfToken} />
        <label>
          <Msg ctx={ctx} k="account.password.current" />
          <input
            name="current"
            type="password"
            required
            maxLength={256}
            autocomplete="current-password"
          />
        </label>
        <label>
          <Msg ctx={ctx} k="account.password.new" />
          <input
            name="password"
            type="password"
            required
            minLength={10}
            maxLength={256}
            autocomplete="new-password"
          />
        </label>
        <label>
          <Msg ctx={ctx} k="account.password.repeat" />
          <input
            name="repeat"
            type="password"
            required
            maxLength={256}
            autocomplete="new-password"
          />
        </label>
        <SubmitButton ctx={ctx} k="account.password.submit" />
      </form>
      <h2>
        <Msg ctx={ctx} k="account.sessions.heading" />
      </h2>
      <form method="post" action={ctx.href('/workspace/account/sign-out-everywhere')}>
        <Csrf token={p.csrfToken} />
        <button type="submit" class="plain">
          <Msg ctx={ctx} k="account.sessions.signOutEverywhere" />
        </button>
      </form>
    </>
  );
}

export function TwoFactorPage(p: {
  ctx: PageContext;
  csrfToken: string;
  enabled: boolean;
  secret?: string | undefined;
  uri?: string | undefined;
  required: boolean;
  error?: string | undefined;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="account.twoFactor.heading" />
      </h1>
      {p.required && !p.enabled && (
        <p class="note">
          <Msg ctx={ctx} k="account.twoFactor.required" />
        </p>
      )}
      <Notice ctx={ctx} k={p.error} kind="error" />
      {p.enabled ? (
        <p class="ok">
          <Msg ctx={ctx} k="account.twoFactor.on" />
        </p>
      ) : (
        <>
          <p>
            <Msg ctx={ctx} k="account.twoFactor.explain" />
          </p>
          <p dir="ltr">
            <code class="secret">{p.secret?.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
          <details>
            <summary>
              <Msg ctx={ctx} k="account.twoFactor.uri" />
            </summary>
            <p dir="ltr">
              <code>{p.uri}</code>
            </p>
          </details>
          <form method="post" action={ctx.href('/workspace/account/two-factor')} class="fields">
            <Csrf token={p.csrfToken} />
            <label>
              <Msg ctx={ctx} k="login.code.label" />
              <input
                name="code"
                inputMode="numeric"
                maxLength={7}
                required
                autocomplete="one-time-code"
                dir="ltr"
              />
            </label>
            <SubmitButton ctx={ctx} k="account.twoFactor.confirm" />
          </form>
        </>
      )}
    </>
  );
}
