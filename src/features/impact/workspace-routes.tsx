/**
 * Impact reports for the hub and each partner: /:lang/workspace/reports (the page, a GET form),
 * and its CSV and XLSX exports with the same filters. A person sees only the organisations
 * `reportOrganisations` gives her; figures are aggregates with small cells suppressed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { EVENT_KINDS } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { documentContext } from '../../platform/views/document-context.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import { staffOf } from '../accounts/guard.js';
import type { Staff } from '../accounts/sessions.js';
import type { ProgrammeDeps } from '../programmes/deps.js';
import { reportOrganisations } from '../programmes/policies.js';
import { signedInOf } from '../workspace/work-routes.js';
import { filterChoices, loadReportData } from './data.js';
import { exportTable, toCsv, toXlsx } from './export.js';
import { buildReport, countryName, DIMENSIONS, type Dimension, type Labeller } from './report.js';
import { ReportPage, type ReportSelection } from './views.js';

const alternatives = (values: readonly string[]) => `^(${values.join('|')})?$`;

export const ReportQuery = Type.Object(
  {
    organisation: Type.Optional(
      Type.String({ pattern: '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$' }),
    ),
    country: Type.Optional(Type.String({ pattern: '^([A-Z]{2})?$' })),
    kind: Type.Optional(Type.String({ pattern: alternatives(EVENT_KINDS) })),
    year: Type.Optional(Type.String({ pattern: '^([0-9]{4})?$' })),
    by: Type.Optional(Type.String({ pattern: alternatives(DIMENSIONS) })),
  },
  { additionalProperties: false },
);

/** Report builds per person per minute: each decrypts every participant's age band and gender. */
export const REPORT_LIMIT = { max: 30, windowMs: 60_000 };

export function registerImpactWorkspaceRoutes(scope: FastifyInstance, deps: ProgrammeDeps) {
  const { db, pages, cipher, limiter } = deps;
  // The exports speak the reader's language outside a page: they need the catalogues themselves
  // (the page renderer keeps its own private).

  const selectionOf = (request: FastifyRequest): ReportSelection => {
    const q = request.query as Static<typeof ReportQuery>;
    return {
      organisation: q.organisation ?? '',
      country: q.country ?? '',
      kind: q.kind ?? '',
      year: q.year ?? '',
      by: (q.by || 'organisation') as Dimension,
    };
  };

  /** Checks the rate limit, then loads and computes the report of the selection. */
  const build = async (staff: Staff, selection: ReportSelection, l: Labeller) => {
    const state = await limiter.hit(`impact-report:${staff.userId}`, REPORT_LIMIT);
    if (!state.allowed) throw new AppError('TOO_MANY_REQUESTS', 'report builds');
    const allowed = reportOrganisations(staff);
    // Another organisation's id answers as if it did not exist.
    if (selection.organisation && allowed && !allowed.includes(selection.organisation)) {
      throw notFound('organisation not reportable');
    }
    const data = await loadReportData(
      db,
      cipher,
      {
        allowed,
        organisation: selection.organisation || undefined,
        country: selection.country || undefined,
        kind: (selection.kind || undefined) as (typeof EVENT_KINDS)[number] | undefined,
        year: selection.year ? Number(selection.year) : undefined,
      },
      l.lang,
    );
    return { data, report: buildReport(data, selection.by, l), allowed };
  };

  scope.get(
    '/:lang/workspace/reports',
    { schema: { querystring: ReportQuery } },
    async (request, reply) => {
      const staff = staffOf(request);
      const selection = selectionOf(request);
      return pages.renderPrivate(
        request,
        reply,
        async (ctx) => {
          const { data, report, allowed } = await build(staff, selection, ctx);
          const choices = await filterChoices(db, allowed);
          return {
            title: ctx.t('impact.heading'),
            body: (
              <ReportPage
                ctx={ctx}
                choices={choices}
                selection={selection}
                report={report}
                events={data.events}
              />
            ),
          };
        },
        { signedIn: signedInOf(request) },
      );
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    scope.get(
      `/:lang/workspace/reports/export.${format}`,
      { schema: { querystring: ReportQuery } },
      async (request, reply) => {
        const staff = staffOf(request);
        const { lang } = request.params as { lang: string };
        if (!isUiLanguage(lang)) throw notFound('unknown interface language');
        const ctx = documentContext(lang, '/workspace/reports');
        const selection = selectionOf(request);
        const { data, report } = await build(staff, selection, ctx);
        const about = [
          [
            ctx.t('impact.by.organisation'),
            selection.organisation
              ? (data.organisations.get(selection.organisation) ?? '')
              : ctx.t('impact.any'),
          ],
          [
            ctx.t('impact.by.country'),
            selection.country ? countryName(lang, selection.country) : ctx.t('impact.any'),
          ],
          [
            ctx.t('impact.by.kind'),
            selection.kind ? ctx.t(`impact.kind.${selection.kind}`) : ctx.t('impact.any'),
          ],
          [ctx.t('impact.by.year'), selection.year || ctx.t('impact.any')],
          [ctx.t('impact.generated'), deps.clock().toISOString().slice(0, 10)],
        ].map(([k, v]) => `${k}: ${v}`);
        const table = exportTable(report, data.events, ctx, about);
        const stamp = deps.clock().toISOString().slice(0, 10);
        reply.header('cache-control', 'no-store');
        reply.header('x-content-type-options', 'nosniff');
        reply.header(
          'content-disposition',
          `attachment; filename="impact-report-${stamp}.${format}"`,
        );
        if (format === 'csv') {
          reply.header('content-type', 'text/csv; charset=utf-8');
          return reply.send(toCsv(table));
        }
        reply.header(
          'content-type',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        return reply.send(await toXlsx(table, ctx.dir));
      },
    );
  }
}
