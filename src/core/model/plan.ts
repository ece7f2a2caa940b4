/**
 * A proposal ("plan") for one Région: teams, the lycée → team assignment, continuity zones, locks and
 * the PC park. Plain JSON data: it is stored in IndexedDB, posted to the solver worker and exported.
 * Operations on it live in ./plan-ops.ts and never mutate a plan in place.
 */

export const PLAN_SCHEMA_VERSION = 1;

export interface BaseLocation {
  lat: number;
  lon: number;
  label: string;
  /** Set when the base is a lycée (e.g. a support centre). */
  uai?: string;
}

export interface Section {
  id: string;
  name: string;
}

export interface Team {
  id: string;
  name: string;
  /** Top-level service ("Nord", "Aisne-Oise-Somme"), or null. */
  service: string | null;
  base: BaseLocation | null;
  technicians: number;
  /** CSS colour, e.g. '#1f77b4'. */
  color: string;
  sections: Section[];
  /** Département codes this team may serve (solver "stay within" mode); empty = any. */
  allowedDepartements: string[];
}

export interface Zone {
  id: string;
  teamId: string;
  name: string;
  members: string[];
  /** A fixed zone is kept as is by the solver. */
  fixed: boolean;
}

export interface Tolerances {
  /** Allowed relative deviation from the per-technician mean, e.g. 0.10 for ±10 %. */
  establishments: number;
  pcs: number;
  students: number | null;
}

export interface PlanSettings {
  /** PCs per learner used to estimate the park where no count was imported. */
  pcPerStudent: number;
  tolerances: Tolerances;
  /** Longest acceptable drive between two lycées of a continuity zone (minutes; absent: 45). */
  zoneMaxDriveMinutes?: number;
}

export interface PcParkEntry {
  count: number;
  /** Where the count came from (imported file name), for the report and exports. */
  source: string;
}

export interface Plan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  id: string;
  name: string;
  regionCode: string;
  createdAt: string;
  updatedAt: string;
  notes: string;
  teams: Team[];
  /** UAI → team id. A UAI absent from the map is unassigned. */
  assignment: Record<string, string>;
  /** UAI → section id (of the UAI's team). */
  sections: Record<string, string>;
  zones: Zone[];
  /** UAIs whose team the solver must keep. */
  locked: string[];
  /** UAI → imported PC count. */
  pcPark: Record<string, PcParkEntry>;
  settings: PlanSettings;
  /** Where the plan came from: a scenario id, an import, a solver run. */
  origin: PlanOrigin;
}

export type PlanOrigin =
  | { kind: 'blank' }
  | { kind: 'scenario'; scenarioId: string }
  | { kind: 'import'; fileName: string }
  | { kind: 'duplicate'; fromPlanId: string }
  | { kind: 'solver'; fromPlanId: string | null; report: unknown };

export const DEFAULT_SETTINGS: PlanSettings = {
  pcPerStudent: 0.37,
  tolerances: { establishments: 0.1, pcs: 0.05, students: null },
};
