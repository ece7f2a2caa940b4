/// <reference lib="webworker" />
/**
 * Builds the organisation documents off the main thread: the map picture (PNG), the PDF dossier and
 * the GeoJSON export (whose territory union is the slow part). Layers are fetched here and kept per
 * Région between jobs, with the commune graph of the territory model (src/core/territory, the one
 * the map and the exports use) and the lycées' communes; progress is posted as the work goes, and
 * the client terminates the worker to cancel.
 */
import type { Feature, MultiPolygon, Point } from 'geojson';
import { communeScene, communeTerritory, type CommuneLayer, type CommuneScene, type ScenePoint } from '../core/document/scene';
import type { CommuneAdjacency } from '../core/model/establishment';
import { drawPicture, type MapData, type MapPlace, type PictureSpec, type Territory } from '../core/document/render';
import type { DossierContent, MapInput } from '../core/document/dossier';
import { frenchDate } from '../core/document/french';
import { teamAreas } from '../core/io/territories';
import { planToGeoJson } from '../core/io/geojson-export';
import { buildDossierPdf, type DossierImages } from './dossier-pdf';
import type { DocumentJob, FromDocumentWorker, Georeference, LayerUrls, ToDocumentWorker } from './document-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromDocumentWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const progress = (fraction: number, label: string) => post({ type: 'progress', fraction: Math.max(0, Math.min(1, fraction)), label });

interface Layers {
  region: CommuneLayer;
  departements: CommuneLayer | null;
  communes: CommuneLayer | null;
  adjacency: CommuneAdjacency | null;
  scene: CommuneScene | null;
  places: MapPlace[];
}

let cached: { code: string; layers: Layers } | null = null;

async function fetchLayer<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} : HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function loadLayers(urls: LayerUrls): Promise<Layers> {
  if (cached?.code === urls.regionCode) return cached.layers;
  progress(0.02, 'Chargement des contours');
  const [region, departements, communes, placeLayer, adjacency] = await Promise.all([
    fetchLayer<CommuneLayer>(urls.region),
    urls.departements ? fetchLayer<CommuneLayer>(urls.departements) : null,
    urls.communes ? fetchLayer<CommuneLayer>(urls.communes) : null,
    urls.places ? fetchLayer<{ features: Feature<Point>[] }>(urls.places).catch(() => null) : null,
    // Without it (or with a stale one), the model computes the adjacency from the polygons.
    urls.communes && urls.adjacency ? fetchLayer<CommuneAdjacency>(urls.adjacency).catch(() => null) : null,
  ]);
  progress(0.06, 'Voisinage des communes');
  const scene = communes ? communeScene(communes, adjacency) : null;
  let places: MapPlace[] = [];
  if (placeLayer)
    places = placeLayer.features.map((f) => ({ name: String(f.properties?.nom ?? ''), lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], population: Number(f.properties?.population ?? 0) + (3 - Number(f.properties?.rank ?? 3)) * 1e7 }));
  else if (communes && scene)
    // Without a place layer, the most populated communes name the map (at their largest part's centre).
    places = communes.features
      .map((f, i) => ({ name: String(f.properties?.nom ?? ''), lon: scene.outlines.centres[i * 2], lat: scene.outlines.centres[i * 2 + 1], population: Number(f.properties?.population ?? 0) }))
      .filter((p) => p.population > 0)
      .sort((a, b) => b.population - a.population)
      .slice(0, 400);
  const layers: Layers = { region, departements, communes, adjacency, scene, places };
  cached = { code: urls.regionCode, layers };
  return layers;
}

type Territories = { territory: Territory | null; pieces: Map<string, number> };

/** The last territories computed, by Région and assignment: a PNG then a PDF of the same proposal compute them once. */
let lastTerritories: { key: string; value: Territories } | null = null;

function territoryOf(layers: Layers, points: ScenePoint[]): Territories {
  const key = `${cached?.code}|${points.map((p) => `${p.uai}:${p.teamId}`).join(',')}`;
  if (lastTerritories?.key === key) return lastTerritories.value;
  const value = computeTerritories(layers, points);
  lastTerritories = { key, value };
  return value;
}

function computeTerritories(layers: Layers, points: ScenePoint[]): Territories {
  if (points.length === 0) return { territory: null, pieces: new Map() };
  if (layers.scene) return communeTerritory(layers.scene, points);
  const areas = teamAreas(points.map((p) => ({ uai: p.uai, lat: p.lat, lon: p.lon, teamId: p.teamId! })), layers.region, null);
  const list = [...areas.areas].map(([teamId, area]) => ({ teamId, polygons: area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : (area.geometry as MultiPolygon).coordinates }));
  // The same count as the GeoJSON export's `morceaux`: the parts of each team's polygon.
  const pieces = new Map([...areas.figures].map(([teamId, f]) => [teamId, f.pieces]));
  return { territory: { kind: 'areas', areas: list }, pieces };
}

function mapData(layers: Layers, input: MapInput, territory: Territory | null): MapData {
  return { territory, region: layers.region, departements: layers.departements, teams: input.teams, lycees: input.lycees, zones: input.zones, places: layers.places };
}

async function draw(data: MapData, spec: PictureSpec, type: 'image/png' | 'image/jpeg'): Promise<{ bytes: Uint8Array; georef: Georeference }> {
  const canvas = new OffscreenCanvas(spec.width, spec.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Dessin impossible : pas de contexte 2D dans ce navigateur.');
  const projection = drawPicture(ctx, data, spec);
  const georef = { rect: projection.rect, box: projection.frame };
  const blob = await canvas.convertToBlob(type === 'image/jpeg' ? { type, quality: 0.9 } : { type });
  return { bytes: new Uint8Array(await blob.arrayBuffer()), georef };
}

const render = async (data: MapData, spec: PictureSpec, type: 'image/png' | 'image/jpeg') => (await draw(data, spec, type)).bytes;

async function fontBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Police ${url} : HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function dossier(layers: Layers, map: MapInput, content: DossierContent, fonts: { regular: string; bold: string }): Promise<ArrayBuffer> {
  progress(0.1, 'Territoires des équipes');
  const { territory, pieces } = territoryOf(layers, map.points);
  const data = mapData(layers, map, territory);
  progress(0.15, 'Carte de la Région');
  const overviewSpec: PictureSpec = { width: 2800, height: 1908, chrome: true, title: content.title, subtitle: content.subtitle, date: frenchDate(content.now), sources: content.sources, focus: null };
  const images: DossierImages = { overview: { bytes: await render(data, overviewSpec, 'image/jpeg'), aspect: 2800 / 1908 }, teams: new Map(), comparison: null };
  const teamSpec = (focus: string[]): PictureSpec => ({ width: 1240, height: 920, chrome: false, title: '', subtitle: '', date: '', sources: '', focus });
  for (const [i, team] of content.teams.entries()) {
    progress(0.25 + (0.6 * i) / Math.max(1, content.teams.length), `Carte de l’équipe ${team.name}`);
    images.teams.set(team.id, { bytes: await render(data, teamSpec([team.id]), 'image/jpeg'), aspect: 1240 / 920 });
  }
  if (content.comparison) {
    progress(0.86, 'Cartes de la comparaison');
    const other = content.comparison.other;
    const otherData = mapData(layers, { teams: other.teams, lycees: other.lycees, zones: [], points: other.points }, territoryOf(layers, other.points).territory);
    const spec: PictureSpec = { width: 1300, height: 1000, chrome: false, title: '', subtitle: '', date: '', sources: '', focus: null };
    const mine = { bytes: await render(data, spec, 'image/jpeg'), aspect: 1.3 };
    const theirs = { bytes: await render(otherData, spec, 'image/jpeg'), aspect: 1.3 };
    images.comparison = content.comparison.thisIsA ? [mine, theirs] : [theirs, mine];
  }
  progress(0.9, 'Mise en page du PDF');
  const [regular, bold] = await Promise.all([fontBytes(fonts.regular), fontBytes(fonts.bold)]);
  return buildDossierPdf(content, images, pieces, { regular, bold });
}

async function run(job: DocumentJob): Promise<{ bytes: ArrayBuffer; mime: string; notes: string[]; georef: Georeference | null }> {
  if (job.kind === 'geojson') {
    const layers = await loadLayers(job.layers);
    progress(0.08, 'Territoires des équipes');
    const collection = planToGeoJson({
      ...job.input,
      region: { ...job.input.region, boundary: layers.region as never, communes: layers.communes as never, adjacency: layers.adjacency },
      onProgress: (fraction) => progress(0.08 + 0.88 * fraction, 'Territoires des équipes'),
    });
    progress(0.97, 'Écriture du fichier');
    return { bytes: new TextEncoder().encode(JSON.stringify(collection)).buffer as ArrayBuffer, mime: 'application/geo+json', notes: collection.maillage.territories.warnings, georef: null };
  }
  const layers = await loadLayers(job.layers);
  if (job.kind === 'picture') {
    progress(0.1, 'Territoires des équipes');
    const { territory } = territoryOf(layers, job.map.points);
    progress(0.4, 'Dessin de la carte');
    const { bytes, georef } = await draw(mapData(layers, job.map, territory), job.spec, 'image/png');
    return { bytes: bytes.buffer as ArrayBuffer, mime: 'image/png', notes: [], georef };
  }
  const bytes = await dossier(layers, job.map, job.content, job.fonts);
  return { bytes, mime: 'application/pdf', notes: [], georef: null };
}

scope.onmessage = async (event: MessageEvent<ToDocumentWorker>) => {
  try {
    const result = await run(event.data.job);
    post({ type: 'result', ...result }, [result.bytes]);
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};

