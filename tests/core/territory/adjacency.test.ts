import { describe, expect, it } from 'vitest';
import type { Polygon, Position } from 'geojson';
import { chainSegments, computeAdjacency } from '../../../src/core/territory/adjacency';
import { dissolve, pointInAreal, signedArea, type Areal } from '../../../src/core/territory/topology';
import { distanceToAreal, labelPoint, PolygonIndex } from '../../../src/core/territory/locate';

/** Unit square with its lower-left corner at (x, y), in hundredths of a degree, clockwise on purpose. */
function square(x: number, y: number, size = 1): Polygon {
  const s = 0.01;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x * s, y * s],
        [x * s, (y + size) * s],
        [(x + size) * s, (y + size) * s],
        [(x + size) * s, y * s],
        [x * s, y * s],
      ],
    ],
  };
}

/** rows × cols grid, index = row * cols + col. */
function grid(rows: number, cols: number): Polygon[] {
  const cells: Polygon[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) cells.push(square(c, r));
  return cells;
}

function area(geometry: Areal): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.reduce((sum, p) => sum + signedArea(p[0]) / 2 + p.slice(1).reduce((h, ring) => h + signedArea(ring) / 2, 0), 0);
}

describe('commune adjacency', () => {
  it('pairs cells sharing a side, not those touching at a corner', () => {
    const { neighbours, links, borders } = computeAdjacency(grid(3, 3));
    expect(neighbours[4]).toEqual([1, 3, 5, 7]);
    expect(neighbours[0]).toEqual([1, 3]);
    expect(links).toEqual([]);
    expect(borders).toHaveLength(12);
    for (const [i, list] of neighbours.entries()) for (const j of list) expect(neighbours[j]).toContain(i);
  });

  it('returns each shared border as a line between the two cells', () => {
    const cells = [square(0, 0), square(1, 0, 2)];
    // The big square's left side has a vertex where the small one ends: add it so both share it.
    (cells[1].coordinates[0] as Position[]).splice(1, 0, [0.01, 0.01]);
    const { borders } = computeAdjacency(cells);
    expect(borders).toHaveLength(1);
    expect(borders[0]).toMatchObject({ a: 0, b: 1 });
    expect(borders[0].geometry.type).toBe('LineString');
    const ends = (borders[0].geometry.coordinates as Position[]).map((p) => p.join(',')).sort();
    expect(ends).toEqual(['0.01,0', '0.01,0.01']);
  });

  it('links islands to their nearest cell so the graph is connected', () => {
    const cells = [...grid(2, 2), square(10, 0), square(10, 5), square(11, 5)];
    const { neighbours, links } = computeAdjacency(cells);
    expect(neighbours[4]).toEqual([]);
    expect(neighbours[5]).toEqual([6]);
    expect(links).toHaveLength(2);
    // Reachability through borders and links.
    const edges = new Map<number, number[]>(cells.map((_, i) => [i, [...neighbours[i]]]));
    for (const [a, b] of links) {
      edges.get(a)?.push(b);
      edges.get(b)?.push(a);
    }
    const seen = new Set([0]);
    const stack = [0];
    while (stack.length > 0)
      for (const j of edges.get(stack.pop() as number) ?? [])
        if (!seen.has(j)) {
          seen.add(j);
          stack.push(j);
        }
    expect(seen.size).toBe(cells.length);
    // The lone island (10,0) is closest to cell 1 (its right side at x = 2).
    expect(links).toContainEqual([1, 4]);
  });

  it('chains segments into lines, open ones from their ends', () => {
    expect(chainSegments([1, 2, 3, 2, 3, 4])).toEqual([[1, 2, 3, 4]]);
    expect(chainSegments([1, 2, 2, 3, 3, 1])).toHaveLength(1);
  });
});

describe('dissolve by shared segments', () => {
  it('merges a 2×2 block into one exterior, counter-clockwise', () => {
    const merged = dissolve(grid(2, 2)) as Polygon;
    expect(merged.type).toBe('Polygon');
    expect(merged.coordinates).toHaveLength(1);
    expect(signedArea(merged.coordinates[0])).toBeGreaterThan(0);
    expect(area(merged)).toBeCloseTo(4e-4, 10);
  });

  it('keeps a hole and separate parts', () => {
    const ring = grid(3, 3).filter((_, i) => i !== 4);
    const holed = dissolve(ring) as Polygon;
    expect(holed.coordinates).toHaveLength(2);
    expect(area(holed)).toBeCloseTo(8e-4, 10);
    expect(pointInAreal(0.015, 0.015, holed)).toBe(false);
    expect(pointInAreal(0.005, 0.005, holed)).toBe(true);
    const parts = dissolve([square(0, 0), square(5, 5)]);
    expect(parts?.type).toBe('MultiPolygon');
  });

  it('returns a single polygon unchanged', () => {
    const one = square(0, 0);
    expect(dissolve([one])).toBe(one);
  });
});

describe('locating points', () => {
  const cells = grid(3, 3);
  const index = new PolygonIndex(cells, 0.015);

  it('finds the cell under a point, or none', () => {
    expect(index.find(0.025, 0.015)).toBe(5);
    expect(index.find(0.5, 0.5)).toBe(-1);
  });

  it('gives the nearest cell among candidates, with its distance', () => {
    const hit = index.nearest(0.035, 0.005, [0, 1, 2]);
    expect(hit?.index).toBe(2);
    expect(hit?.km).toBeCloseTo(0.005 * 111.195, 2);
    expect(distanceToAreal(0.005, 0.005, cells[0])).toBe(0);
  });

  it('puts a label point inside an L-shaped area', () => {
    const l = dissolve([square(0, 0), square(1, 0), square(2, 0), square(0, 1), square(0, 2)]) as Areal;
    const [x, y] = labelPoint(l, 1e-5);
    expect(pointInAreal(x, y, l)).toBe(true);
  });
});
