import { Msg, Pager, pageQuery } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import type { AuditLogTable } from '../../../platform/db/schema.js';
import type { DashboardRow } from '../dashboard.js';
import { SubmitButton } from './common.js';

export function DashboardPage(p: {
  ctx: PageContext;
  rows: DashboardRow[];
  languages: string[];
  organisations: { id: string; name: string }[];
  organisation: string;
  page: number;
  hasMore: boolean;
}) {
  const { ctx } = p;
  const query = (page: number) => {
    const params = new URLSearchParams();
    if (p.organisation) params.set('org', p.organisation);
    params.set('lang', p.languages.join(','));
    return `/workspace/translations?${params.toString()}${pageQuery(page).replace('?', '&')}`;
  };
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.translations" />
      </h1>
      <form method="get" action={ctx.href('/workspace/translations')} class="fields">
        <label>
          <Msg ctx={ctx} k="workspace.dashboard.organisation" />
          <select name="org">
            <option value="">{ctx.t('facet.all')}</option>
            {p.organisations.map((o) => (
              <option value={o.id} selected={o.id === p.organisation}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <Msg ctx={ctx} k="workspace.dashboard.languages" />
          <input name="lang" value={p.languages.join(',')} maxLength={300} dir="ltr" />
        </label>
        <SubmitButton ctx={ctx} k="workspace.dashboard.show" />
      </form>
      <div class="grid" tabIndex={0} role="region" aria-label={ctx.t('workspace.translations')}>
        <table>
          <thead>
            <tr>
              <th scope="col">
                <Msg ctx={ctx} k="workspace.dashboard.work" />
              </th>
              {p.languages.map((l) => (
                <th scope="col" lang={l}>
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <th scope="row">
                  <a href={ctx.href(`/workspace/works/${r.workId}`)}>
                    <bdi>{r.title}</bdi>
                  </a>
                </th>
                {r.cells.map((c) => (
                  <td class={`st-${c.state}`} data-state={c.state}>
                    {c.editionId ? (
                      <a href={ctx.href(`/workspace/editions/${c.editionId}`)}>
                        <Msg ctx={ctx} k={`workspace.status.${c.state}`} />
                      </a>
                    ) : (
                      <Msg ctx={ctx} k={`workspace.status.${c.state}`} />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        ctx={ctx}
        page={p.page}
        pages={p.hasMore ? p.page + 1 : p.page}
        link={(n) => ctx.href(query(n))}
      />
    </>
  );
}

export function AuditPage({ ctx, entries }: { ctx: PageContext; entries: AuditLogTable[] }) {
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="workspace.audit" />
      </h1>
      <div class="grid" tabIndex={0} role="region" aria-label={ctx.t('workspace.audit')}>
        <table>
          <thead>
            <tr>
              <th scope="col">
                <Msg ctx={ctx} k="workspace.audit.when" />
              </th>
              <th scope="col">
                <Msg ctx={ctx} k="workspace.audit.who" />
              </th>
              <th scope="col">
                <Msg ctx={ctx} k="workspace.audit.what" />
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{ctx.date(e.at)}</td>
                <td>
                  <bdi>{e.actor}</bdi>
                </td>
                <td>
                  <code dir="ltr">{e.action}</code> <bdi>{e.detail ?? ''}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
