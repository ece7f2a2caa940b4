/**
 * Layer and source specs. The establishments source uses `promoteId: 'uai'` so selection, team
 * colours and comparison highlights are feature-state diffs, never a reload of the data.
 */
import type { ExpressionSpecification, FillLayerSpecification, LayerSpecification, LineLayerSpecification, StyleSpecification } from 'maplibre-gl';
import { LOW_RES_TILES, type EstablishmentKind } from '../core/model/establishment';

export const ESTABLISHMENTS_SOURCE = 'establishments';
export const ESTABLISHMENTS_LAYER = 'establishments-circles';

/** Colour-blind-friendly qualitative palette (Okabe–Ito), one colour per kind. */
export const KIND_COLOURS: Record<EstablishmentKind, string> = {
  LEGT: '#0072B2',
  LPO: '#CC79A7',
  LP: '#E69F00',
  agricole: '#009E73',
  maritime: '#56B4E9',
  EREA: '#D55E00',
  autre: '#7f7f7f',
};

export const BOUNDARY_LAYERS = {
  region: { fill: 'region-fill', line: 'region-line' },
  departements: { line: 'departements-line' },
  epci: { line: 'epci-line' },
  arrondissements: { line: 'arrondissements-line' },
  communes: { line: 'communes-line' },
} as const;

const kindColour: ExpressionSpecification = [
  'match',
  ['get', 'kind'],
  ...Object.entries(KIND_COLOURS).flat(),
  KIND_COLOURS.autre,
] as unknown as ExpressionSpecification;

/** Radius grows with the square root of students (area ∝ students); a fixed size when unknown. */
const radius: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['zoom'],
  5,
  ['case', ['==', ['get', 'students'], -1], 2.5, ['interpolate', ['linear'], ['sqrt', ['get', 'students']], 0, 1.5, 45, 5]],
  11,
  ['case', ['==', ['get', 'students'], -1], 7, ['interpolate', ['linear'], ['sqrt', ['get', 'students']], 0, 4, 45, 14]],
];

/**
 * Fill colour: a team colour set through feature-state wins over the kind colour, so the plan view
 * recolours points without touching the source.
 */
const fillColour: ExpressionSpecification = ['coalesce', ['feature-state', 'colour'], kindColour] as ExpressionSpecification;

export function establishmentLayer(): LayerSpecification {
  return {
    id: ESTABLISHMENTS_LAYER,
    type: 'circle',
    source: ESTABLISHMENTS_SOURCE,
    paint: {
      'circle-color': fillColour,
      'circle-radius': radius,
      'circle-opacity': ['case', ['boolean', ['feature-state', 'dimmed'], false], 0.25, 0.9],
      'circle-stroke-color': [
        'case',
        ['boolean', ['feature-state', 'selected'], false],
        '#000000',
        ['boolean', ['feature-state', 'picked'], false],
        // A colour no team uses (see selectionColour), so the selection never reads as a team.
        ['coalesce', ['feature-state', 'pickColour'], '#ff00ff'],
        ['boolean', ['feature-state', 'unassigned'], false],
        '#b42318',
        ['boolean', ['feature-state', 'highlighted'], false],
        '#d7191c',
        ['==', ['get', 'sector'], 'prive'],
        '#444444',
        '#ffffff',
      ],
      'circle-stroke-width': [
        'case',
        ['boolean', ['feature-state', 'selected'], false],
        3,
        ['boolean', ['feature-state', 'picked'], false],
        3.5,
        ['boolean', ['feature-state', 'unassigned'], false],
        2.5,
        ['boolean', ['feature-state', 'highlighted'], false],
        2.5,
        1,
      ],
    },
  };
}

export const ZONES_SOURCE = 'zones';
export const BASES_SOURCE = 'bases';

/** Zone outlines under the points, team bases above them as large squares-in-circles. */
export function planLayers(): LayerSpecification[] {
  return [
    { id: 'zones-fill', type: 'fill', source: ZONES_SOURCE, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.12 } },
    {
      id: 'zones-line',
      type: 'line',
      source: ZONES_SOURCE,
      paint: { 'line-color': ['case', ['==', ['get', 'long'], true], '#dc2626', ['get', 'colour']], 'line-width': ['case', ['==', ['get', 'long'], true], 3, 1.6], 'line-dasharray': [2, 1.5] },
    },
  ];
}

export function baseLayers(): LayerSpecification[] {
  return [
    { id: 'bases-halo', type: 'circle', source: BASES_SOURCE, paint: { 'circle-radius': 11, 'circle-color': '#ffffff', 'circle-stroke-color': '#111111', 'circle-stroke-width': 2 } },
    { id: 'bases-core', type: 'circle', source: BASES_SOURCE, paint: { 'circle-radius': 6, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#111111', 'circle-stroke-width': 1 } },
  ];
}

/** Style with no remote resource: boundaries only, plus an optional raster basemap below them. */
export function baseStyle(basemapUrl: string | null, attribution: string): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f5' } }],
    // Paint changes apply at once: an animated one would make the map draw frames for 300 ms.
    transition: { duration: 0, delay: 0 },
  };
  if (basemapUrl) {
    style.sources.basemap = { type: 'raster', tiles: [basemapUrl], tileSize: 256, attribution, maxzoom: 19 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.85 } });
  }
  return style;
}

export function boundaryLayers(withBasemap: boolean): LayerSpecification[] {
  return [
    {
      id: BOUNDARY_LAYERS.region.fill,
      type: 'fill',
      source: 'region',
      paint: { 'fill-color': '#ffffff', 'fill-opacity': withBasemap ? 0.15 : 1 },
    },
    {
      id: BOUNDARY_LAYERS.communes.line,
      type: 'line',
      source: 'communes',
      layout: { visibility: 'none' },
      paint: { 'line-color': '#b9c2cc', 'line-width': 0.5 },
    },
    {
      id: BOUNDARY_LAYERS.epci.line,
      type: 'line',
      source: 'epci',
      layout: { visibility: 'none' },
      paint: { 'line-color': '#7b8794', 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: BOUNDARY_LAYERS.arrondissements.line,
      type: 'line',
      source: 'arrondissements',
      layout: { visibility: 'none' },
      paint: { 'line-color': '#56606b', 'line-width': 1.1, 'line-dasharray': [6, 2] },
    },
    {
      id: BOUNDARY_LAYERS.departements.line,
      type: 'line',
      source: 'departements',
      paint: { 'line-color': '#4a5560', 'line-width': 1.4 },
    },
    {
      id: BOUNDARY_LAYERS.region.line,
      type: 'line',
      source: 'region',
      paint: { 'line-color': '#1e2a36', 'line-width': 2.2 },
    },
  ];
}

/** Boundary sources a planner can click to pick an administrative block, most specific first. */
export const BLOCK_PICK_SOURCES = ['communes', 'epci', 'arrondissements', 'departements'] as const;
export type BlockPickSource = (typeof BLOCK_PICK_SOURCES)[number];
export const blockPickLayer = (source: BlockPickSource) => `${source}-block-pick`;
export const blockHighlightLayer = (source: BlockPickSource) => `${source}-block-highlight`;

/**
 * Per boundary source: an invisible fill that catches clicks inside a polygon (lines alone only catch
 * clicks on the border), and the picked block's outline, filtered by code (nothing until a pick).
 */
export function blockLayers(source: BlockPickSource): LayerSpecification[] {
  return [
    { id: blockPickLayer(source), type: 'fill', source, paint: { 'fill-color': '#000000', 'fill-opacity': 0 } },
    {
      id: blockHighlightLayer(source),
      type: 'line',
      source,
      filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': '#ffd400', 'line-width': 4, 'line-opacity': 0.95 },
    },
  ];
}

export const TERRITORY_LAYERS = {
  fill: 'territories-fill',
  fillLow: 'territories-fill-low',
  borders: 'territories-borders',
  bordersLow: 'territories-borders-low',
  labels: 'territories-labels',
} as const;
export const TEAM_BORDERS_SOURCE = 'team-borders';
/** Lighter copies of the communes and of their borders, drawn below LOW_RES_MAX_ZOOM (see the data build). */
export const COMMUNES_LOW_SOURCE = 'communes-low';
export const TEAM_BORDERS_LOW_SOURCE = 'team-borders-low';
/**
 * Below this zoom the territories are drawn from the lighter layers: simplified within 300 m, that is
 * at most about 2 pixels here, with a fifth of the vertices; software renderers spend most of a
 * frame on the commune fill.
 */
export const LOW_RES_MAX_ZOOM = 8.5;
export const TERRITORY_LABELS_SOURCE = 'territory-labels';
export const PLACES_SOURCE = 'places';

/**
 * Team territories on the commune layer: each commune's fill colour is its team's, set through
 * feature-state (no polygon union at edit time); a split commune is paler. On the blank map the fill
 * is an opaque pastel (`fill`, the team colour mixed with white; white where no team reaches, as the
 * Région's own fill, which it replaces); over a basemap it is translucent (`colour` at 40 %). Antialiasing stays off: it would stroke every commune outline once more (a
 * whole extra pass in software rendering) and, over a basemap, hatch the territory with darker
 * double edges; the team borders on top hide the jagged edges where the colour changes.
 * The border sources hold only the shared commune borders whose two sides belong to different
 * teams (see MapController): the line layers draw nothing else. Each comes twice, detailed and
 * light (below LOW_RES_MAX_ZOOM).
 */
export function territoryLayers(withBasemap: boolean): { fills: LayerSpecification[]; borders: LayerSpecification[] } {
  const fillPaint: FillLayerSpecification['paint'] = withBasemap
    ? {
        'fill-antialias': false,
        'fill-color': ['coalesce', ['feature-state', 'colour'], 'rgba(0,0,0,0)'] as ExpressionSpecification,
        'fill-opacity': ['case', ['boolean', ['feature-state', 'split'], false], 0.22, 0.4] as ExpressionSpecification,
      }
    : { 'fill-antialias': false, 'fill-color': ['coalesce', ['feature-state', 'fill'], '#ffffff'] as ExpressionSpecification };
  const borderPaint: LineLayerSpecification['paint'] = {
    'line-color': '#26313b',
    'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.6, 10, 3],
    'line-opacity': 0.9,
  };
  const layout: LineLayerSpecification['layout'] = { 'line-join': 'round', 'line-cap': 'round' };
  return {
    fills: [
      { id: TERRITORY_LAYERS.fillLow, type: 'fill', source: COMMUNES_LOW_SOURCE, 'source-layer': LOW_RES_TILES.layer, maxzoom: LOW_RES_MAX_ZOOM, paint: fillPaint },
      { id: TERRITORY_LAYERS.fill, type: 'fill', source: 'communes', minzoom: LOW_RES_MAX_ZOOM, paint: fillPaint },
    ],
    borders: [
      { id: TERRITORY_LAYERS.bordersLow, type: 'line', source: TEAM_BORDERS_LOW_SOURCE, maxzoom: LOW_RES_MAX_ZOOM, layout, paint: borderPaint },
      { id: TERRITORY_LAYERS.borders, type: 'line', source: TEAM_BORDERS_SOURCE, minzoom: LOW_RES_MAX_ZOOM, layout, paint: borderPaint },
    ],
  };
}

/**
 * Labels are drawn without a glyph server: the style has no `glyphs` URL, so MapLibre renders text
 * with the browser's fonts (TinySDF); 'Noto Sans Regular'/'Noto Sans Bold' are web fonts bundled
 * from @fontsource/noto-sans (see map-controller), so the map stays offline and looks the same on
 * every machine.
 */
export const LABEL_FONT = { regular: 'Noto Sans Regular', bold: 'Noto Sans Bold' };

/** Team names at the centre of each territory, above everything else. */
export function territoryLabelLayer(): LayerSpecification {
  return {
    id: TERRITORY_LAYERS.labels,
    type: 'symbol',
    source: TERRITORY_LABELS_SOURCE,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': [LABEL_FONT.bold],
      'text-size': ['interpolate', ['linear'], ['zoom'], 6, 12, 10, 16],
      'text-max-width': 8,
      'text-allow-overlap': false,
      'text-padding': 4,
    },
    paint: { 'text-color': '#15202b', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
  };
}

/**
 * Offline place names (places.geojson: rank 0 préfectures, 1 sous-préfectures, 2 other chefs-lieux
 * and large communes, 3 smaller ones), denser as the user zooms in.
 */
export function placeLayers(): LayerSpecification[] {
  const minZoom = [0, 7.3, 8.4, 9.6];
  const size = [13, 12, 11, 10.5];
  return minZoom.map((minzoom, rank) => ({
    id: `places-${rank}`,
    type: 'symbol' as const,
    source: PLACES_SOURCE,
    minzoom,
    filter: ['==', ['get', 'rank'], rank] as ExpressionSpecification,
    layout: {
      'text-field': ['get', 'nom'] as ExpressionSpecification,
      'text-font': [rank === 0 ? LABEL_FONT.bold : LABEL_FONT.regular],
      'text-size': size[rank],
      'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]] as ExpressionSpecification,
      'text-padding': 3,
      // A team's name is often written on its main town: the town's name then moves aside.
      'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
      'text-radial-offset': 0.9,
    },
    paint: { 'text-color': rank === 0 ? '#2b3641' : '#46525e', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 },
  }));
}
