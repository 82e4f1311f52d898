import { Msg } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { Csrf, Notice, SubmitButton } from '../accounts/views.js';

/** The participant's own page to download or erase everything held about her. */
export function MyDataPage(p: {
  ctx: PageContext;
  csrfToken: string;
  error?: string | undefined;
  erased?: boolean;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="privacy.mine.heading" />
      </h1>
      {p.erased ? (
        <Notice ctx={ctx} kind="ok" k="privacy.erased" />
      ) : (
        <>
          <p>
            <Msg ctx={ctx} k="privacy.mine.intro" />
          </p>
          <Notice ctx={ctx} kind="error" k={p.error} />
          <form method="post" action={ctx.href('/participant/my-data')} class="stack">
            <Csrf token={p.csrfToken} />
            <label>
              <Msg ctx={ctx} k="privacy.code" />
              <input name="code" required maxLength={40} autocomplete="off" dir="ltr" />
            </label>
            <fieldset>
              <legend>
                <Msg ctx={ctx} k="privacy.action" />
              </legend>
              <label>
                <input type="radio" name="action" value="export" checked />{' '}
                <Msg ctx={ctx} k="privacy.action.export" />
              </label>
              <label>
                <input type="radio" name="action" value="erase" />{' '}
                <Msg ctx={ctx} k="privacy.action.erase" />
              </label>
            </fieldset>
            <label>
              <input type="checkbox" name="confirm" value="yes" />{' '}
              <Msg ctx={ctx} k="privacy.confirmErase" />
            </label>
            <SubmitButton ctx={ctx} k="privacy.submit" />
          </form>
        </>
      )}
    </>
  );
}

/** Staff handling a participant's request (by the code she gives them), with their password. */
export function RightsRequestPage(p: {
  ctx: PageContext;
  csrfToken: string;
  error?: string | undefined;
  erased?: boolean;
}) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="privacy.staff.heading" />
      </h1>
      <p>
        <Msg ctx={ctx} k="privacy.staff.intro" />
      </p>
      <Notice ctx={ctx} kind="error" k={p.error} />
      {p.erased && <Notice ctx={ctx} kind="ok" k="privacy.staff.erased" />}
      <form method="post" action={ctx.href('/workspace/participant-rights')} class="stack">
        <Csrf token={p.csrfToken} />
        <label>
          <Msg ctx={ctx} k="privacy.code" />
          <input name="code" required maxLength={40} autocomplete="off" dir="ltr" />
        </label>
        <fieldset>
          <legend>
            <Msg ctx={ctx} k="privacy.action" />
          </legend>
          <label>
            <input type="radio" name="action" value="export" checked />{' '}
            <Msg ctx={ctx} k="privacy.staff.export" />
          </label>
          <label>
            <input type="radio" name="action" value="erase" />{' '}
            <Msg ctx={ctx} k="privacy.staff.erase" />
          </label>
        </fieldset>
        <label>
          <input type="checkbox" name="confirm" value="yes" />{' '}
          <Msg ctx={ctx} k="privacy.staff.confirmErase" />
        </label>
        <label>
          <Msg ctx={ctx} k="privacy.password" />
          <input type="password" name="password" required autocomplete="current-password" />
        </label>
        <SubmitButton ctx={ctx} k="privacy.submit" />
      </form>
    </>
  );
}
