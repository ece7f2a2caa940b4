/**
 * Vector tiles (Mapbox Vector Tile, protobuf) of a Région's light commune layer, cut once by the
 * data build. Given as GeoJSON, the layer was parsed and cut into tiles by the map's worker at every
 * page load: most of that worker's time before a territory could be drawn. A tile holds only the
 * commune's INSEE code (the map colours communes through feature-state keyed by it).
 */
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { LOW_RES_TILES } from '../../src/core/model/establishment.ts';

/** Tile x or y range covering [west, east] or [south, north] at zoom z (Web Mercator, XYZ scheme). */
export function tileRange(bbox: [number, number, number, number], z: number): { x: [number, number]; y: [number, number] } {
  const n = 2 ** z;
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, Math.floor(v)));
  const x = (lon: number) => clamp(((lon + 180) / 360) * n);
  const y = (lat: number) => {
    const rad = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
    return clamp(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  };
  const [west, south, east, north] = bbox;
  return { x: [x(west), x(east)], y: [y(north), y(south)] };
}

/**
 * Every tile from zoom 0 to LOW_RES_TILES.maxzoom over `bbox` (the bounds the map gives the source,
 * so that it asks for no other), keyed `z/x/y`. A tile with no commune is an empty file: the map reads
 * it as a tile without features.
 */
export function communeTiles(communes: FeatureCollection<Polygon | MultiPolygon>, bbox: [number, number, number, number]): Map<string, Uint8Array> {
  const slim: FeatureCollection<Polygon | MultiPolygon> = {
    type: 'FeatureCollection',
    features: communes.features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { code: String(f.properties?.code) } })),
  };
  // Tolerance 0: the layer is simplified already, along shared borders (simplify.ts); the tiler's own
  // simplification works commune by commune and would open gaps between neighbours.
  const index = new GeoJSONVT(slim, { maxZoom: LOW_RES_TILES.maxzoom, indexMaxZoom: LOW_RES_TILES.maxzoom, indexMaxPoints: 0, tolerance: 0, extent: 4096, buffer: 64 });
  const tiles = new Map<string, Uint8Array>();
  for (let z = 0; z <= LOW_RES_TILES.maxzoom; z++) {
    const { x, y } = tileRange(bbox, z);
    for (let tx = x[0]; tx <= x[1]; tx++) {
      for (let ty = y[0]; ty <= y[1]; ty++) {
        const tile = index.getTile(z, tx, ty);
        tiles.set(`${z}/${tx}/${ty}`, tile && tile.features.length > 0 ? fromGeojsonVt({ [LOW_RES_TILES.layer]: tile }, { version: 2, extent: 4096 }) : new Uint8Array(0));
      }
    }
  }
  return tiles;
}
