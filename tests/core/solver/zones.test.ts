import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/random';
import { solveZones, type ZoneProblem } from '../../../src/core/solver/zones';

function randomZoneProblem(seed: number, size: number): ZoneProblem {
  const random = seededRandom(seed);
  const xy = Array.from({ length: size }, () => [random() * 100, random() * 100]);
  const costs = new Float64Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) costs[i * size + j] = Math.round(Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]) * 60);
  return { size, costs, min: 3, max: 5 };
}

/** Every partition into blocks of min–max points, each block costed at its best centre. */
function bruteForceZones(problem: ZoneProblem): number {
  const p = problem.size;
  const blockCost = (members: number[]) => Math.min(...members.map((c) => members.reduce((sum, i) => sum + problem.costs[i * p + c], 0)));
  let best = Infinity;
  const blocks: number[][] = [];
  const visit = (i: number, cost: number) => {
    if (cost >= best) return;
    if (i === p) {
      if (blocks.every((b) => b.length >= problem.min && b.length <= problem.max)) best = Math.min(best, blocks.reduce((sum, b) => sum + blockCost(b), 0));
      return;
    }
    for (const block of blocks) {
      if (block.length >= problem.max) continue;
      block.push(i);
      visit(i + 1, cost);
      block.pop();
    }
    blocks.push([i]);
    visit(i + 1, cost);
    blocks.pop();
  };
  visit(0, 0);
  return best;
}

describe('continuity zones', () => {
  for (const [seed, size] of [
    [1, 7],
    [2, 9],
    [3, 10],
    [4, 11],
  ]) {
    it(`exact zones match brute force (seed ${seed}, ${size} lycées)`, async () => {
      const problem = randomZoneProblem(seed, size);
      const solution = await solveZones(problem, { seed: 1 });
      expect(solution.method).toBe('exact');
      expect(solution.cost).toBeCloseTo(bruteForceZones(problem), 6);
      expect(solution.zones.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i));
      for (const zone of solution.zones) expect(zone.length).toBeGreaterThanOrEqual(3);
      for (const zone of solution.zones) expect(zone.length).toBeLessThanOrEqual(5);
    });
  }

  it('the heuristic keeps sizes in range and is never better than the exact optimum', async () => {
    for (const seed of [5, 6, 7]) {
      const problem = randomZoneProblem(seed, 30);
      const exact = await solveZones(problem, { seed: 1 });
      const heuristic = await solveZones(problem, { seed: 1, exactLimit: 0 });
      expect(heuristic.method).toBe('heuristic');
      for (const zone of heuristic.zones) expect(zone.length >= 3 && zone.length <= 5).toBe(true);
      expect(heuristic.zones.flat()).toHaveLength(30);
      expect(heuristic.cost).toBeGreaterThanOrEqual(exact.cost - 1e-6);
    }
  });

  it('too few lycées make one zone flagged as such, not a crash', async () => {
    const solution = await solveZones(randomZoneProblem(8, 2), {});
    expect(solution.zones).toEqual([[expect.any(Number), expect.any(Number)]]);
    expect(solution.status).toBe('trop peu de lycées');
    expect((await solveZones(randomZoneProblem(8, 0), {})).zones).toEqual([]);
  });
});
