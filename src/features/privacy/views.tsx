import type { ComponentChildren } from 'preact';
import { Msg } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { Csrf, Notice, SubmitButton } from '../accounts/views.js';

/** The request form both pages share: the code, export or erase, and the erase confirmation. */
function RightsForm(p: {
  ctx: PageContext;
  action: string;
  csrfToken: string;
  keys: { export: string; erase: string; confirm: string };
  children?: ComponentChildren;
}) {
  const { ctx } = p;
  return (
    <form method="post" action={ctx.href(p.action)} class="stack">
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
          <Msg ctx={ctx} k={p.keys.export} />
        </label>
        <label>
          <input type="radio" name="action" value="erase" /> <Msg ctx={ctx} k={p.keys.erase} />
        </label>
      </fieldset>
      <label>
        <input type="checkbox" name="confirm" value="yes" /> <Msg ctx={ctx} k={p.keys.confirm} />
      </label>
      {p.children}
      <SubmitButton ctx={ctx} k="privacy.submit" />
    </form>
  );
}

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
          <RightsForm
            ctx={ctx}
            action="/participant/my-data"
            csrfToken={p.csrfToken}
            keys={{
              export: 'privacy.action.export',
              erase: 'privacy.action.erase',
              confirm: 'privacy.confirmErase',
            }}
          />
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
      <RightsForm
        ctx={ctx}
        action="/workspace/participant-rights"
        csrfToken={p.csrfToken}
        keys={{
          export: 'privacy.staff.export',
          erase: 'privacy.staff.erase',
          confirm: 'privacy.staff.confirmErase',
        }}
      >
        <label>
          <Msg ctx={ctx} k="privacy.password" />
          <input type="password" name="password" required autocomplete="current-password" />
        </label>
      </RightsForm>
    </>
  );
}
