/**
 * The OSRM settings a user types (panel) or passes (CLI), validated field by field with a French
 * reason: an empty or malformed field is reported, never read as some number (an empty table size
 * once meant one cell per request, i.e. ~72,000 requests for Hauts-de-France).
 */

export interface RoutingSettings {
  /** e.g. http://localhost:5000; empty when no server is configured. */
  osrmUrl: string;
  /** The server's --max-table-size. */
  maxTableSize: number;
  concurrency: number;
  /** A lycée snapped further than this (m) from its coordinates is outside the server's coverage. */
  snapThresholdMetres: number;
}

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = { osrmUrl: '', maxTableSize: 100, concurrency: 4, snapThresholdMetres: 1000 };

export type RoutingField = keyof RoutingSettings;

export const ROUTING_FIELD_LABELS: Record<RoutingField, string> = {
  osrmUrl: 'Serveur OSRM',
  maxTableSize: 'Taille max. de table',
  concurrency: 'Requêtes parallèles',
  snapThresholdMetres: 'Distance max. à la route',
};

const INTEGER_RULES: Record<Exclude<RoutingField, 'osrmUrl'>, { min: number; max: number; unit: string }> = {
  maxTableSize: { min: 1, max: 100_000, unit: '' },
  concurrency: { min: 1, max: 16, unit: '' },
  snapThresholdMetres: { min: 10, max: 100_000, unit: ' m' },
};

export type RoutingSettingsResult = { ok: true; settings: RoutingSettings } | { ok: false; errors: Partial<Record<RoutingField, string>> };

/** A whole number from a number or its decimal text; anything else (empty, « abc », 2.5) is a reason. */
export function parseWholeNumber(value: unknown, rule: { min: number; max: number; unit: string }): number | string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  if (text === '') return `champ vide : indiquez un nombre entier entre ${rule.min} et ${rule.max}${rule.unit}.`;
  if (!/^\d+$/.test(text)) return `« ${text} » n’est pas un nombre entier (entre ${rule.min} et ${rule.max}${rule.unit}).`;
  const n = Number(text);
  if (n < rule.min || n > rule.max) return `${n} est hors limites : entre ${rule.min} et ${rule.max}${rule.unit}.`;
  return n;
}

/** Checks an http(s) URL; returns it without trailing slashes, or the reason. */
export function parseServerUrl(value: unknown, required: boolean): string | { error: string } {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return required ? { error: 'adresse vide : indiquez l’adresse du serveur, par exemple http://localhost:5000.' } : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `« ${text} » n’est pas une adresse web (exemple : http://localhost:5000).` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `« ${text} » : l’adresse doit commencer par http:// ou https://.` };
  if (url.search || url.hash) return { error: `« ${text} » : donnez l’adresse du serveur seule, sans « ? » ni « # ».` };
  return text.replace(/\/+$/, '');
}

/**
 * Validates every field. `requireUrl`: computing needs a server, saving the form does not.
 * Unknown fields (an old « profil ») are ignored: osrm-routed serves one dataset whatever profile the URL names.
 */
export function validateRoutingSettings(input: Partial<Record<RoutingField, unknown>>, options: { requireUrl?: boolean } = {}): RoutingSettingsResult {
  const errors: Partial<Record<RoutingField, string>> = {};
  const settings = { ...DEFAULT_ROUTING_SETTINGS };
  const url = parseServerUrl(input.osrmUrl, options.requireUrl ?? false);
  if (typeof url === 'string') settings.osrmUrl = url;
  else errors.osrmUrl = url.error;
  for (const field of Object.keys(INTEGER_RULES) as (keyof typeof INTEGER_RULES)[]) {
    const value = parseWholeNumber(input[field], INTEGER_RULES[field]);
    if (typeof value === 'number') settings[field] = value;
    else errors[field] = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings };
}

/** The errors as lines « Field : reason », for a message or the CLI. */
export function describeSettingsErrors(errors: Partial<Record<RoutingField, string>>, labels: Record<RoutingField, string> = ROUTING_FIELD_LABELS): string[] {
  return (Object.keys(errors) as RoutingField[]).map((field) => `${labels[field]} : ${errors[field]}`);
}
