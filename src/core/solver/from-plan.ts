/**
 * Between proposals and the solver: a plan, the Région's establishments, the drive-time source and
 * the user's parameters become a SolverInstance (checked, with French reasons when it cannot be
 * solved); the solver's outcome becomes a new plan carrying its run report. The original plan is
 * never modified.
 */
import type { CommuneAdjacency, Establishment } from '../model/establishment.ts';
import { freshId } from '../model/plan-ops.ts';
import type { BaseLocation, Plan, Tolerances, Zone } from '../model/plan.ts';
import { pcCount, type DriveTimeSource } from '../metrics/index.ts';
import { shareBands, type GroupSpec, type SolverInstance } from './instance.ts';
import { graphFromLists, neighboursOf, pointGraph, type PointGraph } from './contiguity.ts';
import { DEFAULT_EXACT_MAX_COLUMNS, type SolveMethod, type SolveOutcome, type ZoneRequest } from './solve.ts';

/** Longest acceptable drive between two lycées of a zone when the plan does not say (minutes). */
export const DEFAULT_ZONE_MAX_DRIVE_MINUTES = 45;

export const zoneMaxDriveSeconds = (plan: Plan): number => (plan.settings.zoneMaxDriveMinutes ?? DEFAULT_ZONE_MAX_DRIVE_MINUTES) * 60;

/** Zones whose longest internal drive (from the live metrics) exceeds the plan's limit: flagged in red. */
export function longZoneIds(plan: Plan, zones: readonly { zoneId: string; maxPairSeconds: number | null }[]): Set<string> {
  const limit = zoneMaxDriveSeconds(plan);
  return new Set(zones.filter((z) => z.maxPairSeconds !== null && z.maxPairSeconds > limit).map((z) => z.zoneId));
}

export interface PlanSolveParams {
  scope: 'public' | 'all';
  tolerances: Tolerances;
  /** Cost of moving a lycée away from its current team, in minutes of drive time (0: free to move). */
  stabilityMinutes: number;
  /** 'fixed': existing bases are kept and teams without one get one chosen; 'chosen': every base is chosen. */
  baseMode: 'fixed' | 'chosen';
  /** 'within': each team only takes lycées of its allowed départements. */
  departementMode: 'within' | 'free';
  seed: number;
  method: SolveMethod;
  timeLimitSeconds: number;
  /** Size limit of the exact models (variables): above it, a Lagrangian bound only. */
  exactMaxColumns: number;
  /** « Zones seulement »: every lycée stays in its team, only the continuity zones are solved. */
  zonesOnly: boolean;
  zones: { enabled: boolean; min: number; max: number };
  /** Extra candidate sites for chosen bases (addresses), besides the lycées in scope. */
  extraSites: BaseLocation[];
  /** What goes to one team whole: a lycée (and the lycées sharing its site), a commune, an EPCI, an arrondissement. */
  unit: AssignmentUnit;
  /** « Secteurs d'un seul tenant »: every team's territory in one piece. */
  contiguous: boolean;
}

export type AssignmentUnit = 'lycee' | 'commune' | 'epci' | 'arrondissement';

export const UNIT_LABELS: Record<AssignmentUnit, string> = { lycee: 'lycée', commune: 'commune', epci: 'EPCI', arrondissement: 'arrondissement' };


/** From the coarsest unit to the finest: a block too large for any team is cut into the next one. */
const FINER: Record<AssignmentUnit, AssignmentUnit | null> = { arrondissement: 'epci', epci: 'commune', commune: 'lycee', lycee: null };

function blockName(e: Establishment, unit: AssignmentUnit): string {
  if (unit === 'commune') return e.commune;
  if (unit === 'epci') return e.epciName ?? e.epci ?? '';
  if (unit === 'arrondissement') return e.arrondissementName ?? e.arrondissement ?? '';
  return e.name;
}

function blockCode(e: Establishment, unit: AssignmentUnit): string | null {
  if (unit === 'commune') return e.communeCode;
  if (unit === 'epci') return e.epci;
  if (unit === 'arrondissement') return e.arrondissement ?? null;
  return null;
}

export function defaultSolveParams(plan: Plan): PlanSolveParams {
  return {
    scope: 'public',
    tolerances: { ...plan.settings.tolerances },
    stabilityMinutes: 0,
    baseMode: 'fixed',
    departementMode: 'within',
    seed: 1,
    method: 'auto',
    timeLimitSeconds: 10,
    exactMaxColumns: DEFAULT_EXACT_MAX_COLUMNS,
    zonesOnly: false,
    zones: { enabled: true, min: 3, max: 5 },
    extraSites: [],
    unit: 'lycee',
    contiguous: false,
  };
}

/**
 * Candidate sites typed by the user, one per line: "latitude ; longitude ; libellé" (decimal point or
 * comma). Valid lines are kept; each rejected line is listed with its reason.
 */
export function parseCandidateSites(text: string): { sites: BaseLocation[]; reasons: string[] } {
  const sites: BaseLocation[] = [];
  const reasons: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const [latRaw, lonRaw, ...label] = line.split(/\s*[;\t]\s*/);
    const lat = Number((latRaw ?? '').replace(',', '.'));
    const lon = Number((lonRaw ?? '').replace(',', '.'));
    if (lonRaw === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) reasons.push(`Ligne ${index + 1} : « latitude ; longitude ; libellé » attendu.`);
    else if (Math.abs(lat) > 90 || Math.abs(lon) > 180) reasons.push(`Ligne ${index + 1} : coordonnées hors limites (${lat}, ${lon}).`);
    else sites.push({ lat, lon, label: label.join(' ').trim() || `Site ${lat.toFixed(4)}, ${lon.toFixed(4)}` });
  });
  return { sites, reasons };
}

export const ATTRIBUTE_LABELS: Record<string, string> = { establishments: 'lycées', pcs: 'PC', students: 'élèves' };

/** Drive time used for a pair the routing could not connect: long enough that the solver avoids it. */
const UNROUTABLE_SECONDS = 6 * 3600;

export interface PreparedSolve {
  instance: SolverInstance;
  zones: ZoneRequest | null;
  /** The lycées in scope. */
  uais: string[];
  /** Lycée → instance point (lycées sharing a site are one point). */
  pointOf: Int32Array;
  /** Lycées per instance point. */
  pointSizes: Int32Array;
  teamIds: string[];
  siteLocations: BaseLocation[];
  /** Drive time (seconds) from a site to one lycée in scope. */
  lyceeSeconds: (lycee: number, site: number) => number;
  /** Lycées whose block code is unknown, assigned on their own. */
  withoutBlock: string[];
  /** Blocks too large for any team, cut into the next finer unit (« EPCI Métropole Européenne de Lille »…). */
  splitBlocks: string[];
  /**
   * The plan's zones: longest drive between two of their lycées in scope (seconds), measured here
   * because the zone costs are handed over to the worker.
   */
  zoneLongest: Record<string, number>;
}

export type PrepareResult = { ok: true; prepared: PreparedSolve } | { ok: false; reasons: string[] };

export function prepareSolve(plan: Plan, establishments: readonly Establishment[], drive: DriveTimeSource, given: PlanSolveParams, communes: CommuneAdjacency | null = null): PrepareResult {
  // Zones only: teams stay as they are, so the rules that shape teams (blocks, one piece) do not apply.
  const params: PlanSolveParams = given.zonesOnly ? { ...given, unit: 'lycee', contiguous: false } : given;
  const reasons: string[] = [];
  if (params.contiguous && !communes) reasons.push('Secteurs d’un seul tenant : les contours des communes de cette Région ne sont pas disponibles.');
  const teams = plan.teams;
  const teamIds = new Set(teams.map((t) => t.id));
  // Zones only: the lycées of the teams, whatever the scope, and nothing else.
  const scope = params.zonesOnly ? establishments.filter((e) => teamIds.has(plan.assignment[e.uai] ?? '')) : establishments.filter((e) => params.scope === 'all' || e.sector === 'public');
  if (teams.length === 0) reasons.push('La proposition n’a aucune équipe.');
  if (scope.length === 0) reasons.push('Aucun lycée dans le périmètre.');
  if (teams.length > 0 && teams.every((t) => t.technicians <= 0)) reasons.push('Aucune équipe n’a de technicien : les parts d’équilibre sont indéfinies.');
  if ((params.zones.enabled || params.zonesOnly) && !(params.zones.min >= 1 && params.zones.max >= params.zones.min)) reasons.push('Tailles de zone invalides : il faut 1 ≤ minimum ≤ maximum.');
  const teamIndex = new Map(teams.map((t, g) => [t.id, g]));
  const uais = scope.map((e) => e.uai);
  const pointIndex = new Map(uais.map((u, i) => [u, i]));
  const N = scope.length;
  const K = teams.length;

  const fixedZones = plan.zones.filter((z) => z.fixed).map((z) => z.members.filter((u) => pointIndex.has(u)));
  const lyceeLocked = new Int32Array(N).fill(-1);
  const lyceeCurrent = new Int32Array(N).fill(-1);
  const lockedUais = new Set([...plan.locked, ...fixedZones.flat()]);
  scope.forEach((e, i) => {
    const team = teamIndex.get(plan.assignment[e.uai] ?? '');
    if (team === undefined) return;
    lyceeCurrent[i] = team;
    // A fixed zone is kept whole only if its lycées stay in their team.
    if (lockedUais.has(e.uai) || params.zonesOnly) lyceeLocked[i] = team;
  });

  let lyceeAllowed: Uint8Array | null = null;
  if (params.departementMode === 'within' && K > 0) {
    const allowed = new Uint8Array(N * K);
    lyceeAllowed = allowed;
    const orphans: string[] = [];
    scope.forEach((e, i) => {
      let any = false;
      teams.forEach((t, g) => {
        const ok = t.allowedDepartements.length === 0 || t.allowedDepartements.includes(e.departement);
        allowed[i * K + g] = ok ? 1 : 0;
        any ||= ok;
      });
      if (!any && lyceeLocked[i] < 0) orphans.push(`${e.uai} (${e.departementName})`);
    });
    if (orphans.length > 0) reasons.push(`${orphans.length} lycée(s) dans un département qu’aucune équipe ne couvre : ${orphans.slice(0, 8).join(', ')}${orphans.length > 8 ? '…' : ''}. Ajoutez le département à une équipe ou choisissez le mode « libre ».`);
  }

  // Sites: the bases kept fixed, then the candidates (lycées in scope, then given addresses).
  const siteLocations: BaseLocation[] = [];
  const siteOf = new Map<string, number>();
  const groups: GroupSpec[] = [];
  const fixedBaseUais = new Set<string>();
  for (const team of teams) {
    if (params.baseMode === 'fixed' && team.base) {
      if (team.base.uai) fixedBaseUais.add(team.base.uai);
      siteOf.set(team.id, siteLocations.length);
      siteLocations.push(team.base);
    }
  }
  const candidates: number[] = [];
  for (const e of scope) {
    if (fixedBaseUais.has(e.uai)) continue;
    candidates.push(siteLocations.length);
    siteLocations.push({ lat: e.lat, lon: e.lon, label: e.name, uai: e.uai });
  }
  for (const site of params.extraSites) {
    candidates.push(siteLocations.length);
    siteLocations.push(site);
  }
  const free = teams.filter((t) => !siteOf.has(t.id)).length;
  if (free > candidates.length) reasons.push(`${free} base(s) à choisir pour ${candidates.length} site(s) candidat(s).`);
  if (reasons.length > 0) return { ok: false, reasons };

  // Lycées sharing a site (cités scolaires: one address, several UAI), or a block (commune, EPCI,
  // arrondissement) when asked, are one point of the assignment, so that they go to the same team —
  // unless their locks say otherwise. In « départements » mode a block is cut at département limits.
  // A block holding more lycées than the largest team may take (its share plus the tolerance) could
  // only be kept whole by breaking the balance: it is cut into the next finer unit, and listed.
  const largestShare = Math.max(...teams.map((t) => Math.max(0, t.technicians))) / Math.max(1e-9, teams.reduce((sum, t) => sum + Math.max(0, t.technicians), 0));
  const blockCap = N * largestShare * (1 + params.tolerances.establishments);
  const withoutBlock: string[] = [];
  const splitBlocks: string[] = [];
  const keyOf = (e: Establishment, unit: AssignmentUnit): string | null => {
    const block = blockCode(e, unit);
    return block ? `${unit}:${block}${params.departementMode === 'within' ? `|${e.departement}` : ''}` : null;
  };
  const keys: (string | null)[] = scope.map((e) => keyOf(e, params.unit));
  scope.forEach((e, i) => {
    if (params.unit !== 'lycee' && keys[i] === null) withoutBlock.push(e.uai);
  });
  for (let unit: AssignmentUnit | null = params.unit; unit !== null && unit !== 'lycee'; unit = FINER[unit]) {
    const counts = new Map<string, number>();
    for (const key of keys) if (key?.startsWith(`${unit}:`)) counts.set(key, (counts.get(key) ?? 0) + 1);
    const finer = FINER[unit]!;
    scope.forEach((e, i) => {
      const key = keys[i];
      if (key === null || (counts.get(key) ?? 0) <= blockCap) return;
      const label = `${UNIT_LABELS[unit]} ${blockName(e, unit)}`;
      if (!splitBlocks.includes(label)) splitBlocks.push(label);
      keys[i] = finer === 'lycee' ? null : keyOf(e, finer);
    });
  }
  const pointOf = new Int32Array(N);
  const members: number[][] = [];
  const bySite = new Map<string, number>();
  scope.forEach((e, i) => {
    const key = keys[i] ?? `${e.lat},${e.lon}`;
    const point = bySite.get(key);
    const lock = point === undefined ? -1 : (members[point].map((m) => lyceeLocked[m]).find((l) => l >= 0) ?? -1);
    if (point !== undefined && (lyceeLocked[i] < 0 || lock < 0 || lock === lyceeLocked[i])) {
      members[point].push(i);
      pointOf[i] = point;
      return;
    }
    bySite.set(key, members.length);
    pointOf[i] = members.length;
    members.push([i]);
  });
  const P = members.length;
  const locked = Int32Array.from(members, (list) => list.map((i) => lyceeLocked[i]).find((l) => l >= 0) ?? -1);
  const current = Int32Array.from(members, (list) => list.map((i) => lyceeCurrent[i]).find((c) => c >= 0) ?? -1);
  let allowed: Uint8Array | null = null;
  if (lyceeAllowed) {
    allowed = new Uint8Array(P * K);
    for (let p = 0; p < P; p++) for (let g = 0; g < K; g++) allowed[p * K + g] = members[p].every((i) => lyceeAllowed[i * K + g] === 1) ? 1 : 0;
  }

  const attributes = ['establishments', 'pcs', ...(params.tolerances.students !== null ? ['students'] : [])];
  const M = attributes.length;
  const weights = new Float64Array(P * M);
  scope.forEach((e, i) => {
    const p = pointOf[i];
    weights[p * M] += 1;
    weights[p * M + 1] += pcCount(plan, e, e.uai).count;
    if (M > 2) weights[p * M + 2] += e.students ?? 0;
  });
  const tolerances = [params.tolerances.establishments, params.tolerances.pcs, params.tolerances.students];
  const shares = teams.map((t) => Math.max(0, t.technicians));
  const bands = attributes.map((_, a) => {
    let total = 0;
    for (let p = 0; p < P; p++) total += weights[p * M + a];
    return shareBands(total, shares, tolerances[a]);
  });
  teams.forEach((team, g) => {
    groups.push({
      id: team.id,
      label: team.name,
      lower: attributes.map((_, a) => bands[a][g].lower),
      upper: attributes.map((_, a) => bands[a][g].upper),
      site: siteOf.get(team.id) ?? null,
      candidates: siteOf.has(team.id) ? null : candidates,
    });
  });

  const S = siteLocations.length;
  const seconds = (from: { lat: number; lon: number }, to: { lat: number; lon: number }) => drive.seconds(from, to) ?? UNROUTABLE_SECONDS;
  // A point's cost is the drive of each of its lycées to the base (lycées of one site: one drive).
  const costs = new Float64Array(P * S);
  members.forEach((list, p) => {
    const oneSite = list.every((i) => scope[i].lat === scope[list[0]].lat && scope[i].lon === scope[list[0]].lon);
    siteLocations.forEach((site, j) => {
      let total = 0;
      if (oneSite) total = list.length * seconds(scope[list[0]], site);
      else for (const i of list) total += seconds(scope[i], site);
      costs[p * S + j] = total;
    });
  });

  let zones: ZoneRequest | null = null;
  const zoneLongest: Record<string, number> = {};
  if (params.zones.enabled || params.zonesOnly) {
    const pointCosts = new Float32Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) pointCosts[i * N + j] = i === j ? 0 : seconds(scope[i], scope[j]);
    zones = { pointOf, pointCosts, min: params.zones.min, max: params.zones.max, fixed: fixedZones.map((list) => list.map((u) => pointIndex.get(u)!)), maxDriveSeconds: zoneMaxDriveSeconds(plan) };
    for (const zone of plan.zones) {
      const members = zone.members.flatMap((u) => (pointIndex.has(u) ? [pointIndex.get(u)!] : []));
      let longest = 0;
      for (const a of members) for (const b of members) if (a !== b) longest = Math.max(longest, pointCosts[a * N + b]);
      zoneLongest[zone.id] = longest;
    }
  }

  const instance: SolverInstance = {
    points: members.map((list) => list.map((i) => uais[i]).join('+')),
    attributes,
    weights,
    groups,
    sites: siteLocations.map((site) => site.uai ?? `${site.lat.toFixed(5)},${site.lon.toFixed(5)}`),
    costs,
    allowed,
    locked,
    current,
    stabilityCost: Math.max(0, params.stabilityMinutes) * 60,
    contiguity: params.contiguous && communes ? contiguityGraph(communes, members.map((list) => list.map((i) => scope[i]))) : null,
  };
  return {
    ok: true,
    prepared: {
      instance,
      zones,
      uais,
      pointOf,
      pointSizes: Int32Array.from(members, (list) => list.length),
      teamIds: teams.map((t) => t.id),
      siteLocations,
      lyceeSeconds: (lycee, site) => seconds(scope[lycee], siteLocations[site]),
      withoutBlock,
      splitBlocks,
      zoneLongest,
    },
  };
}

/**
 * The solver's point graph from the communes of each point's lycées; a point whose commune is not in
 * the layer (no COG code, a commune without polygon) is joined to its two nearest points, so that it
 * neither splits its team nor stays out of every territory.
 */
function contiguityGraph(communes: CommuneAdjacency, points: readonly (readonly Establishment[])[]): PointGraph {
  const indexOf = new Map(communes.codes.map((code, c) => [code, c]));
  const communesOfPoint = points.map((list) => [...new Set(list.flatMap((e) => (e.communeCode && indexOf.has(e.communeCode) ? [indexOf.get(e.communeCode)!] : [])))]);
  const graph = pointGraph(communes, communesOfPoint);
  const lost = communesOfPoint.flatMap((list, p) => (list.length === 0 ? [p] : []));
  if (lost.length === 0) return graph;
  const lists = points.map((_, p) => [...neighboursOf(graph, p)]);
  const distance = (a: Establishment, b: Establishment) => (a.lat - b.lat) ** 2 + ((a.lon - b.lon) * Math.cos((a.lat * Math.PI) / 180)) ** 2;
  for (const p of lost) {
    const nearest = points
      .map((list, q) => ({ q, d: q === p ? Infinity : distance(points[p][0], list[0]) }))
      .sort((x, y) => x.d - y.d)
      .slice(0, 2);
    for (const { q } of nearest) {
      if (!lists[p].includes(q)) lists[p].push(q);
      if (!lists[q].includes(p)) lists[q].push(p);
    }
  }
  return graphFromLists(lists);
}

export interface SolverReportViolation {
  team: string;
  attribute: string;
  value: number;
  lower: number;
  upper: number;
  by: number;
}

export interface ZoneFigure {
  name: string;
  members: number;
  /** Longest drive between two of its lycées (either direction). */
  longestSeconds: number;
  /** Longer than the plan's zoneMaxDriveMinutes. */
  long: boolean;
}

export interface ZoneComparison {
  team: string;
  before: ZoneFigure[];
  after: ZoneFigure[];
}

export interface SolverReport {
  parameters: PlanSolveParams;
  driveSource: { label: string; estimated: boolean };
  method: string;
  status: string;
  objectiveSeconds: number;
  travelSeconds: number;
  meanTravelSeconds: number;
  maxTravelSeconds: number;
  moved: number;
  bound: number | null;
  gap: number | null;
  heuristicObjectiveSeconds: number;
  seconds: number;
  violations: SolverReportViolation[];
  zones: { count: number; travelSeconds: number; outOfRange: number; exactTeams: number; heuristicTeams: number; longZones: number; maxDriveMinutes: number } | null;
  /** « Zones seulement »: per team, the zones before and after, zone by zone. */
  zoneComparison: ZoneComparison[] | null;
  /** What each exact phase was allowed and used (seconds). */
  phases: { phase: string; limitSeconds: number; seconds: number }[];
  points: number;
  teams: number;
  /** Assignment unit and the number of blocks the solver placed. */
  unit: { kind: AssignmentUnit; blocks: number; withoutBlock: number; split: string[] };
  /** One-piece sectors: pieces per team and the drive time the rule costs (vs the heuristic without it). */
  contiguity: { pieces: { team: string; pieces: number }[]; costSeconds: number } | null;
}

/** Drive times per lycée from its team's base, and lycées that changed team. */
export function lyceeFigures(plan: Plan, prepared: PreparedSolve, outcome: SolveOutcome): { travel: number; mean: number; max: number; moved: number } {
  let travel = 0;
  let max = 0;
  let moved = 0;
  prepared.uais.forEach((uai, i) => {
    const p = prepared.pointOf[i];
    const g = outcome.group[p];
    const seconds = prepared.lyceeSeconds(i, outcome.site[g]);
    travel += seconds;
    max = Math.max(max, seconds);
    if (plan.assignment[uai] !== undefined && plan.assignment[uai] !== prepared.teamIds[g]) moved++;
  });
  return { travel, mean: prepared.uais.length > 0 ? travel / prepared.uais.length : 0, max, moved };
}

export function solverReport(plan: Plan, prepared: PreparedSolve, outcome: SolveOutcome, params: PlanSolveParams, drive: DriveTimeSource): SolverReport {
  const names = new Map(plan.teams.map((t) => [t.id, t.name]));
  const N = prepared.uais.length;
  const figures = lyceeFigures(plan, prepared, outcome);
  return {
    parameters: params,
    driveSource: { label: drive.label, estimated: drive.estimated },
    method: outcome.method,
    status: outcome.status,
    objectiveSeconds: outcome.evaluation.objective,
    travelSeconds: figures.travel,
    meanTravelSeconds: figures.mean,
    maxTravelSeconds: figures.max,
    moved: figures.moved,
    bound: outcome.bound,
    gap: outcome.gap,
    heuristicObjectiveSeconds: outcome.heuristicObjective,
    seconds: outcome.seconds.total,
    violations: outcome.evaluation.violations.map((v) => ({ team: names.get(v.group) ?? v.group, attribute: ATTRIBUTE_LABELS[v.attribute] ?? v.attribute, value: v.value, lower: v.lower, upper: v.upper, by: v.by })),
    zones: outcome.zones
      ? {
          count: outcome.zones.zones.filter((z) => !z.fixed).length,
          travelSeconds: outcome.zones.travel,
          outOfRange: outcome.zones.outOfRange,
          exactTeams: outcome.zones.exactGroups,
          heuristicTeams: outcome.zones.heuristicGroups,
          longZones: outcome.zones.longZones,
          maxDriveMinutes: zoneMaxDriveSeconds(plan) / 60,
        }
      : null,
    zoneComparison: params.zonesOnly && outcome.zones && prepared.zones ? compareZones(plan, prepared, outcome) : null,
    phases: outcome.phases.map((p) => ({ phase: p.phase, limitSeconds: p.limitSeconds, seconds: p.seconds })),
    points: N,
    teams: prepared.teamIds.length,
    unit: { kind: params.unit, blocks: prepared.instance.points.length, withoutBlock: prepared.withoutBlock.length, split: prepared.splitBlocks },
    contiguity: outcome.contiguity
      ? {
          pieces: outcome.contiguity.pieces.map((pieces, g) => ({ team: names.get(prepared.teamIds[g]) ?? prepared.teamIds[g], pieces })),
          costSeconds: outcome.evaluation.objective - outcome.contiguity.unconstrainedObjective,
        }
      : null,
  };
}

/** Zone by zone, the plan's zones and the solver's, per team (names as planFromOutcome gives them). */
function compareZones(plan: Plan, prepared: PreparedSolve, outcome: SolveOutcome): ZoneComparison[] {
  const limit = zoneMaxDriveSeconds(plan);
  const figure = (name: string, members: number, longest: number): ZoneFigure => ({ name, members, longestSeconds: longest, long: longest > limit });
  return plan.teams.map((team, g) => {
    const before = plan.zones.filter((z) => z.teamId === team.id).map((z) => figure(z.name, z.members.length, prepared.zoneLongest[z.id] ?? 0));
    let number = 0;
    const after = outcome.zones!.zones
      .filter((z) => z.group === g)
      .map((z) => figure(z.fixed ? (plan.zones.find((p) => p.fixed && p.members.includes(prepared.uais[z.members[0]]))?.name ?? 'zone figée') : `${team.name} · zone ${++number}`, z.members.length, z.longestSeconds));
    return { team: team.name, before, after };
  });
}

/** The new proposal: the solver's assignment, chosen bases and zones; everything else copied. */
export function planFromOutcome(plan: Plan, prepared: PreparedSolve, outcome: SolveOutcome, report: SolverReport, options: { newId: string; now: string; name: string }): Plan {
  const next: Plan = structuredClone(plan);
  next.id = options.newId;
  next.name = options.name;
  next.createdAt = options.now;
  next.updatedAt = options.now;
  next.origin = { kind: 'solver', fromPlanId: plan.id, report };
  prepared.uais.forEach((uai, i) => {
    const teamId = prepared.teamIds[outcome.group[prepared.pointOf[i]]];
    if (plan.assignment[uai] !== teamId) delete next.sections[uai];
    next.assignment[uai] = teamId;
  });
  next.teams = next.teams.map((team, g) => {
    const site = prepared.instance.groups[g].site === null ? prepared.siteLocations[outcome.site[g]] : null;
    return site ? { ...team, base: { ...site } } : team;
  });
  const stillWhole = (zone: Zone) => zone.members.every((u) => next.assignment[u] === zone.teamId);
  if (outcome.zones) {
    const kept = next.zones.filter((z) => z.fixed);
    const ids = kept.map((z) => z.id);
    const counter = new Map<string, number>();
    const created: Zone[] = outcome.zones.zones
      .filter((z) => !z.fixed)
      .map((z) => {
        const team = next.teams[z.group];
        const number = (counter.get(team.id) ?? 0) + 1;
        counter.set(team.id, number);
        const id = freshId('z', ids);
        ids.push(id);
        return { id, teamId: team.id, name: `${team.name} · zone ${number}`, members: z.members.map((i) => prepared.uais[i]), fixed: false };
      });
    next.zones = [...kept, ...created];
  } else {
    next.zones = next.zones.filter(stillWhole);
  }
  return next;
}
