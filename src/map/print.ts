/**
 * The map as a picture for organisation documents: the map re-rendered at print resolution
 * (≈ 300 dpi across an A4 landscape page), framed with a title, the date, a legend of the teams, a
 * scale bar and the sources. The map must be created with preserveDrawingBuffer.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface PictureLegendEntry {
  colour: string;
  label: string;
}

export interface PictureOptions {
  title: string;
  subtitle: string;
  legend: PictureLegendEntry[];
  sources: string;
  /** Output width in pixels; 3508 is A4 landscape at 300 dpi. */
  width?: number;
}

const PRINT_WIDTH = 3508;

function waitForRender(map: MapLibreMap): Promise<void> {
  return new Promise((resolve) => {
    map.once('idle', () => resolve());
    map.triggerRepaint();
  });
}

/** A round length (1, 2 or 5 × 10ⁿ metres) that fits in `maxMetres`. */
export function niceScaleLength(maxMetres: number): number {
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  for (const step of [5, 2, 1]) if (step * power <= maxMetres) return step * power;
  return power;
}

export async function renderMapPicture(map: MapLibreMap, options: PictureOptions): Promise<Blob> {
  const width = options.width ?? PRINT_WIDTH;
  const cssWidth = map.getContainer().clientWidth;
  const cssHeight = map.getContainer().clientHeight;
  const previousRatio = map.getPixelRatio();
  const mapWidth = Math.round(width * 0.78);
  const ratio = mapWidth / cssWidth;
  map.setPixelRatio(ratio);
  let mapImage: HTMLCanvasElement;
  try {
    await waitForRender(map);
    mapImage = document.createElement('canvas');
    mapImage.width = map.getCanvas().width;
    mapImage.height = map.getCanvas().height;
    mapImage.getContext('2d')!.drawImage(map.getCanvas(), 0, 0);
  } finally {
    map.setPixelRatio(previousRatio);
  }
  const unit = width / 100;
  const header = unit * 7;
  const footer = unit * 3.5;
  const mapHeight = Math.round((cssHeight / cssWidth) * mapWidth);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = Math.round(header + mapHeight + footer + unit * 2);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111827';
  ctx.font = `bold ${unit * 2.2}px sans-serif`;
  ctx.fillText(options.title, unit, unit * 3.2);
  ctx.font = `${unit * 1.2}px sans-serif`;
  ctx.fillStyle = '#374151';
  ctx.fillText(options.subtitle, unit, unit * 5.4);
  const mapLeft = unit;
  const mapTop = header;
  ctx.drawImage(mapImage, mapLeft, mapTop, mapWidth, mapHeight);
  ctx.strokeStyle = '#9ca3af';
  ctx.lineWidth = unit * 0.08;
  ctx.strokeRect(mapLeft, mapTop, mapWidth, mapHeight);

  // Scale bar: metres per CSS pixel at the map centre (Web Mercator, 512-px tiles).
  const latitude = map.getCenter().lat;
  const metresPerCssPixel = (40075016.686 * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
  const metresPerOutputPixel = (metresPerCssPixel * cssWidth) / mapWidth;
  const length = niceScaleLength(metresPerOutputPixel * mapWidth * 0.2);
  const barPixels = length / metresPerOutputPixel;
  const barX = mapLeft + unit;
  const barY = mapTop + mapHeight - unit * 1.5;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(barX - unit * 0.5, barY - unit * 1.6, barPixels + unit * 1, unit * 2.3);
  ctx.fillStyle = '#111827';
  ctx.fillRect(barX, barY, barPixels, unit * 0.3);
  ctx.fillRect(barX, barY - unit * 0.4, unit * 0.1, unit * 0.7);
  ctx.fillRect(barX + barPixels - unit * 0.1, barY - unit * 0.4, unit * 0.1, unit * 0.7);
  ctx.font = `${unit * 0.9}px sans-serif`;
  ctx.fillText(length >= 1000 ? `${length / 1000} km` : `${length} m`, barX, barY - unit * 0.6);

  // Legend on the right.
  const legendX = mapLeft + mapWidth + unit * 1.2;
  let y = mapTop + unit * 1.2;
  ctx.font = `bold ${unit * 1.1}px sans-serif`;
  ctx.fillText('Équipes', legendX, y);
  ctx.font = `${unit * 0.85}px sans-serif`;
  const maxLabel = width - legendX - unit * 2.2;
  for (const entry of options.legend) {
    y += unit * 1.5;
    if (y > mapTop + mapHeight) break;
    ctx.fillStyle = entry.colour;
    ctx.beginPath();
    ctx.arc(legendX + unit * 0.45, y - unit * 0.3, unit * 0.4, 0, 2 * Math.PI);
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = '#111827';
    ctx.fillText(entry.label, legendX + unit * 1.2, y, maxLabel);
  }
  ctx.fillStyle = '#6b7280';
  ctx.font = `${unit * 0.75}px sans-serif`;
  ctx.fillText(options.sources, unit, canvas.height - unit * 1.2, width - unit * 2);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('Image non produite.'))), 'image/png'));
}

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
