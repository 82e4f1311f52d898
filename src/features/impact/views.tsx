/** The impact report page: the filter form (GET, works without JavaScript), table, chart, exports. */
import { EVENT_KINDS } from '../../platform/db/schema.js';
import { LangText, Msg } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { ImpactChart, type ChartRow } from './chart.js';
import type { ReportEvent } from './data.js';
import { formatChange, formatCount, formatPercent } from './format.js';
import { countryName, DIMENSIONS, type Dimension, type Report } from './report.js';
import type { CellFigures, Paired } from './statistics.js';
import { MIN_CELL } from './statistics.js';

export interface ReportSelection {
  organisation: string;
  country: string;
  kind: string;
  year: string;
  by: Dimension;
}

export interface FilterChoices {
  organisations: { id: string; name: string }[];
  countries: string[];
  years: number[];
}

/** The query string of a selection, for the export links. */
export function selectionQuery(s: ReportSelection): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v) params.set(k, v);
  return params.toString();
}

function PairedCell({ ctx, p }: { ctx: PageContext; p: Paired }) {
  if (!p.shown) return <td class="meta">{ctx.t('impact.fewerPairs', { count: MIN_CELL })}</td>;
  if (!Number.isFinite(p.lower)) return <td>{formatChange(ctx.lang, p.mean)}</td>;
  return (
    <td>
      {ctx.t('impact.pairedCell', {
        change: formatChange(ctx.lang, p.mean),
        lower: formatChange(ctx.lang, p.lower),
        upper: formatChange(ctx.lang, p.upper),
        count: p.n,
      })}
    </td>
  );
}

function FigureCells({ ctx, f }: { ctx: PageContext; f: CellFigures }) {
  if (!f.shown) {
    return (
      <td colSpan={5} class="meta">
        {ctx.t('impact.fewerThan', { count: MIN_CELL })}
      </td>
    );
  }
  return (
    <>
      <td>{formatCount(ctx.lang, f.people)}</td>
      <td>{f.attendanceRate === null ? '—' : formatPercent(ctx.lang, f.attendanceRate)}</td>
      <td>{formatPercent(ctx.lang, f.completionRate)}</td>
      <PairedCell ctx={ctx} p={f.skills} />
      <PairedCell ctx={ctx} p={f.confidence} />
    </>
  );
}

function Select({
  ctx,
  name,
  label,
  value,
  options,
  any,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  any?: string;
}) {
  return (
    <label>
      <Msg ctx={ctx} k={label} />
      <select name={name}>
        {any && <option value="">{ctx.t(any)}</option>}
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ReportPage(p: {
  ctx: PageContext;
  choices: FilterChoices;
  selection: ReportSelection;
  report: Report;
  events: ReportEvent[];
}) {
  const { ctx, report, selection } = p;
  const query = selectionQuery(selection);
  const chartRows: ChartRow[] = [
    ...report.rows.map((r) => ({ label: r.label, f: r.figures })),
    { label: ctx.t('impact.total'), f: report.total },
  ].flatMap(({ label, f }) =>
    f.shown && (f.skills.shown || f.confidence.shown)
      ? [{ label, skills: f.skills, confidence: f.confidence }]
      : [],
  );
  const dimensionName = ctx.t(`impact.by.${report.dimension}`);
  return (
    <>
      <h1>
        <Msg ctx={ctx} k="impact.heading" />
      </h1>
      <p class="meta">
        <Msg ctx={ctx} k="impact.intro" v={{ count: MIN_CELL }} />
      </p>
      <form method="get" action={ctx.href('/workspace/reports')} class="fields">
        <Select
          ctx={ctx}
          name="organisation"
          label="impact.by.organisation"
          value={selection.organisation}
          any="impact.any"
          options={p.choices.organisations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Select
          ctx={ctx}
          name="country"
          label="impact.by.country"
          value={selection.country}
          any="impact.any"
          options={p.choices.countries.map((c) => ({
            value: c,
            label: countryName(ctx.lang, c),
          }))}
        />
        <Select
          ctx={ctx}
          name="kind"
          label="impact.by.kind"
          value={selection.kind}
          any="impact.any"
          options={EVENT_KINDS.map((k) => ({ value: k, label: ctx.t(`impact.kind.${k}`) }))}
        />
        <Select
          ctx={ctx}
          name="year"
          label="impact.by.year"
          value={selection.year}
          any="impact.any"
          options={p.choices.years.map((y) => ({ value: String(y), label: ctx.year(y) }))}
        />
        <Select
          ctx={ctx}
          name="by"
          label="impact.breakdown"
          value={selection.by}
          options={DIMENSIONS.map((d) => ({ value: d, label: ctx.t(`impact.by.${d}`) }))}
        />
        <div>
          <button type="submit">
            <Msg ctx={ctx} k="impact.show" />
          </button>
        </div>
      </form>

      <h2 id="impact-table">
        <Msg ctx={ctx} k="impact.tableHeading" v={{ dimension: dimensionName }} />
      </h2>
      {p.events.length === 0 ? (
        <p class="note">
          <Msg ctx={ctx} k="impact.noEvents" />
        </p>
      ) : (
        <div class="grid">
          <table>
            <caption class="meta">
              <Msg ctx={ctx} k="impact.caption" />
            </caption>
            <thead>
              <tr>
                <th scope="col">{dimensionName}</th>
                <th scope="col">
                  <Msg ctx={ctx} k="impact.col.participants" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="impact.col.attendance" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="impact.col.completion" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="impact.col.skillsChange" />
                </th>
                <th scope="col">
                  <Msg ctx={ctx} k="impact.col.confidenceChange" />
                </th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr>
                  <th scope="row">
                    <bdi>{r.label}</bdi>
                  </th>
                  <FigureCells ctx={ctx} f={r.figures} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">
                  <Msg ctx={ctx} k="impact.total" />
                </th>
                <FigureCells ctx={ctx} f={report.total} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}

      {p.events.length > 0 && (
        <>
          <h2>
            <Msg ctx={ctx} k="impact.chart.heading" />
          </h2>
          {chartRows.length === 0 ? (
            <p class="note">
              <Msg ctx={ctx} k="impact.chart.none" v={{ count: MIN_CELL }} />
            </p>
          ) : (
            <figure>
              <ImpactChart
                l={ctx}
                dir={ctx.dir}
                rows={chartRows}
                id="impact-chart"
                title={ctx.t('impact.chart.title', { dimension: dimensionName })}
                description={ctx.t('impact.chart.desc')}
              />
            </figure>
          )}
          <h2>
            <Msg ctx={ctx} k="impact.export" />
          </h2>
          <ul class="actions">
            <li>
              <a class="btn alt" href={ctx.href(`/workspace/reports/export.csv?${query}`)}>
                <Msg ctx={ctx} k="impact.exportCsv" />
              </a>
            </li>
            <li>
              <a class="btn alt" href={ctx.href(`/workspace/reports/export.xlsx?${query}`)}>
                <Msg ctx={ctx} k="impact.exportXlsx" />
              </a>
            </li>
          </ul>
          <h2>
            <Msg ctx={ctx} k="impact.events.heading" />
          </h2>
          <ul class="items">
            {p.events.map((e) => (
              <li>
                <LangText lang={e.titleLanguage}>{e.title}</LangText>
                <div class="meta">
                  <bdi>{e.organisation}</bdi>
                  {' · '}
                  {e.country ? countryName(ctx.lang, e.country) : ctx.t('impact.noCountry')}
                  {' · '}
                  <Msg ctx={ctx} k={`impact.kind.${e.kind}`} />
                  {' · '}
                  {ctx.date(e.startsAt)}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
