import { describe, expect, it } from 'vitest';
import { reduceInstance, violationAmount } from '../../../src/core/solver/assignment';
import { bruteForceAssignment } from './brute-force';
import { groupComponents, piecesPerGroup, pointGraph, repairContiguity, neighboursOf, type PointGraph } from '../../../src/core/solver/contiguity';
import { solveExact } from '../../../src/core/solver/exact';
import { solveHeuristic } from '../../../src/core/solver/heuristic';
import { shareBands, type SolverInstance } from '../../../src/core/solver/instance';
import { solve } from '../../../src/core/solver/solve';
import { seededRandom } from '../../../src/core/random';

/** Rook adjacency of a w × h grid of communes, numbered row by row. */
function grid(w: number, h: number): number[][] {
  return Array.from({ length: w * h }, (_, c) => {
    const x = c % w;
    const y = Math.floor(c / w);
    return [x > 0 ? c - 1 : -1, x < w - 1 ? c + 1 : -1, y > 0 ? c - w : -1, y < h - 1 ? c + w : -1].filter((v) => v >= 0).sort((a, b) => a - b);
  });
}

const edges = (graph: PointGraph) => Array.from({ length: graph.offsets.length - 1 }, (_, v) => [...neighboursOf(graph, v)]);

/** One point per cell of a w × h grid, groups with fixed sites, costs ~ distance, bands on the count. */
function gridInstance(w: number, h: number, sites: number[], tolerance: number, seed: number): SolverInstance {
  const random = seededRandom(seed);
  const N = w * h;
  const cells = Array.from({ length: N }, (_, c) => ({ x: (c % w) + random() * 0.6, y: Math.floor(c / w) + random() * 0.6 }));
  const weights = new Float64Array(N).fill(1);
  const bands = shareBands(N, sites.map(() => 1), tolerance);
  const costs = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) costs[i * N + j] = 60 * Math.hypot(cells[i].x - cells[j].x, cells[i].y - cells[j].y);
  return {
    points: cells.map((_, c) => `P${c}`),
    attributes: ['establishments'],
    weights,
    groups: sites.map((site, g) => ({ id: `g${g}`, label: `g${g}`, lower: [bands[g].lower], upper: [bands[g].upper], site, candidates: null })),
    sites: cells.map((_, c) => `S${c}`),
    costs,
    allowed: null,
    locked: new Int32Array(N).fill(-1),
    current: new Int32Array(N).fill(-1),
    stabilityCost: 0,
    contiguity: pointGraph({ neighbours: grid(w, h) }, cells.map((_, c) => [c])),
  };
}

/** Least violation, then least cost, over every assignment whose groups are each one piece. */
function bruteForceConnected(inst: SolverInstance): { violation: number; cost: number } {
  const K = inst.groups.length;
  return bruteForceAssignment(inst, Int32Array.from(inst.groups, (g) => g.site!), (assignment) => piecesPerGroup(inst.contiguity!, assignment, K).every((p) => p <= 1));
}

describe('point graph from communes', () => {
  it('joins points through the communes without lycée, by nearest commune holding one', () => {
    // 5 × 1 strip: points in communes 0 and 4, nothing between: still neighbours.
    expect(edges(pointGraph({ neighbours: grid(5, 1) }, [[0], [4]]))).toEqual([[1], [0]]);
    // Two points in one commune are neighbours; an island joined by a link counts as a border.
    const graph = pointGraph({ neighbours: [[1], [0], []], links: [[1, 2]] }, [[0], [0], [2]]);
    expect(edges(graph)).toEqual([[1, 2], [0, 2], [0, 1]]);
    // A block holding two communes apart holds them together.
    expect(edges(pointGraph({ neighbours: grid(3, 1) }, [[0, 2], [1]]))).toEqual([[1], [0]]);
  });

  it('repairs split groups into one piece each', () => {
    const graph = pointGraph({ neighbours: grid(4, 4) }, Array.from({ length: 16 }, (_, c) => [c]));
    const random = seededRandom(3);
    for (let trial = 0; trial < 20; trial++) {
      const assignment = Int32Array.from({ length: 16 }, () => Math.floor(random() * 3));
      const stuck = repairContiguity(graph, assignment, 3, () => 1);
      expect(stuck).toEqual([]);
      for (let g = 0; g < 3; g++) expect(groupComponents(graph, assignment, g).length).toBeLessThanOrEqual(1);
    }
  });
});

describe('one-piece sectors', () => {
  const cases = [
    { w: 3, h: 3, sites: [0, 8, 2], tolerance: 0.34, seed: 1 },
    { w: 5, h: 2, sites: [0, 9], tolerance: 0.2, seed: 2 },
    { w: 4, h: 3, sites: [0, 11, 5], tolerance: 0.3, seed: 3 },
  ];
  for (const c of cases) {
    it(`heuristic and exact keep every team in one piece; exact matches brute force (${c.w}×${c.h}, seed ${c.seed})`, async () => {
      const inst = gridInstance(c.w, c.h, c.sites, c.tolerance, c.seed);
      const problem = reduceInstance(inst, Int32Array.from(c.sites));
      const reference = bruteForceConnected(inst);
      const heuristic = solveHeuristic(problem, { seed: 5, contiguity: inst.contiguity });
      expect(piecesPerGroup(inst.contiguity!, heuristic.assignment, c.sites.length).every((p) => p <= 1)).toBe(true);
      const exact = await solveExact(problem, { initial: heuristic.assignment, contiguity: inst.contiguity, timeLimitSeconds: 20, gapLimit: 0 });
      expect(exact).not.toBeNull();
      expect(piecesPerGroup(inst.contiguity!, exact!.assignment, c.sites.length).every((p) => p <= 1)).toBe(true);
      expect(violationAmount(problem, exact!.violations)).toBeCloseTo(reference.violation, 6);
      expect(exact!.cost).toBeCloseTo(reference.cost, 6);
      expect(exact!.status).toContain('d’un seul tenant');
      expect(heuristic.cost).toBeGreaterThanOrEqual(reference.cost - 1e-6);
    });
  }

  it('reports pieces and what the rule costs; same seed, same result', async () => {
    const inst = gridInstance(6, 4, [0, 23, 5, 18], 0.15, 9);
    const first = await solve(inst, { seed: 4, method: 'heuristic' });
    const again = await solve(inst, { seed: 4, method: 'heuristic' });
    expect(Array.from(again.group)).toEqual(Array.from(first.group));
    expect(first.contiguity?.pieces).toEqual([1, 1, 1, 1]);
    expect(first.evaluation.objective).toBeGreaterThanOrEqual(first.contiguity!.unconstrainedObjective - 1e-6);
    const free = await solve({ ...inst, contiguity: null }, { seed: 4, method: 'heuristic' });
    expect(free.contiguity).toBeNull();
  });
});
