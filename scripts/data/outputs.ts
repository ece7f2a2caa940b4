/**
 * From raw sources to the app's per-Région files (pure: returns the files as data, build.ts writes
 * them). Layout and types: src/core/model/establishment.ts (DATA_PATHS, RegionIndex, RegionDataset).
 */
import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Establishment, RegionDataset, RegionIndex, RegionInfo } from '../../src/core/model/establishment.ts';
import { ESTABLISHMENT_KINDS } from '../../src/core/model/establishment.ts';
import type { RawSources } from './sources.ts';
import { indexIps, transform, type DroppedRow } from './transform.ts';

export const METROPOLITAN_REGIONS = ['11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94'];
export const FRANCE_CODE = 'FR';

export interface BuildOutput {
  /** Relative path under public/ → JSON value. */
  files: Map<string, unknown>;
  report: BuildReport;
}

export interface BuildReport {
  builtAt: string;
  source: string;
  inputRows: number;
  kept: number;
  dropped: DroppedRow[];
  regions: { code: string; name: string; total: number; public: number; byDepartement: Record<string, Record<string, number>> }[];
  /** Lycées of Régions with commune polygons that fell in no commune. */
  outsideCommunes: string[];
}

type Area = Feature<Polygon | MultiPolygon>;

interface IndexedArea {
  feature: Area;
  box: number[];
}

/** Sets COG 2026 commune and EPCI from the commune polygon that contains each lycée. */
function locateInCommunes(establishments: Establishment[], communes: IndexedArea[]): string[] {
  const outside: string[] = [];
  for (const e of establishments) {
    const point = [e.lon, e.lat];
    const hit = communes.find(
      ({ feature, box }) => e.lon >= box[0] && e.lon <= box[2] && e.lat >= box[1] && e.lat <= box[3] && booleanPointInPolygon(point, feature),
    );
    if (!hit) {
      outside.push(e.uai);
      continue;
    }
    const p = hit.feature.properties ?? {};
    e.communeCode = String(p.code);
    e.epci = p.epci ? String(p.epci) : null;
    e.epciName = p.epci_nom ? String(p.epci_nom) : null;
  }
  return outside;
}

function collection(features: Feature[]): FeatureCollection {
  return { type: 'FeatureCollection', features };
}

function bboxOf(establishments: Establishment[], outline: FeatureCollection | null): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const extend = (lon: number, lat: number) => {
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  };
  for (const e of establishments) extend(e.lon, e.lat);
  if (outline && outline.features.length > 0) {
    const [w, s, e, n] = turfBbox(outline);
    extend(w, s);
    extend(e, n);
  }
  return box.map((v) => Math.round(v * 1e4) / 1e4) as [number, number, number, number];
}

function countsByDepartement(establishments: Establishment[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const e of establishments) {
    const row = (counts[e.departement] ??= Object.fromEntries(ESTABLISHMENT_KINDS.map((k) => [k, 0])));
    row[e.kind]++;
  }
  return counts;
}

export function buildOutputs(sources: RawSources, builtAt: string): BuildOutput {
  const ips = indexIps(sources.ipsRecent, sources.ipsSeries);
  const { byRegion, dropped } = transform(sources.annuaire, ips, sources.departements);
  const files = new Map<string, unknown>();
  const infos: RegionInfo[] = [];
  const reportRegions: BuildReport['regions'] = [];
  const communeIndex: IndexedArea[] = (sources.communes?.features ?? []).map((f) => ({ feature: f as Area, box: turfBbox(f) }));
  const outsideCommunes: string[] = [];
  const sourceNotes = [
    'Établissements : annuaire de l’éducation (MENJ), extrait lycées 2025',
    'Type officiel (LEGT/LPO/LP) et effectifs : DEPP, IPS des lycées (rentrée 2022-2023, séries 2016-2022)',
    'Communes et EPCI : COG 2026 (INSEE, DGCL) sur contours IGN Admin Express',
    'Licence Ouverte / Etalab 2.0',
  ];

  const emit = (info: RegionInfo, establishments: Establishment[], layers: Partial<Record<'region' | 'departements' | 'communes' | 'epci', FeatureCollection>>) => {
    for (const [layer, fc] of Object.entries(layers)) files.set(`data/${info.code}/${layer}.geojson`, fc);
    const dataset: RegionDataset = { region: info, builtAt, sources: sourceNotes, establishments };
    files.set(`data/${info.code}/establishments.json`, dataset);
    infos.push(info);
    reportRegions.push({
      code: info.code,
      name: info.name,
      total: establishments.length,
      public: establishments.filter((e) => e.sector === 'public').length,
      byDepartement: countsByDepartement(establishments),
    });
  };

  for (const code of METROPOLITAN_REGIONS) {
    const establishments = byRegion.get(code) ?? [];
    const deptCodes = new Set(sources.departements.filter((d) => d.region === code).map((d) => d.code));
    const communeFeatures = (sources.communes?.features ?? []).filter((f) => f.properties?.region === code);
    if (communeFeatures.length > 0) {
      const regionCommunes = communeIndex.filter((c) => c.feature.properties?.region === code);
      outsideCommunes.push(...locateInCommunes(establishments, regionCommunes));
    }
    const epciCodes = new Set(communeFeatures.map((f) => f.properties?.epci).filter(Boolean));
    const epciFeatures = (sources.epci?.features ?? []).filter((f) => epciCodes.has(f.properties?.code));
    const outline = collection(sources.regionOutlines.features.filter((f) => f.properties?.code === code));
    const departements = collection(sources.departementPolygons.features.filter((f) => deptCodes.has(String(f.properties?.code))));
    const layers: Partial<Record<'region' | 'departements' | 'communes' | 'epci', FeatureCollection>> = { region: outline, departements };
    if (communeFeatures.length > 0) layers.communes = collection(communeFeatures);
    if (epciFeatures.length > 0) layers.epci = collection(epciFeatures);
    emit(
      {
        code,
        name: sources.regionNames.get(code) ?? code,
        departements: sources.departements.filter((d) => d.region === code).map((d) => ({ code: d.code, name: d.nom })),
        bbox: bboxOf(establishments, outline),
        establishmentCount: establishments.length,
        publicCount: establishments.filter((e) => e.sector === 'public').length,
        layers: { region: outline.features.length > 0, departements: departements.features.length > 0, communes: !!layers.communes, epci: !!layers.epci },
      },
      establishments,
      layers,
    );
  }

  const all = [...byRegion.values()].flat().sort((a, b) => a.uai.localeCompare(b.uai));
  const metropolitan = all.filter((e) => !e.departement.startsWith('97') && !e.departement.startsWith('98'));
  emit(
    {
      code: FRANCE_CODE,
      name: 'France entière',
      departements: sources.departements.map((d) => ({ code: d.code, name: d.nom })),
      // Framed on metropolitan France; overseas lycées are in the dataset and reached by search.
      bbox: bboxOf(metropolitan, sources.franceRegions),
      establishmentCount: all.length,
      publicCount: all.filter((e) => e.sector === 'public').length,
      layers: { region: true, departements: true, communes: false, epci: false },
    },
    all,
    { region: sources.franceRegions, departements: sources.franceDepartements },
  );

  const index: RegionIndex = { builtAt, regions: infos };
  files.set('data/regions.json', index);
  const report: BuildReport = {
    builtAt,
    source: sources.label,
    inputRows: sources.annuaire.length,
    kept: all.length,
    dropped,
    regions: reportRegions,
    outsideCommunes,
  };
  files.set('data/build-report.json', report);
  return { files, report };
}

export function formatReport(report: BuildReport): string {
  const lines: string[] = [];
  lines.push(`Données construites depuis ${report.source}`);
  lines.push(`${report.inputRows} lignes lues, ${report.kept} établissements gardés, ${report.dropped.length} écartés.`);
  for (const region of report.regions) {
    lines.push(`\n${region.code} ${region.name} : ${region.total} établissements dont ${region.public} publics`);
    if (region.code === FRANCE_CODE) continue;
    for (const [dept, kinds] of Object.entries(region.byDepartement).sort()) {
      const detail = Object.entries(kinds)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ');
      lines.push(`  ${dept.padEnd(3)} ${detail}`);
    }
  }
  if (report.dropped.length > 0) {
    lines.push('\nLignes écartées :');
    for (const d of report.dropped) lines.push(`  ${d.uai.padEnd(9)} ${d.name} — ${d.reason}`);
  }
  if (report.outsideCommunes.length > 0) lines.push(`\nHors de tout polygone de commune (commune COG 2026 non renseignée) : ${report.outsideCommunes.join(', ')}`);
  return lines.join('\n');
}
