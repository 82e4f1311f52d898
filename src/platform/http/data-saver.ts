/**
 * The data-saver preference: a first-party cookie, remembered without an account. When it is on,
 * pages leave out images and list the smallest version of each file first.
 */
export const SAVER_COOKIE = 'lc_saver';

export function saverFromCookie(value: string | undefined): boolean {
  return value === '1';
}
