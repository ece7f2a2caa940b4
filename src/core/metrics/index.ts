/**
 * Live metrics of a plan: per team, per zone and global. `computeMetrics` does everything;
 * `updateMetrics` reuses the per-team and per-zone aggregates of a previous state and recomputes
 * only what an edit touched (teams whose members, base, technicians or PC counts changed; zones
 * whose object changed — plan-ops keep untouched teams and zones by reference). Deviations depend on
 * the Région-wide mean and are rederived from the aggregates each time (O(teams)). The result is
 * identical to a full recompute; tests check it on random edit sequences.
 */
import type { Establishment } from '../model/establishment.ts';
import type { Plan, Team, Zone } from '../model/plan.ts';
import { estimateTrip, type LatLon } from '../routing/estimate.ts';

export interface DriveTimeSource {
  /** Shown next to every drive time, e.g. "estimation (vol d'oiseau × 1,3)" or "OSRM (…)". */
  label: string;
  estimated: boolean;
  seconds(from: LatLon, to: LatLon): number | null;
}

export const ESTIMATED_DRIVE_TIMES: DriveTimeSource = {
  label: 'estimation (distance à vol d’oiseau × 1,3, vitesse par tranche de distance)',
  estimated: true,
  seconds: (from, to) => estimateTrip(from, to).seconds,
};

export interface MetricsContext {
  establishments: ReadonlyMap<string, Establishment>;
  /** The lycées a plan must cover (default: the Région's public lycées). */
  scope: readonly string[];
  drive: DriveTimeSource;
}

export function metricsContext(establishments: readonly Establishment[], drive: DriveTimeSource = ESTIMATED_DRIVE_TIMES): MetricsContext {
  return {
    establishments: new Map(establishments.map((e) => [e.uai, e])),
    scope: establishments.filter((e) => e.sector === 'public').map((e) => e.uai),
    drive,
  };
}

export interface PcCount {
  count: number;
  estimated: boolean;
}

/** Imported count when there is one; otherwise students × ratio, flagged as an estimate. */
export function pcCount(plan: Plan, establishment: Establishment | undefined, uai: string): PcCount {
  const imported = plan.pcPark[uai];
  if (imported) return { count: imported.count, estimated: false };
  return { count: Math.round((establishment?.students ?? 0) * plan.settings.pcPerStudent), estimated: true };
}

interface TeamAggregate {
  team: Team;
  members: string[];
  pcs: number;
  pcsEstimated: number;
  students: number;
  driveSum: number;
  driveMax: number | null;
  driveKnown: number;
  driveSeconds: Map<string, number | null>;
}

export interface TeamMetrics {
  teamId: string;
  name: string;
  color: string;
  lycees: number;
  pcs: number;
  /** How many of the team's PC counts are estimates. */
  pcsEstimated: number;
  students: number;
  technicians: number;
  lyceesPerTechnician: number | null;
  pcsPerTechnician: number | null;
  studentsPerTechnician: number | null;
  /** Relative deviation from the Région-wide per-technician mean (0.1 = +10 %). */
  deviation: { lycees: number | null; pcs: number | null; students: number | null };
  withinTolerance: { lycees: boolean; pcs: boolean };
  driveMeanSeconds: number | null;
  driveMaxSeconds: number | null;
}

export interface ZoneMetrics {
  zoneId: string;
  teamId: string;
  name: string;
  size: number;
  /** Largest drive time between two members (either direction). */
  maxPairSeconds: number | null;
  outOfRange: boolean;
}

export interface GlobalMetrics {
  inScope: number;
  assigned: number;
  unassigned: number;
  unassignedUais: string[];
  technicians: number;
  meanPerTechnician: { lycees: number | null; pcs: number | null; students: number | null };
  zonesOutOfRange: number;
  maxAbsDeviation: { lycees: number | null; pcs: number | null };
  /** Coefficient of variation of the per-technician loads across teams. */
  cv: { lycees: number | null; pcs: number | null };
  pcsEstimated: number;
}

export interface PlanMetrics {
  teams: TeamMetrics[];
  zones: ZoneMetrics[];
  global: GlobalMetrics;
  driveSource: string;
}

export const ZONE_SIZE = { min: 3, max: 5 };

export interface MetricsState {
  plan: Plan;
  metrics: PlanMetrics;
  aggregates: Map<string, TeamAggregate>;
  zoneCache: Map<Zone, ZoneMetrics>;
}

function aggregateTeam(plan: Plan, team: Team, members: string[], ctx: MetricsContext): TeamAggregate {
  let pcs = 0;
  let pcsEstimated = 0;
  let students = 0;
  let driveSum = 0;
  let driveMax: number | null = null;
  let driveKnown = 0;
  const driveSeconds = new Map<string, number | null>();
  for (const uai of members) {
    const e = ctx.establishments.get(uai);
    const pc = pcCount(plan, e, uai);
    pcs += pc.count;
    if (pc.estimated) pcsEstimated++;
    students += e?.students ?? 0;
    const seconds = team.base && e ? ctx.drive.seconds(team.base, e) : null;
    driveSeconds.set(uai, seconds);
    if (seconds !== null) {
      driveSum += seconds;
      driveKnown++;
      driveMax = driveMax === null ? seconds : Math.max(driveMax, seconds);
    }
  }
  return { team, members, pcs, pcsEstimated, students, driveSum, driveMax, driveKnown, driveSeconds };
}

function zoneMetrics(zone: Zone, ctx: MetricsContext): ZoneMetrics {
  let maxPair: number | null = null;
  for (const a of zone.members) {
    for (const b of zone.members) {
      if (a === b) continue;
      const ea = ctx.establishments.get(a);
      const eb = ctx.establishments.get(b);
      const s = ea && eb ? ctx.drive.seconds(ea, eb) : null;
      if (s !== null) maxPair = maxPair === null ? s : Math.max(maxPair, s);
    }
  }
  const size = zone.members.length;
  return { zoneId: zone.id, teamId: zone.teamId, name: zone.name, size, maxPairSeconds: maxPair, outOfRange: size < ZONE_SIZE.min || size > ZONE_SIZE.max };
}

function membersByTeam(plan: Plan): Map<string, string[]> {
  const members = new Map<string, string[]>(plan.teams.map((t) => [t.id, []]));
  for (const [uai, teamId] of Object.entries(plan.assignment)) members.get(teamId)?.push(uai);
  for (const list of members.values()) list.sort();
  return members;
}

function cv(values: number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return null;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

function derive(plan: Plan, aggregates: Map<string, TeamAggregate>, zones: ZoneMetrics[], ctx: MetricsContext): PlanMetrics {
  const list = plan.teams.map((t) => aggregates.get(t.id)!);
  const technicians = list.reduce((a, g) => a + g.team.technicians, 0);
  const totals = list.reduce((a, g) => ({ lycees: a.lycees + g.members.length, pcs: a.pcs + g.pcs, students: a.students + g.students }), { lycees: 0, pcs: 0, students: 0 });
  const mean = {
    lycees: technicians > 0 ? totals.lycees / technicians : null,
    pcs: technicians > 0 ? totals.pcs / technicians : null,
    students: technicians > 0 ? totals.students / technicians : null,
  };
  const dev = (value: number | null, m: number | null) => (value === null || m === null || m === 0 ? null : value / m - 1);
  const tol = plan.settings.tolerances;
  const teams: TeamMetrics[] = list.map((g) => {
    const per = (v: number) => (g.team.technicians > 0 ? v / g.team.technicians : null);
    const lpt = per(g.members.length);
    const ppt = per(g.pcs);
    const spt = per(g.students);
    const deviation = { lycees: dev(lpt, mean.lycees), pcs: dev(ppt, mean.pcs), students: dev(spt, mean.students) };
    return {
      teamId: g.team.id,
      name: g.team.name,
      color: g.team.color,
      lycees: g.members.length,
      pcs: g.pcs,
      pcsEstimated: g.pcsEstimated,
      students: g.students,
      technicians: g.team.technicians,
      lyceesPerTechnician: lpt,
      pcsPerTechnician: ppt,
      studentsPerTechnician: spt,
      deviation,
      withinTolerance: {
        lycees: deviation.lycees === null || Math.abs(deviation.lycees) <= tol.establishments + 1e-12,
        pcs: deviation.pcs === null || Math.abs(deviation.pcs) <= tol.pcs + 1e-12,
      },
      driveMeanSeconds: g.driveKnown > 0 ? g.driveSum / g.driveKnown : null,
      driveMaxSeconds: g.driveMax,
    };
  });
  const assignedInScope = ctx.scope.filter((uai) => plan.assignment[uai] !== undefined);
  const unassignedUais = ctx.scope.filter((uai) => plan.assignment[uai] === undefined);
  const maxAbs = (key: 'lycees' | 'pcs') => {
    const values = teams.map((t) => t.deviation[key]).filter((v): v is number => v !== null);
    return values.length > 0 ? Math.max(...values.map(Math.abs)) : null;
  };
  const staffed = teams.filter((t) => t.technicians > 0);
  return {
    teams,
    zones,
    driveSource: ctx.drive.label,
    global: {
      inScope: ctx.scope.length,
      assigned: assignedInScope.length,
      unassigned: unassignedUais.length,
      unassignedUais,
      technicians,
      meanPerTechnician: mean,
      zonesOutOfRange: zones.filter((z) => z.outOfRange).length,
      maxAbsDeviation: { lycees: maxAbs('lycees'), pcs: maxAbs('pcs') },
      cv: { lycees: cv(staffed.map((t) => t.lyceesPerTechnician!)), pcs: cv(staffed.map((t) => t.pcsPerTechnician!)) },
      pcsEstimated: list.reduce((a, g) => a + g.pcsEstimated, 0),
    },
  };
}

export function computeMetrics(plan: Plan, ctx: MetricsContext): MetricsState {
  const members = membersByTeam(plan);
  const aggregates = new Map(plan.teams.map((t) => [t.id, aggregateTeam(plan, t, members.get(t.id)!, ctx)]));
  const zoneCache = new Map(plan.zones.map((z) => [z, zoneMetrics(z, ctx)]));
  return { plan, aggregates, zoneCache, metrics: derive(plan, aggregates, [...zoneCache.values()], ctx) };
}

/** Teams whose aggregate may differ between two plans. */
function dirtyTeams(before: Plan, after: Plan): Set<string> | 'all' {
  if (before.settings.pcPerStudent !== after.settings.pcPerStudent) return 'all';
  const dirty = new Set<string>();
  const previous = new Map(before.teams.map((t) => [t.id, t]));
  for (const team of after.teams) if (previous.get(team.id) !== team) dirty.add(team.id);
  const touch = (uai: string) => {
    const a = before.assignment[uai];
    const b = after.assignment[uai];
    if (a) dirty.add(a);
    if (b) dirty.add(b);
  };
  if (before.assignment !== after.assignment) {
    for (const uai of Object.keys(before.assignment)) if (before.assignment[uai] !== after.assignment[uai]) touch(uai);
    for (const uai of Object.keys(after.assignment)) if (before.assignment[uai] !== after.assignment[uai]) touch(uai);
  }
  if (before.pcPark !== after.pcPark) {
    for (const uai of new Set([...Object.keys(before.pcPark), ...Object.keys(after.pcPark)])) {
      if (before.pcPark[uai]?.count !== after.pcPark[uai]?.count) {
        const teamId = after.assignment[uai];
        if (teamId) dirty.add(teamId);
      }
    }
  }
  return dirty;
}

export function updateMetrics(previous: MetricsState, plan: Plan, ctx: MetricsContext): MetricsState {
  if (previous.plan === plan) return previous;
  const dirty = dirtyTeams(previous.plan, plan);
  if (dirty === 'all') return computeMetrics(plan, ctx);
  const aggregates = new Map<string, TeamAggregate>();
  let members: Map<string, string[]> | null = null;
  for (const team of plan.teams) {
    const kept = previous.aggregates.get(team.id);
    if (kept && !dirty.has(team.id)) aggregates.set(team.id, kept);
    else {
      members ??= membersByTeam(plan);
      aggregates.set(team.id, aggregateTeam(plan, team, members.get(team.id)!, ctx));
    }
  }
  const zoneCache = new Map<Zone, ZoneMetrics>();
  for (const zone of plan.zones) zoneCache.set(zone, previous.zoneCache.get(zone) ?? zoneMetrics(zone, ctx));
  return { plan, aggregates, zoneCache, metrics: derive(plan, aggregates, [...zoneCache.values()], ctx) };
}

/** Drive time from its team's base to a lycée, from the computed aggregates (null when unknown). */
export function driveTimeToBase(state: MetricsState, uai: string): number | null {
  const teamId = state.plan.assignment[uai];
  return teamId ? (state.aggregates.get(teamId)?.driveSeconds.get(uai) ?? null) : null;
}
