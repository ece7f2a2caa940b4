/**
 * From raw sources to the app's per-Région files (pure: returns the files as data, build.ts writes
 * them). Layout and types: src/core/model/establishment.ts (DATA_PATHS, RegionIndex, RegionDataset).
 */
import { bbox as turfBbox } from '@turf/turf';
import type { Feature, FeatureCollection } from 'geojson';
import type { Establishment, RegionDataset, RegionIndex, RegionInfo } from '../../src/core/model/establishment.ts';
import { DATA_PATHS, ESTABLISHMENT_KINDS } from '../../src/core/model/establishment.ts';
import { dissolve } from '../../src/core/territory/topology.ts';
import type { RawSources } from './sources.ts';
import { deriveCommunes, loadCog, placeEstablishments, placeLabelPoints, territoryLayers, type CommuneFeature, type DerivedCommunes, type Placement } from './territories.ts';
import { indexIps, transform, type DroppedRow } from './transform.ts';
import { communeTiles } from './tiles.ts';

export const METROPOLITAN_REGIONS = ['11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94'];
export const FRANCE_CODE = 'FR';

export interface BuildOutput {
  /** Relative path under public/ → JSON value, or the bytes of a binary file (vector tiles). */
  files: Map<string, unknown>;
  report: BuildReport;
}

export interface BuildReport {
  builtAt: string;
  source: string;
  inputRows: number;
  kept: number;
  dropped: DroppedRow[];
  regions: {
    code: string;
    name: string;
    total: number;
    public: number;
    byDepartement: Record<string, Record<string, number>>;
    communes: number;
    /** COG 2026 communes of the Région (with or without a polygon). */
    cogCommunes: number;
    epci: number;
    arrondissements: number;
    links: number;
  }[];
  communes: Pick<DerivedCommunes, 'withoutPolygon' | 'unmapped' | 'dissolvedCount'> & { total: number };
  /** Lycées just outside every commune polygon, given the nearest commune of their département. */
  nearestCommune: Placement[];
  /** Lycées with no commune polygon in their département (overseas). */
  unplaced: Placement[];
  /** Seconds per step. */
  timings: Record<string, number>;
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

/** Beyond this distance to its nearest commune, a lycée's coordinates are more likely wrong than coastal. */
const SUSPECT_KM = 5;

type LayerName = 'region' | 'departements' | 'communes' | 'epci' | 'arrondissements' | 'places' | 'borders' | 'communes-low' | 'borders-low';

export function buildOutputs(sources: RawSources, builtAt: string): BuildOutput {
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    timings[step] = Math.round(now - clock) / 1000;
    clock = now;
  };
  const ips = indexIps(sources.ipsRecent, sources.ipsSeries);
  const { byRegion, dropped } = transform(sources.annuaire, ips, sources.departements);
  const cog = loadCog();
  const derived = deriveCommunes(sources.communePolygons, cog);
  lap('communes COG 2026');
  const labels = placeLabelPoints(derived.features, cog);
  lap('points d’étiquette');
  const communesByRegion = new Map<string, CommuneFeature[]>();
  for (const c of derived.features) {
    const list = communesByRegion.get(c.properties.region);
    if (list) list.push(c);
    else communesByRegion.set(c.properties.region, [c]);
  }
  const cogCount = new Map<string, number>();
  for (const c of cog.communes) if (c.type === 'commune-actuelle' && c.zone === 'metro') cogCount.set(c.region, (cogCount.get(c.region) ?? 0) + 1);
  const files = new Map<string, unknown>();
  const infos: RegionInfo[] = [];
  const reportRegions: BuildReport['regions'] = [];
  const nearestCommune: Placement[] = [];
  const unplaced: Placement[] = [];
  const sourceNotes = [
    'Établissements : annuaire de l’éducation (MENJ), extrait lycées 2025',
    'Type officiel (LEGT/LPO/LP) et effectifs : DEPP, IPS des lycées (rentrée 2022-2023, séries 2016-2022)',
    'Communes, EPCI, arrondissements, populations et chefs-lieux : COG 2026 (INSEE, DGCL, @etalab/decoupage-administratif 6.0.0) sur contours IGN Admin Express COG 2018',
    'Licence Ouverte / Etalab 2.0',
  ];

  const emit = (info: RegionInfo, establishments: Establishment[], communes: CommuneFeature[], layers: Partial<Record<LayerName, FeatureCollection>>) => {
    let territory = null;
    if (communes.length > 0) {
      const placed = placeEstablishments(establishments, communes, cog);
      if (info.code !== FRANCE_CODE) {
        nearestCommune.push(...placed.nearest);
        unplaced.push(...placed.unplaced);
      }
      territory = territoryLayers(communes, cog, labels);
      Object.assign(layers, { communes: territory.communes, epci: territory.epci, arrondissements: territory.arrondissements, places: territory.places, borders: territory.borders, 'communes-low': territory.communesLow, 'borders-low': territory.bordersLow });
      files.set(`data/${info.code}/adjacency.json`, territory.adjacency);
    }
    info.layers = {
      region: (layers.region?.features.length ?? 0) > 0,
      departements: (layers.departements?.features.length ?? 0) > 0,
      communes: !!layers.communes,
      epci: !!layers.epci,
      arrondissements: !!layers.arrondissements,
      places: !!layers.places,
      adjacency: territory !== null,
      borders: !!layers.borders,
      lowRes: !!layers['communes-low'] && !!layers['borders-low'],
    };
    for (const [layer, fc] of Object.entries(layers)) files.set(`data/${info.code}/${layer}.geojson`, fc);
    if (territory) {
      const template = DATA_PATHS.lowResTiles(info.code);
      for (const [zxy, tile] of communeTiles(territory.communesLow, info.bbox)) files.set(template.replace('{z}/{x}/{y}', zxy), tile);
    }
    const dataset: RegionDataset = { region: info, builtAt, sources: sourceNotes, establishments };
    files.set(`data/${info.code}/establishments.json`, dataset);
    infos.push(info);
    reportRegions.push({
      code: info.code,
      name: info.name,
      total: establishments.length,
      public: establishments.filter((e) => e.sector === 'public').length,
      byDepartement: countsByDepartement(establishments),
      communes: communes.length,
      cogCommunes: info.code === FRANCE_CODE ? [...cogCount.values()].reduce((a, b) => a + b, 0) : (cogCount.get(info.code) ?? 0),
      epci: territory?.epci.features.length ?? 0,
      arrondissements: territory?.arrondissements.features.length ?? 0,
      links: territory?.adjacency.links.length ?? 0,
    });
    lap(`${info.code} ${info.name}`);
  };

  for (const code of METROPOLITAN_REGIONS) {
    const establishments = byRegion.get(code) ?? [];
    const communes = communesByRegion.get(code) ?? [];
    const regionDepartements = sources.departements.filter((d) => d.region === code);
    const { outline, departements } = outlines(code, sources, communes, regionDepartements);
    emit(
      {
        code,
        name: sources.regionNames.get(code) ?? code,
        departements: regionDepartements.map((d) => ({ code: d.code, name: d.nom })),
        bbox: bboxOf(establishments, outline),
        establishmentCount: establishments.length,
        publicCount: establishments.filter((e) => e.sector === 'public').length,
        layers: { region: false, departements: false, communes: false, epci: false },
      },
      establishments,
      communes,
      { region: outline, departements },
    );
  }

  // Copies: France entière places its lycées among all communes, which must not change the Régions'.
  const all = [...byRegion.values()]
    .flat()
    .map((e) => ({ ...e }))
    .sort((a, b) => a.uai.localeCompare(b.uai));
  const metropolitan = all.filter((e) => !e.departement.startsWith('97') && !e.departement.startsWith('98'));
  // France entière gets every metropolitan commune: the territory model and a national proposal
  // need them; the layers are fetched only when shown (see README, « Données »).
  emit(
    {
      code: FRANCE_CODE,
      name: 'France entière',
      departements: sources.departements.map((d) => ({ code: d.code, name: d.nom })),
      // Framed on metropolitan France; overseas lycées are in the dataset and reached by search.
      bbox: bboxOf(metropolitan, sources.franceRegions),
      establishmentCount: all.length,
      publicCount: all.filter((e) => e.sector === 'public').length,
      layers: { region: false, departements: false, communes: false, epci: false },
    },
    all,
    derived.features,
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
    communes: { total: derived.features.length, withoutPolygon: derived.withoutPolygon, unmapped: derived.unmapped, dissolvedCount: derived.dissolvedCount },
    nearestCommune,
    unplaced: unplaced.filter((p) => !p.departement.startsWith('97') && !p.departement.startsWith('98')),
    timings,
  };
  files.set('data/build-report.json', report);
  return { files, report };
}

/**
 * The Région and its départements dissolved from its communes, so every outline matches the commune
 * layer vertex for vertex; the source outlines are the fallback when a Région has no commune.
 */
function outlines(
  code: string,
  sources: RawSources,
  communes: CommuneFeature[],
  departements: { code: string; nom: string }[],
): { outline: FeatureCollection; departements: FeatureCollection } {
  if (communes.length === 0) {
    const codes = new Set(departements.map((d) => d.code));
    return {
      outline: collection(sources.regionOutlines.features.filter((f) => f.properties?.code === code)),
      departements: collection(sources.departementPolygons.features.filter((f) => codes.has(String(f.properties?.code)))),
    };
  }
  const region = dissolve(communes.map((c) => c.geometry));
  const parts: Feature[] = [];
  for (const d of departements) {
    const geometry = dissolve(communes.filter((c) => c.properties.departement === d.code).map((c) => c.geometry));
    if (geometry) parts.push({ type: 'Feature', geometry, properties: { code: d.code, nom: d.nom } });
  }
  return {
    outline: collection(region ? [{ type: 'Feature', geometry: region, properties: { code, nom: sources.regionNames.get(code) ?? code } }] : []),
    departements: collection(parts),
  };
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
  lines.push('\nCommunes COG 2026 par Région (avec polygone / au COG), EPCI, arrondissements, liaisons hors frontière (îles) :');
  for (const r of report.regions) lines.push(`  ${r.code.padEnd(3)} ${String(r.communes).padStart(6)} / ${String(r.cogCommunes).padEnd(6)} EPCI ${String(r.epci).padEnd(5)} arr. ${String(r.arrondissements).padEnd(4)} liaisons ${r.links}  ${r.name}`);
  const c = report.communes;
  lines.push(`${c.total} communes métropolitaines, dont ${c.dissolvedCount} fusionnées depuis plusieurs polygones de 2018.`);
  if (c.withoutPolygon.length > 0) lines.push(`Communes COG 2026 sans polygone 2018 (recréées depuis, restées dans leur ancienne commune) : ${c.withoutPolygon.map((w) => `${w.code} ${w.nom}`).join(', ')}`);
  if (c.unmapped.length > 0) lines.push(`Polygones 2018 sans commune COG 2026 : ${c.unmapped.join(', ')}`);
  lines.push(`\n${report.nearestCommune.length} lycées juste hors de tout polygone, rattachés à la commune la plus proche de leur département :`);
  for (const p of report.nearestCommune) lines.push(`  ${p.uai} ${p.name} → ${p.commune} (${p.km} km${p.km > SUSPECT_KM ? ' : coordonnées probablement fausses' : ''})`);
  if (report.unplaced.length > 0) lines.push(`Lycées sans commune (aucun polygone dans leur département) : ${report.unplaced.map((p) => p.uai).join(', ')}`);
  lines.push(`\nDurées (s) : ${Object.entries(report.timings).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
  return lines.join('\n');
}
