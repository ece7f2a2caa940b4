/**
 * The outline of a continuity zone: the convex hull of its members, padded so that zones of one or
 * two lycées (or of aligned lycées) show as well. Used by the map and by the GeoJSON export.
 */
import { buffer, convex, featureCollection, lineString, point, rewind } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { LatLon } from '../routing/estimate.ts';

export const ZONE_PADDING_KM = 1.2;

export function zoneShape(members: readonly LatLon[]): Polygon | MultiPolygon | null {
  if (members.length === 0) return null;
  const points = featureCollection(members.map((m) => point([m.lon, m.lat])));
  const hull = members.length >= 3 ? convex(points) : null;
  // Two lycées, or aligned ones: one padded segment (separate discs could overlap each other).
  const distinct = [...new Map(members.map((m) => [`${m.lon},${m.lat}`, [m.lon, m.lat]])).values()];
  const core = hull ?? (distinct.length >= 2 ? lineString(distinct) : point(distinct[0]));
  const shape = buffer(core, ZONE_PADDING_KM, { units: 'kilometers' });
  return shape ? (rewind(shape.geometry) as Polygon | MultiPolygon) : null;
}
