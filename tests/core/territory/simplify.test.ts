import { describe, expect, it } from 'vitest';
import type { Polygon, Position } from 'geojson';
import { computeAdjacency } from '../../../src/core/territory/adjacency';
import { simplifyTiling } from '../../../src/core/territory/simplify';
import { dissolve, polygonsOf, signedArea, type Areal } from '../../../src/core/territory/topology';
import { seededRandom } from '../../../src/core/random';

const STEP = 0.01;

/**
 * rows × cols cells of a grid whose interior lines wiggle (seeded noise on many intermediate
 * vertices, the same for both sides of a line), like commune borders traced by a survey.
 */
function wigglyGrid(rows: number, cols: number, seed: number, detail = 12, amplitude = 0.0006): Polygon[] {
  const random = seededRandom(seed);
  const offset = new Map<string, number>();
  const noise = (key: string, onEdge: boolean) => {
    if (onEdge) return 0;
    let value = offset.get(key);
    if (value === undefined) offset.set(key, (value = (random() - 0.5) * 2 * amplitude));
    return value;
  };
  /** Points from corner (x0, y0) to (x1, y1) of a grid line, noise across the line. */
  const line = (x0: number, y0: number, x1: number, y1: number): Position[] => {
    const horizontal = y0 === y1;
    const onEdge = horizontal ? y0 === 0 || y0 === rows : x0 === 0 || x0 === cols;
    const points: Position[] = [];
    for (let k = 0; k < detail; k++) {
      const t = k / detail;
      const x = x0 + (x1 - x0) * t;
      const y = y0 + (y1 - y0) * t;
      // Keyed by the absolute position, so the neighbour walking the other way gets the same vertex.
      const key = `${Math.round(x * detail)}:${Math.round(y * detail)}:${horizontal ? 'h' : 'v'}`;
      const n = k === 0 ? 0 : noise(key, onEdge);
      points.push(horizontal ? [x * STEP, y * STEP + n] : [x * STEP + n, y * STEP]);
    }
    return points;
  };
  const cells: Polygon[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const ring = [...line(c, r, c + 1, r), ...line(c + 1, r, c + 1, r + 1), ...line(c + 1, r + 1, c, r + 1), ...line(c, r + 1, c, r)];
      cells.push({ type: 'Polygon', coordinates: [[...ring, ring[0]]] });
    }
  return cells;
}

const vertexCount = (geometries: (Areal | null)[]) => geometries.reduce((sum, g) => sum + (g ? polygonsOf(g).flat().reduce((n, ring) => n + ring.length, 0) : 0), 0);
const area = (g: Areal) => polygonsOf(g).reduce((sum, polygon) => sum + polygon.reduce((s, ring, i) => s + (i === 0 ? 1 : -1) * Math.abs(signedArea(ring)), 0), 0) / 2;

describe('simplifyTiling', () => {
  const cells = wigglyGrid(4, 5, 7);

  it('drops most vertices yet keeps the same neighbours', () => {
    const simplified = simplifyTiling(cells, 0.2);
    expect(vertexCount(simplified)).toBeLessThan(vertexCount(cells) / 3);
    expect(computeAdjacency(simplified).neighbours).toEqual(computeAdjacency(cells).neighbours);
  });

  it('leaves no sliver: the simplified cells still dissolve into one hole-free polygon', () => {
    const simplified = simplifyTiling(cells, 0.2) as Areal[];
    const whole = dissolve(simplified);
    expect(whole?.type).toBe('Polygon');
    expect((whole as Polygon).coordinates).toHaveLength(1);
    const total = simplified.reduce((sum, g) => sum + area(g), 0);
    expect(area(whole!)).toBeCloseTo(total, 10);
  });

  it('keeps every dropped vertex within the tolerance of the simplified outline', () => {
    const tolerance = 0.2;
    const simplified = simplifyTiling(cells, tolerance) as Polygon[];
    // The cells sit at the equator: 1° ≈ 111 km both ways.
    const km = (p: Position) => [p[0] * 111.32, p[1] * 110.57];
    const distance = (p: Position, a: Position, b: Position) => {
      const [x, y] = km(p);
      const [ax, ay] = km(a);
      const [bx, by] = km(b);
      const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
      return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay));
    };
    cells.forEach((cell, i) => {
      const ring = simplified[i].coordinates[0];
      for (const p of cell.coordinates[0]) {
        const nearest = Math.min(...ring.slice(1).map((b, k) => distance(p, ring[k], b)));
        expect(nearest).toBeLessThanOrEqual(tolerance + 1e-9);
      }
    });
  });

  it('keeps an enclave and the hole around it identical', () => {
    const outer: Position[] = [
      [0, 0],
      [0.1, 0],
      [0.1, 0.1],
      [0, 0.1],
      [0, 0],
    ];
    const random = seededRandom(3);
    const loop: Position[] = Array.from({ length: 40 }, (_, k) => {
      const angle = (2 * Math.PI * k) / 40;
      const radius = 0.02 + random() * 0.0005;
      return [0.05 + radius * Math.cos(angle), 0.05 + radius * Math.sin(angle)];
    });
    const ring = [...loop, loop[0]];
    const enclave: Polygon = { type: 'Polygon', coordinates: [ring] };
    const around: Polygon = { type: 'Polygon', coordinates: [outer, [...ring].reverse()] };
    const [a, b] = simplifyTiling([around, enclave], 0.3) as Polygon[];
    const hole = a.coordinates[1].map((p) => p.join()).sort();
    const island = b.coordinates[0].map((p) => p.join()).sort();
    expect(hole).toEqual(island);
    expect(island.length).toBeLessThan(ring.length);
    expect(island.length).toBeGreaterThanOrEqual(4);
  });
});
