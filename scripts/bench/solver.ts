/**
 * `npm run bench:solver [-- --quick]`: the figures of BENCHMARKS.md.
 * 1. Hauts-de-France 2024 (11 teams, their technicians, all public lycées, documented bases):
 *    exact (HiGHS) and heuristic alone, départements free and within, estimate drive times.
 * 2. Continuity zones for every team of a Région; Pays de la Loire: our zones vs the published
 *    ones on the same lycées.
 * 3. Capacitated p-median instances: the heuristic against proven optima.
 * 4. Scaling on generated instances (100 → 2,500 lycées, 5 → 100 teams, bases chosen), against a
 *    k-means + greedy baseline.
 */
import { performance } from 'node:perf_hooks';
import { ESTIMATED_DRIVE_TIMES } from '../../src/core/metrics/index.ts';
import type { Plan } from '../../src/core/model/plan.ts';
import { seededRandom } from '../../src/core/random.ts';
import { estimateTrip } from '../../src/core/routing/estimate.ts';
import { reduceInstance, violationAmount } from '../../src/core/solver/assignment.ts';
import { defaultSolveParams, lyceeFigures, prepareSolve, type PlanSolveParams } from '../../src/core/solver/from-plan.ts';
import { evaluate, shareBands, type SolverInstance } from '../../src/core/solver/instance.ts';
import { solve, type SolveOutcome } from '../../src/core/solver/solve.ts';
import { solveZones } from '../../src/core/solver/zones.ts';
import { hdf2024WithBases, scenarioPlan, type RegionPlan } from '../lib/bench-plans.ts';

const quick = process.argv.includes('--quick');
const onlyIndex = process.argv.indexOf('--only');
/** `--only hdf|zones|cpmp|scaling` runs one part. */
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : null;
const part = (name: string) => only === null || only === name;
/** `--sizes 1000x40,2500x100` overrides the scaling sizes. */
const sizesIndex = process.argv.indexOf('--sizes');
const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;
const hours = (seconds: number) => `${(seconds / 3600).toFixed(1)} h`;
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);

function prepared(region: RegionPlan, params: PlanSolveParams) {
  const result = prepareSolve(region.plan, region.establishments, ESTIMATED_DRIVE_TIMES, params);
  if (!result.ok) throw new Error(result.reasons.join('\n'));
  return result.prepared;
}

/** Largest |load / share − 1| over the teams, per attribute. */
function maxDeviation(inst: SolverInstance, outcome: SolveOutcome): string {
  const M = inst.attributes.length;
  return inst.attributes
    .map((name, a) => {
      let worst = 0;
      inst.groups.forEach((g, index) => {
        const target = (g.lower[a] + g.upper[a]) / 2;
        if (Number.isFinite(target) && target > 0) worst = Math.max(worst, Math.abs(outcome.evaluation.loads[index * M + a] / target - 1));
      });
      return `${name} ${(worst * 100).toFixed(1)} %`;
    })
    .join(', ');
}

async function hdf(): Promise<void> {
  console.log('\n## Hauts-de-France 2024 (11 équipes, 123 techniciens, bases de geo/bench-hdf-2024-bases.json)\n');
  const region = hdf2024WithBases();
  console.log('| départements | méthode | temps | trajet total | moyen | max | écart max à la part | violations | borne | gap | heuristique vs optimum |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const mode of ['free', 'within'] as const) {
    const params = { ...defaultSolveParams(region.plan), departementMode: mode, zones: { enabled: false, min: 3, max: 5 } };
    const ready = prepared(region, params);
    const { instance } = ready;
    const exact = await solve(instance, { seed: 1, timeLimitSeconds: 10 });
    const heuristic = await solve(instance, { seed: 1, method: 'heuristic' });
    for (const [label, outcome] of [
      ['exact (HiGHS, amorcé par l’heuristique)', exact],
      ['heuristique seule', heuristic],
    ] as const) {
      const versus = exact.bound !== null ? (outcome.evaluation.objective - exact.bound) / exact.bound : null;
      const lycees = lyceeFigures(region.plan, ready, outcome);
      console.log(
        `| ${mode === 'free' ? 'libres' : 'respectés'} | ${label} | ${outcome.seconds.total.toFixed(2)} s | ${hours(lycees.travel)} | ${minutes(lycees.mean)} | ${minutes(lycees.max)} | ${maxDeviation(instance, outcome)} | ${outcome.evaluation.violations.length} | ${outcome.bound === null ? '—' : hours(outcome.bound)} | ${pct(outcome.gap)} | ${pct(versus)} |`,
      );
    }
  }
}

async function zonesForRegion(label: string, region: RegionPlan, mode: 'free' | 'within'): Promise<void> {
  const params = { ...defaultSolveParams(region.plan), departementMode: mode };
  const ready = prepared(region, params);
  const { instance, zones } = ready;
  const outcome = await solve(instance, { seed: 1, zones });
  const z = outcome.zones!;
  const sizes = z.zones.filter((zone) => !zone.fixed).map((zone) => zone.members.length);
  console.log(
    `| ${label} | ${ready.uais.length} | ${instance.groups.length} | ${z.zones.length} | ${Math.min(...sizes)}–${Math.max(...sizes)} | ${z.outOfRange} | ${z.seconds.toFixed(2)} s | ${z.exactGroups} exactes, ${z.heuristicGroups} heuristiques | ${hours(z.travel)} |`,
  );
}

/** Σ member → best centre and the longest member → centre drive, for given zones. */
function zoneTravel(zones: string[][], seconds: (a: string, b: string) => number): { total: number; max: number } {
  let total = 0;
  let max = 0;
  for (const zone of zones) {
    let best = Infinity;
    let bestMax = 0;
    for (const centre of zone) {
      const times = zone.map((u) => seconds(u, centre));
      const sum = times.reduce((a, b) => a + b, 0);
      if (sum < best) {
        best = sum;
        bestMax = Math.max(...times);
      }
    }
    total += best;
    max = Math.max(max, bestMax);
  }
  return { total, max };
}

async function pdlPublished(): Promise<void> {
  const { plan, establishments } = scenarioPlan('pdl-2025', '52');
  const byUai = new Map(establishments.map((e) => [e.uai, e]));
  const seconds = (a: string, b: string) => (a === b ? 0 : (ESTIMATED_DRIVE_TIMES.seconds(byUai.get(a)!, byUai.get(b)!) ?? 0));
  console.log('\n### Pays de la Loire : zones publiées et zones du solveur, sur les mêmes lycées\n');
  console.log('| secteur | lycées | zones publiées (tailles) | trajet vers le lycée central | max | solveur 3–5 | trajet | max | solveur 3–6 | trajet | max |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const team of plan.teams) {
    const published = plan.zones.filter((z) => z.teamId === team.id).map((z) => z.members);
    if (published.length === 0) continue;
    const uais = published.flat();
    const p = uais.length;
    const costs = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) costs[i * p + j] = seconds(uais[i], uais[j]);
    const ours = async (max: number) => {
      const solution = await solveZones({ size: p, costs, min: 3, max }, { seed: 1 });
      const zones = solution.zones.map((zone) => zone.map((i) => uais[i]));
      return { sizes: zones.map((zone) => zone.length).join('+'), ...zoneTravel(zones, seconds) };
    };
    const theirs = zoneTravel(published, seconds);
    const five = await ours(5);
    const six = await ours(6);
    console.log(
      `| ${team.name} | ${p} | ${published.map((z) => z.length).join('+')} | ${minutes(theirs.total)} | ${minutes(theirs.max)} | ${five.sizes} | ${minutes(five.total)} | ${minutes(five.max)} | ${six.sizes} | ${minutes(six.total)} | ${minutes(six.max)} |`,
    );
  }
}

// ---- Scaling -------------------------------------------------------------------------------------

interface Generated {
  instance: SolverInstance;
  lat: Float64Array;
  lon: Float64Array;
}

/** Lycées clustered around "towns" in a France-sized box; 5–15 technicians per team. */
function generate(points: number, teams: number, seed: number): Generated {
  const random = seededRandom(seed);
  const towns = Array.from({ length: Math.max(8, Math.round(points / 25)) }, () => ({ lat: 43 + random() * 7, lon: -1.5 + random() * 8, spread: 0.05 + random() * 0.3 }));
  const lat = new Float64Array(points);
  const lon = new Float64Array(points);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  for (let i = 0; i < points; i++) {
    const town = towns[Math.floor(random() * towns.length)];
    lat[i] = town.lat + gauss() * town.spread;
    lon[i] = town.lon + gauss() * town.spread * 1.4;
  }
  const weights = new Float64Array(points * 2);
  for (let i = 0; i < points; i++) {
    weights[2 * i] = 1;
    weights[2 * i + 1] = 50 + Math.floor(random() * 550);
  }
  const technicians = Array.from({ length: teams }, () => 5 + Math.floor(random() * 11));
  const totals = [points, weights.filter((_, index) => index % 2 === 1).reduce((a, b) => a + b, 0)];
  const bands = [shareBands(totals[0], technicians, 0.1), shareBands(totals[1], technicians, 0.05)];
  const costs = new Float64Array(points * points);
  for (let i = 0; i < points; i++) for (let j = i + 1; j < points; j++) costs[i * points + j] = costs[j * points + i] = estimateTrip({ lat: lat[i], lon: lon[i] }, { lat: lat[j], lon: lon[j] }).seconds;
  return {
    lat,
    lon,
    instance: {
      points: Array.from({ length: points }, (_, i) => `p${i}`),
      attributes: ['establishments', 'pcs'],
      weights,
      groups: technicians.map((_, g) => ({ id: `t${g}`, label: `T${g}`, lower: [bands[0][g].lower, bands[1][g].lower], upper: [bands[0][g].upper, bands[1][g].upper], site: null, candidates: null })),
      sites: Array.from({ length: points }, (_, i) => `p${i}`),
      costs,
      allowed: null,
      locked: new Int32Array(points).fill(-1),
      current: new Int32Array(points).fill(-1),
      stabilityCost: 0,
    },
  };
}

/** Baseline: k-means on coordinates, the lycée nearest each centroid as base, greedy fill under the upper bands. */
function kmeansGreedy(gen: Generated, seed: number): { group: Int32Array; site: Int32Array } {
  const { instance, lat, lon } = gen;
  const N = instance.points.length;
  const K = instance.groups.length;
  const random = seededRandom(seed);
  const cLat = new Float64Array(K);
  const cLon = new Float64Array(K);
  for (let g = 0; g < K; g++) {
    const i = Math.floor(random() * N);
    cLat[g] = lat[i];
    cLon[g] = lon[i];
  }
  const label = new Int32Array(N);
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < N; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let g = 0; g < K; g++) {
        const d = (lat[i] - cLat[g]) ** 2 + ((lon[i] - cLon[g]) * 0.68) ** 2;
        if (d < bestD) {
          bestD = d;
          best = g;
        }
      }
      label[i] = best;
    }
    const sum = new Float64Array(K * 3);
    for (let i = 0; i < N; i++) {
      sum[label[i] * 3] += lat[i];
      sum[label[i] * 3 + 1] += lon[i];
      sum[label[i] * 3 + 2] += 1;
    }
    for (let g = 0; g < K; g++) if (sum[g * 3 + 2] > 0) [cLat[g], cLon[g]] = [sum[g * 3] / sum[g * 3 + 2], sum[g * 3 + 1] / sum[g * 3 + 2]];
  }
  const site = new Int32Array(K);
  const used = new Set<number>();
  for (let g = 0; g < K; g++) {
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < N; i++) {
      const d = (lat[i] - cLat[g]) ** 2 + ((lon[i] - cLon[g]) * 0.68) ** 2;
      if (!used.has(i) && d < bestD) {
        bestD = d;
        best = i;
      }
    }
    site[g] = best;
    used.add(best);
  }
  // Greedy: points by increasing distance to their nearest base, each to the nearest base with room.
  const M = 2;
  const load = new Float64Array(K * M);
  const group = new Int32Array(N).fill(-1);
  const nearest = Array.from({ length: N }, (_, i) => i).map((i) => ({ i, d: Math.min(...Array.from(site, (s) => instance.costs[i * N + s])) }));
  nearest.sort((a, b) => a.d - b.d);
  for (const { i } of nearest) {
    const order = Array.from({ length: K }, (_, g) => g).sort((a, b) => instance.costs[i * N + site[a]] - instance.costs[i * N + site[b]]);
    const fits = order.find((g) => instance.groups[g].upper.every((u, a) => load[g * M + a] + instance.weights[i * M + a] <= u));
    group[i] = fits ?? order[0];
    for (let a = 0; a < M; a++) load[group[i] * M + a] += instance.weights[i * M + a];
  }
  return { group, site };
}

async function scaling(): Promise<void> {
  console.log('\n## Passage à l’échelle (instances générées, bases choisies, heuristique seule)\n');
  console.log('| lycées | équipes | temps | trajet moyen | coût d’écart aux bandes | k-means + glouton : trajet moyen | coût d’écart | gain trajet |');
  console.log('|---|---|---|---|---|---|---|---|');
  const sizes: [number, number][] =
    sizesIndex >= 0
      ? process.argv[sizesIndex + 1].split(',').map((size) => size.split('x').map(Number) as [number, number])
      : quick
        ? [[100, 5], [500, 20]]
        : [[100, 5], [250, 10], [500, 20], [1000, 40], [2500, 100]];
  for (const [points, teams] of sizes) {
    const gen = generate(points, teams, points + teams);
    const started = performance.now();
    const outcome = await solve(gen.instance, { seed: 1, method: 'heuristic' });
    const seconds = (performance.now() - started) / 1000;
    const baseline = kmeansGreedy(gen, 1);
    const baseEval = evaluate(gen.instance, baseline);
    const ours = violationAmount(reduceInstance(gen.instance, outcome.site), outcome.evaluation.violations);
    const theirs = violationAmount(reduceInstance(gen.instance, baseline.site), baseEval.violations);
    console.log(
      `| ${points} | ${teams} | ${seconds.toFixed(1)} s | ${minutes(outcome.evaluation.travel / points)} | ${ours.toFixed(2)} | ${minutes(baseEval.travel / points)} | ${theirs.toFixed(2)} | ${((1 - outcome.evaluation.travel / baseEval.travel) * 100).toFixed(1)} % |`,
    );
  }
}

/**
 * Capacitated p-median instances in the style of Osman & Christofides (OR-Library "pmedcap"):
 * points uniform on a 100 × 100 square, demands 1–20, p facilities of equal capacity chosen among
 * the points; the heuristic against the proven optimum of the p-median MILP.
 */
async function cpmp(): Promise<void> {
  console.log('\n## p-médiane capacitée (instances type Osman & Christofides)\n');
  console.log('| points | p | capacité | heuristique : temps | coût | exact : temps | coût | borne | gap prouvé | heuristique vs optimum |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [points, p, seed] of [
    [50, 5, 1],
    [50, 5, 2],
    [100, 10, 3],
    [100, 10, 4],
  ] as const) {
    const random = seededRandom(seed);
    const xy = Array.from({ length: points }, () => [Math.round(random() * 100), Math.round(random() * 100)]);
    const demand = Array.from({ length: points }, () => 1 + Math.floor(random() * 20));
    const total = demand.reduce((a, b) => a + b, 0);
    const capacity = Math.ceil((total / p) * 1.2);
    const costs = new Float64Array(points * points);
    for (let i = 0; i < points; i++) for (let j = 0; j < points; j++) costs[i * points + j] = Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
    const instance: SolverInstance = {
      points: xy.map((_, i) => String(i + 1)),
      attributes: ['demand'],
      weights: Float64Array.from(demand),
      groups: Array.from({ length: p }, (_, g) => ({ id: `F${g + 1}`, label: `F${g + 1}`, lower: [-Infinity], upper: [capacity], site: null, candidates: null })),
      sites: xy.map((_, i) => String(i + 1)),
      costs,
      allowed: null,
      locked: new Int32Array(points).fill(-1),
      current: new Int32Array(points).fill(-1),
      stabilityCost: 0,
    };
    const heuristic = await solve(instance, { seed: 1, method: 'heuristic' });
    const exact = await solve(instance, { seed: 1, timeLimitSeconds: 60 });
    const optimum = exact.evaluation.objective;
    console.log(
      `| ${points} | ${p} | ${capacity} | ${heuristic.seconds.total.toFixed(2)} s | ${heuristic.evaluation.objective.toFixed(1)} | ${exact.seconds.total.toFixed(2)} s | ${optimum.toFixed(1)} | ${exact.bound?.toFixed(1) ?? '—'} | ${pct(exact.gap)} | ${pct((heuristic.evaluation.objective - optimum) / optimum)} |`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`# Solveur — banc d’essai (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, temps de trajet estimés)`);
  if (part('hdf')) await hdf();
  if (part('zones')) await zones();
  if (part('cpmp')) await cpmp();
  if (part('scaling')) await scaling();
}

async function zones(): Promise<void> {
  console.log('\n## Zones de continuité de toutes les équipes d’une Région (3–5 lycées)\n');
  console.log('| Région | lycées | équipes | zones | tailles | hors bornes | temps des zones | méthode | trajet vers le lycée central |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  await zonesForRegion('Hauts-de-France 2024', hdf2024WithBases(), 'within');
  const pdl: RegionPlan = scenarioPlan('pdl-2025', '52');
  const pdlPlan: Plan = { ...pdl.plan, zones: [] };
  await zonesForRegion('Pays de la Loire 2025', { ...pdl, plan: pdlPlan }, 'free');
  await pdlPublished();
}

await main();
