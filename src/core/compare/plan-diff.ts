/**
 * Two proposals side by side: the lycées whose team differs (teams matched by name, since two
 * proposals of the same Région may give the same team different ids), the share reassigned, and
 * per-team metric pairs with their difference.
 */
import type { Establishment } from '../model/establishment.ts';
import type { Plan } from '../model/plan.ts';
import type { PlanMetrics, TeamMetrics } from '../metrics/index.ts';

export interface MovedLycee {
  uai: string;
  name: string;
  commune: string;
  from: string | null;
  to: string | null;
}

export interface PlanDiff {
  moved: MovedLycee[];
  /** Lycées assigned in at least one of the two proposals. */
  compared: number;
  /** moved / compared. */
  share: number;
}

const teamName = (plan: Plan, uai: string): string | null => {
  const teamId = plan.assignment[uai];
  return teamId ? (plan.teams.find((t) => t.id === teamId)?.name ?? null) : null;
};

export function diffPlans(a: Plan, b: Plan, establishments: readonly Establishment[]): PlanDiff {
  const names = new Map(establishments.map((e) => [e.uai, e]));
  const uais = [...new Set([...Object.keys(a.assignment), ...Object.keys(b.assignment)])].sort();
  const moved: MovedLycee[] = [];
  for (const uai of uais) {
    const from = teamName(a, uai);
    const to = teamName(b, uai);
    if (from !== to) moved.push({ uai, name: names.get(uai)?.name ?? uai, commune: names.get(uai)?.commune ?? '', from, to });
  }
  moved.sort((x, y) => (x.from ?? '').localeCompare(y.from ?? '', 'fr') || (x.to ?? '').localeCompare(y.to ?? '', 'fr') || x.name.localeCompare(y.name, 'fr'));
  return { moved, compared: uais.length, share: uais.length > 0 ? moved.length / uais.length : 0 };
}

export type TeamMetricKey = 'lycees' | 'pcs' | 'students' | 'technicians' | 'lyceesPerTechnician' | 'pcsPerTechnician' | 'deviationLycees' | 'deviationPcs' | 'driveMeanSeconds' | 'driveMaxSeconds' | 'zonesOutOfRange';

export const TEAM_METRIC_LABELS: Record<TeamMetricKey, string> = {
  lycees: 'Lycées',
  pcs: 'PC',
  students: 'Élèves',
  technicians: 'Techniciens',
  lyceesPerTechnician: 'Lycées / tech.',
  pcsPerTechnician: 'PC / tech.',
  deviationLycees: 'Écart lycées',
  deviationPcs: 'Écart PC',
  driveMeanSeconds: 'Trajet moyen',
  driveMaxSeconds: 'Trajet max',
  zonesOutOfRange: 'Zones hors bornes',
};

export interface MetricPair {
  key: TeamMetricKey;
  a: number | null;
  b: number | null;
  difference: number | null;
}

export interface TeamComparison {
  /** Team name (the matching key), or "Ensemble" for the Région. */
  name: string;
  color: string;
  metrics: MetricPair[];
}

function teamValues(team: TeamMetrics | undefined, metrics: PlanMetrics): Record<TeamMetricKey, number | null> {
  return {
    lycees: team?.lycees ?? null,
    pcs: team?.pcs ?? null,
    students: team?.students ?? null,
    technicians: team?.technicians ?? null,
    lyceesPerTechnician: team?.lyceesPerTechnician ?? null,
    pcsPerTechnician: team?.pcsPerTechnician ?? null,
    deviationLycees: team?.deviation.lycees ?? null,
    deviationPcs: team?.deviation.pcs ?? null,
    driveMeanSeconds: team?.driveMeanSeconds ?? null,
    driveMaxSeconds: team?.driveMaxSeconds ?? null,
    zonesOutOfRange: team ? metrics.zones.filter((z) => z.teamId === team.teamId && z.outOfRange).length : null,
  };
}

function globalValues(metrics: PlanMetrics): Record<TeamMetricKey, number | null> {
  const teams = metrics.teams;
  const sum = (pick: (t: TeamMetrics) => number) => teams.reduce((total, t) => total + pick(t), 0);
  const withDrive = teams.filter((t) => t.driveMeanSeconds !== null);
  const driveWeight = withDrive.reduce((total, t) => total + t.lycees, 0);
  return {
    lycees: metrics.global.assigned,
    pcs: sum((t) => t.pcs),
    students: sum((t) => t.students),
    technicians: metrics.global.technicians,
    lyceesPerTechnician: metrics.global.meanPerTechnician.lycees,
    pcsPerTechnician: metrics.global.meanPerTechnician.pcs,
    deviationLycees: metrics.global.maxAbsDeviation.lycees,
    deviationPcs: metrics.global.maxAbsDeviation.pcs,
    driveMeanSeconds: driveWeight > 0 ? withDrive.reduce((total, t) => total + t.driveMeanSeconds! * t.lycees, 0) / driveWeight : null,
    driveMaxSeconds: teams.reduce<number | null>((max, t) => (t.driveMaxSeconds === null ? max : Math.max(max ?? 0, t.driveMaxSeconds)), null),
    zonesOutOfRange: metrics.global.zonesOutOfRange,
  };
}

const pairs = (a: Record<TeamMetricKey, number | null>, b: Record<TeamMetricKey, number | null>): MetricPair[] =>
  (Object.keys(TEAM_METRIC_LABELS) as TeamMetricKey[]).map((key) => ({ key, a: a[key], b: b[key], difference: a[key] !== null && b[key] !== null ? b[key]! - a[key]! : null }));

/** One row per team name found in either proposal (in A's order, then B's new ones), then "Ensemble". */
export function compareMetrics(a: PlanMetrics, b: PlanMetrics): TeamComparison[] {
  const names = [...new Set([...a.teams.map((t) => t.name), ...b.teams.map((t) => t.name)])];
  const rows = names.map((name) => {
    const ta = a.teams.find((t) => t.name === name);
    const tb = b.teams.find((t) => t.name === name);
    return { name, color: (ta ?? tb)!.color, metrics: pairs(teamValues(ta, a), teamValues(tb, b)) };
  });
  rows.push({ name: 'Ensemble', color: '#444444', metrics: pairs(globalValues(a), globalValues(b)) });
  return rows;
}
