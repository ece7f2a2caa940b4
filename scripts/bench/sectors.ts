/**
 * `npm run bench:sectors`: what readable sectors cost on Hauts-de-France 2024 (11 teams, their
 * technicians, the 268 public lycées, documented bases, estimated drive times): the free assignment
 * against one-piece sectors, EPCI blocks, and both, départements free and respected. Each variant is
 * solved `BENCH_RUNS` times (default 3) with the same seed: the result is the same every run, the
 * time is given as median (min–max).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ESTIMATED_DRIVE_TIMES } from '../../src/core/metrics/index.ts';
import { piecesPerGroup, pointGraph } from '../../src/core/solver/contiguity.ts';
import { defaultSolveParams, lyceeFigures, prepareSolve, type PlanSolveParams } from '../../src/core/solver/from-plan.ts';
import type { CommuneAdjacency } from '../../src/core/model/establishment.ts';
import { solve } from '../../src/core/solver/solve.ts';
import { hdf2024WithBases } from '../lib/bench-plans.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIME_LIMIT = Number(process.env.BENCH_TIME_LIMIT ?? 30);
const region = hdf2024WithBases();
const communes = JSON.parse(readFileSync('public/data/32/adjacency.json', 'utf8')) as CommuneAdjacency;
const codeIndex = new Map(communes.codes.map((code, c) => [code, c]));
const publics = region.establishments.filter((e) => e.sector === 'public');
// Pieces are always counted on lycées (their communes), whatever the unit the solver used.
const lyceeGraph = pointGraph(communes, publics.map((e) => (e.communeCode && codeIndex.has(e.communeCode) ? [codeIndex.get(e.communeCode)!] : [])));

const variants: { label: string; unit: PlanSolveParams['unit']; contiguous: boolean }[] = [
  { label: 'libre (lycée)', unit: 'lycee', contiguous: false },
  { label: 'd’un seul tenant', unit: 'lycee', contiguous: true },
  { label: 'blocs EPCI', unit: 'epci', contiguous: false },
  { label: 'blocs EPCI, d’un seul tenant', unit: 'epci', contiguous: true },
];

console.log(`| départements | variante | trajet total | moyen | max | écart max lycées / PC | morceaux (équipes en plusieurs) | méthode | borne / gap | temps |`);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const departementMode of ['free', 'within'] as const) {
  for (const variant of variants) {
    const params: PlanSolveParams = { ...defaultSolveParams(region.plan), departementMode, unit: variant.unit, contiguous: variant.contiguous, timeLimitSeconds: TIME_LIMIT, zones: { enabled: false, min: 3, max: 5 } };
    const prepared = prepareSolve(region.plan, region.establishments, ESTIMATED_DRIVE_TIMES, params, communes);
    if (!prepared.ok) throw new Error(prepared.reasons.join('\n'));
    const times: number[] = [];
    let outcome = null;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      outcome = await solve(prepared.prepared.instance, { seed: 1, method: 'auto', timeLimitSeconds: TIME_LIMIT });
      times.push((performance.now() - started) / 1000);
    }
    times.sort((a, b) => a - b);
    const figures = lyceeFigures(region.plan, prepared.prepared, outcome!);
    const inst = prepared.prepared.instance;
    const M = inst.attributes.length;
    const deviation = inst.attributes.slice(0, 2).map((_, a) => {
      let worst = 0;
      inst.groups.forEach((g, index) => {
        const target = (g.lower[a] + g.upper[a]) / 2;
        if (Number.isFinite(target) && target > 0) worst = Math.max(worst, Math.abs(outcome!.evaluation.loads[index * M + a] / target - 1));
      });
      return `${(worst * 100).toFixed(1)} %`;
    });
    const teamOfLycee = Int32Array.from(publics, (e) => outcome!.group[prepared.prepared.pointOf[prepared.prepared.uais.indexOf(e.uai)]]);
    const pieces = piecesPerGroup(lyceeGraph, teamOfLycee, inst.groups.length);
    const split = pieces.filter((p) => p > 1).length;
    console.log(
      `| ${departementMode === 'free' ? 'libres' : 'respectés'} | ${variant.label} | ${(figures.travel / 3600).toFixed(1)} h | ${(figures.mean / 60).toFixed(1)} min | ${(figures.max / 60).toFixed(1)} min | ${deviation.join(' / ')} | ${pieces.reduce((x, y) => x + y, 0)} (${split}) | ${outcome!.method}, ${outcome!.status} | ${outcome!.gap === null ? '—' : `${(outcome!.gap * 100).toFixed(2)} %`} | ${times[Math.floor(times.length / 2)].toFixed(1)} s (${times[0].toFixed(1)}–${times.at(-1)!.toFixed(1)}) |`,
    );
  }
}
