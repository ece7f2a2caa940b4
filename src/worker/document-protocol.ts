/**
 * Messages between the app and the document worker (map picture, PDF dossier, GeoJSON export).
 * The client terminates the worker to cancel, so a job needs no cancellation checks; progress
 * messages carry a share of the work done and what is being done.
 */
import type { GeoJsonExportInput } from '../core/io/geojson-export';
import type { DossierContent, MapInput } from '../core/document/dossier';
import type { PictureSpec } from '../core/document/render';

/** Absolute URLs of the Région's layers (the worker resolves nothing against the page). */
export interface LayerUrls {
  regionCode: string;
  region: string;
  departements: string | null;
  communes: string | null;
  /** The commune graph of the data build (adjacency.json), when the Région has one. */
  adjacency: string | null;
  places: string | null;
}

export type DocumentJob =
  | { kind: 'picture'; layers: LayerUrls; map: MapInput; spec: PictureSpec }
  | { kind: 'dossier'; layers: LayerUrls; map: MapInput; content: DossierContent; fonts: { regular: string; bold: string } }
  | { kind: 'geojson'; layers: LayerUrls; input: Omit<GeoJsonExportInput, 'region' | 'onProgress'> & { region: { code: string; name: string } } };

/** Where the map sits in a picture: its pixel rectangle and the lon/lat box fitted into it (Web Mercator, centred). */
export interface Georeference {
  rect: { x: number; y: number; width: number; height: number };
  box: [number, number, number, number];
}

export type ToDocumentWorker = { type: 'run'; job: DocumentJob };

export type FromDocumentWorker =
  | { type: 'progress'; fraction: number; label: string }
  | { type: 'result'; bytes: ArrayBuffer; mime: string; notes: string[]; georef: Georeference | null }
  | { type: 'error'; message: string };
