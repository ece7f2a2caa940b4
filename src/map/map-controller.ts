/**
 * The only owner of the MapLibre map. State pushes data in (region, establishments, feature-states);
 * the map pushes clicks out. Everything is incremental: sources get `setData`, points get
 * feature-state diffs.
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource, type MapGeoJSONFeature, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { TerraDraw } from 'terra-draw';
import 'maplibre-gl/dist/maplibre-gl.css';
import notoRegular from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import notoBold from '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff2?url';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { LayerSpecification } from 'maplibre-gl';
import { DATA_PATHS, LOW_RES_TILES, type Establishment, type RegionInfo } from '../core/model/establishment';
import { BASES_SOURCE, BLOCK_PICK_SOURCES, BOUNDARY_LAYERS, ESTABLISHMENTS_LAYER, ESTABLISHMENTS_SOURCE, ZONES_SOURCE, baseLayers, baseStyle, blockHighlightLayer, blockLayers, blockPickLayer, boundaryLayers, establishmentLayer, planLayers, type BlockPickSource } from './layers';
import { COMMUNES_LOW_SOURCE, LABEL_FONT, LOW_RES_MAX_ZOOM, PLACES_SOURCE, TEAM_BORDERS_LOW_SOURCE, TEAM_BORDERS_SOURCE, TERRITORY_LABELS_SOURCE, TERRITORY_LAYERS, placeLayers, territoryLabelLayer, territoryLayers } from './layers';
import type { Block, BlockKind } from '../core/territory/blocks';

// Vite bundles MapLibre's worker separately; without this the map never finishes loading.
setWorkerUrl(workerUrl);

// The fonts MapLibre draws labels with (no glyph server: see LABEL_FONT), shipped with the app.
for (const [family, url, weight] of [[LABEL_FONT.regular, notoRegular, '400'], [LABEL_FONT.bold, notoBold, '700']]) {
  if (typeof FontFace !== 'undefined') document.fonts.add(new FontFace(family, `url(${url}) format('woff2')`, { weight }));
}

/** `#rrggbb` seen at `opacity` over white, as an opaque colour. */
export function pastel(colour: string, opacity: number): string {
  const channel = (i: number) => Math.round(255 - (255 - parseInt(colour.slice(i, i + 2), 16)) * opacity);
  return /^#[0-9a-f]{6}$/i.test(colour) ? `rgb(${channel(1)}, ${channel(3)}, ${channel(5)})` : colour;
}

/** What the territory layer shows for a commune (by INSEE code). */
export interface CommuneState {
  team: string | null;
  colour: string | null;
  split: boolean;
}

export type PointState = Partial<{ selected: boolean; highlighted: boolean; dimmed: boolean; unassigned: boolean; picked: boolean; pickColour: string | null; colour: string | null }>;
type BorderDetail = 'low' | 'detailed';
type Boundary = 'region' | 'departements' | 'arrondissements' | 'epci' | 'communes';
const BOUNDARIES: Boundary[] = ['region', 'departements', 'arrondissements', 'epci', 'communes'];
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const BLOCK_KIND_OF_SOURCE: Record<BlockPickSource, BlockKind> = { communes: 'commune', epci: 'epci', arrondissements: 'arrondissement', departements: 'departement' };

/** MapLibre's control labels in French (its defaults are English). */
export const MAP_LOCALE: Record<string, string> = {
  'AttributionControl.ToggleAttribution': 'Afficher ou masquer les sources',
  'AttributionControl.MapFeedback': 'Signaler une erreur de carte',
  'FullscreenControl.Enter': 'Plein écran',
  'FullscreenControl.Exit': 'Quitter le plein écran',
  'GeolocateControl.FindMyLocation': 'Ma position',
  'GeolocateControl.LocationNotAvailable': 'Position indisponible',
  'LogoControl.Title': 'Logo MapLibre',
  'Map.Title': 'Carte',
  'Marker.Title': 'Repère',
  'NavigationControl.ResetBearing': 'Faire glisser pour tourner la carte, cliquer pour remettre le nord en haut',
  'NavigationControl.ZoomIn': 'Zoom avant',
  'NavigationControl.ZoomOut': 'Zoom arrière',
  'Popup.Close': 'Fermer',
  'GlobeControl.Enable': 'Afficher le globe',
  'GlobeControl.Disable': 'Afficher la carte plane',
  'TerrainControl.Enable': 'Afficher le relief',
  'TerrainControl.Disable': 'Masquer le relief',
  'CooperativeGesturesHandler.WindowsHelpText': 'Ctrl + molette pour zoomer',
  'CooperativeGesturesHandler.MacHelpText': '⌘ + molette pour zoomer',
  'CooperativeGesturesHandler.MobileHelpText': 'Deux doigts pour déplacer la carte',
};

export interface MapOptions {
  basemapUrl: string | null;
  basemapAttribution: string;
  preserveDrawingBuffer?: boolean;
}

export function establishmentsToGeoJson(establishments: readonly Establishment[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: establishments.map((e) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [e.lon, e.lat] },
      // Style expressions cannot compare null reliably across versions: -1 stands for "unknown".
      properties: { uai: e.uai, kind: e.kind, sector: e.sector, students: e.students ?? -1 },
    })),
  };
}

export class MapController {
  readonly map: MapLibreMap;
  private readonly ready: Promise<void>;
  private region: RegionInfo | null = null;
  private boundaryVisible: Record<Boundary, boolean> = { region: true, departements: true, arrondissements: false, epci: false, communes: false };
  private boundaryLoaded: Record<Boundary, string | null> = { region: null, departements: null, arrondissements: null, epci: null, communes: null };
  private states = new Map<string, PointState>();
  private selected: string | null = null;
  private shownUais = new Set<string>();
  private readonly withBasemap: boolean;

  constructor(container: HTMLElement, options: MapOptions) {
    this.withBasemap = options.basemapUrl !== null;
    this.map = new MapLibreMap({
      container,
      style: baseStyle(options.basemapUrl, options.basemapAttribution),
      center: [2.6, 47],
      zoom: 5,
      attributionControl: { compact: true },
      canvasContextAttributes: { preserveDrawingBuffer: options.preserveDrawingBuffer ?? false },
      fadeDuration: 0,
      // Shift+click adds a lycée to the selection: MapLibre's box zoom would swallow that mousedown.
      boxZoom: false,
      locale: MAP_LOCALE,
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.ready = new Promise((resolve) => {
      this.map.once('load', () => {
        // The renderer's own simplification treats each commune apart and opens pixel gaps between
        // neighbours of one team: the communes come simplified already (see simplify.ts), keep them.
        const tiling = { promoteId: 'code', tolerance: 0 };
        for (const name of BOUNDARIES) this.map.addSource(name, { type: 'geojson', data: EMPTY, ...(name === 'communes' ? tiling : {}) });
        for (const name of [TEAM_BORDERS_SOURCE, TEAM_BORDERS_LOW_SOURCE, TERRITORY_LABELS_SOURCE, PLACES_SOURCE]) this.map.addSource(name, { type: 'geojson', data: EMPTY });
        this.map.addSource(ESTABLISHMENTS_SOURCE, { type: 'geojson', data: EMPTY, promoteId: 'uai' });
        this.map.addSource(ZONES_SOURCE, { type: 'geojson', data: EMPTY });
        this.map.addSource(BASES_SOURCE, { type: 'geojson', data: EMPTY });
        for (const source of [TERRITORY_LABELS_SOURCE, ZONES_SOURCE, BASES_SOURCE]) this.sent.set(source, JSON.stringify(EMPTY));
        for (const layer of [...boundaryLayers(options.basemapUrl !== null), ...placeLayers(), ...planLayers(), establishmentLayer(), ...baseLayers(), territoryLabelLayer()]) this.map.addLayer(layer);
        const { fills, borders } = territoryLayers(options.basemapUrl !== null);
        // The light fill reads the Région's tiles: its source and layer come with the Région (setLowFill).
        this.lowFillLayer = fills.find((layer) => layer.id === TERRITORY_LAYERS.fillLow)!;
        for (const layer of fills) if (layer !== this.lowFillLayer) this.map.addLayer(layer, BOUNDARY_LAYERS.communes.line);
        for (const layer of borders) this.map.addLayer(layer, BOUNDARY_LAYERS.region.line);
        this.applyTerritoryOpacity();
        this.addBlockLayers();
        resolve();
      });
    });
    this.map.on('zoomend', () => this.refreshTerritoryFiles());
    this.map.on('sourcedata', (event) => {
      if (!this.territoryRevealed && event.isSourceLoaded) this.revealTerritoryWhenReady();
    });
    this.map.on('mouseenter', ESTABLISHMENTS_LAYER, () => (this.map.getCanvas().style.cursor = 'pointer'));
    this.map.on('mouseleave', ESTABLISHMENTS_LAYER, () => (this.map.getCanvas().style.cursor = ''));
  }

  /** `rightInset`: pixels covered by the legend on the right, kept clear when framing the Région. */
  async setRegion(region: RegionInfo, rightInset = 0): Promise<void> {
    await this.ready;
    if (this.region?.code === region.code) return;
    this.region = region;
    // Framed first: the zoom decides which territory files are needed.
    this.frame(region.bbox, rightInset, 0);
    for (const name of BOUNDARIES) this.refreshBoundary(name);
    this.refreshTerritoryFiles();
    this.refreshRegionFill();
  }

  /** Frames [west, south, east, north], leaving `rightInset` pixels free on the right. */
  frame(bbox: [number, number, number, number], rightInset = 0, duration = 600): void {
    const { clientWidth } = this.map.getContainer();
    // Never squeeze the frame below a third of the map.
    const right = Math.min(rightInset, clientWidth * 0.5) + 30;
    this.map.fitBounds(bbox, { padding: { top: 30, bottom: 30, left: 30, right }, duration });
  }

  async setBoundaryVisible(name: Exclude<Boundary, 'region'>, visible: boolean): Promise<void> {
    await this.ready;
    this.boundaryVisible[name] = visible;
    this.map.setLayoutProperty(BOUNDARY_LAYERS[name].line, 'visibility', visible ? 'visible' : 'none');
    this.showBlockLayers(name);
    this.refreshBoundary(name);
  }

  /** Boundary files are fetched only when their layer is shown (communes weigh several MB). */
  private refreshBoundary(name: Boundary): void {
    if (!this.region) return;
    const source = this.map.getSource<GeoJSONSource>(name);
    const path = this.region.layers[name] === true ? DATA_PATHS.boundary(this.region.code, name) : null;
    if (path === null) {
      if (this.boundaryLoaded[name] !== null) source?.setData(EMPTY);
      this.boundaryLoaded[name] = null;
      return;
    }
    const wanted = this.boundaryVisible[name] || (name === 'communes' && this.territoriesLoaded && this.detailedFor === this.region.code);
    if (!wanted || this.boundaryLoaded[name] === path) return;
    source?.setData(new URL(path, document.baseURI).toString());
    this.boundaryLoaded[name] = path;
  }

  /** Territory data fetched (the toggle is on), drawn only once a proposal gives communes a team. */
  private territoriesLoaded = false;
  /** Team of each commune as last sent, for the team borders. */
  private communeTeam = new Map<string, string | null>();
  /** Région whose territory files are loaded, and whose detailed ones are (see LOW_RES_MAX_ZOOM). */
  private territoryFor: string | null = null;
  private detailedFor: string | null = null;
  /**
   * Every shared commune border of the Région (borders.geojson and its light copy, same order: the
   * feature id is the index), which communes it separates, and whether it is a team border now.
   */
  private borderGeometry: Record<BorderDetail, Feature[] | null> = { low: null, detailed: null };
  private borderPairs: { a: string; b: string }[] = [];
  private bordersOf = new Map<string, number[]>();
  private borderOn: boolean[] = [];
  private placesLoaded: string | null = null;

  private optionalLayer(layer: 'places' | 'borders' | 'borders-low'): string | null {
    const built = layer === 'places' || layer === 'borders' ? this.region?.layers[layer] : this.region?.layers.lowRes;
    return this.region && built ? new URL(DATA_PATHS.boundary(this.region.code, layer), document.baseURI).toString() : null;
  }

  /**
   * Place names, team borders and the light territory layers come from optional files of the data
   * build (`layers.places`, `layers.borders`, `layers.lowRes` in regions.json); a Région without them
   * shows none, or draws its territories from the detailed layers at every zoom. The territory files
   * are fetched once territories are wanted, the detailed ones only when the user zooms in past
   * LOW_RES_MAX_ZOOM. The border files are read by the page: the map's sources receive only the
   * borders between two teams, so that the worker tiles and the renderer draws a few hundred lines,
   * not the ten thousand commune borders of a Région.
   */
  private refreshTerritoryFiles(): void {
    const region = this.region;
    if (!region) return;
    if (this.placesLoaded !== region.code) {
      this.placesLoaded = region.code;
      this.map.getSource<GeoJSONSource>(PLACES_SOURCE)?.setData(this.optionalLayer('places') ?? EMPTY);
    }
    if (!this.territoriesLoaded) return;
    const lowRes = region.layers.lowRes === true;
    if (this.territoryFor !== region.code) {
      this.territoryFor = region.code;
      this.setTerritoryRevealed(false);
      this.detailedFor = null;
      this.borderGeometry = { low: null, detailed: null };
      this.borderPairs = [];
      this.bordersOf = new Map();
      this.borderOn = [];
      for (const source of [TEAM_BORDERS_SOURCE, TEAM_BORDERS_LOW_SOURCE]) this.map.getSource<GeoJSONSource>(source)?.setData(EMPTY);
      for (const id of [TERRITORY_LAYERS.fill, TERRITORY_LAYERS.borders]) this.map.setLayerZoomRange(id, lowRes ? LOW_RES_MAX_ZOOM : 0, 24);
      this.setLowFill(lowRes ? region : null);
      if (lowRes) this.loadBorders(region.code, 'low');
    }
    // Half a zoom level early, so that the detail is there when the user gets there.
    if (this.detailedFor !== region.code && (!lowRes || this.map.getZoom() >= LOW_RES_MAX_ZOOM - 0.5)) {
      this.detailedFor = region.code;
      this.refreshBoundary('communes');
      this.loadBorders(region.code, 'detailed');
    }
  }

  private lowFillLayer: LayerSpecification | null = null;
  /** Feature-state of the communes a team colours, to give a new light fill source. */
  private fillStates = new Map<string, { colour: string | null; fill: string | null; split: boolean }>();

  /**
   * The light commune fill for `region` (null: none): a vector source over the Région's tiles, built
   * by the data build, bounded by its bbox (the tiles cover it, and nothing is asked beyond), and
   * its layer, in the state the other territory layers are in.
   */
  private setLowFill(region: RegionInfo | null): void {
    if (this.map.getLayer(TERRITORY_LAYERS.fillLow)) this.map.removeLayer(TERRITORY_LAYERS.fillLow);
    if (this.map.getSource(COMMUNES_LOW_SOURCE)) this.map.removeSource(COMMUNES_LOW_SOURCE);
    if (!region || !this.lowFillLayer) return;
    const template = DATA_PATHS.lowResTiles(region.code);
    const cut = template.indexOf('{');
    // Tiles are fetched by the map's worker: the URL must be absolute, and its braces left as they are.
    const tiles = [new URL(template.slice(0, cut), document.baseURI).toString() + template.slice(cut)];
    this.map.addSource(COMMUNES_LOW_SOURCE, { type: 'vector', tiles, bounds: region.bbox, minzoom: 0, maxzoom: LOW_RES_TILES.maxzoom, promoteId: 'code' });
    this.map.addLayer(this.lowFillLayer, TERRITORY_LAYERS.fill);
    this.map.setLayoutProperty(TERRITORY_LAYERS.fillLow, 'visibility', this.territoriesShown ? 'visible' : 'none');
    this.applyTerritoryOpacity();
    for (const [code, state] of this.fillStates) this.map.setFeatureState({ source: COMMUNES_LOW_SOURCE, sourceLayer: LOW_RES_TILES.layer, id: code }, state);
  }

  private loadBorders(code: string, detail: BorderDetail): void {
    const url = this.optionalLayer(detail === 'low' ? 'borders-low' : 'borders');
    if (!url) return;
    void fetch(url)
      .then((response) => (response.ok ? (response.json() as Promise<FeatureCollection>) : null))
      .then((collection) => {
        if (!collection || this.territoryFor !== code) return;
        const features = collection.features.map((f, i): Feature => ({ ...f, id: i }));
        if (this.borderPairs.length > 0 && features.length !== this.borderPairs.length) return;
        this.borderGeometry[detail] = features;
        if (this.borderPairs.length === 0) {
          this.borderPairs = collection.features.map((f) => ({ a: String(f.properties?.a), b: String(f.properties?.b) }));
          this.borderOn = this.borderPairs.map(() => false);
          this.borderPairs.forEach(({ a, b }, i) => {
            for (const c of [a, b]) {
              const list = this.bordersOf.get(c);
              if (list) list.push(i);
              else this.bordersOf.set(c, [i]);
            }
          });
          this.updateBorders(this.borderPairs.map((_, i) => i));
        } else {
          const on = features.filter((_, i) => this.borderOn[i]);
          if (on.length > 0) void this.borderSource(detail)?.updateData({ add: on });
        }
        // Without a team border to draw, no source event follows: the territory may be complete now.
        this.revealTerritoryWhenReady();
      });
  }

  private borderSource(detail: BorderDetail): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(detail === 'low' ? TEAM_BORDERS_LOW_SOURCE : TEAM_BORDERS_SOURCE);
  }

  /** Adds and removes the borders whose two sides changed from one team to two or back. */
  private updateBorders(indices: Iterable<number>): void {
    const add: number[] = [];
    const remove: number[] = [];
    for (const i of indices) {
      const { a, b } = this.borderPairs[i];
      const ta = this.communeTeam.get(a) ?? null;
      const tb = this.communeTeam.get(b) ?? null;
      const on = ta !== null && tb !== null && ta !== tb;
      if (on === this.borderOn[i]) continue;
      this.borderOn[i] = on;
      (on ? add : remove).push(i);
    }
    if (add.length === 0 && remove.length === 0) return;
    for (const detail of ['low', 'detailed'] as const) {
      const geometry = this.borderGeometry[detail];
      if (geometry) void this.borderSource(detail)?.updateData({ add: add.map((i) => geometry[i]), remove });
    }
  }

  /**
   * `load`: the territory data (commune polygons for the map's worker, team borders) is fetched, as
   * soon as the Région is known, so that it is ready when the proposal comes out of the store;
   * `show`: the layers are drawn (a hidden layer costs no drawing, a transparent one would).
   */
  async setTerritories(load: boolean, show: boolean): Promise<void> {
    await this.ready;
    this.territoriesLoaded = load;
    this.territoriesShown = load && show;
    for (const id of Object.values(TERRITORY_LAYERS)) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', this.territoriesShown ? 'visible' : 'none');
    if (!this.territoriesShown) this.setTerritoryRevealed(false);
    this.refreshTerritoryFiles();
    this.revealTerritoryWhenReady();
  }

  private territoriesShown = false;
  private territoryRevealed = false;
  /** Région whose commune states describe the open proposal's whole territory (see setTerritoryLabels). */
  private territoryComputedFor: string | null = null;

  /**
   * The territory layers load their tiles while fully transparent (MapLibre draws nothing for a
   * layer at opacity 0), then appear in one frame once the fill, the team borders and the labels are
   * all there. Drawn piece by piece, each of them made the map draw again, and in a software
   * renderer every frame with the commune fill costs several times one without it.
   */
  private revealTerritoryWhenReady(): void {
    const region = this.region;
    if (!region || this.territoryRevealed || !this.territoriesShown || this.territoryComputedFor !== region.code || this.territoryFor !== region.code) return;
    const detail: BorderDetail = region.layers.lowRes === true && this.map.getZoom() < LOW_RES_MAX_ZOOM ? 'low' : 'detailed';
    if (region.layers.borders === true && this.borderGeometry[detail] === null) return;
    const fillSource = detail === 'low' ? COMMUNES_LOW_SOURCE : 'communes';
    const bordersSource = detail === 'low' ? TEAM_BORDERS_LOW_SOURCE : TEAM_BORDERS_SOURCE;
    if (![fillSource, bordersSource, TERRITORY_LABELS_SOURCE].every((source) => this.map.isSourceLoaded(source))) return;
    this.setTerritoryRevealed(true);
  }

  private setTerritoryRevealed(revealed: boolean): void {
    if (this.territoryRevealed === revealed) return;
    this.territoryRevealed = revealed;
    this.applyTerritoryOpacity();
    this.refreshRegionFill();
  }

  private applyTerritoryOpacity(): void {
    const opacity = this.territoryRevealed ? 1 : 0;
    const property = [
      [TERRITORY_LAYERS.fill, 'fill-layer-opacity'],
      [TERRITORY_LAYERS.fillLow, 'fill-layer-opacity'],
      [TERRITORY_LAYERS.borders, 'line-layer-opacity'],
      [TERRITORY_LAYERS.bordersLow, 'line-layer-opacity'],
      [TERRITORY_LAYERS.labels, 'text-opacity'],
    ] as const;
    for (const [id, name] of property) if (this.map.getLayer(id)) this.map.setPaintProperty(id, name, opacity);
  }

  /**
   * On the blank map a shown territory paints every commune of the Région (white where no team
   * reaches), so the Région's white fill underneath would be drawn for nothing: it is kept only where
   * the territory is not drawn, above LOW_RES_MAX_ZOOM when the light layers stand in below it.
   * Over a basemap the territory is translucent and the fill stays.
   */
  private refreshRegionFill(): void {
    const covered = this.territoryRevealed && !this.withBasemap && this.region?.layers.communes === true;
    const lowRes = this.region?.layers.lowRes === true;
    this.map.setLayoutProperty(BOUNDARY_LAYERS.region.fill, 'visibility', covered && !lowRes ? 'none' : 'visible');
    this.map.setLayerZoomRange(BOUNDARY_LAYERS.region.fill, covered && lowRes ? LOW_RES_MAX_ZOOM : 0, 24);
  }

  /** Applies only what changed: each entry is the complete state of a commune (by INSEE code). */
  async setCommuneStates(changes: ReadonlyMap<string, CommuneState>): Promise<void> {
    await this.ready;
    const touched = new Set<number>();
    const lowFill = this.map.getSource(COMMUNES_LOW_SOURCE) !== undefined;
    for (const [code, state] of changes) {
      const featureState = { colour: state.colour, fill: state.colour && pastel(state.colour, state.split ? 0.22 : 0.4), split: state.split };
      if (state.colour === null) this.fillStates.delete(code);
      else this.fillStates.set(code, featureState);
      this.map.setFeatureState({ source: 'communes', id: code }, featureState);
      if (lowFill) this.map.setFeatureState({ source: COMMUNES_LOW_SOURCE, sourceLayer: LOW_RES_TILES.layer, id: code }, featureState);
      this.communeTeam.set(code, state.team);
      for (const i of this.bordersOf.get(code) ?? []) touched.add(i);
    }
    this.updateBorders(touched);
  }

  /**
   * `computed`: the commune states sent so far describe the open proposal's whole territory, so the
   * territory layers may appear once their data is drawn.
   */
  async setTerritoryLabels(labels: FeatureCollection<Point>, computed: boolean): Promise<void> {
    await this.ready;
    this.setDataIfChanged(TERRITORY_LABELS_SOURCE, labels);
    this.territoryComputedFor = computed ? (this.region?.code ?? null) : null;
    this.revealTerritoryWhenReady();
  }

  private sent = new Map<string, string>();

  /**
   * Most edits leave the zones, bases and labels as they were: sending them again would make the
   * map's worker cut them into tiles again and the map draw one more frame for nothing.
   */
  private setDataIfChanged(source: string, data: FeatureCollection): void {
    const text = JSON.stringify(data);
    if (this.sent.get(source) === text) return;
    this.sent.set(source, text);
    this.map.getSource<GeoJSONSource>(source)?.setData(data);
  }

  /** Whether the open proposal's territory is on the map (tests and benchmarks). */
  territoryDrawn(): boolean {
    return this.territoryRevealed;
  }

  /** Colour of a commune as the map holds it (tests). */
  communeColour(code: string): string | null {
    return (this.map.getFeatureState({ source: 'communes', id: code })?.colour as string | undefined) ?? null;
  }

  async setEstablishments(establishments: readonly Establishment[]): Promise<void> {
    await this.ready;
    this.map.getSource<GeoJSONSource>(ESTABLISHMENTS_SOURCE)?.setData(establishmentsToGeoJson(establishments));
    this.shownUais = new Set(establishments.map((e) => e.uai));
    // setData drops feature-state for removed ids only; re-apply ours so restored points keep theirs.
    for (const [uai, state] of this.states) if (this.shownUais.has(uai)) this.map.setFeatureState({ source: ESTABLISHMENTS_SOURCE, id: uai }, state);
  }

  /** Applies only what changed: each call passes the complete desired states of the given UAIs. */
  async setPointStates(changes: ReadonlyMap<string, PointState>): Promise<void> {
    await this.ready;
    for (const [uai, state] of changes) {
      const merged = { ...this.states.get(uai), ...state };
      this.states.set(uai, merged);
      this.map.setFeatureState({ source: ESTABLISHMENTS_SOURCE, id: uai }, state);
    }
  }

  async setPlanOverlay(zones: FeatureCollection, bases: FeatureCollection): Promise<void> {
    await this.ready;
    this.setDataIfChanged(ZONES_SOURCE, zones);
    this.setDataIfChanged(BASES_SOURCE, bases);
  }

  async setSelected(uai: string | null): Promise<void> {
    if (uai === this.selected) return;
    const changes = new Map<string, PointState>();
    if (this.selected) changes.set(this.selected, { selected: false });
    if (uai) changes.set(uai, { selected: true });
    this.selected = uai;
    await this.setPointStates(changes);
  }

  flyTo(e: Establishment): void {
    this.map.flyTo({ center: [e.lon, e.lat], zoom: Math.max(this.map.getZoom(), 11), duration: 800 });
  }

  /** Clicks on the map: the lycée under the pointer (if any), the block under it, where, and whether Shift was held. */
  onClick(handler: (click: { uai: string | null; block: Block | null; lat: number; lon: number; shift: boolean }) => void): void {
    this.map.on('click', (event: MapMouseEvent) => {
      if (this.drawing) return;
      const hit: MapGeoJSONFeature | undefined = this.map.queryRenderedFeatures(event.point, { layers: [ESTABLISHMENTS_LAYER] })[0];
      handler({ uai: hit ? String(hit.properties.uai) : null, block: hit ? null : this.blockAt(event), lat: event.lngLat.lat, lon: event.lngLat.lng, shift: event.originalEvent.shiftKey });
    });
  }

  private blockSources: BlockPickSource[] = [];
  private pickedKind: BlockKind | null = null;

  /** Pick and highlight layers above the boundaries, for the boundary sources this map has. */
  private addBlockLayers(): void {
    this.blockSources = BLOCK_PICK_SOURCES.filter((source) => this.map.getSource(source) !== undefined);
    for (const source of this.blockSources) {
      for (const layer of blockLayers(source)) this.map.addLayer(layer, ESTABLISHMENTS_LAYER);
      this.showBlockLayers(source);
    }
  }

  /**
   * A block is picked on a boundary layer the user shows (see blockAt): the pick layers of hidden
   * boundaries stay hidden too, so that their sources cut no tiles and build no fills.
   */
  private showBlockLayers(source: BlockPickSource): void {
    if (!this.blockSources.includes(source)) return;
    const shown = this.boundaryVisible[source];
    const picked = this.pickedKind === BLOCK_KIND_OF_SOURCE[source];
    this.map.setLayoutProperty(blockPickLayer(source), 'visibility', shown ? 'visible' : 'none');
    this.map.setLayoutProperty(blockHighlightLayer(source), 'visibility', shown || picked ? 'visible' : 'none');
  }

  /** The block under the pointer on the most specific boundary layer the user shows, if any. */
  private blockAt(event: MapMouseEvent): Block | null {
    // getStyle() would serialise every inline GeoJSON source: walk the layers instead.
    const lineShown = (source: BlockPickSource) =>
      this.map.getLayersOrder().some((id) => {
        const layer = this.map.getLayer(id);
        return layer?.type === 'line' && layer.source === source && id !== blockHighlightLayer(source) && this.map.getLayoutProperty(id, 'visibility') !== 'none';
      });
    for (const source of this.blockSources) {
      if (!lineShown(source)) continue;
      const feature = this.map.queryRenderedFeatures(event.point, { layers: [blockPickLayer(source)] })[0];
      const code = feature?.properties.code;
      if (code !== undefined && code !== null) return { kind: BLOCK_KIND_OF_SOURCE[source], code: String(code), name: String(feature.properties.nom ?? code) };
    }
    return null;
  }

  /** Outlines the picked block on its boundary layer (shown when that layer's data is loaded). */
  async setPickedBlock(block: Pick<Block, 'kind' | 'code'> | null): Promise<void> {
    await this.ready;
    this.pickedKind = block?.kind ?? null;
    for (const source of this.blockSources) {
      const code = block && BLOCK_KIND_OF_SOURCE[source] === block.kind ? block.code : '';
      this.map.setFilter(blockHighlightLayer(source), ['==', ['to-string', ['get', 'code']], code]);
      this.showBlockLayers(source);
    }
  }

  /** Frames a bounding box; `maxZoom` keeps a block of few, close lycées from filling the screen. */
  fitTo(bbox: [number, number, number, number], maxZoom = 12): void {
    this.map.fitBounds(bbox, { padding: 60, maxZoom, duration: 600 });
  }

  private draw: TerraDraw | null = null;
  private drawModules: ReturnType<MapController['loadDrawingTool']> | null = null;
  private drawing = false;

  /** terra-draw's modules, loaded once: most sessions never draw, so they are not part of the app's start. */
  loadDrawingTool(): Promise<[typeof import('terra-draw'), typeof import('terra-draw-maplibre-gl-adapter')]> {
    this.drawModules ??= Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')]);
    return this.drawModules;
  }

  /**
   * Lets the user draw a lasso (freehand) or a polygon; calls back with the closed ring, then stops.
   * Resolves once the tool listens to the map.
   */
  async startDrawing(mode: 'freehand' | 'polygon', onFinish: (ring: [number, number][]) => void): Promise<void> {
    this.drawing = true;
    const [{ TerraDraw, TerraDrawFreehandMode, TerraDrawPolygonMode }, { TerraDrawMapLibreGLAdapter }] = await this.loadDrawingTool();
    // Cancelled while terra-draw was loading.
    if (!this.drawing) return;
    if (!this.draw) {
      this.draw = new TerraDraw({ adapter: new TerraDrawMapLibreGLAdapter({ map: this.map }), modes: [new TerraDrawFreehandMode(), new TerraDrawPolygonMode()] });
      this.draw.start();
    }
    const draw = this.draw;
    draw.setMode(mode);
    const finish = (id: string | number) => {
      const feature = draw.getSnapshotFeature(id);
      draw.off('finish', finish);
      this.stopDrawing();
      if (feature && feature.geometry.type === 'Polygon') onFinish(feature.geometry.coordinates[0] as [number, number][]);
    };
    draw.on('finish', finish);
  }

  stopDrawing(): void {
    if (!this.draw) {
      this.drawing = false;
      return;
    }
    this.draw.clear();
    this.draw.setMode('static');
    // The click that closed the shape must not also select a lycée.
    setTimeout(() => (this.drawing = false), 0);
  }

  /** UAIs actually drawn on the canvas right now (for tests and benchmarks). */
  renderedUais(): Set<string> {
    return new Set(this.map.queryRenderedFeatures({ layers: [ESTABLISHMENTS_LAYER] }).map((f: MapGeoJSONFeature) => String(f.properties.uai)));
  }

  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.map.loaded() && !this.map.isMoving() && this.map.areTilesLoaded()) {
        this.map.once('idle', () => resolve());
        this.map.triggerRepaint();
      } else this.map.once('idle', () => resolve());
    });
  }

  destroy(): void {
    this.map.remove();
  }
}
