/**
 * The only owner of the MapLibre map. State pushes data in (region, establishments, feature-states);
 * the map pushes clicks out. Everything is incremental: sources get `setData`, points get
 * feature-state diffs.
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource, type MapGeoJSONFeature, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { TerraDraw, TerraDrawFreehandMode, TerraDrawPolygonMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection, Point } from 'geojson';
import { DATA_PATHS, type Establishment, type RegionInfo } from '../core/model/establishment';
import { BASES_SOURCE, BOUNDARY_LAYERS, ESTABLISHMENTS_LAYER, ESTABLISHMENTS_SOURCE, ZONES_SOURCE, baseLayers, baseStyle, boundaryLayers, establishmentLayer, planLayers } from './layers';

// Vite bundles MapLibre's worker separately; without this the map never finishes loading.
setWorkerUrl(workerUrl);

export type PointState = Partial<{ selected: boolean; highlighted: boolean; dimmed: boolean; unassigned: boolean; picked: boolean; pickColour: string | null; colour: string | null }>;
type Boundary = 'region' | 'departements' | 'epci' | 'communes';
const BOUNDARIES: Boundary[] = ['region', 'departements', 'epci', 'communes'];
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

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
  private boundaryVisible: Record<Boundary, boolean> = { region: true, departements: true, epci: false, communes: false };
  private boundaryLoaded: Record<Boundary, string | null> = { region: null, departements: null, epci: null, communes: null };
  private states = new Map<string, PointState>();
  private selected: string | null = null;
  private shownUais = new Set<string>();

  constructor(container: HTMLElement, options: MapOptions) {
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
        for (const name of BOUNDARIES) this.map.addSource(name, { type: 'geojson', data: EMPTY });
        this.map.addSource(ESTABLISHMENTS_SOURCE, { type: 'geojson', data: EMPTY, promoteId: 'uai' });
        this.map.addSource(ZONES_SOURCE, { type: 'geojson', data: EMPTY });
        this.map.addSource(BASES_SOURCE, { type: 'geojson', data: EMPTY });
        for (const layer of [...boundaryLayers(options.basemapUrl !== null), ...planLayers(), establishmentLayer(), ...baseLayers()]) this.map.addLayer(layer);
        resolve();
      });
    });
    this.map.on('mouseenter', ESTABLISHMENTS_LAYER, () => (this.map.getCanvas().style.cursor = 'pointer'));
    this.map.on('mouseleave', ESTABLISHMENTS_LAYER, () => (this.map.getCanvas().style.cursor = ''));
  }

  /** `rightInset`: pixels covered by the legend on the right, kept clear when framing the Région. */
  async setRegion(region: RegionInfo, rightInset = 0): Promise<void> {
    await this.ready;
    if (this.region?.code === region.code) return;
    this.region = region;
    for (const name of BOUNDARIES) this.refreshBoundary(name);
    this.fitTo(region.bbox, rightInset, 0);
  }

  /** Frames [west, south, east, north], leaving `rightInset` pixels free on the right. */
  fitTo(bbox: [number, number, number, number], rightInset = 0, duration = 600): void {
    const { clientWidth } = this.map.getContainer();
    // Never squeeze the frame below a third of the map.
    const right = Math.min(rightInset, clientWidth * 0.5) + 30;
    this.map.fitBounds(bbox, { padding: { top: 30, bottom: 30, left: 30, right }, duration });
  }

  async setBoundaryVisible(name: Exclude<Boundary, 'region'>, visible: boolean): Promise<void> {
    await this.ready;
    this.boundaryVisible[name] = visible;
    this.map.setLayoutProperty(BOUNDARY_LAYERS[name].line, 'visibility', visible ? 'visible' : 'none');
    this.refreshBoundary(name);
  }

  /** Boundary files are fetched only when their layer is shown (communes weigh several MB). */
  private refreshBoundary(name: Boundary): void {
    if (!this.region) return;
    const source = this.map.getSource<GeoJSONSource>(name);
    const path = this.region.layers[name] ? DATA_PATHS.boundary(this.region.code, name) : null;
    if (path === null) {
      if (this.boundaryLoaded[name] !== null) source?.setData(EMPTY);
      this.boundaryLoaded[name] = null;
      return;
    }
    if (!this.boundaryVisible[name] || this.boundaryLoaded[name] === path) return;
    source?.setData(new URL(path, document.baseURI).toString());
    this.boundaryLoaded[name] = path;
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
    this.map.getSource<GeoJSONSource>(ZONES_SOURCE)?.setData(zones);
    this.map.getSource<GeoJSONSource>(BASES_SOURCE)?.setData(bases);
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

  /** Clicks on the map: the lycée under the pointer (if any), where, and whether Shift was held. */
  onClick(handler: (click: { uai: string | null; lat: number; lon: number; shift: boolean }) => void): void {
    this.map.on('click', (event: MapMouseEvent) => {
      if (this.drawing) return;
      const hit: MapGeoJSONFeature | undefined = this.map.queryRenderedFeatures(event.point, { layers: [ESTABLISHMENTS_LAYER] })[0];
      handler({ uai: hit ? String(hit.properties.uai) : null, lat: event.lngLat.lat, lon: event.lngLat.lng, shift: event.originalEvent.shiftKey });
    });
  }

  private draw: TerraDraw | null = null;
  private drawing = false;

  /**
   * Lets the user draw a lasso (freehand) or a polygon; calls back with the closed ring, then stops.
   * terra-draw is created lazily: most sessions never draw.
   */
  startDrawing(mode: 'freehand' | 'polygon', onFinish: (ring: [number, number][]) => void): void {
    if (!this.draw) {
      this.draw = new TerraDraw({
        adapter: new TerraDrawMapLibreGLAdapter({ map: this.map }),
        modes: [new TerraDrawFreehandMode(), new TerraDrawPolygonMode()],
      });
      this.draw.start();
    }
    const draw = this.draw;
    this.drawing = true;
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
    if (!this.draw) return;
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
