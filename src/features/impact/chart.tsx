/**
 * The chart of an impact report, drawn on the server as inline SVG: per row, a bar of the mean
 * paired change in skills and one in confidence, the 95% confidence interval as a whisker, and
 * a zero line. Right-to-left pages get the mirror image (bars and axis run from the right) with
 * the SVG's direction set, so that "start" and "end" anchors follow the reading direction.
 * No script, no external resource; the table before it carries the same figures.
 */
import type { Direction } from '../../platform/i18n/languages.js';
import type { Labeller } from './report.js';
import { formatChange } from './format.js';
import type { Paired } from './statistics.js';

export interface ChartRow {
  label: string;
  skills: Paired;
  confidence: Paired;
}

const WIDTH = 640;
const LABEL_WIDTH = 170;
const PLOT_START = LABEL_WIDTH + 60;
const PLOT_END = WIDTH - 60;
const TOP = 34;
const ROW_HEIGHT = 48;
const BAR_HEIGHT = 14;
const COLOURS = { skills: '#7a1f5c', confidence: '#1a5fb4' } as const;

/** A step for axis ticks giving a handful of ticks over `span`. */
function tickStep(span: number): number {
  for (const step of [0.25, 0.5, 1, 2]) if (span / step <= 8) return step;
  return 4;
}

function domain(rows: readonly ChartRow[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const row of rows) {
    for (const p of [row.skills, row.confidence]) {
      if (!p.shown) continue;
      for (const v of [p.mean, p.lower, p.upper]) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
  }
  if (hi - lo < 0.5) hi = lo + 0.5;
  const step = tickStep(hi - lo);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

export function ImpactChart({
  l,
  dir,
  rows,
  id,
  title,
  description,
}: {
  l: Labeller;
  dir: Direction;
  rows: readonly ChartRow[];
  id: string;
  title: string;
  description: string;
}) {
  const [lo, hi] = domain(rows);
  const step = tickStep(hi - lo);
  const rtl = dir === 'rtl';
  /** Distance of a value from the start edge (the left in LTR, the right in RTL). */
  const pos = (v: number) => PLOT_START + ((v - lo) / (hi - lo)) * (PLOT_END - PLOT_START);
  /** Physical x of a distance `d` from the start edge. */
  const fromStart = (d: number) => round(rtl ? WIDTH - d : d);
  /** Physical x of a value. */
  const x = (v: number) => fromStart(pos(v));
  const height = TOP + rows.length * ROW_HEIGHT + 30;
  const axisY = TOP + rows.length * ROW_HEIGHT;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + 1e-9; t += step) ticks.push(round(t));
  const zero = x(0);

  const bar = (p: Paired, construct: 'skills' | 'confidence', y: number) => {
    if (!p.shown) {
      return (
        <text x={fromStart(pos(0) + 4)} y={y + BAR_HEIGHT - 3} text-anchor="start" fill="#50505a">
          {l.t('impact.fewerPairs', { count: 5 })}
        </text>
      );
    }
    const end = x(p.mean);
    const mid = y + BAR_HEIGHT / 2;
    const hasInterval = Number.isFinite(p.lower) && Number.isFinite(p.upper);
    const low = hasInterval ? x(p.lower) : end;
    const high = hasInterval ? x(p.upper) : end;
    // The value is written beyond the far end of the whisker, on the side the bar grows to.
    const grows = p.mean >= 0;
    const labelX = grows
      ? fromStart(pos(Math.max(p.mean, hasInterval ? p.upper : p.mean)) + 4)
      : fromStart(pos(Math.min(p.mean, hasInterval ? p.lower : p.mean)) - 4);
    const name = l.t(`impact.construct.${construct}`);
    const text = hasInterval
      ? l.t('impact.chart.barText', {
          construct: name,
          change: formatChange(l.lang, p.mean),
          lower: formatChange(l.lang, p.lower),
          upper: formatChange(l.lang, p.upper),
        })
      : `${name}: ${formatChange(l.lang, p.mean)}`;
    return (
      <g>
        <title>{text}</title>
        <rect
          x={Math.min(zero, end)}
          y={y}
          width={Math.max(1, Math.abs(end - zero))}
          height={BAR_HEIGHT}
          fill={COLOURS[construct]}
        />
        {hasInterval && (
          <path
            d={`M${low} ${mid}H${high}M${low} ${mid - 5}V${mid + 5}M${high} ${mid - 5}V${mid + 5}`}
            stroke="#1b1b1f"
            stroke-width="1.5"
            fill="none"
          />
        )}
        <text x={labelX} y={y + BAR_HEIGHT - 3} text-anchor={grows ? 'start' : 'end'}>
          {formatChange(l.lang, p.mean)}
        </text>
      </g>
    );
  };

  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      direction={dir}
      font-size="13"
      class="impact-chart"
      data-dir={dir}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g>
        {(['skills', 'confidence'] as const).map((construct, i) => (
          <>
            <rect
              x={fromStart(PLOT_START + i * 150 + (rtl ? 12 : 0))}
              y={8}
              width={12}
              height={12}
              fill={COLOURS[construct]}
            />
            <text x={fromStart(PLOT_START + i * 150 + 18)} y={19} text-anchor="start">
              {l.t(`impact.construct.${construct}`)}
            </text>
          </>
        ))}
      </g>
      {ticks.map((t) => (
        <g>
          <line
            x1={x(t)}
            x2={x(t)}
            y1={TOP - 4}
            y2={axisY}
            stroke={t === 0 ? '#1b1b1f' : '#d8d8de'}
            stroke-width={t === 0 ? 2 : 1}
            {...(t === 0 ? { class: 'zero' } : {})}
          />
          <text x={x(t)} y={axisY + 18} text-anchor="middle" fill="#50505a">
            {formatChange(l.lang, t)}
          </text>
        </g>
      ))}
      {rows.map((row, i) => {
        const y = TOP + i * ROW_HEIGHT;
        return (
          <g>
            <text x={fromStart(LABEL_WIDTH)} y={y + BAR_HEIGHT + 8} text-anchor="end">
              {truncate(row.label, 26)}
            </text>
            {bar(row.skills, 'skills', y + 4)}
            {bar(row.confidence, 'confidence', y + 4 + BAR_HEIGHT + 4)}
          </g>
        );
      })}
    </svg>
  );
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
