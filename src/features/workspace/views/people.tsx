import { Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { Role } from '../../../platform/db/schema.js';
import type { Person } from '../people.js';
import { Csrf, Field, FormErrors, SubmitButton } from './common.js';
import type { FieldErrors } from '../forms.js';

export interface PeoplePageProps {
  ctx: PageContext;
  csrfToken: string;
  people: (Person & { manageable: boolean })[];
  organisations: { id: string; name: string; roles: Role[] }[];
  form: { username: string; name: string; organisation: string; role: string };
  errors: FieldErrors;
  /** A new password to hand over, shown this once. */
  handover?: { username: string; password: string } | undefined;
}

function ActionButton(p: {
  ctx: PageContext;
  csrfToken: string;
  personId: string;
  action: string;
  label: string;
}) {
  return (
    <form
      method="post"
      action={p.ctx.href(`/workspace/people/${p.personId}/${p.action}`)}
      class="inline"
    >
      <Csrf token={p.csrfToken} />
      <button type="submit" class="plain">
        <Msg ctx={p.ctx} k={p.label} />
      </button>
    </form>
  );
}

export function PeoplePage(p: PeoplePageProps) {
  const { ctx } = p;
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="people.heading" />
      </h1>
      {p.handover && (
        <div class="ok" role="status">
          <p>
            <Msg ctx={ctx} k="people.handover" v={{ username: p.handover.username }} />
          </p>
          <p dir="ltr">
            <code class="secret" data-password>
              {p.handover.password}
            </code>
          </p>
        </div>
      )}
      <ul class="items">
        {p.people.map((person) => (
          <li data-person={person.username}>
            <bdi>{person.display_name}</bdi> (<span dir="ltr">{person.username}</span>)
            <div class="meta">
              {person.memberships.map((m) => (
                <>
                  <bdi>{m.organisationName}</bdi>: <Msg ctx={ctx} k={`role.${m.role}`} />{' '}
                </>
              ))}
              {person.disabled_at && (
                <strong>
                  <Msg ctx={ctx} k="people.disabled" />
                </strong>
              )}
            </div>
            {person.manageable && (
              <div class="actions">
                <ActionButton
                  ctx={ctx}
                  csrfToken={p.csrfToken}
                  personId={person.id}
                  action={person.disabled_at ? 'enable' : 'disable'}
                  label={person.disabled_at ? 'people.enable' : 'people.disable'}
                />
                <ActionButton
                  ctx={ctx}
                  csrfToken={p.csrfToken}
                  personId={person.id}
                  action="reset"
                  label="people.reset"
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      <h2>
        <Msg ctx={ctx} k="people.add" />
      </h2>
      <FormErrors ctx={ctx} errors={p.errors} />
      <form method="post" action={ctx.href('/workspace/people')} class="fields">
        <Csrf token={p.csrfToken} />
        <Field ctx={ctx} name="username" label="login.username" errors={p.errors}>
          <input
            name="username"
            value={p.form.username}
            required
            maxLength={64}
            autocomplete="off"
            dir="ltr"
          />
        </Field>
        <Field ctx={ctx} name="name" label="people.name" errors={p.errors}>
          <input name="name" value={p.form.name} maxLength={100} autocomplete="off" dir="auto" />
        </Field>
        <Field
          ctx={ctx}
          name="organisation"
          label="workspace.dashboard.organisation"
          errors={p.errors}
        >
          <select name="organisation">
            {p.organisations.map((o) => (
              <option value={o.id} selected={o.id === p.form.organisation}>
                {o.name}
              </option>
            ))}
          </select>
        </Field>
        <Field ctx={ctx} name="role" label="people.role" errors={p.errors}>
          <select name="role">
            {(['org_admin', 'editor', 'translator', 'trainer', 'network_admin'] as const)
              .filter((r) => p.organisations.some((o) => o.roles.includes(r)))
              .map((r) => (
                <option value={r} selected={r === p.form.role}>
                  {ctx.t(`role.${r}`)}
                </option>
              ))}
          </select>
        </Field>
        <SubmitButton ctx={ctx} k="people.addSubmit" />
      </form>
    </>
  );
}
