import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import { communeGraph, communeMeasures, graphFromAdjacencyAlone, placePoints, type CommuneGraph } from '../../../src/core/territory/graph';
import { computeTerritory, territoryContext, updateTerritory, type Territory, type TerritoryContext } from '../../../src/core/territory/model';
import { seededRandom } from '../../../src/core/random';

/** A w × h grid of square communes (0.1° a side), row by row; code `r{row}c{col}`. */
function grid(w: number, h: number): FeatureCollection<Polygon> {
  const features = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const [x, y] = [2 + c * 0.1, 48 + r * 0.1];
      features.push({
        type: 'Feature' as const,
        properties: { code: `r${r}c${c}`, nom: `R${r}C${c}` },
        geometry: { type: 'Polygon' as const, coordinates: [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]] },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

const cell = (w: number, r: number, c: number) => r * w + c;

/** Lycées at the centre of grid cells: uai → [row, col]. */
function context(w: number, h: number, lycees: Record<string, [number, number]>, graphOverride?: (g: CommuneGraph) => CommuneGraph): TerritoryContext {
  const communes = grid(w, h);
  let graph = communeGraph(communes);
  if (graphOverride) graph = graphOverride(graph);
  const points = Object.entries(lycees).map(([uai, [r, c]]) => ({ uai, lon: 2 + c * 0.1 + 0.05, lat: 48 + r * 0.1 + 0.05 }));
  return territoryContext(graph, placePoints(graph, communes, points), points);
}

function picture(t: Territory, w: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < t.owner.length; i += w) rows.push(t.owner.slice(i, i + w).map((o, k) => (t.split.has(i + k) ? '*' : (o ?? '.'))).join(''));
  return rows.reverse();
}

describe('commune graph', () => {
  it('finds rook neighbours on a grid from shared borders (corners do not count)', () => {
    const graph = communeGraph(grid(3, 3));
    expect(graph.neighbours[cell(3, 1, 1)]).toEqual([1, 3, 5, 7]);
    expect(graph.neighbours[0]).toEqual([1, 3]);
    expect(graph.areaKm2[0]).toBeGreaterThan(70);
    expect(graph.areaKm2[0]).toBeLessThan(85);
  });

  it('uses an adjacency file matching the communes and keeps island links apart', () => {
    const communes = grid(3, 1);
    const graph = communeGraph(communes, { codes: ['r0c0', 'r0c1', 'r0c2'], neighbours: [[1], [0], []], links: [[1, 2]] });
    expect(graph.neighbours).toEqual([[1], [0], []]);
    expect(graph.links).toEqual([[1, 2]]);
    expect(graph.reach[2]).toEqual([1]);
    const other = communeGraph(communes, { codes: ['x', 'y', 'z'], neighbours: [[], [], []], links: [] });
    expect(other.neighbours).toEqual([[1], [0, 2], [1]]);
  });

  it('builds the same graph and territory from adjacency.json alone as from the polygons', () => {
    const communes = grid(4, 3);
    const fromPolygons = communeGraph(communes);
    const adjacency = { codes: fromPolygons.codes, neighbours: fromPolygons.neighbours, links: fromPolygons.links, ...communeMeasures(communes.features) };
    expect(graphFromAdjacencyAlone(adjacency)).toBe(true);
    expect(graphFromAdjacencyAlone({ codes: adjacency.codes, neighbours: adjacency.neighbours, links: [] })).toBe(false);
    const alone = communeGraph(null, adjacency);
    expect(alone).toEqual(communeGraph(communes, adjacency));
    expect(alone.codes).toEqual(fromPolygons.codes);
    alone.centroids.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(fromPolygons.centroids[i][0], 5);
      expect(y).toBeCloseTo(fromPolygons.centroids[i][1], 5);
    });
    // Without polygons a lycée takes its commune code, or else the nearest centroid.
    const points = [
      { uai: 'A', lon: 2.35, lat: 48.25, communeCode: 'r2c3' },
      { uai: 'B', lon: 2.16, lat: 48.14 },
    ];
    expect([...placePoints(alone, null, points)]).toEqual([
      ['A', cell(4, 2, 3)],
      ['B', cell(4, 1, 1)],
    ]);
    const territory = (graph: CommuneGraph, placed: Map<string, number>) => computeTerritory(territoryContext(graph, placed, points), { A: 'a', B: 'b' }).owner;
    expect(territory(alone, placePoints(alone, null, points))).toEqual(territory(fromPolygons, placePoints(fromPolygons, communes, points)));
    // A lycée far from every commune (overseas, in France entière) gets none rather than the nearest.
    const overseas = [{ uai: 'R', lon: 55.45, lat: -20.9, communeCode: '97411' }];
    expect(placePoints(alone, null, overseas).size).toBe(0);
    expect(placePoints(fromPolygons, communes, overseas).size).toBe(0);
  });
});

describe('territory model', () => {
  it('gives each commune the team of its lycées and grows lycée-free communes along borders', () => {
    const ctx = context(6, 1, { A1: [0, 0], B1: [0, 5] });
    const t = computeTerritory(ctx, { A1: 'A', B1: 'B' });
    expect(picture(t, 6)).toEqual(['AAABBB']);
    expect(t.teams.get('A')).toMatchObject({ pieces: 1, enclaves: 0, communes: 3 });
  });

  it('reaches by adjacency, not straight-line distance', () => {
    // One row; no border between communes 1 and 2 (an estuary): commune 2 is nearer A's lycée
    // as the crow flies, but only B reaches it by land.
    const estuary = (g: CommuneGraph): CommuneGraph => {
      const neighbours = [[1], [0], [3], [2, 4], [3]];
      return { ...g, neighbours, links: [], reach: neighbours };
    };
    const t = computeTerritory(context(5, 1, { A1: [0, 1], B1: [0, 4] }, estuary), { A1: 'A', B1: 'B' });
    expect(picture(t, 5)).toEqual(['AABBB']);
  });

  it('splits a commune holding lycées of several teams and counts it for both', () => {
    const ctx = context(3, 1, { A1: [0, 0], A2: [0, 1], B1: [0, 1], B2: [0, 2] });
    const t = computeTerritory(ctx, { A1: 'A', A2: 'A', B1: 'B', B2: 'B' });
    expect(t.split.get(1)).toEqual(['A', 'B']);
    expect(t.teams.get('A')!.communes).toBe(2);
    expect(t.teams.get('B')!.communes).toBe(2);
    const total = t.teams.get('A')!.areaKm2 + t.teams.get('B')!.areaKm2;
    const regionArea = ctx.graph.areaKm2.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(regionArea, 6);
  });

  it('counts pieces and enclaves on a hand-made grid', () => {
    // A owns the ring, B the centre: B is one piece, not an enclave (its only piece).
    // A second A lycée inside a B block makes an A enclave.
    //   row 4: A A A A A
    //   row 3: A B B B A
    //   row 2: A B B B A      (A2 at row 2 col 2: an A island inside B)
    //   row 1: A B B B A
    //   row 0: A A A A A
    const lycees: Record<string, [number, number]> = {};
    const assignment: Record<string, string> = {};
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) {
      const uai = `L${r}${c}`;
      lycees[uai] = [r, c];
      assignment[uai] = r === 0 || r === 4 || c === 0 || c === 4 ? 'A' : 'B';
    }
    assignment.L22 = 'A';
    const t = computeTerritory(context(5, 5, lycees), assignment);
    expect(t.teams.get('A')).toMatchObject({ pieces: 2, enclaves: 1, communes: 17 });
    expect(t.teams.get('B')).toMatchObject({ pieces: 1, enclaves: 0, communes: 8 });
    // The label sits in A's largest piece (the ring), not in the enclave.
    const label = t.teams.get('A')!.label!;
    expect(Math.abs(label[0] - 2.25) > 0.06 || Math.abs(label[1] - 48.25) > 0.06).toBe(true);
  });

  it('counts an island joined by a link as part of its team, and apart without the link', () => {
    const lycees: Record<string, [number, number]> = { A1: [0, 0], A2: [0, 2] };
    const cut = (links: [number, number][]) => (g: CommuneGraph): CommuneGraph => {
      const neighbours = [[], [], []] as number[][];
      neighbours[0] = [1];
      neighbours[1] = [0];
      const reach = neighbours.map((l) => [...l]);
      for (const [a, b] of links) {
        reach[a].push(b);
        reach[b].push(a);
      }
      return { ...g, neighbours, links, reach };
    };
    const linked = computeTerritory(context(3, 1, lycees, cut([[1, 2]])), { A1: 'A', A2: 'A' });
    expect(linked.teams.get('A')!.pieces).toBe(1);
    const apart = computeTerritory(context(3, 1, lycees, cut([])), { A1: 'A', A2: 'A' });
    expect(apart.teams.get('A')!.pieces).toBe(2);
  });

  it('gives a commune the graph cannot reach to the team of the nearest lycée', () => {
    const lycees: Record<string, [number, number]> = { A1: [0, 0], B1: [0, 3] };
    const isolated = (g: CommuneGraph): CommuneGraph => {
      const neighbours = [[1], [0], [3], [2]];
      return { ...g, neighbours, links: [], reach: neighbours };
    };
    const t = computeTerritory(context(4, 1, lycees, isolated), { A1: 'A', B1: 'B' });
    expect(t.owner).toEqual(['A', 'A', 'B', 'B']);
  });

  it('has no owner anywhere when nothing is assigned', () => {
    const t = computeTerritory(context(3, 3, { A1: [0, 0] }), {});
    expect(t.owner.every((o) => o === null)).toBe(true);
    expect(t.teams.size).toBe(0);
  });

  it('incremental update equals a full recompute over a seeded edit sequence', () => {
    const w = 12;
    const h = 10;
    const random = seededRandom(20261125);
    const lycees: Record<string, [number, number]> = {};
    for (let i = 0; i < 60; i++) lycees[`U${i}`] = [Math.floor(random() * h), Math.floor(random() * w)];
    const ctx = context(w, h, lycees);
    const teams = ['T1', 'T2', 'T3', 'T4', 'T5'];
    let assignment: Record<string, string> = {};
    for (const uai of Object.keys(lycees)) if (random() < 0.8) assignment[uai] = teams[Math.floor(random() * teams.length)];
    let territory = computeTerritory(ctx, assignment);
    const uais = Object.keys(lycees);
    for (let step = 0; step < 200; step++) {
      const next = { ...assignment };
      const edits = 1 + Math.floor(random() * 4);
      for (let k = 0; k < edits; k++) {
        const uai = uais[Math.floor(random() * uais.length)];
        if (random() < 0.15) delete next[uai];
        else next[uai] = teams[Math.floor(random() * teams.length)];
      }
      const update = updateTerritory(territory, ctx, next);
      const full = computeTerritory(ctx, next);
      expect(update.territory.owner, `step ${step}`).toEqual(full.owner);
      expect([...update.territory.split].sort(), `step ${step}`).toEqual([...full.split].sort());
      const sorted = (t: Territory) => [...t.teams.values()].sort((a, b) => a.teamId.localeCompare(b.teamId));
      expect(sorted(update.territory), `step ${step}`).toEqual(sorted(full));
      const changed = new Set(update.changed);
      for (let c = 0; c < full.owner.length; c++) if (territory.owner[c] !== full.owner[c]) expect(changed.has(c), `step ${step} commune ${c}`).toBe(true);
      territory = update.territory;
      assignment = next;
    }
  });
});
