/**
 * Map helpers of the Compare view. (The printed map is drawn from the plan data by the document
 * worker: src/core/document/render.ts.)
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

/** Keeps two maps on the same view: moving one moves the other (without echoing back). */
export function syncViews(a: MapLibreMap, b: MapLibreMap): () => void {
  let syncing = false;
  const follow = (from: MapLibreMap, to: MapLibreMap) => () => {
    if (syncing) return;
    syncing = true;
    to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() });
    syncing = false;
  };
  const ab = follow(a, b);
  const ba = follow(b, a);
  a.on('move', ab);
  b.on('move', ba);
  return () => {
    a.off('move', ab);
    b.off('move', ba);
  };
}
