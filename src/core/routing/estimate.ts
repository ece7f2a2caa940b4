/**
 * Drive-time estimate without a routing server: great-circle distance × a detour factor, at a speed
 * that depends on the distance band. Always labelled "estimation" wherever it is shown.
 *
 * Where the constants come from:
 * - Detour factor 1.3: the ratio of road to straight-line distance measured for French inter-urban
 *   trips is about 1.2–1.4 (classic "coefficient de détour" of transport geography; CEREMA/SETRA
 *   studies use ~1.3 for regional road networks).
 * - Speeds: short trips stay in town (≈35 km/h average door to door), medium trips mix departmental
 *   roads (≈60 km/h), long ones reach expressways and motorways (≈80–90 km/h average including the
 *   urban ends). Lille–Amiens (≈100 km straight, ≈120 km by road, ≈1 h 25 by car) checks the top band.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
export const DETOUR_FACTOR = 1.3;

/** Average speed (m/s) per road-distance band (upper bound in metres). */
const SPEED_BANDS: readonly { upTo: number; metresPerSecond: number }[] = [
  { upTo: 5_000, metresPerSecond: 35 / 3.6 },
  { upTo: 30_000, metresPerSecond: 60 / 3.6 },
  { upTo: Infinity, metresPerSecond: 85 / 3.6 },
];

export function haversineMetres(a: LatLon, b: LatLon): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Duration of a road distance travelled band by band, so the time is continuous and strictly
 * increasing with distance (a longer trip never takes less time).
 */
export function estimatedSeconds(roadMetres: number): number {
  let seconds = 0;
  let covered = 0;
  for (const band of SPEED_BANDS) {
    const part = Math.min(roadMetres, band.upTo) - covered;
    if (part <= 0) break;
    seconds += part / band.metresPerSecond;
    covered += part;
  }
  return seconds;
}

export function estimateTrip(a: LatLon, b: LatLon): { seconds: number; metres: number } {
  const metres = haversineMetres(a, b) * DETOUR_FACTOR;
  return { seconds: estimatedSeconds(metres), metres };
}
