import { Msg } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { Membership } from '../../accounts/sessions.js';

export function WorkspaceHome({
  ctx,
  memberships,
  canAudit,
  canImport,
}: {
  ctx: PageContext;
  memberships: Membership[];
  canAudit: boolean;
  canImport: boolean;
}) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.heading" />
      </h1>
      <ul>
        {memberships.map((m) => (
          <li>
            <bdi>{m.organisationName}</bdi>
            {': '}
            <Msg ctx={ctx} k={`role.${m.role}`} />
          </li>
        ))}
      </ul>
      <ul class="actions">
        <li>
          <a class="button" href={ctx.href('/workspace/works')}>
            <Msg ctx={ctx} k="workspace.works" />
          </a>
        </li>
        <li>
          <a class="button" href={ctx.href('/workspace/translations')}>
            <Msg ctx={ctx} k="workspace.translations" />
          </a>
        </li>
        {(
          [
            ['/workspace/curricula', 'workspace.nav.curricula'],
            ['/workspace/events', 'workspace.nav.events'],
            ['/workspace/surveys', 'workspace.nav.surveys'],
            ['/workspace/reports', 'workspace.nav.reports'],
          ] as const
        ).map(([path, key]) => (
          <li>
            <a class="button" href={ctx.href(path)}>
              <Msg ctx={ctx} k={key} />
            </a>
          </li>
        ))}
        {canImport && (
          <li>
            <a class="button" href={ctx.href('/workspace/import')}>
              <Msg ctx={ctx} k="workspace.import" />
            </a>
          </li>
        )}
        {canAudit && (
          <li>
            <a class="button" href={ctx.href('/workspace/people')}>
              <Msg ctx={ctx} k="people.heading" />
            </a>
          </li>
        )}
        {canAudit && (
          <li>
            <a class="button" href={ctx.href('/workspace/participant-rights')}>
              <Msg ctx={ctx} k="workspace.nav.participantRights" />
            </a>
          </li>
        )}
        {canAudit && (
          <li>
            <a class="button" href={ctx.href('/workspace/audit')}>
              <Msg ctx={ctx} k="workspace.audit" />
            </a>
          </li>
        )}
        <li>
          <a class="button" href={ctx.href('/workspace/account/password')}>
            <Msg ctx={ctx} k="account.password.heading" />
          </a>
        </li>
        <li>
          <a class="button" href={ctx.href('/workspace/account/two-factor')}>
            <Msg ctx={ctx} k="account.twoFactor.heading" />
          </a>
        </li>
      </ul>
    </>
  );
}
