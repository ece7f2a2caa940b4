import type { AppState } from '../state/app.svelte';
import type { PlanningState } from '../state/planning.svelte';
import type { MapController } from '../map/map-controller';
import type { DriveTimesState } from '../state/drive-times.svelte';
import type { SolverState } from '../state/solver.svelte';
import type { ExportState } from '../state/exports.svelte';
import type { TerritoryState } from '../state/territory.svelte';

/** What every sidebar tab receives. */
export interface TabProps {
  app: AppState;
  planning: PlanningState;
  controller: () => MapController | null;
  driveTimes: DriveTimesState;
  solver: SolverState;
  exports: ExportState;
  /** Opens another sidebar tab. */
  goTo?: (tab: string) => void;
  territory?: TerritoryState;
}
