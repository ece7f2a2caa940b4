/**
 * Seeded capacitated p-median instances of the Osman–Christofides kind (OR-Library « pmedcap »):
 * points uniform on a 100 × 100 square (integer coordinates), demands 1–20, p facilities of equal
 * capacity chosen among the points, Euclidean cost. Two kinds: the capacity leaves only `slack` above
 * the total demand (tight: what makes these instances hard for location–allocation), or it is the
 * OR-Library's own (`capacity: 120`, about 14 % of slack for n = 50, p = 5 and n = 100, p = 10) with
 * the distances truncated to integers as there. Used by the benchmark (`npm run bench:cpmp`) and the
 * tests; same seed, same instance.
 */
import { seededRandom } from '../random.ts';
import type { SolverInstance } from './instance.ts';

export interface CpmpSpec {
  points: number;
  p: number;
  /** Total capacity / total demand − 1 (e.g. 0.05), unless `capacity` is given. */
  slack: number;
  seed: number;
  /** Capacity of every facility, as in the OR-Library (120); the distances are then truncated to integers, as there. */
  capacity?: number;
}

export const cpmpName = (spec: CpmpSpec): string => `n${spec.points}-p${spec.p}-s${spec.seed}-${spec.capacity !== undefined ? `c${spec.capacity}` : `${Math.round(spec.slack * 100)}pc`}`;

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
  const capacity = spec.capacity ?? Math.ceil((total / spec.p) * (1 + spec.slack));
  const N = spec.points;
  const costs = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const d = Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
      costs[i * N + j] = spec.capacity !== undefined ? Math.floor(d + 1e-9) : d;
    }
  }
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
 * The benchmark set: 10 instances at the OR-Library's proportions for each of n = 50, p = 5 and
 * n = 100, p = 10 (capacity 120); then the tight ones: 50 and 100 points with p = 5 and 10 (5 %
 * slack), and the same 100 points with p = 12–40 (capacity per facility down to a couple of points'
 * demand).
 */
export function cpmpBenchmarkSet(): CpmpSpec[] {
  const specs: CpmpSpec[] = [];
  for (const [points, p] of [
    [50, 5],
    [100, 10],
  ]) {
    // The OR-Library's 20 problems leave 12 to 22 % of capacity above the demand: seeds that leave less are skipped.
    for (let seed = 1, taken = 0; taken < 10; seed++) {
      const total = pointsOf({ points, p, slack: 0, seed }).demand.reduce((a, b) => a + b, 0);
      if (p * 120 >= total * 1.1) {
        specs.push({ points, p, slack: 0, seed, capacity: 120 });
        taken++;
      }
    }
  }
  for (let seed = 1; seed <= 5; seed++) specs.push({ points: 50, p: 5, slack: 0.05, seed });
  for (let seed = 1; seed <= 5; seed++) specs.push({ points: 100, p: 10, slack: 0.05, seed });
  for (let seed = 1; seed <= 2; seed++) for (const p of [12, 20, 30, 40]) specs.push({ points: 100, p, slack: 0.05, seed });
  return specs;
}

/** The same instance in the OR-Library text format that `npm run solve` reads (see orlib.ts). */
export function cpmpOrLib(spec: CpmpSpec, number: number, bestKnown: number): string {
  const inst = cpmpInstance(spec);
  const { xy } = pointsOf(spec);
  const lines = [` ${number} ${Math.round(bestKnown)}`, ` ${spec.points} ${spec.p} ${inst.groups[0].upper[0]}`, ...xy.map(([x, y], i) => ` ${i + 1} ${x} ${y} ${inst.weights[i]}`)];
  return `${lines.join('\n')}\n`;
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
