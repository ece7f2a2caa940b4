/** One line per lycée of a proposal, shared by the GeoJSON and spreadsheet exports. */
import type { Establishment } from '../model/establishment.ts';
import type { Plan } from '../model/plan.ts';
import { driveTimeToBase, pcCount, type MetricsState } from '../metrics/index.ts';

export interface LyceeRow {
  establishment: Establishment;
  teamId: string | null;
  team: string | null;
  section: string | null;
  zone: string | null;
  locked: boolean;
  pcs: number;
  pcsEstimated: boolean;
  pcsSource: string;
  driveMinutes: number | null;
}

/** Minutes with one decimal, as the exports show drive times. */
export const minutes = (seconds: number | null | undefined): number | null => (seconds === null || seconds === undefined ? null : Math.round(seconds / 6) / 10);

/** The public lycées and every assigned one, in the dataset's order. */
export function lyceeRows(plan: Plan, metrics: MetricsState, establishments: readonly Establishment[]): LyceeRow[] {
  const teams = new Map(plan.teams.map((t) => [t.id, t]));
  const zoneOf = new Map(plan.zones.flatMap((z) => z.members.map((uai) => [uai, z.name] as const)));
  const locked = new Set(plan.locked);
  return establishments
    .filter((e) => e.sector === 'public' || plan.assignment[e.uai] !== undefined)
    .map((e) => {
      const team = teams.get(plan.assignment[e.uai] ?? '') ?? null;
      const pcs = pcCount(plan, e, e.uai);
      return {
        establishment: e,
        teamId: team?.id ?? null,
        team: team?.name ?? null,
        section: team?.sections.find((s) => s.id === plan.sections[e.uai])?.name ?? null,
        zone: zoneOf.get(e.uai) ?? null,
        locked: locked.has(e.uai),
        pcs: pcs.count,
        pcsEstimated: pcs.estimated,
        pcsSource: pcs.estimated ? `estimation : élèves × ${plan.settings.pcPerStudent}` : plan.pcPark[e.uai].source,
        driveMinutes: minutes(driveTimeToBase(metrics, e.uai)),
      };
    });
}
