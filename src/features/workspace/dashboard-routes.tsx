/** The translation dashboard and the audit log pages. */
import type { FastifyInstance } from 'fastify';
import { auditEntries } from '../audit/log.js';
import { staffOf } from '../accounts/guard.js';
import { forbidden } from '../../platform/http/errors.js';
import { canonicalTag, UI_LANGUAGES } from '../../platform/i18n/languages.js';
import { DASHBOARD_PAGE_SIZE, translationMatrix } from './dashboard.js';
import { canViewAudit, visibleOrganisations } from './policies.js';
import { organisationsByIds } from './repository.js';
import { AuditPage, DashboardPage } from './views/dashboard.js';
import { signedInOf, type WorkspaceDeps } from './work-routes.js';

const MAX_LANGUAGES = 20;

/** "ar, fa,xx" -> canonical tags, unknown ones dropped; the six UI languages by default. */
function languagesFrom(raw: string | undefined): string[] {
  if (!raw) return [...UI_LANGUAGES];
  const tags = raw
    .split(/[\s,،]+/)
    .map((t) => canonicalTag(t))
    .filter((t): t is string => t !== undefined);
  return [...new Set(tags)].slice(0, MAX_LANGUAGES);
}

export function registerDashboardRoutes(scope: FastifyInstance, deps: WorkspaceDeps) {
  const { db, pages } = deps;

  scope.get(
    '/:lang/workspace/translations',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            org: { type: 'string', maxLength: 64 },
            lang: { type: 'string', maxLength: 300 },
            page: { type: 'integer', minimum: 1, maximum: 10000 },
          },
        },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const query = request.query as { org?: string; lang?: string; page?: number };
      const organisations = await organisationsByIds(db, visibleOrganisations(staff));
      // An organisation the person may not see is ignored, not revealed.
      const organisation = organisations.find((o) => o.id === query.org)?.id ?? '';
      const languages = languagesFrom(query.lang);
      const page = query.page ?? 1;
      const rows = await translationMatrix(
        db,
        organisation ? [organisation] : visibleOrganisations(staff),
        languages,
        page,
      );
      return pages.renderPrivate(
        request,
        reply,
        (ctx) => ({
          title: ctx.t('workspace.translations'),
          body: (
            <DashboardPage
              ctx={ctx}
              rows={rows}
              languages={languages}
              organisations={organisations}
              organisation={organisation}
              page={page}
              hasMore={rows.length === DASHBOARD_PAGE_SIZE}
            />
          ),
        }),
        { signedIn: signedInOf(request) },
      );
    },
  );

  scope.get('/:lang/workspace/audit', async (request, reply) => {
    const staff = staffOf(request);
    const administered = staff.memberships
      .map((m) => m.organisationId)
      .filter((id) => canViewAudit(staff, id));
    if (administered.length === 0) throw forbidden('not an administrator');
    const all = visibleOrganisations(staff) === undefined;
    const entries = await auditEntries(db, {
      organisationIds: all ? undefined : administered,
      limit: 200,
      offset: 0,
    });
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('workspace.audit'),
        body: <AuditPage ctx={ctx} entries={entries} />,
      }),
      { signedIn: signedInOf(request) },
    );
  });
}
