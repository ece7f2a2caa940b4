import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, indexIps, padInseeCode, parseNumber, transform, type AnnuaireRow, type IpsRow } from '../../scripts/data/transform';
import { buildOutputs } from '../../scripts/data/outputs';
import { readSharedSources } from '../../scripts/data/sources';
import { mapOfficialAnnuaire } from '../../scripts/data/download';
import { parseCsv, mapIpsSeries } from '../../scripts/data/sources';
import type { RegionDataset } from '../../src/core/model/establishment';

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

const shared = '../shared/data';
describe.runIf(existsSync(shared))('data build on the shared open data', () => {
  const { files, report } = buildOutputs(readSharedSources(shared), '2026-01-01T00:00:00Z');
  const dataset = (code: string) => files.get(`data/${code}/establishments.json`) as RegionDataset;

  it('gives Hauts-de-France at least 260 public lycées with coordinates and EPCI', () => {
    const publics = dataset('32').establishments.filter((e) => e.sector === 'public');
    expect(publics.length).toBeGreaterThanOrEqual(260);
    expect(publics.every((e) => Number.isFinite(e.lat) && Number.isFinite(e.lon))).toBe(true);
    expect(publics.every((e) => e.epci !== null && e.communeCode !== null)).toBe(true);
    expect(files.has('data/32/communes.geojson')).toBe(true);
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
    expect(report.regions.map((r) => r.code)).toContain('FR');
    expect(report.regions).toHaveLength(14);
    expect(dataset('FR').establishments.length + report.dropped.length).toBe(report.inputRows);
    expect(report.dropped.every((d) => d.reason.length > 0)).toBe(true);
    expect(dataset('24').establishments.length).toBeGreaterThan(100);
    expect(files.has('data/24/departements.geojson')).toBe(true);
    expect(files.has('data/24/communes.geojson')).toBe(false);
  });
});
