/**
 * `npm run bench:cpmp [-- --runs 3 --limit 10 --only n100-p10 --update]`: tight-capacity capacitated
 * p-median instances (src/core/solver/cpmp-instances.ts), the heuristic and the exact path against
 * the best proven figures known for each instance: scripts/bench/cpmp-reference.json keeps the best
 * solution value and the best lower bound ever found (by this script, with any limit); `--update`
 * writes back what a run improves. The heuristic runs `--runs` times (median and spread of wall and
 * CPU time; the objective must be the same every run), the exact path once per instance under a
 * `--limit` seconds budget for the whole solve. `--instances dir` also writes each instance in a
 * format of `npm run solve` (OR-Library text for the capacity-120 set, JSON for the tight one), to
 * try it as a user would.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cpmpBenchmarkSet, cpmpInstance, cpmpJson, cpmpName, cpmpOrLib, type CpmpSpec } from '../../src/core/solver/cpmp-instances.ts';
import { solve } from '../../src/core/solver/solve.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, limit: { type: 'string', default: '10' }, only: { type: 'string' }, update: { type: 'boolean', default: false }, instances: { type: 'string' } } });
if (values.instances) mkdirSync(values.instances, { recursive: true });
const runs = Math.max(1, Number(values.runs));
const limit = Number(values.limit);
const referencePath = new URL('./cpmp-reference.json', import.meta.url);

interface Reference {
  best: number;
  bound: number;
}

const reference: Record<string, Reference> = JSON.parse(readFileSync(referencePath, 'utf8'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

console.log(`# p-médiane capacitée (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${runs} exécutions de l’heuristique, limite exacte ${limit} s)\n`);
console.log('| instance | capacité | référence : meilleure valeur | borne | heuristique : coût | écart | temps médian (min–max) | CPU médian | exact : prouvé ? | temps | CPU | coût | borne | gap |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const rows: { spec: CpmpSpec; gap: number; proven: boolean; cpu: number; exactProven: boolean; exactSeconds: number; exactCpu: number }[] = [];
for (const [index, spec] of cpmpBenchmarkSet().entries()) {
  const name = cpmpName(spec);
  if (values.only && !name.startsWith(values.only) && !name.endsWith(values.only)) continue;
  const inst = cpmpInstance(spec);
  if (values.instances) {
    if (spec.capacity !== undefined) writeFileSync(`${values.instances}/${name}.txt`, cpmpOrLib(spec, index + 1, reference[name]?.best ?? 0));
    else writeFileSync(`${values.instances}/${name}.json`, JSON.stringify(cpmpJson(spec, limit)));
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  const objectives = new Set<number>();
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const outcome = await solve(inst, { seed: 1, method: 'heuristic' });
    const used = process.cpuUsage(cpuStarted);
    wall.push((performance.now() - started) / 1000);
    cpu.push((used.user + used.system) / 1e6);
    if (outcome.evaluation.violations.length > 0) throw new Error(`${name} : l’heuristique viole la capacité.`);
    objectives.add(Math.round(outcome.evaluation.objective * 1e6) / 1e6);
  }
  if (objectives.size !== 1) throw new Error(`${name} : résultats différents d’une exécution à l’autre (${[...objectives].join(', ')}).`);
  const heuristic = [...objectives][0];
  const started = performance.now();
  const exactCpuStarted = process.cpuUsage();
  const exact = await solve(inst, { seed: 1, timeLimitSeconds: limit });
  const exactSeconds = (performance.now() - started) / 1000;
  const exactCpuUsed = process.cpuUsage(exactCpuStarted);
  const exactCpu = (exactCpuUsed.user + exactCpuUsed.system) / 1e6;
  const known = reference[name] ?? { best: Infinity, bound: -Infinity };
  const best = Math.min(known.best, heuristic, exact.evaluation.objective);
  const bound = Math.max(known.bound, exact.bound ?? -Infinity);
  reference[name] = { best: Math.round(best * 1e4) / 1e4, bound: Math.round(bound * 1e4) / 1e4 };
  const proven = best - bound <= 1e-4 * best;
  const gap = (heuristic - best) / best;
  const exactProven = exact.gap !== null && exact.gap <= 1e-4;
  rows.push({ spec, gap, proven, cpu: median(cpu), exactProven, exactSeconds, exactCpu });
  console.log(
    `| ${name} | ${inst.groups[0].upper[0]} | ${best.toFixed(1)}${proven ? ' (optimum prouvé)' : ''} | ${bound.toFixed(1)} | ${heuristic.toFixed(1)} | ${pct(gap)} | ${median(wall).toFixed(2)} s (${spread(wall)}) | ${median(cpu).toFixed(2)} s | ${exactProven ? 'oui' : 'non'} | ${exactSeconds.toFixed(1)} s | ${exactCpu.toFixed(1)} s | ${exact.evaluation.objective.toFixed(1)} | ${exact.bound?.toFixed(1) ?? '—'} | ${exact.gap === null ? '—' : pct(exact.gap)} |`,
  );
}
for (const [label, test] of [
  ['capacité 120, n = 50, p = 5', (s: CpmpSpec) => s.capacity !== undefined && s.p === 5],
  ['capacité 120, n = 100, p = 10', (s: CpmpSpec) => s.capacity !== undefined && s.p === 10],
  ['5 % de marge, p ≤ 10', (s: CpmpSpec) => s.capacity === undefined && s.p <= 10],
  ['5 % de marge, p = 12–40', (s: CpmpSpec) => s.capacity === undefined && s.p > 10],
] as const) {
  const part = rows.filter((r) => test(r.spec));
  if (part.length === 0) continue;
  const gaps = part.map((r) => r.gap);
  const times = part.map((r) => r.exactSeconds);
  const cpus = part.map((r) => r.exactCpu);
  console.log(
    `\n${label} (${part.length} instances, ${part.filter((r) => r.proven).length} à l’optimum prouvé) — heuristique : écart moyen à la meilleure valeur connue ${pct(gaps.reduce((a, b) => a + b, 0) / gaps.length)}, max ${pct(Math.max(...gaps))}, CPU médian ${median(part.map((r) => r.cpu)).toFixed(2)} s (max ${Math.max(...part.map((r) => r.cpu)).toFixed(2)} s) ; exact : ${part.filter((r) => r.exactProven).length} prouvées sous ${limit} s, temps médian ${median(times).toFixed(1)} s (${spread(times)}), CPU médian ${median(cpus).toFixed(1)} s (${spread(cpus)}).`,
  );
}
if (values.update) writeFileSync(referencePath, `${JSON.stringify(reference, null, 2)}\n`);
