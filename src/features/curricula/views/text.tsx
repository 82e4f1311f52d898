/**
 * Picked texts and durations as views show them: a text in another language than the reader's
 * carries its own lang and dir (inline through LangText, blocks through attributes), and
 * durations and clocks use the reader's digits.
 */
import type { ComponentChildren } from 'preact';
import { LangText } from '../../../platform/views/components.js';
import type { PageContext } from '../../../platform/views/context.js';
import { pickText, type Picked } from '../../programmes/texts.js';

export type Pick<T> = Picked<T>;

export function pick<T extends { language: string }>(
  rows: readonly T[],
  lang: string,
): Picked<T> | undefined {
  return pickText(rows, lang);
}

/** lang and dir for a block element holding a fallback text; nothing when it is the reader's. */
export function langAttrs(p: Picked<unknown> | undefined): { lang?: string; dir?: 'ltr' | 'rtl' } {
  return p?.fallbackLanguage ? { lang: p.fallbackLanguage, dir: p.dir } : {};
}

/** Inline text that may be a fallback: isolated and marked with its language. */
export function Txt({
  p,
  children,
}: {
  p: Picked<unknown> | undefined;
  children: ComponentChildren;
}) {
  if (p?.fallbackLanguage)
    return (
      <LangText lang={p.fallbackLanguage} dir={p.dir}>
        {children}
      </LangText>
    );
  return <bdi>{children}</bdi>;
}

/** The title of a picked row, or `fallback` when there is no text at all. */
export function titleOf(p: Picked<{ title: string }> | undefined, fallback: string): string {
  return p?.text.title ?? fallback;
}

/** "45 minutes", "2 hours", "1 hour 30 minutes" in the reader's language. */
export function duration(ctx: PageContext, minutes: number): string {
  if (minutes < 60) return ctx.t('curriculum.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (rest === 0) return ctx.t('curriculum.hours', { count: hours });
  return ctx.t('curriculum.hoursMinutes', { hours, minutes: rest });
}

const twoDigits = new Map<string, Intl.NumberFormat>();

/** A running clock "1:05" (hours:minutes from the start) in the reader's digits. */
export function clock(ctx: PageContext, minutes: number): string {
  let format = twoDigits.get(ctx.lang);
  if (!format) {
    format = new Intl.NumberFormat(ctx.lang, { minimumIntegerDigits: 2, useGrouping: false });
    twoDigits.set(ctx.lang, format);
  }
  return `${ctx.number(Math.floor(minutes / 60))}:${format.format(minutes % 60)}`;
}
