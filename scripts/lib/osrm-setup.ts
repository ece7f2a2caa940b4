/**
 * The pure half of `npm run osrm:setup`: which OpenStreetMap extracts a Région's routing server needs,
 * the outline it is cut to, and the Docker commands that build and start it. No I/O here, so every
 * choice is unit-tested; scripts/osrm-setup.ts downloads and runs.
 *
 * Geofabrik still cuts France into the 22 metropolitan régions of before 2016 (plus the DROM). A
 * current Région is one to three of them (Hauts-de-France = Nord-Pas-de-Calais + Picardie), and its
 * teams drive through neighbouring départements: the server is built from every former-région
 * extract that meets the Région's outline buffered by some km, merged, then cut to that buffer.
 */
import { buffer, booleanIntersects, simplify, bbox as turfBbox, featureCollection } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export const GEOFABRIK_FRANCE = 'https://download.geofabrik.de/europe/france';
export const GEOFABRIK_FRANCE_WHOLE = 'https://download.geofabrik.de/europe/france-latest.osm.pbf';
export const DEFAULT_OSRM_IMAGE = 'ghcr.io/project-osrm/osrm-backend:v6.0.0';
/** Debian's packaged osmium-tool, to merge and cut extracts: no image of unknown origin. */
export const OSMIUM_IMAGE = 'debian:bookworm-slim';
export const DEFAULT_BUFFER_KM = 20;

/** Geofabrik's France sub-region (a former région, or a DROM) of each département. */
const FORMER_REGIONS: Record<string, readonly string[]> = {
  alsace: ['67', '68'],
  aquitaine: ['24', '33', '40', '47', '64'],
  auvergne: ['03', '15', '43', '63'],
  'basse-normandie': ['14', '50', '61'],
  bourgogne: ['21', '58', '71', '89'],
  bretagne: ['22', '29', '35', '56'],
  centre: ['18', '28', '36', '37', '41', '45'],
  'champagne-ardenne': ['08', '10', '51', '52'],
  corse: ['2A', '2B'],
  'franche-comte': ['25', '39', '70', '90'],
  'haute-normandie': ['27', '76'],
  'ile-de-france': ['75', '77', '78', '91', '92', '93', '94', '95'],
  'languedoc-roussillon': ['11', '30', '34', '48', '66'],
  limousin: ['19', '23', '87'],
  lorraine: ['54', '55', '57', '88'],
  'midi-pyrenees': ['09', '12', '31', '32', '46', '65', '81', '82'],
  'nord-pas-de-calais': ['59', '62'],
  'pays-de-la-loire': ['44', '49', '53', '72', '85'],
  picardie: ['02', '60', '80'],
  'poitou-charentes': ['16', '17', '79', '86'],
  'provence-alpes-cote-d-azur': ['04', '05', '06', '13', '83', '84'],
  'rhone-alpes': ['01', '07', '26', '38', '42', '69', '73', '74'],
  guadeloupe: ['971'],
  martinique: ['972'],
  guyane: ['973'],
  reunion: ['974'],
  mayotte: ['976'],
};

export const EXTRACT_OF_DEPARTEMENT: ReadonlyMap<string, string> = new Map(Object.entries(FORMER_REGIONS).flatMap(([extract, codes]) => codes.map((code) => [code, extract] as const)));

export function extractUrl(name: string): string {
  return `${GEOFABRIK_FRANCE}/${name}-latest.osm.pbf`;
}

type Area = Feature<Polygon | MultiPolygon>;

/**
 * The Région's outline grown by `km` on every side. The outline is simplified to ~1 km first: a
 * band of tens of km needs no more detail, and buffering the full outline takes a minute.
 */
export function bufferedOutline(outline: FeatureCollection<Polygon | MultiPolygon> | Area, km: number): Area {
  const features = (outline.type === 'FeatureCollection' ? outline.features : [outline]).map((f) => simplify(f, { tolerance: 0.01, highQuality: false }));
  const grown = buffer(featureCollection(features), Math.max(km, 0.5), { units: 'kilometers' }) as FeatureCollection<Polygon | MultiPolygon>;
  const polygons = grown.features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  const merged: Area = { type: 'Feature', properties: {}, geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons } };
  return simplify(merged, { tolerance: 0.001, highQuality: false });
}

/**
 * Former-région extracts that meet the area: those of the départements it touches. A département
 * with no known extract (a new code) is reported, never silently left out.
 */
export function extractsFor(area: Area, departements: FeatureCollection<Polygon | MultiPolygon, { code: string }>): { extracts: string[]; touched: string[]; unknown: string[] } {
  const [w, s, e, n] = turfBbox(area);
  const touched = departements.features
    .filter((d) => {
      const [dw, ds, de, dn] = turfBbox(d);
      return dw <= e && de >= w && ds <= n && dn >= s && booleanIntersects(area, d);
    })
    .map((d) => d.properties.code)
    .sort();
  const unknown = touched.filter((code) => !EXTRACT_OF_DEPARTEMENT.has(code));
  const extracts = [...new Set(touched.map((code) => EXTRACT_OF_DEPARTEMENT.get(code)).filter((x): x is string => x !== undefined))].sort();
  return { extracts, touched, unknown };
}

/** The area as an osmium/Osmosis polygon file: one section per ring, holes marked with « ! ». */
export function polyFile(name: string, area: Area): string {
  const polygons = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
  const lines = [name];
  let section = 0;
  for (const rings of polygons) {
    rings.forEach((ring, r) => {
      section++;
      lines.push(r === 0 ? String(section) : `!${section}`);
      for (const [lon, lat] of ring) lines.push(`   ${lon.toFixed(6)}   ${lat.toFixed(6)}`);
      lines.push('END');
    });
  }
  lines.push('END');
  return `${lines.join('\n')}\n`;
}

/**
 * `--max-table-size` for a Région: its whole lycée × lycée matrix (plus room for team bases) in one
 * request, rounded up to the hundred.
 */
export function tableSizeFor(lycees: number, bases = 50): number {
  return Math.max(100, Math.ceil((lycees + bases) / 100) * 100);
}

export interface SetupInput {
  regionCode: string;
  /** Absolute folder mounted as /data in the containers. */
  dir: string;
  extracts: string[];
  /** Cut the merged extracts to `region-<code>.poly` (false: use the extract whole, e.g. all of France or a DROM). */
  cut: boolean;
  tableSize: number;
  dataVersion: string;
  port: number;
  image: string;
}

export interface DockerStep {
  label: string;
  args: string[];
  /** A step whose failure is expected and harmless (removing a container that does not exist). */
  optional?: boolean;
}

export const containerName = (regionCode: string) => `maillage-osrm-${regionCode.toLowerCase()}`;
export const pbfName = (extract: string) => (extract === 'france' ? 'france-latest.osm.pbf' : `${extract}-latest.osm.pbf`);

/** The Docker command lines, as argument arrays (no shell quoting on the host). */
export function dockerSteps(input: SetupInput): DockerStep[] {
  const mount = ['-v', `${input.dir}:/data`];
  const steps: DockerStep[] = [];
  const inputs = input.extracts.map((e) => `/data/${pbfName(e)}`);
  const merged = input.extracts.length > 1 ? '/data/merged.osm.pbf' : inputs[0];
  // One whole extract (all of France, an overseas Région) is routed as downloaded: no copy.
  const routed = input.cut ? `/data/region-${input.regionCode.toLowerCase()}.osm.pbf` : merged;
  const osmium: string[] = [];
  if (input.extracts.length > 1) osmium.push(`osmium merge ${inputs.join(' ')} -o ${merged} --overwrite`);
  if (input.cut) osmium.push(`osmium extract --polygon /data/region-${input.regionCode.toLowerCase()}.poly --strategy complete_ways ${merged} -o ${routed} --overwrite`);
  if (osmium.length > 0) {
    steps.push({
      label: input.cut ? 'Assemblage et découpe des extraits (osmium)' : 'Assemblage des extraits (osmium)',
      args: ['run', '--rm', ...mount, OSMIUM_IMAGE, 'sh', '-c', `apt-get update -qq && apt-get install -y -qq osmium-tool >/dev/null && ${osmium.join(' && ')}`],
    });
  }
  const osrm = routed.replace(/\.osm\.pbf$/, '.osrm');
  steps.push({ label: 'Graphe routier (osrm-extract, profil voiture)', args: ['run', '--rm', ...mount, input.image, 'osrm-extract', '-p', '/opt/car.lua', '--data_version', input.dataVersion, routed] });
  steps.push({ label: 'Partition (osrm-partition)', args: ['run', '--rm', ...mount, input.image, 'osrm-partition', osrm] });
  steps.push({ label: 'Poids (osrm-customize)', args: ['run', '--rm', ...mount, input.image, 'osrm-customize', osrm] });
  const name = containerName(input.regionCode);
  steps.push({ label: 'Arrêt d’un serveur précédent', args: ['rm', '-f', name], optional: true });
  steps.push({
    label: 'Démarrage du serveur (osrm-routed)',
    args: ['run', '-d', '--name', name, '--restart', 'unless-stopped', '-p', `${input.port}:5000`, ...mount, input.image, 'osrm-routed', '--algorithm', 'mld', '--max-table-size', String(input.tableSize), osrm],
  });
  return steps;
}

/** `osrm-extract --data_version`: the Région and the date of its extracts, shown in the app and keying its cache. */
export function dataVersionFor(regionCode: string, extractsDate: string): string {
  return `region-${regionCode.toLowerCase()}-osm-${extractsDate}`;
}
