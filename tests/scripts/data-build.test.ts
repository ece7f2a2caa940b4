import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, indexIps, padInseeCode, parseNumber, transform, type AnnuaireRow, type IpsRow } from '../../scripts/data/transform';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { METROPOLITAN_REGIONS, type BuildReport } from '../../scripts/data/outputs';
import { loadCog } from '../../scripts/data/territories';
import { boxOfAreal, pointInAreal, type Areal } from '../../src/core/territory/topology';
import { mapOfficialAnnuaire } from '../../scripts/data/download';
import { parseCsv, mapIpsSeries } from '../../scripts/data/sources';
import { DATA_PATHS, LOW_RES_TILES, type CommuneAdjacency, type RegionDataset, type RegionIndex } from '../../src/core/model/establishment';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { communeTiles, tileRange } from '../../scripts/data/tiles';

const departements = [
  { code: '02', nom: 'Aisne', region: '32' },
  { code: '49', nom: 'Maine-et-Loire', region: '52' },
];

function annuaire(partial: Partial<AnnuaireRow>): AnnuaireRow {
  return { uai: '', nom: '', commune: 'Angers', academie: 'Nantes', departement: 'Maine-et-Loire', secteur: 'Public', ips: '', latitude: '47.47', longitude: '-0.55', ...partial };
}

function ips(partial: Partial<IpsRow>): IpsRow {
  return { rentree: '2022-2023', uai: '', codeCommune: '', type: '', secteur: 'public', studentsGt: '', studentsPro: '', studentsTotal: '', ...partial };
}

describe('data build on a tiny fixture', () => {
  const rows = [
    annuaire({ uai: '0490003M', nom: 'Lycée polyvalent Chevrollier' }),
    annuaire({ uai: '0490003M', nom: 'Doublon' }),
    annuaire({ uai: '04921235', nom: 'Lycée Jean Moulin' }),
    annuaire({ uai: '0490946M', nom: "Lycée d'enseignement général et technologique agricole Le Fresne" }),
    annuaire({ uai: '0490925P', nom: "Etablissement régional d'enseignement adapté Vaugirard", latitude: '' }),
    annuaire({ uai: '0020012C', nom: 'Lycée professionnel privé hors contrat X', departement: 'AISNE', secteur: 'Privé', commune: 'Château-Thierry' }),
  ];
  const ipsIndex = indexIps(
    [ips({ uai: '0490003M', type: 'LPO', codeCommune: '49007', studentsTotal: '1550.0' }), ips({ uai: '0020012C', type: 'LEGT', codeCommune: '2168' })],
    [ips({ rentree: '2016-2017', uai: '0490946M', type: 'LEGT' }), ips({ rentree: '2021-2022', uai: '0020012C', type: 'LP' })],
  );
  const result = transform(rows, ipsIndex, departements);

  it('keeps valid rows with joined type, students and zero-padded INSEE code', () => {
    const pdl = result.byRegion.get('52') ?? [];
    expect(pdl.map((e) => e.uai)).toEqual(['0490003M', '0490946M']);
    expect(pdl[0]).toMatchObject({ kind: 'LPO', kindSource: 'ips', students: 1550, studentsYear: '2022-2023', communeCode: '49007', departement: '49', sector: 'public' });
    const hdf = result.byRegion.get('32') ?? [];
    expect(hdf[0]).toMatchObject({ uai: '0020012C', kind: 'LEGT', communeCode: '02168', sector: 'prive', horsContrat: true, departementName: 'Aisne', students: null });
  });

  it('keeps agricultural lycées as such even when typed LEGT', () => {
    expect(result.byRegion.get('52')?.[1]).toMatchObject({ kind: 'agricole', kindSource: 'nom' });
  });

  it('lists every dropped row with its reason', () => {
    expect(result.dropped).toEqual([
      { uai: '0490003M', name: 'Doublon', reason: 'UAI en double (seule la première ligne est gardée)' },
      { uai: '04921235', name: 'Lycée Jean Moulin', reason: expect.stringContaining('0492123S') },
      { uai: '0490925P', name: "Etablissement régional d'enseignement adapté Vaugirard", reason: 'pas de coordonnées géographiques' },
    ]);
  });

  it('cuts the light communes into vector tiles over the bbox, empty where there is no commune', () => {
    const square = (code: string, west: number): Feature<Polygon> => ({ type: 'Feature', properties: { code, nom: code }, geometry: { type: 'Polygon', coordinates: [[[west, 50], [west + 0.1, 50], [west + 0.1, 50.1], [west, 50.1], [west, 50]]] } });
    const bbox: [number, number, number, number] = [2, 49, 4, 50.2];
    const tiles = communeTiles({ type: 'FeatureCollection', features: [square('59001', 2.0), square('59002', 2.1)] }, bbox);
    let expected = 0;
    for (let z = 0; z <= LOW_RES_TILES.maxzoom; z++) {
      const { x, y } = tileRange(bbox, z);
      expected += (x[1] - x[0] + 1) * (y[1] - y[0] + 1);
    }
    expect(tiles.size).toBe(expected);
    const layer = new VectorTile(new PbfReader(tiles.get('0/0/0')!)).layers[LOW_RES_TILES.layer];
    expect([layer.feature(0).properties, layer.feature(1).properties]).toEqual([{ code: '59001' }, { code: '59002' }]);
    const { x, y } = tileRange(bbox, LOW_RES_TILES.maxzoom);
    expect(tiles.get(`${LOW_RES_TILES.maxzoom}/${x[1]}/${y[1]}`)).toHaveLength(0);
  });

  it('parses numbers and codes', () => {
    expect(parseNumber('1 015,5')).toBe(1015.5);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('abc')).toBeNull();
    expect(padInseeCode('2408')).toBe('02408');
    expect(padInseeCode('2A004')).toBe('2A004');
    expect(classify('Lycée professionnel maritime de Boulogne', 'LP').kind).toBe('maritime');
    expect(classify('Lycée Jean Bart', null)).toEqual({ kind: 'autre', source: 'nom' });
  });

  it('maps the official annuaire and IPS export columns', () => {
    const annuaireCsv = readFileSync('tests/fixtures/data/annuaire-officiel.csv', 'utf8');
    const mapped = parseCsv(annuaireCsv, ';').map(mapOfficialAnnuaire);
    expect(mapped[0]).toMatchObject({ uai: '0490003M', codeDepartement: '49', codeCommune: '49007', secteur: 'Public', latitude: '47.4641' });
    const ipsCsv = readFileSync('tests/fixtures/data/ips-officiel.csv', 'utf8');
    expect(parseCsv(ipsCsv, ';').map(mapIpsSeries)[0]).toMatchObject({ uai: '0490003M', type: 'LPO', studentsTotal: '1550', codeCommune: '49007' });
  });
});

// The files written by `npm run data` (npm test builds them first when stale): testing them keeps
// this suite fast and checks what the app really loads.
const built = 'public/data';
const builtJson = <T>(path: string): T => JSON.parse(readFileSync(`${built}/${path}`, 'utf8')) as T;

describe.runIf(existsSync(`${built}/regions.json`))('data build on the shared open data (built files)', () => {
  const dataset = (code: string) => builtJson<RegionDataset>(`${code}/establishments.json`);
  const report = builtJson<BuildReport>('build-report.json');
  const cog = loadCog();
  const withoutPolygon = new Set(report.communes.withoutPolygon.map((c) => c.code));

  it('gives Hauts-de-France at least 260 public lycées with coordinates and EPCI', () => {
    const publics = dataset('32').establishments.filter((e) => e.sector === 'public');
    expect(publics.length).toBeGreaterThanOrEqual(260);
    expect(publics.every((e) => Number.isFinite(e.lat) && Number.isFinite(e.lon))).toBe(true);
    expect(publics.every((e) => e.epci !== null && e.communeCode !== null && e.arrondissement !== null)).toBe(true);
  });

  it('puts every valid UAI of the published PdL continuity zones in Pays de la Loire', () => {
    const uais = new Set(dataset('52').establishments.map((e) => e.uai));
    const zones = readFileSync('../shared/docs/DOMAIN.md', 'utf8').split('Continuity zones published')[1];
    const listed = [...zones.matchAll(/\b\d{7}[A-Z]\b/g)].map((m) => m[0]);
    expect(listed.length).toBeGreaterThanOrEqual(49);
    for (const uai of listed) expect(uais.has(uai), uai).toBe(true);
    expect(uais.has('0492123S')).toBe(true);
  });

  it('covers every metropolitan Région and France entière, dropping nothing silently', () => {
    expect(report.regions.map((r) => r.code)).toEqual([...METROPOLITAN_REGIONS, 'FR']);
    expect(dataset('FR').establishments.length + report.dropped.length).toBe(report.inputRows);
    expect(report.dropped.every((d) => d.reason.length > 0)).toBe(true);
    expect(dataset('24').establishments.length).toBeGreaterThan(100);
  });

  it('documents the COG 2026 communes without a 2018 polygon, and only re-created ones', () => {
    expect([...withoutPolygon]).toEqual(expect.arrayContaining(['85165', '85212']));
    expect(withoutPolygon.size).toBeLessThan(20);
    expect(report.communes.unmapped).toEqual([]);
  });

  it.each(METROPOLITAN_REGIONS)('Région %s: COG 2026 communes, EPCI, arrondissements, adjacency and borders', (code) => {
    const info = builtJson<RegionIndex>('regions.json').regions.find((r) => r.code === code);
    expect(info?.layers).toMatchObject({ communes: true, epci: true, arrondissements: true, places: true, adjacency: true, borders: true, lowRes: true });
    const communes = builtJson<FeatureCollection<Areal>>(`${code}/communes.geojson`).features;
    const expected = cog.communes.filter((c) => c.type === 'commune-actuelle' && c.region === code && !withoutPolygon.has(c.code));
    expect(communes.map((f) => f.properties?.code)).toEqual(expected.map((c) => c.code).sort());
    if (code === '53') expect(communes).toHaveLength(1202);
    if (code === '76') expect(communes).toHaveLength(4446);
    if (code === '32') expect(communes).toHaveLength(3782);

    const epci = builtJson<FeatureCollection>(`${code}/epci.geojson`).features.map((f) => f.properties?.code);
    const epciOfCommune = new Map(cog.epci.flatMap((e) => e.membres.map((m) => [m.code, e.code] as const)));
    expect(epci).toEqual([...new Set(expected.map((c) => epciOfCommune.get(c.code)).filter(Boolean))].sort());
    const arrondissements = builtJson<FeatureCollection>(`${code}/arrondissements.geojson`).features.map((f) => f.properties?.code);
    expect(arrondissements).toEqual(cog.arrondissements.filter((a) => a.region === code).map((a) => a.code).sort());

    // Every lycée in exactly one commune polygon (or, when placed by nearest commune, in none).
    // Plain loops collecting the faults: one expect per Région keeps the suite fast.
    const boxes = communes.map((f) => boxOfAreal(f.geometry));
    const codes = communes.map((f) => f.properties?.code as string);
    const index = new Map(codes.map((c, i) => [c, i]));
    const misplaced: string[] = [];
    for (const e of dataset(code).establishments) {
      const containing = codes.filter((_, i) => e.lon >= boxes[i][0] && e.lon <= boxes[i][2] && e.lat >= boxes[i][1] && e.lat <= boxes[i][3] && pointInAreal(e.lon, e.lat, communes[i].geometry));
      const ok = e.communePlacement === 'polygon' ? containing.length === 1 && containing[0] === e.communeCode : e.communePlacement === 'nearest' && containing.length === 0;
      if (!ok || !index.has(e.communeCode ?? '')) misplaced.push(`${e.uai} ${e.communePlacement} ${e.communeCode} in [${containing.join(' ')}]`);
    }
    expect(misplaced).toEqual([]);

    const adjacency = builtJson<CommuneAdjacency>(`${code}/adjacency.json`);
    expect(adjacency.codes).toEqual(codes);
    const faults: string[] = [];
    adjacency.neighbours.forEach((list, i) => {
      list.forEach((j, k) => {
        if (k > 0 && list[k - 1] >= j) faults.push(`${codes[i]} not sorted`);
        if (!adjacency.neighbours[j].includes(i)) faults.push(`${codes[i]} → ${codes[j]} not symmetric`);
      });
    });
    expect(faults).toEqual([]);
    const reach = new Set([0]);
    const stack = [0];
    const edges = adjacency.neighbours.map((l) => [...l]);
    for (const [a, b] of adjacency.links) {
      edges[a].push(b);
      edges[b].push(a);
    }
    while (stack.length > 0)
      for (const j of edges[stack.pop() as number])
        if (!reach.has(j)) {
          reach.add(j);
          stack.push(j);
        }
    expect(reach.size).toBe(codes.length);

    const borders = builtJson<FeatureCollection>(`${code}/borders.geojson`).features;
    expect(borders).toHaveLength(adjacency.neighbours.reduce((n, l) => n + l.length, 0) / 2);
    expect(borders.filter((b) => !adjacency.neighbours[index.get(b.properties?.a) as number].includes(index.get(b.properties?.b) as number))).toEqual([]);
    // The light layers: the same communes and borders, in the same order, with the same pairs.
    const communesLow = builtJson<FeatureCollection<Areal>>(`${code}/communes-low.geojson`).features;
    expect(communesLow.map((f) => f.properties?.code)).toEqual(codes);
    // Its vector tiles: at the zoom of a Région view they hold every commune, by its code.
    const template = DATA_PATHS.lowResTiles(code);
    const { x, y } = tileRange(info!.bbox, 7);
    const tiled = new Set<string>();
    for (let tx = x[0]; tx <= x[1]; tx++) {
      for (let ty = y[0]; ty <= y[1]; ty++) {
        const layer = new VectorTile(new PbfReader(readFileSync(`${built}/${template.slice(5).replace('{z}/{x}/{y}', `7/${tx}/${ty}`)}`))).layers[LOW_RES_TILES.layer];
        for (let i = 0; i < (layer?.length ?? 0); i++) tiled.add(String(layer!.feature(i).properties.code));
      }
    }
    expect([...tiled].sort()).toEqual([...codes].sort());
    const bordersLow = builtJson<FeatureCollection>(`${code}/borders-low.geojson`).features;
    expect(bordersLow.map((b) => `${b.id} ${b.properties?.a} ${b.properties?.b}`)).toEqual(borders.map((b) => `${b.id} ${b.properties?.a} ${b.properties?.b}`));
    // The page builds the commune graph from adjacency.json alone.
    expect(adjacency.names).toEqual(communes.map((f) => f.properties?.nom));
    expect(adjacency.centroids).toHaveLength(codes.length);
    expect(adjacency.areaKm2?.every((a) => a > 0)).toBe(true);
    const places = builtJson<FeatureCollection<Point>>(`${code}/places.geojson`).features;
    expect(places.filter((p) => p.properties?.rank === 0)).toHaveLength(info?.departements.length ?? 0);
    const outside = places.filter((p) => !pointInAreal(p.geometry.coordinates[0], p.geometry.coordinates[1], communes[index.get(p.properties?.code) as number].geometry));
    expect(outside.map((p) => p.properties?.nom)).toEqual([]);
  });
});
