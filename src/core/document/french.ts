/**
 * French typography for the printed documents (PDF, map picture). The printed text follows the
 * Imprimerie nationale rules that the Régions' own documents use: a narrow no-break space (U+202F)
 * before « : ; ? ! » and inside guillemets, a decimal comma, digits grouped by three with a narrow
 * no-break space, and a no-break space between a number and its unit.
 */

/** Narrow no-break space: thousands separator and space before high punctuation. */
export const NNBSP = '\u202F';
/** No-break space: between a number and its unit. */
export const NBSP = '\u00A0';

/** `1234567.891` → `1 234 567,9` (with narrow no-break spaces); null or not finite → `—`. */
export function frenchNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const fixed = Math.abs(value).toFixed(digits);
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  const negative = value < 0 && Number(fixed) !== 0;
  return `${negative ? '−' : ''}${grouped}${fraction ? `,${fraction}` : ''}`;
}

/** Signed percentage of a ratio: `0.123` → `+12,3 %`, `0` → `0 %`. */
export function frenchPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const value = Math.round(ratio * 100 * 10 ** digits) / 10 ** digits;
  const sign = value > 0 ? '+' : '';
  return `${sign}${frenchNumber(value, Number.isInteger(value) ? 0 : digits)}${NBSP}%`;
}

/** Drive time: `2520` s → `42 min`, `6000` s → `1 h 40`. */
export function frenchDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.round(seconds / 60);
  if (total < 60) return `${total}${NBSP}min`;
  return `${Math.floor(total / 60)}${NBSP}h${NBSP}${String(total % 60).padStart(2, '0')}`;
}

/** `3 lycées`, `1 lycée`, `0 lycée` (French singular below 2). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${frenchNumber(count)}${NBSP}${Math.abs(count) < 2 ? singular : pluralForm}`;
}

/** `25 novembre 2026` from an ISO date, in UTC so that the same export gives the same text. */
export function frenchDate(iso: string): string {
  const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  const date = new Date(iso);
  const day = date.getUTCDate();
  return `${day === 1 ? '1er' : day}${NBSP}${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * Narrow no-break spaces before « : ; ? ! », after « and before » (replacing an ordinary space when
 * there is one). Only a mark followed by a space, the end or a closing sign is punctuation: `12:30`,
 * `https://` and `?LAYER=` in an address are left alone.
 */
export function frenchTypography(text: string): string {
  return text
    .replace(/([^\s;:?!])[ \u00A0\u202F]?([;:?!]+)(?=$|[\s)»,.])/g, (_match, before: string, marks: string) => `${before}${NNBSP}${marks}`)
    .replace(/«[ \u00A0\u202F]?/g, `«${NNBSP}`)
    .replace(/[ \u00A0\u202F]?»/g, `${NNBSP}»`);
}
