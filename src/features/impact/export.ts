/**
 * CSV and XLSX exports of an impact report: the same rows and the same suppression as the page.
 * Every text cell is safe from formula injection (a text a spreadsheet would read as a formula
 * gets a leading apostrophe); numbers stay numbers. The CSV starts with a UTF-8 BOM so that
 * Excel reads Arabic and Persian.
 */
import ExcelJS from 'exceljs';
import type { Direction } from '../../platform/i18n/languages.js';
import type { ReportEvent } from './data.js';
import { countryName, type Labeller, type Report } from './report.js';
import type { CellFigures, Paired } from './statistics.js';

export type Cell = string | number | null;

/** Characters that make a spreadsheet treat a text as a formula (OWASP CSV injection). */
const FORMULA_START = /^[\s\u00a0]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** A text prefixed with an apostrophe when a spreadsheet would run it as a formula. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function safeCell(cell: Cell): Cell {
  return typeof cell === 'string' ? safeText(cell) : cell;
}

const round = (n: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export interface ExportTable {
  title: string;
  /** Lines describing the selection (filters, date). */
  about: string[];
  header: string[];
  rows: Cell[][];
  eventsTitle: string;
  eventsHeader: string[];
  events: Cell[][];
}

function pairedCells(p: Paired | undefined, fewer: string): Cell[] {
  if (!p || !p.shown) return [fewer, null, null, null];
  return [
    p.n,
    round(p.mean, 3),
    Number.isNaN(p.lower) ? null : round(p.lower, 3),
    Number.isNaN(p.upper) ? null : round(p.upper, 3),
  ];
}

function figureCells(f: CellFigures, fewer: string): Cell[] {
  // A hidden row says so once, and gives no figure at all.
  if (!f.shown) return [fewer, ...Array<Cell>(10).fill(null)];
  return [
    f.people,
    f.attendanceRate === null ? null : round(f.attendanceRate * 100, 1),
    round(f.completionRate * 100, 1),
    ...pairedCells(f.skills, fewer),
    ...pairedCells(f.confidence, fewer),
  ];
}

/** The report as rows of cells, in the reader's language, before any file format. */
export function exportTable(
  report: Report,
  events: readonly ReportEvent[],
  l: Labeller,
  about: string[],
): ExportTable {
  const fewer = l.t('impact.fewerThan', { count: 5 });
  const constructHeaders = (construct: 'skills' | 'confidence') => {
    const name = l.t(`impact.construct.${construct}`);
    return [
      l.t('impact.col.pairs', { construct: name }),
      l.t('impact.col.change', { construct: name }),
      l.t('impact.col.lower', { construct: name }),
      l.t('impact.col.upper', { construct: name }),
    ];
  };
  return {
    title: l.t('impact.heading'),
    about,
    header: [
      l.t(`impact.by.${report.dimension}`),
      l.t('impact.col.participants'),
      l.t('impact.col.attendancePercent'),
      l.t('impact.col.completionPercent'),
      ...constructHeaders('skills'),
      ...constructHeaders('confidence'),
    ],
    rows: [
      ...report.rows.map((r) => [r.label, ...figureCells(r.figures, fewer)]),
      [l.t('impact.total'), ...figureCells(report.total, fewer)],
    ],
    eventsTitle: l.t('impact.events.heading'),
    eventsHeader: [
      l.t('impact.events.title'),
      l.t('impact.by.organisation'),
      l.t('impact.by.country'),
      l.t('impact.by.kind'),
      l.t('impact.events.starts'),
    ],
    events: events.map((e) => [
      e.title,
      e.organisation,
      e.country ? countryName(l.lang, e.country) : l.t('impact.noCountry'),
      l.t(`impact.kind.${e.kind}`),
      e.startsAt.slice(0, 10),
    ]),
  };
}

function csvField(cell: Cell): string {
  const safe = safeCell(cell);
  if (safe === null) return '';
  if (typeof safe === 'number') return Number.isFinite(safe) ? String(safe) : '';
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(table: ExportTable): Buffer {
  const lines: Cell[][] = [
    [table.title],
    ...table.about.map((a) => [a]),
    [],
    table.header,
    ...table.rows,
    [],
    [table.eventsTitle],
    table.eventsHeader,
    ...table.events,
  ];
  const text = lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
}

export async function toXlsx(table: ExportTable, dir: Direction): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Learning Center';
  const views = [{ rightToLeft: dir === 'rtl' }];
  const sheet = workbook.addWorksheet(sheetName(table.title), { views });
  const add = (ws: ExcelJS.Worksheet, cells: Cell[]) => ws.addRow(cells.map(safeCell));
  add(sheet, [table.title]).font = { bold: true, size: 14 };
  for (const line of table.about) add(sheet, [line]);
  sheet.addRow([]);
  add(sheet, table.header).font = { bold: true };
  for (const row of table.rows) add(sheet, row);
  sheet.lastRow!.font = { bold: true };
  sheet.getColumn(1).width = 28;
  for (let c = 2; c <= table.header.length; c++) sheet.getColumn(c).width = 16;

  const events = workbook.addWorksheet(sheetName(table.eventsTitle), { views });
  add(events, table.eventsHeader).font = { bold: true };
  for (const row of table.events) add(events, row);
  events.getColumn(1).width = 40;
  events.getColumn(2).width = 28;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
