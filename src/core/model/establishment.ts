/** Establishments and the per-Région datasets built by `npm run data` (see scripts/data). */

export type EstablishmentKind = 'LEGT' | 'LPO' | 'LP' | 'agricole' | 'maritime' | 'EREA' | 'autre';

export const ESTABLISHMENT_KINDS: readonly EstablishmentKind[] = ['LEGT', 'LPO', 'LP', 'agricole', 'maritime', 'EREA', 'autre'];

export const KIND_LABELS: Record<EstablishmentKind, string> = {
  LEGT: 'Lycée général et technologique',
  LPO: 'Lycée polyvalent',
  LP: 'Lycée professionnel',
  agricole: 'Lycée agricole',
  maritime: 'Lycée maritime',
  EREA: 'EREA',
  autre: 'Autre établissement',
};

export type Sector = 'public' | 'prive';

export interface Establishment {
  uai: string;
  name: string;
  kind: EstablishmentKind;
  /** 'ips': the official LEGT/LPO/LP type of the DEPP IPS files; 'nom': deduced from the name. */
  kindSource: 'ips' | 'nom';
  sector: Sector;
  /** Private "hors contrat" (flag from the name: the open data has no contract type). */
  horsContrat: boolean;
  commune: string;
  /** INSEE code of the COG 2026 commune (by point in polygon; from the annuaire/IPS files when no polygon is near). */
  communeCode: string | null;
  /** 'polygon': inside the commune's polygon; 'nearest': just outside every polygon, nearest commune of its département. */
  communePlacement?: 'polygon' | 'nearest' | null;
  departement: string;
  departementName: string;
  academie: string;
  epci: string | null;
  epciName: string | null;
  /** COG 2026 arrondissement code ('591') and name. */
  arrondissement?: string | null;
  arrondissementName?: string | null;
  lat: number;
  lon: number;
  /** Students (GT + Pro) for `studentsYear`, or null when no open data has them. */
  students: number | null;
  studentsYear: string | null;
  ips: number | null;
}

export interface RegionInfo {
  /** INSEE region code ('32' Hauts-de-France, '52' Pays de la Loire…), or 'FR' for all of France. */
  code: string;
  name: string;
  departements: { code: string; name: string }[];
  /** [west, south, east, north] of the establishments and outline. */
  bbox: [number, number, number, number];
  establishmentCount: number;
  publicCount: number;
  /** Which boundary layers were built for this Région. */
  layers: {
    region: boolean;
    departements: boolean;
    communes: boolean;
    epci: boolean;
    arrondissements?: boolean;
    places?: boolean;
    adjacency?: boolean;
    borders?: boolean;
    /**
     * communes-low.geojson and borders-low.geojson: the same, simplified for low zoom; the light
     * communes also as vector tiles (DATA_PATHS.lowResTiles) over the Région's bbox.
     */
    lowRes?: boolean;
  };
}

/** `public/data/regions.json` */
export interface RegionIndex {
  builtAt: string;
  regions: RegionInfo[];
}

/** `public/data/<code>/establishments.json` */
export interface RegionDataset {
  region: RegionInfo;
  builtAt: string;
  /** Where each attribute comes from, for the details panel and exports. */
  sources: string[];
  establishments: Establishment[];
}

export type BoundaryLayer = 'region' | 'departements' | 'communes' | 'epci' | 'arrondissements' | 'places' | 'borders' | 'communes-low' | 'borders-low';

/**
 * `public/data/<code>/adjacency.json`: `codes[i]` is the i-th feature of communes.geojson. The data
 * build also writes each commune's name, centroid and area, so that the page builds the commune
 * graph without reading the polygons (several MB); older files without them still work.
 */
export interface CommuneAdjacency {
  codes: string[];
  neighbours: number[][];
  links: [number, number][];
  names?: string[];
  /** [lon, lat], rounded to 1e-5°. */
  centroids?: [number, number][];
  /** km², rounded to 1e-4. */
  areaKm2?: number[];
}

/** Paths of the built files, relative to the app's base URL (served from `public/data`). */
export const DATA_PATHS = {
  index: 'data/regions.json',
  establishments: (code: string) => `data/${code}/establishments.json`,
  boundary: (code: string, layer: BoundaryLayer) => `data/${code}/${layer}.geojson`,
  /** Commune adjacency (see src/core/territory/adjacency.ts): `{ codes, neighbours, links }`. */
  adjacency: (code: string) => `data/${code}/adjacency.json`,
  /** URL template of the light commune layer's vector tiles (see LOW_RES_TILES). */
  lowResTiles: (code: string) => `data/${code}/communes-low/{z}/{x}/{y}.pbf`,
};

/** The light commune layer's vector tiles: zoom 0 to `maxzoom`, one layer of that name, each feature with its `code`. */
export const LOW_RES_TILES = { maxzoom: 8, layer: 'communes' } as const;

export const DEFAULT_REGION_CODE = '32';
