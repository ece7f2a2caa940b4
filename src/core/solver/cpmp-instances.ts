/**
 * Seeded capacitated p-median instances of the Osman–Christofides kind (OR-Library « pmedcap »):
 * points uniform on a 100 × 100 square (integer coordinates), demands 1–20, p facilities of equal
 * capacity chosen among the points, Euclidean cost. The capacity leaves only `slack` above the total
 * demand: that is what makes these instances hard for location–allocation. Used by the benchmark
 * (`npm run bench:cpmp`) and the tests; same seed, same instance.
 */
import { seededRandom } from '../random.ts';
import type { SolverInstance } from './instance.ts';

export interface CpmpSpec {
  points: number;
  p: number;
  /** Total capacity / total demand − 1 (e.g. 0.05). */
  slack: number;
  seed: number;
}

export const cpmpName = (spec: CpmpSpec): string => `n${spec.points}-p${spec.p}-s${spec.seed}-${Math.round(spec.slack * 100)}pc`;

/** The points and demands depend on (points, seed) only: the same points serve every p. */
function pointsOf(spec: CpmpSpec): { xy: number[][]; demand: number[] } {
  const random = seededRandom(spec.seed * 7919 + spec.points);
  const xy = Array.from({ length: spec.points }, () => [Math.round(random() * 100), Math.round(random() * 100)]);
  const demand = Array.from({ length: spec.points }, () => 1 + Math.floor(random() * 20));
  return { xy, demand };
}

export function cpmpInstance(spec: CpmpSpec): SolverInstance {
  const { xy, demand } = pointsOf(spec);
  const total = demand.reduce((a, b) => a + b, 0);
  const capacity = Math.ceil((total / spec.p) * (1 + spec.slack));
  const N = spec.points;
  const costs = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) costs[i * N + j] = Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
  return {
    points: xy.map((_, i) => String(i + 1)),
    attributes: ['demand'],
    weights: Float64Array.from(demand),
    groups: Array.from({ length: spec.p }, (_, g) => ({ id: `F${g + 1}`, label: `F${g + 1}`, lower: [-Infinity], upper: [capacity], site: null, candidates: null })),
    sites: xy.map((_, i) => String(i + 1)),
    costs,
    allowed: null,
    locked: new Int32Array(N).fill(-1),
    current: new Int32Array(N).fill(-1),
    stabilityCost: 0,
  };
}

/**
 * The benchmark set: 50 and 100 points with p = 5 and 10 (5 % slack), then the same 100 points
 * with p = 12–40 (capacity per facility down to a couple of points' demand).
 */
export function cpmpBenchmarkSet(): CpmpSpec[] {
  const specs: CpmpSpec[] = [];
  for (let seed = 1; seed <= 5; seed++) specs.push({ points: 50, p: 5, slack: 0.05, seed });
  for (let seed = 1; seed <= 5; seed++) specs.push({ points: 100, p: 10, slack: 0.05, seed });
  for (let seed = 1; seed <= 2; seed++) for (const p of [12, 20, 30, 40]) specs.push({ points: 100, p, slack: 0.05, seed });
  return specs;
}

/** The same instance in the documented JSON format of `npm run solve` (README, « Instances génériques »). */
export function cpmpJson(spec: CpmpSpec, timeLimitSeconds?: number): unknown {
  const inst = cpmpInstance(spec);
  const { xy } = pointsOf(spec);
  return {
    format: 'maillage-instance',
    version: 1,
    name: cpmpName(spec),
    coordinates: 'planar',
    attributes: ['demand'],
    cost: { type: 'euclidean' },
    p: spec.p,
    bounds: { demand: { max: inst.groups[0].upper[0] } },
    points: xy.map(([x, y], i) => ({ id: String(i + 1), x, y, values: { demand: inst.weights[i] } })),
    options: { seed: 1, ...(timeLimitSeconds ? { timeLimitSeconds } : {}) },
  };
}
