/** Numbers of a report in the reader's conventions (digits, decimal sign, percent). */
const cache = new Map<string, Intl.NumberFormat>();

function format(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

/** A change on the 1-5 scale: "+0.50", "−0.25", "٠٫٥٠+"... */
export function formatChange(lang: string, value: number): string {
  return format(lang, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  }).format(value);
}

export function formatPercent(lang: string, share: number): string {
  return format(lang, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatCount(lang: string, value: number): string {
  return format(lang, {}).format(value);
}
