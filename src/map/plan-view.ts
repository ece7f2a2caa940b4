/**
 * Plan → map: per-lycée feature-states (team colour, unassigned, in the selection) computed as
 * diffs against what the map already shows, plus zone outlines and team bases as GeoJSON.
 */
import { convex, featureCollection, point, buffer } from '@turf/turf';
import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import type { Establishment } from '../core/model/establishment';
import type { Plan } from '../core/model/plan';
import type { PointState } from './map-controller';

export const UNASSIGNED_COLOUR = '#ffffff';

export function planPointStates(plan: Plan | null, establishments: readonly Establishment[], selection: ReadonlySet<string>): Map<string, PointState> {
  const states = new Map<string, PointState>();
  const colours = new Map(plan?.teams.map((t) => [t.id, t.color]) ?? []);
  for (const e of establishments) {
    const teamId = plan?.assignment[e.uai];
    const colour = plan ? (teamId ? (colours.get(teamId) ?? null) : e.sector === 'public' ? UNASSIGNED_COLOUR : null) : null;
    states.set(e.uai, { colour, unassigned: !!plan && !teamId && e.sector === 'public', picked: selection.has(e.uai) });
  }
  return states;
}

/** Only the entries whose state differs from `previous`. */
export function diffStates(previous: ReadonlyMap<string, PointState>, next: ReadonlyMap<string, PointState>): Map<string, PointState> {
  const changes = new Map<string, PointState>();
  for (const [uai, state] of next) {
    const before = previous.get(uai);
    if (!before || before.colour !== state.colour || before.unassigned !== state.unassigned || before.picked !== state.picked) changes.set(uai, state);
  }
  return changes;
}

/** Zone outlines: the convex hull of the members, padded so two- and one-member zones show too. */
export function zoneOutlines(plan: Plan | null, byUai: ReadonlyMap<string, Establishment>): FeatureCollection {
  if (!plan) return featureCollection([]);
  const colours = new Map(plan.teams.map((t) => [t.id, t.color]));
  const features: Feature<Polygon | MultiPolygon>[] = [];
  for (const zone of plan.zones) {
    const points = zone.members.map((uai) => byUai.get(uai)).filter((e): e is Establishment => !!e).map((e) => point([e.lon, e.lat]));
    if (points.length === 0) continue;
    const hull = points.length >= 3 ? convex(featureCollection(points)) : null;
    const shape = buffer(hull ?? featureCollection(points), 1.2, { units: 'kilometers' });
    const polygons = shape && 'features' in shape ? shape.features : shape ? [shape] : [];
    for (const polygon of polygons) {
      features.push({ ...polygon, properties: { zoneId: zone.id, name: zone.name, colour: colours.get(zone.teamId) ?? '#555555', size: zone.members.length } } as Feature<Polygon | MultiPolygon>);
    }
  }
  return featureCollection(features);
}

export function teamBases(plan: Plan | null): FeatureCollection<Point> {
  if (!plan) return featureCollection([]);
  return featureCollection(plan.teams.filter((t) => t.base).map((t) => point([t.base!.lon, t.base!.lat], { teamId: t.id, name: t.name, colour: t.color, label: t.base!.label })));
}
