/**
 * Reading the raw inputs into the build's row shapes: either the copies in ../shared/data (see its
 * SOURCES.md) or the official exports downloaded by `--download` (see download.ts). Both produce
 * the same `RawSources`, so the rest of the build does not care where the data came from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { FeatureCollection } from 'geojson';
import type { AnnuaireRow, DepartementRef, IpsRow } from './transform.ts';

export interface RawSources {
  label: string;
  annuaire: AnnuaireRow[];
  ipsRecent: IpsRow[];
  ipsSeries: IpsRow[];
  departements: DepartementRef[];
  regionNames: Map<string, string>;
  /** Région outlines keyed by Région code (metropolitan); fallback when a Région has no commune polygon. */
  regionOutlines: FeatureCollection;
  /** Département polygons with a `code` property. */
  departementPolygons: FeatureCollection;
  /** Simplified national layers for the whole-country view. */
  franceRegions: FeatureCollection;
  franceDepartements: FeatureCollection;
  /**
   * Commune polygons with a `code` property (INSEE code at the polygons' date: 2018 for the shared
   * copies), mapped to COG 2026 by territories.ts.
   */
  communePolygons: FeatureCollection;
  /** Files read, for the staleness check. */
  files: string[];
}

export function parseCsv(text: string, delimiter?: string): Record<string, string>[] {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    delimiter,
  });
  return result.data;
}

/** Accepts either a FeatureCollection or a single Feature (france-geojson's region files). */
export function asCollection(json: unknown): FeatureCollection {
  const value = json as { type?: string };
  if (value.type === 'FeatureCollection') return json as FeatureCollection;
  if (value.type === 'Feature') return { type: 'FeatureCollection', features: [json as FeatureCollection['features'][number]] };
  throw new Error('GeoJSON attendu (FeatureCollection ou Feature)');
}

export const SHARED_FILES = {
  annuaire: 'lycees/lycees_france_annuaire_extract_2025.csv',
  ipsRecent: 'effectifs/fr-en-ips-lycees-ap2022_2022-2023_sans-nom.csv',
  ipsSeries: 'effectifs/fr-en-ips_lycees_2016-2022.csv',
  departements: 'boundaries/cog2026/departements.json',
  regions: 'boundaries/cog2026/regions.json',
  regionOutlines: 'boundaries/france-geojson-2018/regions.geojson',
  departementPolygons: 'boundaries/france-geojson-2018/departements.geojson',
  franceRegions: 'boundaries/france-geojson-2018/regions-version-simplifiee.geojson',
  franceDepartements: 'boundaries/france-geojson-2018/departements-version-simplifiee.geojson',
} as const;

/** One folder per département, each holding `communes-<code>-<name>.geojson` (COG 2018). */
export const SHARED_COMMUNES_DIR = 'boundaries/france-geojson-2018/departements';

export function sharedCommuneFiles(dir: string): string[] {
  const root = join(dir, SHARED_COMMUNES_DIR);
  return readdirSync(root)
    .sort()
    .flatMap((folder) =>
      readdirSync(join(root, folder))
        .filter((f) => f.startsWith('communes-') && f.endsWith('.geojson'))
        .map((f) => join(root, folder, f)),
    );
}

export function mapIpsRecent(row: Record<string, string>): IpsRow {
  return {
    rentree: row['Rentrée scolaire'] ?? '',
    uai: row['UAI'] ?? '',
    codeCommune: row['Code INSEE de la commune'] ?? '',
    type: row['Type de lycée'] ?? '',
    secteur: row['Secteur'] ?? '',
    studentsGt: row['Effectifs voie GT'] ?? '',
    studentsPro: row['Effectifs voie PRO'] ?? '',
    studentsTotal: row['Effectifs Ensemble GT-PRO'] ?? '',
  };
}

export function mapIpsSeries(row: Record<string, string>): IpsRow {
  return {
    rentree: row['rentree_scolaire'] ?? '',
    uai: row['uai'] ?? '',
    codeCommune: row['code_insee_de_la_commune'] ?? '',
    type: row['type_de_lycee'] ?? '',
    secteur: row['secteur'] ?? '',
    // The older series has no student counts; ap2022-shaped official exports do (download.ts).
    studentsGt: row['effectifs_voie_gt'] ?? '',
    studentsPro: row['effectifs_voie_pro'] ?? '',
    studentsTotal: row['effectifs_ensemble_gt_pro'] ?? '',
  };
}

export function readSharedSources(dir: string): RawSources {
  const path = (file: string) => join(dir, file);
  const text = (file: string) => readFileSync(path(file), 'utf8');
  const json = (file: string): unknown => JSON.parse(text(file));
  const annuaire = parseCsv(text(SHARED_FILES.annuaire), ',').map(
    (r): AnnuaireRow => ({
      uai: r.uai ?? '',
      nom: r.nom ?? '',
      commune: r.commune ?? '',
      academie: r.academie ?? '',
      departement: r.departement ?? '',
      secteur: r.secteur ?? '',
      ips: r.ips ?? '',
      latitude: r.latitude ?? '',
      longitude: r.longitude ?? '',
    }),
  );
  const departements = (json(SHARED_FILES.departements) as { code: string; nom: string; region: string }[]).map(({ code, nom, region }) => ({ code, nom, region }));
  const regionNames = new Map((json(SHARED_FILES.regions) as { code: string; nom: string }[]).map((r) => [r.code, r.nom]));
  const outlines = asCollection(json(SHARED_FILES.regionOutlines));
  const communeFiles = sharedCommuneFiles(dir);
  return {
    label: `copies locales (${dir})`,
    annuaire,
    ipsRecent: parseCsv(text(SHARED_FILES.ipsRecent), ';').map(mapIpsRecent),
    ipsSeries: parseCsv(text(SHARED_FILES.ipsSeries), ';').map(mapIpsSeries),
    departements,
    regionNames,
    regionOutlines: outlines,
    departementPolygons: asCollection(json(SHARED_FILES.departementPolygons)),
    franceRegions: asCollection(json(SHARED_FILES.franceRegions)),
    franceDepartements: asCollection(json(SHARED_FILES.franceDepartements)),
    communePolygons: { type: 'FeatureCollection', features: communeFiles.flatMap((f) => asCollection(JSON.parse(readFileSync(f, 'utf8'))).features) },
    files: [...Object.values(SHARED_FILES).map(path), ...communeFiles],
  };
}
