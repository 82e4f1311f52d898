import parseRange from 'range-parser';

export type RangeDecision =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Decides what to send for a Range request (RFC 9110 §14). Only one range is ever honoured:
 * several ranges (the "Apache Killer" pattern) or a malformed header get the whole file, an
 * If-Range that no longer matches gets the whole file, and a range past the end gets 416.
 */
export function decideRange(
  size: number,
  rangeHeader: string | undefined,
  ifRange: string | undefined,
  etag: string,
  lastModified: Date,
): RangeDecision {
  if (!rangeHeader || rangeHeader.length > 200) return { kind: 'full' };
  if (ifRange !== undefined && !ifRangeMatches(ifRange, etag, lastModified))
    return { kind: 'full' };
  if (size === 0) return { kind: 'unsatisfiable' };
  const result = parseRange(size, rangeHeader, { combine: true });
  if (result === -1) return { kind: 'unsatisfiable' };
  if (result === -2 || result.type !== 'bytes' || result.length !== 1) return { kind: 'full' };
  const range = result[0]!;
  return { kind: 'partial', start: range.start, end: range.end };
}

function ifRangeMatches(ifRange: string, etag: string, lastModified: Date): boolean {
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag; // strong comparison
  const date = Date.parse(value);
  return (
    !Number.isNaN(date) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(date / 1000)
  );
}
