/**
 * `npm run data -- --download`: the same inputs as ../shared/data, fetched from their official
 * publishers, for machines without the shared copies.
 * - Establishments: data.education.gouv.fr (Opendatasoft Explore API v2.1 exports, CSV `;`):
 *   fr-en-annuaire-education (lycées only), fr-en-ips-lycees-ap2022 and fr-en-ips_lycees.
 * - Names and Région of each département: geo.api.gouv.fr.
 * - Polygons: Etalab's administrative contours (IGN Admin Express, COG), the source behind geo.api.
 * Every file is saved in .cache/download; a failure names the dataset, the address and the cause.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { asCollection, mapIpsSeries, parseCsv, type RawSources } from './sources.ts';
import type { AnnuaireRow } from './transform.ts';

export class DownloadError extends Error {}

const EDUCATION_API = 'https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets';
const GEO_API = 'https://geo.api.gouv.fr';
const CONTOURS = 'https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2025/geojson';
const TIMEOUT_MS = 30_000;

export const DOWNLOADS = {
  annuaire: `${EDUCATION_API}/fr-en-annuaire-education/exports/csv?delimiter=%3B&where=${encodeURIComponent('type_etablissement="Lycée" AND etat="OUVERT"')}`,
  ipsRecent: `${EDUCATION_API}/fr-en-ips-lycees-ap2022/exports/csv?delimiter=%3B`,
  ipsSeries: `${EDUCATION_API}/fr-en-ips_lycees/exports/csv?delimiter=%3B`,
  departements: `${GEO_API}/departements?fields=code,nom,codeRegion`,
  regions: `${GEO_API}/regions?fields=code,nom`,
  regionPolygons: `${CONTOURS}/regions-100m.geojson`,
  departementPolygons: `${CONTOURS}/departements-100m.geojson`,
  communes: `${CONTOURS}/communes-100m.geojson`,
} as const;

async function fetchText(name: string, url: string, cacheDir: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = error instanceof Error && error.name === 'TimeoutError' ? `pas de réponse en ${TIMEOUT_MS / 1000} s` : 'serveur injoignable (réseau absent ?)';
    throw new DownloadError(`${name} : ${cause} — ${url}`);
  }
  if (!response.ok) throw new DownloadError(`${name} : réponse HTTP ${response.status} — ${url}`);
  const text = await response.text();
  writeFileSync(join(cacheDir, `${name}${url.includes('geojson') ? '.geojson' : url.includes('/exports/csv') ? '.csv' : '.json'}`), text);
  return text;
}

/** Official annuaire export columns → the build's row shape. */
export function mapOfficialAnnuaire(row: Record<string, string>): AnnuaireRow {
  const dept = row['code_departement'] ?? '';
  return {
    uai: row['identifiant_de_l_etablissement'] ?? '',
    nom: row['nom_etablissement'] ?? '',
    commune: row['nom_commune'] ?? '',
    academie: row['libelle_academie'] ?? '',
    departement: row['libelle_departement'] ?? '',
    secteur: row['statut_public_prive'] ?? '',
    ips: '',
    latitude: row['latitude'] ?? '',
    longitude: row['longitude'] ?? '',
    // The annuaire writes "059" for Nord and "971" overseas.
    codeDepartement: dept.length === 3 && dept.startsWith('0') ? dept.slice(1) : dept,
    codeCommune: row['code_commune'] ?? '',
  };
}

function withCode(fc: FeatureCollection, key = 'code'): FeatureCollection {
  return { ...fc, features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, code: String(f.properties?.[key] ?? '') } })) };
}

export async function downloadSources(cacheDir: string): Promise<RawSources> {
  mkdirSync(cacheDir, { recursive: true });
  const get = (name: keyof typeof DOWNLOADS) => fetchText(name, DOWNLOADS[name], cacheDir);
  // The first request fails fast when offline, before the large files are attempted.
  const annuaireText = await get('annuaire');
  const [ipsRecent, ipsSeries, departements, regions, regionPolygons, departementPolygons, communes] = await Promise.all([
    get('ipsRecent'),
    get('ipsSeries'),
    get('departements'),
    get('regions'),
    get('regionPolygons'),
    get('departementPolygons'),
    get('communes'),
  ]);
  const depts = (JSON.parse(departements) as { code: string; nom: string; codeRegion: string }[]).map((d) => ({ code: d.code, nom: d.nom, region: d.codeRegion }));
  const regionCollection = withCode(asCollection(JSON.parse(regionPolygons)));
  const departementCollection = withCode(asCollection(JSON.parse(departementPolygons)));
  return {
    label: 'jeux de données officiels téléchargés (data.education.gouv.fr, geo.api.gouv.fr, contours Etalab)',
    annuaire: parseCsv(annuaireText, ';').map(mapOfficialAnnuaire),
    ipsRecent: parseCsv(ipsRecent, ';').map(mapIpsSeries),
    ipsSeries: parseCsv(ipsSeries, ';').map(mapIpsSeries),
    departements: depts,
    regionNames: new Map((JSON.parse(regions) as { code: string; nom: string }[]).map((r) => [r.code, r.nom])),
    regionOutlines: regionCollection,
    departementPolygons: departementCollection,
    franceRegions: regionCollection,
    franceDepartements: departementCollection,
    // EPCI and arrondissements are dissolved from these communes with the COG 2026 (territories.ts).
    communePolygons: withCode(asCollection(JSON.parse(communes))),
    files: [],
  };
}
