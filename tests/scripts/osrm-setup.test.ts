import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { booleanPointInPolygon, point } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { RegionDataset, RegionIndex } from '../../src/core/model/establishment';
import {
  EXTRACT_OF_DEPARTEMENT,
  bufferedOutline,
  dataVersionFor,
  dockerSteps,
  extractUrl,
  extractsFor,
  polyFile,
  tableSizeFor,
} from '../../scripts/lib/osrm-setup';

// The pure parts only: nothing here downloads an extract or runs Docker.
const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const departements = read<FeatureCollection<Polygon | MultiPolygon, { code: string }>>('public/data/FR/departements.geojson');
const regionOutline = (code: string) => read<FeatureCollection<Polygon | MultiPolygon>>(`public/data/${code}/region.geojson`);

describe('which extracts a Région needs', () => {
  it('knows the Geofabrik extract of every département', () => {
    const index = read<RegionIndex>('public/data/regions.json');
    const all = index.regions.find((r) => r.code === 'FR')!.departements.map((d) => d.code);
    const known = all.filter((code) => EXTRACT_OF_DEPARTEMENT.has(code));
    // Metropolitan départements and the five DROM; the overseas collectivities (975, 977, 984…) have no public lycée of a Région.
    expect(departements.features.every((d) => EXTRACT_OF_DEPARTEMENT.has(d.properties.code))).toBe(true);
    expect(all.filter((code) => !EXTRACT_OF_DEPARTEMENT.has(code)).every((code) => /^9[7-9]/.test(code) && !['971', '972', '973', '974', '976'].includes(code))).toBe(true);
    expect(known.length).toBe(101);
    expect(extractUrl('picardie')).toBe('https://download.geofabrik.de/europe/france/picardie-latest.osm.pbf');
  });

  it('Hauts-de-France needs Picardie too, not only Nord-Pas-de-Calais, and the neighbours its band reaches', () => {
    const area = bufferedOutline(regionOutline('32'), 20);
    const found = extractsFor(area, departements);
    expect(found.extracts).toEqual(expect.arrayContaining(['nord-pas-de-calais', 'picardie', 'champagne-ardenne', 'haute-normandie', 'ile-de-france']));
    expect(found.touched).toEqual(expect.arrayContaining(['02', '59', '60', '62', '80', '08', '51', '76', '95']));
    expect(found.touched).not.toContain('75');
    expect(found.unknown).toEqual([]);
  });

  it('the band covers every public lycée and crosses the border, but stays a band', () => {
    const area = bufferedOutline(regionOutline('32'), 20);
    const lycees = read<RegionDataset>('public/data/32/establishments.json').establishments.filter((e) => e.sector === 'public');
    expect(lycees.every((e) => booleanPointInPolygon(point([e.lon, e.lat]), area))).toBe(true);
    expect(booleanPointInPolygon(point([3.39, 50.6]), area)).toBe(true); // Tournai (Belgium), ~10 km from the border
    expect(booleanPointInPolygon(point([2.3522, 48.8566]), area)).toBe(false); // Paris
  });

  it('Pays de la Loire takes its own extract and its neighbours', () => {
    const found = extractsFor(bufferedOutline(regionOutline('52'), 20), departements);
    expect(found.extracts).toEqual(['basse-normandie', 'bretagne', 'centre', 'pays-de-la-loire', 'poitou-charentes']);
  });
});

describe('osmium polygon file', () => {
  it('writes outer rings and holes (« ! ») as osmium reads them', () => {
    const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    const hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]];
    const text = polyFile('region-x', { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[square, hole], [square]] } });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('region-x');
    expect(lines.filter((l) => /^!?\d+$/.test(l))).toEqual(['1', '!2', '3']);
    expect(lines[2]).toBe('   0.000000   0.000000');
    expect(lines.at(-1)).toBe('END');
    expect(lines.filter((l) => l === 'END').length).toBe(4);
  });
});

describe('server size and Docker commands', () => {
  it('sizes the table for the whole Région’s matrix in one request', () => {
    expect(tableSizeFor(268)).toBe(400);
    expect(tableSizeFor(17)).toBe(100);
    expect(tableSizeFor(2765)).toBe(2900);
  });

  it('merges, cuts, builds (MLD) and starts a Région’s server with its data_version', () => {
    const steps = dockerSteps({ regionCode: '32', dir: '/srv/osrm', extracts: ['nord-pas-de-calais', 'picardie'], cut: true, tableSize: 400, dataVersion: dataVersionFor('32', '2026-11-25'), port: 5001, image: 'osrm:test' });
    expect(steps.map((s) => s.args.slice(0, 2).join(' '))).toEqual(['run --rm', 'run --rm', 'run --rm', 'run --rm', 'rm -f', 'run -d']);
    expect(steps[0].args.at(-1)).toContain(
      'osmium merge /data/nord-pas-de-calais-latest.osm.pbf /data/picardie-latest.osm.pbf -o /data/merged.osm.pbf --overwrite && osmium extract --polygon /data/region-32.poly --strategy complete_ways /data/merged.osm.pbf -o /data/region-32.osm.pbf --overwrite',
    );
    expect(steps[1].args).toEqual(['run', '--rm', '-v', '/srv/osrm:/data', 'osrm:test', 'osrm-extract', '-p', '/opt/car.lua', '--data_version', 'region-32-osm-2026-11-25', '/data/region-32.osm.pbf']);
    expect(steps[2].args.slice(-2)).toEqual(['osrm-partition', '/data/region-32.osrm']);
    expect(steps[3].args.slice(-2)).toEqual(['osrm-customize', '/data/region-32.osrm']);
    expect(steps[4].optional).toBe(true);
    expect(steps[5].args).toEqual(['run', '-d', '--name', 'maillage-osrm-32', '--restart', 'unless-stopped', '-p', '5001:5000', '-v', '/srv/osrm:/data', 'osrm:test', 'osrm-routed', '--algorithm', 'mld', '--max-table-size', '400', '/data/region-32.osrm']);
  });

  it('routes one whole extract as downloaded', () => {
    const steps = dockerSteps({ regionCode: 'FR', dir: '/d', extracts: ['france'], cut: false, tableSize: 2900, dataVersion: 'v', port: 5000, image: 'i' });
    expect(steps[0].args).toContain('osrm-extract');
    expect(steps[0].args.at(-1)).toBe('/data/france-latest.osm.pbf');
    expect(steps.at(-1)!.args.at(-1)).toBe('/data/france-latest.osrm');
  });
});

describe('npm run osrm:setup', () => {
  const run = promisify(execFile);
  it('prints the plan with --dry-run and refuses a malformed option', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/osrm-setup.ts', '--region', '52', '--dry-run', '--dir', '/tmp/osrm-52']);
    expect(stdout).toContain('https://download.geofabrik.de/europe/france/pays-de-la-loire-latest.osm.pbf');
    expect(stdout).toContain('Taille max. de table : 200 (122 lycées publics).');
    expect(stdout).toContain('osrm-routed --algorithm mld --max-table-size 200 /data/region-52.osrm');
    const failed = await run('npx', ['tsx', 'scripts/osrm-setup.ts', '--region', '52', '--buffer-km', 'abc']).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain('--buffer-km : « abc » n’est pas un nombre entier');
  });
});
