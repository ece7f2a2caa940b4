/**
 * Plan → map: per-lycée feature-states (team colour, unassigned, in the selection) computed as
 * diffs against what the map already shows, plus zone outlines and team bases as GeoJSON.
 */
import { featureCollection, point } from '@turf/turf';
import { zoneShape } from '../core/io/zone-shape';
import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import type { Establishment } from '../core/model/establishment';
import type { Plan } from '../core/model/plan';
import type { Territory } from '../core/territory/model';
import type { CommuneState, PointState } from './map-controller';

export const UNASSIGNED_COLOUR = '#ffffff';

/** Vivid colours for the selection ring; the one farthest from every team colour is used. */
const SELECTION_CANDIDATES = ['#ff00ff', '#00e5ff', '#39ff14', '#ff3d00', '#2962ff'];

function rgb(colour: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour.trim());
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}

/** A selection colour no team uses, as far as possible from all of them (RGB distance). */
export function selectionColour(teamColours: readonly string[]): string {
  const teams = teamColours.map(rgb).filter((c): c is [number, number, number] => c !== null);
  let best = SELECTION_CANDIDATES[0];
  let bestDistance = -1;
  for (const candidate of SELECTION_CANDIDATES) {
    const c = rgb(candidate)!;
    const nearest = Math.min(Infinity, ...teams.map((t) => Math.hypot(t[0] - c[0], t[1] - c[1], t[2] - c[2])));
    if (nearest > bestDistance) {
      best = candidate;
      bestDistance = nearest;
    }
  }
  return best;
}

export function planPointStates(plan: Plan | null, establishments: readonly Establishment[], selection: ReadonlySet<string>): Map<string, PointState> {
  const states = new Map<string, PointState>();
  const colours = new Map(plan?.teams.map((t) => [t.id, t.color]) ?? []);
  const pickColour = selectionColour([...colours.values()]);
  for (const e of establishments) {
    const teamId = plan?.assignment[e.uai];
    const colour = plan ? (teamId ? (colours.get(teamId) ?? null) : e.sector === 'public' ? UNASSIGNED_COLOUR : null) : null;
    states.set(e.uai, { colour, unassigned: !!plan && !teamId && e.sector === 'public', picked: selection.has(e.uai), pickColour: selection.has(e.uai) ? pickColour : null });
  }
  return states;
}

/** Only the entries whose state differs from `previous`. */
export function diffStates(previous: ReadonlyMap<string, PointState>, next: ReadonlyMap<string, PointState>): Map<string, PointState> {
  const changes = new Map<string, PointState>();
  for (const [uai, state] of next) {
    const before = previous.get(uai);
    if (!before || before.colour !== state.colour || before.unassigned !== state.unassigned || before.picked !== state.picked || before.pickColour !== state.pickColour) changes.set(uai, state);
  }
  return changes;
}

/** Zone outlines (see core zoneShape), coloured by team; `long` zones (internal drive over the limit) drawn in red. */
export function zoneOutlines(plan: Plan | null, byUai: ReadonlyMap<string, Establishment>, long: ReadonlySet<string> = new Set()): FeatureCollection {
  if (!plan) return featureCollection([]);
  const colours = new Map(plan.teams.map((t) => [t.id, t.color]));
  const features: Feature<Polygon | MultiPolygon>[] = [];
  for (const zone of plan.zones) {
    const shape = zoneShape(zone.members.map((uai) => byUai.get(uai)).filter((e): e is Establishment => !!e));
    if (shape) features.push({ type: 'Feature', geometry: shape, properties: { zoneId: zone.id, name: zone.name, colour: colours.get(zone.teamId) ?? '#555555', size: zone.members.length, long: long.has(zone.id) } });
  }
  return featureCollection(features);
}

export function teamBases(plan: Plan | null): FeatureCollection<Point> {
  if (!plan) return featureCollection([]);
  return featureCollection(plan.teams.filter((t) => t.base).map((t) => point([t.base!.lon, t.base!.lat], { teamId: t.id, name: t.name, colour: t.color, label: t.base!.label })));
}

/** Team of each commune for the territory layer; communes without a team are left out. */
export function communeStates(plan: Plan | null, territory: Territory | null, codes: readonly string[]): Map<string, CommuneState> {
  const states = new Map<string, CommuneState>();
  if (!plan || !territory || territory.owner.length !== codes.length) return states;
  const colours = new Map(plan.teams.map((t) => [t.id, t.color]));
  territory.owner.forEach((team, i) => {
    if (team !== null) states.set(codes[i], { team, colour: colours.get(team) ?? null, split: territory.split.has(i) });
  });
  return states;
}

/** Only the communes whose state differs from `previous`; a commune gone from `next` is cleared. */
export function diffCommuneStates(previous: ReadonlyMap<string, CommuneState>, next: ReadonlyMap<string, CommuneState>): Map<string, CommuneState> {
  const changes = new Map<string, CommuneState>();
  for (const [code, state] of next) {
    const before = previous.get(code);
    if (!before || before.team !== state.team || before.colour !== state.colour || before.split !== state.split) changes.set(code, state);
  }
  for (const code of previous.keys()) if (!next.has(code)) changes.set(code, { team: null, colour: null, split: false });
  return changes;
}

/** Team names at their territory's label point. */
export function territoryLabels(plan: Plan | null, territory: Territory | null): FeatureCollection<Point> {
  if (!plan || !territory) return featureCollection([]);
  return featureCollection(plan.teams.flatMap((t) => {
    const label = territory.teams.get(t.id)?.label;
    return label ? [point(label, { teamId: t.id, name: t.name, colour: t.color })] : [];
  }));
}
