/**
 * Proposal files (`.maillage.json`): one plan, with a format tag and a schema version so later
 * versions can migrate older files. Import validates every entry (team, assignment, section, zone
 * member, lock, PC count, setting): what cannot be kept is rejected one by one with the reason, the
 * rest is kept. The result is always a new plan built from validated values only: nothing existing
 * is touched and nothing unchecked reaches IndexedDB.
 */
import { PLAN_SCHEMA_VERSION, DEFAULT_SETTINGS, type Plan, type PlanSettings, type Section, type Team, type Zone } from '../model/plan.ts';
import { checkInvariants } from '../model/plan-ops.ts';
import { checkKnownUai, UaiSuggestionBudget } from '../uai.ts';
import { decodeText, finishReport, sniffFile, isFiniteNumber, isObject, isString, jsonKind, parseJsonStrict, refuse, showValue, technicianProblem, type ImportRefusal, type ImportReport, type Rejected } from './import-report.ts';
import { pcCountProblem } from './pc-park.ts';

export const PROPOSAL_FORMAT = 'maillage-proposal';

export interface ProposalFile {
  format: typeof PROPOSAL_FORMAT;
  version: number;
  exportedAt: string;
  plan: Plan;
}

/** A rejected entry; the same shape as every import's rejections. */
export type Rejection = Rejected;

/** An accepted entry of a proposal file (JSON has no lines: where it is and what it is). */
export interface ProposalEntry {
  where: string;
  value: string;
}

export interface ProposalReport extends ImportReport<ProposalEntry> {
  plan: Plan;
}

export type ProposalImport = { ok: true; report: ProposalReport } | ImportRefusal;

export function exportProposal(plan: Plan, now: string): string {
  const file: ProposalFile = { format: PROPOSAL_FORMAT, version: PLAN_SCHEMA_VERSION, exportedAt: now, plan };
  return JSON.stringify(file, null, 2);
}

/** Collects accepted and rejected entries of a JSON file, so every entry is accounted for. */
export class EntryLog {
  readonly accepted: ProposalEntry[] = [];
  readonly rejected: Rejected[] = [];
  accept(where: string, value: unknown): void {
    this.accepted.push({ where, value: showValue(value) });
  }
  reject(where: string, value: unknown, reason: string, suggestion: string | null = null): void {
    this.rejected.push({ where, line: null, value: showValue(value), reason, suggestion });
  }
}

/** Names and labels: control characters removed, length bounded (a 1 MB name is a broken file). */
export const MAX_LABEL = 120;
export function cleanLabel(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const text = raw.slice(0, MAX_LABEL * 2).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g, ' ').trim();
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

const DEPARTEMENT = /^(\d{2}|2[AB]|97\d|98\d)$/;
const COLOUR = /^(#[0-9a-fA-F]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%+-]+\))$/;

/**
 * One team of a proposal file or of the GeoJSON metadata, or null (and a rejection) when it cannot
 * be kept. Its sections and allowed départements are entries of their own.
 */
export function readTeam(raw: unknown, index: number, log: EntryLog, seenIds: ReadonlySet<string>): Team | null {
  const where = `équipe n° ${index + 1}`;
  if (!isObject(raw)) {
    log.reject(where, raw, `une équipe est un objet, trouvé ${jsonKind(raw)}`);
    return null;
  }
  const label = isString(raw.name) ? `équipe « ${showValue(raw.name, 40)} »` : where;
  const problems: string[] = [];
  if (!isString(raw.id) || raw.id.trim() === '' || raw.id.length > 64) problems.push(`identifiant (id) attendu, trouvé ${jsonKind(raw.id)}`);
  else if (seenIds.has(raw.id)) problems.push(`identifiant « ${showValue(raw.id, 30)} » déjà pris par une autre équipe`);
  if (!isString(raw.name) || cleanLabel(raw.name) === '') problems.push(`nom (name) attendu, trouvé ${jsonKind(raw.name)}`);
  const technicians = technicianProblem(raw.technicians);
  if (technicians) problems.push(technicians);
  const base = raw.base;
  if (base !== null && base !== undefined && !(isObject(base) && isFiniteNumber(base.lat) && isFiniteNumber(base.lon) && Math.abs(base.lat) <= 90 && Math.abs(base.lon) <= 180)) problems.push('base invalide (lat et lon en degrés attendus)');
  if (problems.length > 0) {
    log.reject(label, isString(raw.id) ? raw.id : raw.name, problems.join(' ; '));
    for (const [key, what] of [['sections', 'section'], ['allowedDepartements', 'département']] as const) {
      const list = raw[key];
      if (Array.isArray(list)) for (const item of list) log.reject(`${label}, ${what}`, isObject(item) ? item.name : item, 'équipe rejetée');
      else if (list !== undefined && list !== null) log.reject(`${label}, ${what}`, list, 'équipe rejetée');
    }
    return null;
  }
  const id = raw.id as string;
  const sections: Section[] = [];
  const rawSections = raw.sections ?? [];
  if (!Array.isArray(rawSections)) log.reject(`${label}, sections`, rawSections, `liste de sections attendue, trouvé ${jsonKind(rawSections)}`);
  else {
    for (const s of rawSections) {
      if (isObject(s) && isString(s.id) && s.id !== '' && isString(s.name) && !sections.some((x) => x.id === s.id)) {
        sections.push({ id: s.id, name: cleanLabel(s.name) || s.id });
        log.accept(`${label}, section`, s.name);
      } else log.reject(`${label}, section`, isObject(s) ? (s.name ?? s.id) : s, isObject(s) && sections.some((x) => x.id === s.id) ? 'identifiant de section en double' : 'section mal formée (id et name attendus)');
    }
  }
  const allowed: string[] = [];
  const rawAllowed = raw.allowedDepartements ?? [];
  if (!Array.isArray(rawAllowed)) log.reject(`${label}, départements`, rawAllowed, `liste de codes de département attendue, trouvé ${jsonKind(rawAllowed)}`);
  else {
    for (const d of rawAllowed) {
      if (isString(d) && DEPARTEMENT.test(d) && !allowed.includes(d)) {
        allowed.push(d);
        log.accept(`${label}, département`, d);
      } else log.reject(`${label}, département`, d, isString(d) && allowed.includes(d) ? 'département en double' : 'code de département attendu (59, 2A, 971…)');
    }
  }
  log.accept(label, id);
  const b = isObject(base) ? base : null;
  return {
    id,
    name: cleanLabel(raw.name as string),
    service: isString(raw.service) ? cleanLabel(raw.service) || null : null,
    base: b ? { lat: b.lat as number, lon: b.lon as number, label: isString(b.label) ? cleanLabel(b.label) : '', ...(isString(b.uai) ? { uai: b.uai.slice(0, 16) } : {}) } : null,
    technicians: raw.technicians as number,
    color: isString(raw.color) && COLOUR.test(raw.color) ? raw.color : '#888888',
    sections,
    allowedDepartements: allowed,
  };
}

/** The four settings; each invalid one is rejected and replaced by its default (said in the report). */
export function readSettings(raw: unknown, log: EntryLog, where = 'réglages'): PlanSettings {
  const settings = structuredClone(DEFAULT_SETTINGS);
  const source = isObject(raw) ? raw : {};
  const tolerances = isObject(source.tolerances) ? source.tolerances : {};
  const fields: { label: string; value: unknown; set: (v: number | null) => void; max: number; nullable: boolean; fallback: number | null }[] = [
    { label: 'PC par élève', value: source.pcPerStudent, set: (v) => (settings.pcPerStudent = v as number), max: 5, nullable: false, fallback: DEFAULT_SETTINGS.pcPerStudent },
    { label: 'tolérance lycées', value: tolerances.establishments, set: (v) => (settings.tolerances.establishments = v as number), max: 1, nullable: false, fallback: DEFAULT_SETTINGS.tolerances.establishments },
    { label: 'tolérance PC', value: tolerances.pcs, set: (v) => (settings.tolerances.pcs = v as number), max: 1, nullable: false, fallback: DEFAULT_SETTINGS.tolerances.pcs },
    { label: 'tolérance élèves', value: tolerances.students, set: (v) => (settings.tolerances.students = v), max: 1, nullable: true, fallback: DEFAULT_SETTINGS.tolerances.students },
  ];
  for (const f of fields) {
    if (f.nullable && (f.value === null || f.value === undefined)) {
      f.set(null);
      log.accept(`${where}, ${f.label}`, 'aucune');
    } else if (isFiniteNumber(f.value) && f.value >= 0 && f.value <= f.max) {
      f.set(f.value);
      log.accept(`${where}, ${f.label}`, f.value);
    } else {
      const range = `un nombre entre 0 et ${f.max} attendu${f.max === 1 ? ' (0,1 pour ±10 %)' : ''}`;
      log.reject(`${where}, ${f.label}`, f.value, `${range}, trouvé ${jsonKind(f.value)} : valeur par défaut ${f.fallback ?? 'aucune'} utilisée`);
    }
  }
  return settings;
}

/** The file's schema version: an integer from 1 to the current one, or the reason it is not. */
export function versionProblem(version: unknown, current: number, what: string): string | null {
  if (typeof version === 'string' && /^\d+$/.test(version.trim())) return `${what} : la version doit être un nombre, pas le texte « ${showValue(version, 10)} ». Le fichier a été modifié à la main ?`;
  if (!isFiniteNumber(version) || !Number.isInteger(version) || version < 1) return `${what} : version invalide (trouvé ${jsonKind(version)}, un nombre entier à partir de 1 est attendu).`;
  if (version > current) return `${what} : version ${version}, plus récente que celle que lit cette version de Maillage (${current}). Mettez Maillage à jour.`;
  return null;
}

/** Count of entries a proposal holds, computed from the raw file (so a lost entry shows in the tally). */
function entryCount(raw: Record<string, unknown>): number {
  // A value of the wrong type is one (rejected) entry; an absent one is none.
  const list = (v: unknown) => (Array.isArray(v) ? v.length : v === undefined || v === null ? 0 : 1);
  const map = (v: unknown) => (isObject(v) ? Object.keys(v).length : v === undefined || v === null ? 0 : 1);
  let n = 4; // settings fields
  for (const team of raw.teams as unknown[]) n += 1 + (isObject(team) ? list(team.sections) + list(team.allowedDepartements) : 0);
  n += map(raw.assignment) + map(raw.sections) + map(raw.pcPark) + list(raw.locked) + list(raw.zones);
  for (const zone of Array.isArray(raw.zones) ? raw.zones : []) n += isObject(zone) && Array.isArray(zone.members) ? zone.members.length : 0;
  return n;
}

/** Reads bytes in any supported encoding, then imports (the browser entry point). */
export function importProposalBytes(bytes: Uint8Array, knownUais: ReadonlySet<string>, options: { newId: string; now: string; fileName: string }): ProposalImport {
  const sniffed = sniffFile(bytes, options.fileName, { xlsx: false, label: 'proposition Maillage .json attendue' });
  if (!sniffed.ok) return sniffed;
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  return importProposal(decoded.text, knownUais, options, decoded.encoding);
}

/**
 * @param knownUais the Région's establishments: a UAI outside it is rejected (with a suggestion when
 * a one-character fix gives a known lycée).
 */
export function importProposal(text: string, knownUais: ReadonlySet<string>, options: { newId: string; now: string; fileName: string }, encoding = 'UTF-8'): ProposalImport {
  const parsed = parseJsonStrict(text, 'Proposition illisible');
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (!isObject(json) || json.format !== PROPOSAL_FORMAT) return refuse('Ce fichier n’est pas une proposition Maillage (champ « format » absent ou différent). Pour un plan en GeoJSON, CSV ou Excel, utilisez « Importer un plan » dans l’onglet Exporter.');
  const version = versionProblem(json.version, PLAN_SCHEMA_VERSION, 'Proposition');
  if (version) return refuse(version);
  const raw = json.plan;
  if (!isObject(raw)) return refuse(`Proposition incomplète : l’objet « plan » est absent (trouvé ${jsonKind(raw)}).`);
  const missing = [
    !isString(raw.name) && 'name (texte)',
    !isString(raw.regionCode) && 'regionCode (texte)',
    !Array.isArray(raw.teams) && 'teams (liste)',
    !isObject(raw.assignment) && 'assignment (objet)',
  ].filter((m): m is string => typeof m === 'string');
  if (missing.length > 0) return refuse(`Proposition incomplète : ${missing.join(', ')} manquant(s) ou mal typé(s).`);

  const log = new EntryLog();
  const notes: string[] = [`Proposition lue en ${encoding}.`];
  const teams: Team[] = [];
  const ids = new Set<string>();
  (raw.teams as unknown[]).forEach((t, i) => {
    const team = readTeam(t, i, log, ids);
    if (team) {
      teams.push(team);
      ids.add(team.id);
    }
  });
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const budget = new UaiSuggestionBudget();
  const known = (uai: string, where: string): string | null => {
    const check = checkKnownUai(uai, knownUais, budget);
    if (check.ok) return check.uai;
    log.reject(where, uai, check.reason, check.suggestion);
    return null;
  };

  const assignment: Record<string, string> = {};
  for (const [key, teamId] of Object.entries(raw.assignment as Record<string, unknown>)) {
    const uai = known(key, 'affectation');
    if (!uai) continue;
    if (!isString(teamId) || !teamById.has(teamId)) log.reject('affectation', key, `équipe inconnue (${isString(teamId) ? `« ${showValue(teamId, 30)} »` : jsonKind(teamId)}) : le lycée reste non affecté`);
    else if (assignment[uai] !== undefined) log.reject('affectation', key, `${uai} déjà affecté (code écrit deux fois)`);
    else {
      assignment[uai] = teamId;
      log.accept('affectation', uai);
    }
  }
  const sections: Record<string, string> = {};
  if (raw.sections !== undefined && raw.sections !== null && !isObject(raw.sections)) log.reject('sections', raw.sections, `objet UAI → section attendu, trouvé ${jsonKind(raw.sections)}`);
  for (const [uai, sectionId] of Object.entries(isObject(raw.sections) ? raw.sections : {})) {
    const team = teamById.get(assignment[uai] ?? '');
    if (!team) log.reject('section', uai, 'lycée non affecté : sa section est ignorée');
    else if (isString(sectionId) && team.sections.some((s) => s.id === sectionId)) {
      sections[uai] = sectionId;
      log.accept('section', uai);
    } else log.reject('section', uai, `section ${isString(sectionId) ? `« ${showValue(sectionId, 30)} »` : jsonKind(sectionId)} inconnue pour l’équipe de ce lycée`);
  }
  const zones: Zone[] = [];
  const inZone = new Map<string, string>();
  const zoneIds = new Set<string>();
  if (raw.zones !== undefined && raw.zones !== null && !Array.isArray(raw.zones)) log.reject('zones', raw.zones, `liste de zones attendue, trouvé ${jsonKind(raw.zones)}`);
  for (const [i, z] of (Array.isArray(raw.zones) ? raw.zones : []).entries()) {
    const where = isObject(z) && isString(z.name) ? `zone « ${showValue(z.name, 40)} »` : `zone n° ${i + 1}`;
    const problem = !isObject(z)
      ? `une zone est un objet, trouvé ${jsonKind(z)}`
      : !isString(z.id) || z.id === ''
        ? 'identifiant (id) manquant'
        : zoneIds.has(z.id)
          ? `identifiant « ${showValue(z.id, 30)} » déjà pris par une autre zone`
          : !isString(z.teamId) || !teamById.has(z.teamId)
            ? `équipe inconnue (${isString(z.teamId) ? `« ${showValue(z.teamId, 30)} »` : jsonKind(z.teamId)})`
            : !Array.isArray(z.members)
              ? `liste de membres attendue, trouvé ${jsonKind(z.members)}`
              : null;
    if (problem || !isObject(z)) {
      log.reject(where, isObject(z) ? z.id : z, problem ?? '');
      if (isObject(z) && Array.isArray(z.members)) for (const m of z.members) log.reject(where, m, 'membre d’une zone rejetée');
      continue;
    }
    const zoneId = z.id as string;
    const teamId = z.teamId as string;
    const members: string[] = [];
    for (const m of z.members as unknown[]) {
      if (!isString(m)) {
        log.reject(where, m, `code UAI attendu, trouvé ${jsonKind(m)}`);
        continue;
      }
      const uai = known(m, where);
      if (!uai) continue;
      if (assignment[uai] !== teamId) log.reject(where, uai, 'lycée absent de l’équipe de la zone');
      else if (inZone.has(uai)) log.reject(where, uai, `lycée déjà dans la zone ${inZone.get(uai)}`);
      else {
        inZone.set(uai, showValue(zoneId, 30));
        members.push(uai);
        log.accept(where, uai);
      }
    }
    zoneIds.add(zoneId);
    log.accept(where, zoneId);
    if (members.length > 0) zones.push({ id: zoneId, teamId, name: isString(z.name) ? cleanLabel(z.name) || zoneId : zoneId, members, fixed: z.fixed === true });
    else notes.push(`${where} : aucun membre valide, zone non créée.`);
  }
  const locked: string[] = [];
  if (raw.locked !== undefined && raw.locked !== null && !Array.isArray(raw.locked)) log.reject('verrous', raw.locked, `liste de codes UAI attendue, trouvé ${jsonKind(raw.locked)}`);
  for (const entry of Array.isArray(raw.locked) ? raw.locked : []) {
    if (!isString(entry)) {
      log.reject('verrou', entry, `code UAI attendu, trouvé ${jsonKind(entry)}`);
      continue;
    }
    const uai = known(entry, 'verrou');
    if (!uai) continue;
    if (assignment[uai] === undefined) log.reject('verrou', uai, 'lycée non affecté : rien à verrouiller');
    else if (locked.includes(uai)) log.reject('verrou', uai, 'verrou en double');
    else {
      locked.push(uai);
      log.accept('verrou', uai);
    }
  }
  const pcPark: Plan['pcPark'] = {};
  if (raw.pcPark !== undefined && raw.pcPark !== null && !isObject(raw.pcPark)) log.reject('parc PC', raw.pcPark, `objet UAI → nombre de PC attendu, trouvé ${jsonKind(raw.pcPark)}`);
  for (const [key, entry] of Object.entries(isObject(raw.pcPark) ? raw.pcPark : {})) {
    const uai = known(key, 'parc PC');
    if (!uai) continue;
    const count = isObject(entry) ? entry.count : undefined;
    const problem = isFiniteNumber(count) ? pcCountProblem(count) : `nombre de PC attendu, trouvé ${jsonKind(count)}`;
    if (problem) log.reject('parc PC', key, problem);
    else {
      pcPark[uai] = { count: count as number, source: isObject(entry) && isString(entry.source) ? cleanLabel(entry.source) : options.fileName };
      log.accept('parc PC', uai);
    }
  }
  const settings = readSettings(raw.settings, log);
  const name = cleanLabel(raw.name as string) || options.fileName;
  if (name !== raw.name) notes.push('Nom de la proposition nettoyé (caractères invisibles retirés ou longueur limitée).');
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: options.newId,
    name,
    regionCode: (raw.regionCode as string).slice(0, 8),
    createdAt: options.now,
    updatedAt: options.now,
    notes: isString(raw.notes) ? raw.notes.slice(0, 20_000) : '',
    teams,
    assignment,
    sections,
    zones,
    locked,
    pcPark,
    settings,
    origin: { kind: 'import', fileName: options.fileName },
  };
  const problems = checkInvariants(plan);
  if (problems.length > 0) return refuse(...problems.slice(0, 10));
  return {
    ok: true,
    report: finishReport({ fileName: options.fileName, format: 'proposition Maillage', encoding, rowsRead: entryCount(raw), accepted: log.accepted, rejected: log.rejected, notes: [...notes, ...budget.notes()], plan }),
  };
}
