/**
 * French wording shared by the panels, notices and exports: counts with their noun (0 and 1 take
 * the singular in French) and the small spacing rules that are easy to get wrong in templates.
 */

/** The noun agreeing with `count`: plural from 2 on; `pluralForm` defaults to singular + « s ». */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return Math.abs(count) < 2 ? singular : pluralForm;
}

/** « 0 lycée », « 1 lycée », « 12 lycées », « 1 234 lycées » (non-breaking spaces). */
export function formatCount(count: number, singular: string, pluralForm = `${singular}s`): string {
  const number = count.toLocaleString('fr-FR', { maximumFractionDigits: 1 }).replace(/\s/g, '\u202f');
  return `${number}\u00a0${plural(count, singular, pluralForm)}`;
}

/** Commune with its INSEE code: « Lens (INSEE 62498) ». */
export function formatCommune(name: string, inseeCode: string | null | undefined): string {
  return inseeCode ? `${name} (INSEE ${inseeCode})` : name;
}
