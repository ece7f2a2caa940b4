/**
 * Proposal files (`.maillage.json`): one plan, with a format tag and a schema version so later
 * versions can migrate older files. Import validates everything; entries that cannot be kept
 * (bad UAI key, lycée unknown in the Région, unknown team) are rejected one by one with the reason,
 * the rest is kept. The result is always a new plan: nothing existing is touched.
 */
import { PLAN_SCHEMA_VERSION, DEFAULT_SETTINGS, type Plan, type Team, type Zone } from '../model/plan.ts';
import { checkInvariants } from '../model/plan-ops.ts';
import { checkUai, suggestKnownUai } from '../uai.ts';

export const PROPOSAL_FORMAT = 'maillage-proposal';

export interface ProposalFile {
  format: typeof PROPOSAL_FORMAT;
  version: number;
  exportedAt: string;
  plan: Plan;
}

export interface Rejection {
  where: string;
  value: string;
  reason: string;
}

export type ProposalImport = { ok: true; plan: Plan; rejected: Rejection[] } | { ok: false; reasons: string[] };

export function exportProposal(plan: Plan, now: string): string {
  const file: ProposalFile = { format: PROPOSAL_FORMAT, version: PLAN_SCHEMA_VERSION, exportedAt: now, plan };
  return JSON.stringify(file, null, 2);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function readTeam(raw: unknown, index: number, reasons: string[]): Team | null {
  if (!isObject(raw) || !isString(raw.id) || !isString(raw.name) || !isFiniteNumber(raw.technicians) || !isString(raw.color)) {
    reasons.push(`Équipe n° ${index + 1} : champs id, name, technicians ou color manquants ou mal typés.`);
    return null;
  }
  const base = raw.base;
  if (base !== null && base !== undefined && !(isObject(base) && isFiniteNumber(base.lat) && isFiniteNumber(base.lon))) {
    reasons.push(`Équipe « ${raw.name} » : base invalide.`);
    return null;
  }
  const sections = Array.isArray(raw.sections) ? raw.sections.filter((s): s is { id: string; name: string } => isObject(s) && isString(s.id) && isString(s.name)) : [];
  return {
    id: raw.id,
    name: raw.name,
    service: isString(raw.service) ? raw.service : null,
    base: base ? { lat: base.lat as number, lon: base.lon as number, label: isString(base.label) ? base.label : '', ...(isString(base.uai) ? { uai: base.uai } : {}) } : null,
    technicians: raw.technicians,
    color: raw.color,
    sections: sections.map((s) => ({ id: s.id, name: s.name })),
    allowedDepartements: Array.isArray(raw.allowedDepartements) ? raw.allowedDepartements.filter(isString) : [],
  };
}

/**
 * @param knownUais the Région's establishments: a UAI outside it is rejected (with a suggestion when
 * a one-character fix gives a known lycée).
 */
export function importProposal(text: string, knownUais: ReadonlySet<string>, options: { newId: string; now: string; fileName: string }): ProposalImport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reasons: [`Fichier illisible : ce n’est pas du JSON valide (${error instanceof Error ? error.message : String(error)}).`] };
  }
  if (!isObject(json) || json.format !== PROPOSAL_FORMAT) return { ok: false, reasons: ['Ce fichier n’est pas une proposition Maillage (champ « format » absent ou différent).'] };
  if (!isFiniteNumber(json.version) || json.version > PLAN_SCHEMA_VERSION) return { ok: false, reasons: [`Version de fichier non prise en charge (${String(json.version)}) : mettez Maillage à jour.`] };
  const raw = json.plan;
  if (!isObject(raw) || !isString(raw.name) || !isString(raw.regionCode) || !Array.isArray(raw.teams) || !isObject(raw.assignment)) {
    return { ok: false, reasons: ['Proposition incomplète : name, regionCode, teams et assignment sont requis.'] };
  }
  const reasons: string[] = [];
  const teams = raw.teams.map((t, i) => readTeam(t, i, reasons)).filter((t): t is Team => t !== null);
  if (reasons.length > 0) return { ok: false, reasons };
  const teamIds = new Set(teams.map((t) => t.id));
  if (teamIds.size !== teams.length) return { ok: false, reasons: ['Identifiants d’équipe en double.'] };

  const rejected: Rejection[] = [];
  const acceptUai = (uai: string, where: string): boolean => {
    const check = checkUai(uai);
    if (!check.valid) {
      const hint = suggestKnownUai(uai, knownUais);
      rejected.push({ where, value: uai, reason: `UAI invalide (${check.reason})${hint.length ? ` ; vouliez-vous dire ${hint.join(' ou ')} ?` : ''}` });
      return false;
    }
    if (!knownUais.has(check.normalized)) {
      rejected.push({ where, value: uai, reason: 'UAI inconnu dans cette Région' });
      return false;
    }
    return true;
  };

  const assignment: Record<string, string> = {};
  for (const [uai, teamId] of Object.entries(raw.assignment)) {
    if (!acceptUai(uai, 'affectation')) continue;
    if (!isString(teamId) || !teamIds.has(teamId)) {
      rejected.push({ where: 'affectation', value: uai, reason: `équipe inconnue (${String(teamId)})` });
      continue;
    }
    assignment[uai] = teamId;
  }
  const sections: Record<string, string> = {};
  for (const [uai, sectionId] of Object.entries(isObject(raw.sections) ? raw.sections : {})) {
    const team = teams.find((t) => t.id === assignment[uai]);
    if (isString(sectionId) && team?.sections.some((s) => s.id === sectionId)) sections[uai] = sectionId;
    else rejected.push({ where: 'section', value: uai, reason: 'section inconnue pour l’équipe de ce lycée' });
  }
  const zones: Zone[] = [];
  const inZone = new Set<string>();
  for (const [i, z] of (Array.isArray(raw.zones) ? raw.zones : []).entries()) {
    if (!isObject(z) || !isString(z.id) || !isString(z.teamId) || !teamIds.has(z.teamId) || !Array.isArray(z.members)) {
      rejected.push({ where: 'zone', value: `n° ${i + 1}`, reason: 'zone mal formée ou d’une équipe inconnue' });
      continue;
    }
    const members = z.members.filter(isString).filter((uai) => {
      if (assignment[uai] !== z.teamId) {
        rejected.push({ where: `zone ${String(z.name ?? z.id)}`, value: uai, reason: 'lycée absent de l’équipe de la zone' });
        return false;
      }
      if (inZone.has(uai)) {
        rejected.push({ where: `zone ${String(z.name ?? z.id)}`, value: uai, reason: 'lycée déjà dans une autre zone' });
        return false;
      }
      inZone.add(uai);
      return true;
    });
    if (members.length > 0) zones.push({ id: z.id, teamId: z.teamId, name: isString(z.name) ? z.name : z.id, members, fixed: z.fixed === true });
  }
  const pcPark: Plan['pcPark'] = {};
  for (const [uai, entry] of Object.entries(isObject(raw.pcPark) ? raw.pcPark : {})) {
    if (!acceptUai(uai, 'parc PC')) continue;
    if (!isObject(entry) || !isFiniteNumber(entry.count) || entry.count < 0) rejected.push({ where: 'parc PC', value: uai, reason: 'nombre de PC invalide' });
    else pcPark[uai] = { count: entry.count, source: isString(entry.source) ? entry.source : options.fileName };
  }
  const settings = isObject(raw.settings) && isFiniteNumber(raw.settings.pcPerStudent) && isObject(raw.settings.tolerances) ? (raw.settings as unknown as Plan['settings']) : structuredClone(DEFAULT_SETTINGS);
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: options.newId,
    name: raw.name,
    regionCode: raw.regionCode,
    createdAt: options.now,
    updatedAt: options.now,
    notes: isString(raw.notes) ? raw.notes : '',
    teams,
    assignment,
    sections,
    zones,
    locked: (Array.isArray(raw.locked) ? raw.locked.filter(isString) : []).filter((uai) => knownUais.has(uai)),
    pcPark,
    settings,
    origin: { kind: 'import', fileName: options.fileName },
  };
  const problems = checkInvariants(plan);
  if (problems.length > 0) return { ok: false, reasons: problems };
  return { ok: true, plan, rejected };
}
