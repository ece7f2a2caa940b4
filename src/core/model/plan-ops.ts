/**
 * Pure operations on a Plan. Each returns a new plan or the reasons (French, for the user) why the
 * change cannot be made; a plan is never half-changed. Invariants kept by every operation:
 * a lycée is in at most one team and one zone, and a zone's members all belong to the zone's team.
 */
import { DEFAULT_SETTINGS, PLAN_SCHEMA_VERSION, type BaseLocation, type PcParkEntry, type Plan, type PlanOrigin, type PlanSettings, type Team, type Zone } from './plan.ts';

export type OpResult = { ok: true; plan: Plan } | { ok: false; reasons: string[] };

/**
 * 15 team colours told apart on the map, as points and as pale territory fills: Okabe–Ito (colour-
 * blind safe) without its black, then strong hues from Paul Tol's and ColorBrewer's qualitative sets.
 * No black, grey or white: those mean bases, private or unassigned lycées. Every pair differs by
 * at least 25 (CIE76 ΔE), every colour has a chroma of at least 25.
 */
export const TEAM_PALETTE = [
  '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442', '#332288',
  '#882255', '#999933', '#8C564B', '#AA4499', '#B3DE69', '#E7298A', '#A6761D',
];

export function teamColour(index: number): string {
  return TEAM_PALETTE[index % TEAM_PALETTE.length];
}

const ok = (plan: Plan): OpResult => ({ ok: true, plan });
const fail = (...reasons: string[]): OpResult => ({ ok: false, reasons });

/** Ids unique within a plan: a prefix and the smallest free number. */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

export function createPlan(options: { id: string; name: string; regionCode: string; now: string; origin?: PlanOrigin; settings?: PlanSettings }): Plan {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: options.id,
    name: options.name,
    regionCode: options.regionCode,
    createdAt: options.now,
    updatedAt: options.now,
    notes: '',
    teams: [],
    assignment: {},
    sections: {},
    zones: [],
    locked: [],
    pcPark: {},
    settings: structuredClone(options.settings ?? DEFAULT_SETTINGS),
    origin: options.origin ?? { kind: 'blank' },
  };
}

function teamById(plan: Plan, teamId: string): Team | undefined {
  return plan.teams.find((t) => t.id === teamId);
}

export function setPlanInfo(plan: Plan, patch: { name?: string; notes?: string }): OpResult {
  if (patch.name !== undefined && patch.name.trim() === '') return fail('Le nom de la proposition ne peut pas être vide.');
  return ok({ ...plan, ...patch, name: patch.name?.trim() ?? plan.name });
}

export type NewTeam = Partial<Omit<Team, 'id'>> & { name: string };

export function addTeam(plan: Plan, team: NewTeam, id = freshId('t', plan.teams.map((t) => t.id))): OpResult {
  if (team.name.trim() === '') return fail('Une équipe doit avoir un nom.');
  if (plan.teams.some((t) => t.id === id)) return fail(`L’identifiant d’équipe ${id} existe déjà.`);
  const technicians = team.technicians ?? 1;
  if (!Number.isInteger(technicians) || technicians < 0) return fail('Le nombre de techniciens doit être un entier positif ou nul.');
  const created: Team = {
    id,
    name: team.name.trim(),
    service: team.service ?? null,
    base: team.base ?? null,
    technicians,
    color: team.color ?? teamColour(plan.teams.length),
    sections: team.sections ?? [],
    allowedDepartements: team.allowedDepartements ?? [],
  };
  return ok({ ...plan, teams: [...plan.teams, created] });
}

export type TeamPatch = Partial<Pick<Team, 'name' | 'service' | 'base' | 'technicians' | 'color' | 'sections' | 'allowedDepartements'>>;

export function updateTeam(plan: Plan, teamId: string, patch: TeamPatch): OpResult {
  const team = teamById(plan, teamId);
  if (!team) return fail(`Équipe inconnue : ${teamId}.`);
  const reasons: string[] = [];
  if (patch.name !== undefined && patch.name.trim() === '') reasons.push('Une équipe doit avoir un nom.');
  if (patch.technicians !== undefined && (!Number.isInteger(patch.technicians) || patch.technicians < 0)) reasons.push('Le nombre de techniciens doit être un entier positif ou nul.');
  if (patch.base && (!Number.isFinite(patch.base.lat) || !Number.isFinite(patch.base.lon) || Math.abs(patch.base.lat) > 90 || Math.abs(patch.base.lon) > 180)) reasons.push('Coordonnées de la base invalides.');
  if (reasons.length > 0) return fail(...reasons);
  const updated: Team = { ...team, ...patch, name: patch.name?.trim() ?? team.name };
  let sections = plan.sections;
  if (patch.sections) {
    // Lycées of a removed section simply lose their section.
    const kept = new Set(patch.sections.map((s) => s.id));
    sections = Object.fromEntries(Object.entries(plan.sections).filter(([uai, sectionId]) => plan.assignment[uai] !== teamId || kept.has(sectionId)));
  }
  return ok({ ...plan, teams: plan.teams.map((t) => (t.id === teamId ? updated : t)), sections });
}

export function setTeamBase(plan: Plan, teamId: string, base: BaseLocation | null): OpResult {
  return updateTeam(plan, teamId, { base });
}

export type DeletePolicy = { kind: 'unassign' } | { kind: 'move'; toTeamId: string };

/** Deleting a team either leaves its lycées unassigned or moves them (and its zones) to another team. */
export function deleteTeam(plan: Plan, teamId: string, policy: DeletePolicy): OpResult {
  if (!teamById(plan, teamId)) return fail(`Équipe inconnue : ${teamId}.`);
  if (policy.kind === 'move' && (policy.toTeamId === teamId || !teamById(plan, policy.toTeamId))) return fail('Choisissez une autre équipe existante pour recevoir les lycées.');
  const assignment: Record<string, string> = {};
  for (const [uai, t] of Object.entries(plan.assignment)) {
    if (t !== teamId) assignment[uai] = t;
    else if (policy.kind === 'move') assignment[uai] = policy.toTeamId;
  }
  const sections = Object.fromEntries(Object.entries(plan.sections).filter(([uai]) => plan.assignment[uai] !== teamId));
  const zones = plan.zones.flatMap((z) => (z.teamId !== teamId ? [z] : policy.kind === 'move' ? [{ ...z, teamId: policy.toTeamId }] : []));
  const movedOrDropped = new Set(Object.keys(plan.assignment).filter((uai) => plan.assignment[uai] === teamId));
  const locked = policy.kind === 'unassign' ? plan.locked.filter((uai) => !movedOrDropped.has(uai)) : plan.locked;
  return ok({ ...plan, teams: plan.teams.filter((t) => t.id !== teamId), assignment, sections, zones, locked });
}

/**
 * Assigns lycées to a team (or unassigns with null). A lycée that changes team leaves its zone and
 * its section; locked lycées are refused with a reason.
 */
export function assign(plan: Plan, uais: readonly string[], teamId: string | null): OpResult {
  if (teamId !== null && !teamById(plan, teamId)) return fail(`Équipe inconnue : ${teamId}.`);
  const locked = new Set(plan.locked);
  const refused = uais.filter((uai) => locked.has(uai) && plan.assignment[uai] !== teamId);
  if (refused.length > 0) return fail(`Lycée(s) verrouillé(s), à déverrouiller d’abord : ${refused.join(', ')}.`);
  const changing = new Set(uais.filter((uai) => (plan.assignment[uai] ?? null) !== teamId));
  if (changing.size === 0) return ok(plan);
  const assignment = { ...plan.assignment };
  const sections = { ...plan.sections };
  for (const uai of changing) {
    if (teamId === null) delete assignment[uai];
    else assignment[uai] = teamId;
    delete sections[uai];
  }
  const zones = removeFromZones(plan.zones, changing);
  return ok({ ...plan, assignment, sections, zones });
}

function removeFromZones(zones: readonly Zone[], uais: ReadonlySet<string>): Zone[] {
  return zones.map((z) => (z.members.some((m) => uais.has(m)) ? { ...z, members: z.members.filter((m) => !uais.has(m)) } : z)).filter((z) => z.members.length > 0 || z.fixed);
}

export function assignSection(plan: Plan, uais: readonly string[], sectionId: string | null): OpResult {
  const reasons: string[] = [];
  const sections = { ...plan.sections };
  for (const uai of uais) {
    const team = teamById(plan, plan.assignment[uai] ?? '');
    if (!team) {
      reasons.push(`${uai} n’est dans aucune équipe.`);
      continue;
    }
    if (sectionId === null) delete sections[uai];
    else if (team.sections.some((s) => s.id === sectionId)) sections[uai] = sectionId;
    else reasons.push(`La section ${sectionId} n’appartient pas à l’équipe ${team.name}.`);
  }
  return reasons.length > 0 ? fail(...reasons) : ok({ ...plan, sections });
}

/** Makes a zone of lycées of one team; they leave their previous zones. */
export function createZone(plan: Plan, uais: readonly string[], options: { name?: string; id?: string; fixed?: boolean } = {}): OpResult {
  const members = [...new Set(uais)];
  if (members.length === 0) return fail('Sélectionnez au moins un lycée pour créer une zone.');
  const teams = new Set(members.map((uai) => plan.assignment[uai]));
  if (teams.has(undefined as unknown as string)) return fail('Tous les lycées d’une zone doivent d’abord être affectés à une équipe.');
  if (teams.size > 1) return fail('Une zone de continuité ne peut réunir que des lycées d’une même équipe.');
  const teamId = members.map((uai) => plan.assignment[uai])[0];
  const id = options.id ?? freshId('z', plan.zones.map((z) => z.id));
  if (plan.zones.some((z) => z.id === id)) return fail(`La zone ${id} existe déjà.`);
  const fixedConflict = plan.zones.filter((z) => z.fixed && z.members.some((m) => members.includes(m)));
  if (fixedConflict.length > 0) return fail(`Lycée(s) d’une zone figée (${fixedConflict.map((z) => z.name).join(', ')}) : défigez-la d’abord.`);
  const teamZoneCount = plan.zones.filter((z) => z.teamId === teamId).length;
  const zone: Zone = { id, teamId, name: options.name?.trim() || `Zone ${teamZoneCount + 1}`, members, fixed: options.fixed ?? false };
  return ok({ ...plan, zones: [...removeFromZones(plan.zones, new Set(members)), zone] });
}

/** Moves one lycée into a zone of its team (or out of any zone with null). */
export function moveToZone(plan: Plan, uai: string, zoneId: string | null): OpResult {
  const current = plan.zones.find((z) => z.members.includes(uai));
  if (current?.fixed) return fail(`La zone « ${current.name} » est figée.`);
  if (zoneId === null) return ok({ ...plan, zones: removeFromZones(plan.zones, new Set([uai])) });
  const target = plan.zones.find((z) => z.id === zoneId);
  if (!target) return fail(`Zone inconnue : ${zoneId}.`);
  if (target.fixed) return fail(`La zone « ${target.name} » est figée.`);
  if (plan.assignment[uai] !== target.teamId) return fail('Un lycée ne peut rejoindre qu’une zone de sa propre équipe.');
  if (current?.id === zoneId) return ok(plan);
  const zones = removeFromZones(plan.zones, new Set([uai])).map((z) => (z.id === zoneId ? { ...z, members: [...z.members, uai] } : z));
  return ok({ ...plan, zones });
}

export function updateZone(plan: Plan, zoneId: string, patch: { name?: string; fixed?: boolean }): OpResult {
  if (!plan.zones.some((z) => z.id === zoneId)) return fail(`Zone inconnue : ${zoneId}.`);
  if (patch.name !== undefined && patch.name.trim() === '') return fail('Une zone doit avoir un nom.');
  return ok({ ...plan, zones: plan.zones.map((z) => (z.id === zoneId ? { ...z, ...patch, name: patch.name?.trim() ?? z.name } : z)) });
}

export function deleteZone(plan: Plan, zoneId: string): OpResult {
  if (!plan.zones.some((z) => z.id === zoneId)) return fail(`Zone inconnue : ${zoneId}.`);
  return ok({ ...plan, zones: plan.zones.filter((z) => z.id !== zoneId) });
}

export function setLocked(plan: Plan, uais: readonly string[], locked: boolean): OpResult {
  const set = new Set(plan.locked);
  for (const uai of uais) {
    if (locked) set.add(uai);
    else set.delete(uai);
  }
  return ok({ ...plan, locked: [...set].sort() });
}

/** Merges imported PC counts (the rest of the plan is untouched). */
export function applyPcPark(plan: Plan, entries: Readonly<Record<string, PcParkEntry>>): OpResult {
  const bad = Object.entries(entries).filter(([, e]) => !Number.isFinite(e.count) || e.count < 0);
  if (bad.length > 0) return fail(`Nombre de PC invalide pour : ${bad.map(([uai]) => uai).join(', ')}.`);
  return ok({ ...plan, pcPark: { ...plan.pcPark, ...entries } });
}

export function setSettings(plan: Plan, settings: PlanSettings): OpResult {
  const t = settings.tolerances;
  if (!(settings.pcPerStudent >= 0) || !Number.isFinite(settings.pcPerStudent)) return fail('Le ratio PC par élève doit être un nombre positif.');
  if (settings.zoneMaxDriveMinutes !== undefined && !(settings.zoneMaxDriveMinutes > 0 && Number.isFinite(settings.zoneMaxDriveMinutes))) return fail('Le trajet maximal dans une zone doit être un nombre de minutes positif.');
  if (!(t.establishments >= 0 && t.pcs >= 0 && (t.students === null || t.students >= 0))) return fail('Les tolérances doivent être positives.');
  return ok({ ...plan, settings: structuredClone(settings) });
}

/** Every invariant violation of a plan (empty when the plan is consistent). */
export function checkInvariants(plan: Plan): string[] {
  const problems: string[] = [];
  const teamIds = new Set(plan.teams.map((t) => t.id));
  if (teamIds.size !== plan.teams.length) problems.push('Identifiants d’équipe en double.');
  for (const [uai, teamId] of Object.entries(plan.assignment)) if (!teamIds.has(teamId)) problems.push(`${uai} est affecté à une équipe inconnue (${teamId}).`);
  for (const [uai, sectionId] of Object.entries(plan.sections)) {
    const team = plan.teams.find((t) => t.id === plan.assignment[uai]);
    if (!team?.sections.some((s) => s.id === sectionId)) problems.push(`${uai} est dans une section (${sectionId}) qui n’est pas de son équipe.`);
  }
  const zoneOf = new Map<string, string>();
  const zoneIds = new Set<string>();
  for (const zone of plan.zones) {
    if (zoneIds.has(zone.id)) problems.push(`Identifiant de zone en double : ${zone.id}.`);
    zoneIds.add(zone.id);
    if (!teamIds.has(zone.teamId)) problems.push(`La zone ${zone.name} appartient à une équipe inconnue.`);
    for (const uai of zone.members) {
      if (zoneOf.has(uai)) problems.push(`${uai} est dans deux zones (${zoneOf.get(uai)} et ${zone.id}).`);
      zoneOf.set(uai, zone.id);
      if (plan.assignment[uai] !== zone.teamId) problems.push(`${uai} est dans la zone ${zone.name} mais pas dans son équipe.`);
    }
  }
  return problems;
}
