/**
 * Finding the polygon under a point (a grid of bounding boxes, then an exact ring test), the nearest
 * polygon when none contains it, and a label point well inside a polygon (pole of inaccessibility).
 */
import type { Position } from 'geojson';
import { boxOfAreal, pointInAreal, pointInRing, polygonsOf, signedArea, type Areal } from './topology.ts';

export class PolygonIndex {
  private readonly cells = new Map<number, number[]>();
  private readonly boxes: number[][];
  private readonly cellSize: number;

  constructor(
    private readonly geometries: Areal[],
    cellSize = 0.05,
  ) {
    this.cellSize = cellSize;
    this.boxes = geometries.map(boxOfAreal);
    this.boxes.forEach((box, i) => {
      for (let cx = this.cell(box[0]); cx <= this.cell(box[2]); cx++)
        for (let cy = this.cell(box[1]); cy <= this.cell(box[3]); cy++) {
          const key = this.key(cx, cy);
          const list = this.cells.get(key);
          if (list) list.push(i);
          else this.cells.set(key, [i]);
        }
    });
  }

  private cell(v: number): number {
    return Math.floor(v / this.cellSize);
  }

  private key(cx: number, cy: number): number {
    return (cx + 10_000) * 20_000 + (cy + 10_000);
  }

  /** Index of the polygon containing (lon, lat), or -1. */
  find(lon: number, lat: number): number {
    for (const i of this.cells.get(this.key(this.cell(lon), this.cell(lat))) ?? []) {
      const b = this.boxes[i];
      if (lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3] && pointInAreal(lon, lat, this.geometries[i])) return i;
    }
    return -1;
  }

  /** Closest polygon among `candidates` (distance to its outline, in km), or null. */
  nearest(lon: number, lat: number, candidates: Iterable<number>): { index: number; km: number } | null {
    let best: { index: number; km: number } | null = null;
    for (const i of candidates) {
      const km = distanceToAreal(lon, lat, this.geometries[i]);
      if (!best || km < best.km) best = { index: i, km };
    }
    return best;
  }
}

const KM_PER_DEGREE = 111.195;

/** Distance in km from a point to a polygon's outline (0 inside), equirectangular near the point. */
export function distanceToAreal(lon: number, lat: number, geometry: Areal): number {
  if (pointInAreal(lon, lat, geometry)) return 0;
  const k = Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (const polygon of polygonsOf(geometry))
    for (const ring of polygon) best = Math.min(best, segmentDistance(lon * k, lat, ring, k));
  return Math.sqrt(best) * KM_PER_DEGREE;
}

/** Squared distance from (x, y) (x already scaled by k) to a ring. */
function segmentDistance(x: number, y: number, ring: Position[], k: number): number {
  let best = Infinity;
  for (let i = 1; i < ring.length; i++) {
    const ax = ring[i - 1][0] * k;
    const ay = ring[i - 1][1];
    const dx = ring[i][0] * k - ax;
    const dy = ring[i][1] - ay;
    const len = dx * dx + dy * dy;
    const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len));
    const ex = ax + t * dx - x;
    const ey = ay + t * dy - y;
    best = Math.min(best, ex * ex + ey * ey);
  }
  return best;
}

/**
 * Pole of inaccessibility of the largest part (the point farthest from the outline, to `precision`
 * degrees): a label there never falls outside a crescent-shaped or coastal commune.
 */
export function labelPoint(geometry: Areal, precision = 0.001): Position {
  const polygon = polygonsOf(geometry).reduce((a, b) => (Math.abs(signedArea(b[0])) > Math.abs(signedArea(a[0])) ? b : a));
  const [minX, minY, maxX, maxY] = boxOfAreal({ type: 'Polygon', coordinates: polygon });
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  // Signed distance in degrees of latitude (positive inside).
  const distance = (x: number, y: number) => {
    let d = Infinity;
    for (const ring of polygon) d = Math.min(d, segmentDistance(x * k, y, ring, k));
    const inside = pointInRing(x, y, polygon[0]) && !polygon.slice(1).some((h) => pointInRing(x, y, h));
    return (inside ? 1 : -1) * Math.sqrt(d);
  };
  interface Cell {
    x: number;
    y: number;
    h: number;
    d: number;
    max: number;
  }
  const makeCell = (x: number, y: number, h: number): Cell => {
    const d = distance(x, y);
    return { x, y, h, d, max: d + h * Math.SQRT2 };
  };
  const size = Math.min(maxX - minX, maxY - minY);
  const first = makeCell((minX + maxX) / 2, (minY + maxY) / 2, 0);
  if (size === 0) return [first.x, first.y];
  let best = first;
  const queue: Cell[] = [];
  const h = size / 2;
  for (let x = minX; x < maxX; x += size) for (let y = minY; y < maxY; y += size) queue.push(makeCell(x + h, y + h, h));
  while (queue.length > 0) {
    let top = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i].max > queue[top].max) top = i;
    const cell = queue[top];
    queue[top] = queue[queue.length - 1];
    queue.pop();
    if (cell.d > best.d) best = cell;
    if (cell.max - best.d <= precision) continue;
    const q = cell.h / 2;
    queue.push(makeCell(cell.x - q, cell.y - q, q), makeCell(cell.x + q, cell.y - q, q), makeCell(cell.x - q, cell.y + q, q), makeCell(cell.x + q, cell.y + q, q));
  }
  return [Math.round(best.x * 1e5) / 1e5, Math.round(best.y * 1e5) / 1e5];
}
