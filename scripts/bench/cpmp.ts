/**
 * `npm run bench:cpmp [-- --runs 3 --limit 10 --only n100-p10 --update]`: tight-capacity capacitated
 * p-median instances (src/core/solver/cpmp-instances.ts), the heuristic and the exact path against
 * the best proven figures known for each instance: scripts/bench/cpmp-reference.json keeps the best
 * solution value and the best lower bound ever found (by this script, with any limit); `--update`
 * writes back what a run improves. The heuristic runs `--runs` times (median and spread of wall and
 * CPU time; the objective must be the same every run), the exact path once per instance under a
 * `--limit` seconds budget for the whole solve. `--instances dir` also writes each instance in the
 * JSON format of `npm run solve`, to try it as a user would.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cpmpBenchmarkSet, cpmpInstance, cpmpJson, cpmpName } from '../../src/core/solver/cpmp-instances.ts';
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

console.log(`# p-médiane capacitée serrée (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${runs} exécutions de l’heuristique, limite exacte ${limit} s)\n`);
console.log('| instance | capacité | référence : meilleure valeur | borne | heuristique : coût | écart | temps médian (min–max) | CPU médian | exact : prouvé ? | temps | coût | borne | gap |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const gaps: { p: number; gap: number }[] = [];
for (const spec of cpmpBenchmarkSet()) {
  const name = cpmpName(spec);
  if (values.only && !name.startsWith(values.only)) continue;
  const inst = cpmpInstance(spec);
  if (values.instances) writeFileSync(`${values.instances}/${name}.json`, JSON.stringify(cpmpJson(spec, limit)));
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
  const exact = await solve(inst, { seed: 1, timeLimitSeconds: limit });
  const exactSeconds = (performance.now() - started) / 1000;
  const known = reference[name] ?? { best: Infinity, bound: -Infinity };
  const best = Math.min(known.best, heuristic, exact.evaluation.objective);
  const bound = Math.max(known.bound, exact.bound ?? -Infinity);
  reference[name] = { best: Math.round(best * 1e4) / 1e4, bound: Math.round(bound * 1e4) / 1e4 };
  const proven = best - bound <= 1e-4 * best;
  const gap = (heuristic - best) / best;
  gaps.push({ p: spec.p, gap });
  const exactProven = exact.gap !== null && exact.gap <= 1e-4;
  console.log(
    `| ${name} | ${inst.groups[0].upper[0]} | ${best.toFixed(1)}${proven ? ' (optimum prouvé)' : ''} | ${bound.toFixed(1)} | ${heuristic.toFixed(1)} | ${pct(gap)} | ${median(wall).toFixed(2)} s (${spread(wall)}) | ${median(cpu).toFixed(2)} s | ${exactProven ? 'oui' : 'non'} | ${exactSeconds.toFixed(1)} s | ${exact.evaluation.objective.toFixed(1)} | ${exact.bound?.toFixed(1) ?? '—'} | ${exact.gap === null ? '—' : pct(exact.gap)} |`,
  );
}
for (const [label, test] of [
  ['p ≤ 10', (p: number) => p <= 10],
  ['p = 12–40', (p: number) => p > 10],
] as const) {
  const part = gaps.filter((g) => test(g.p)).map((g) => g.gap);
  if (part.length > 0) console.log(`\nHeuristique, ${label} : écart moyen à la meilleure valeur connue ${pct(part.reduce((a, b) => a + b, 0) / part.length)}, max ${pct(Math.max(...part))} (${part.length} instances).`);
}
if (values.update) writeFileSync(referencePath, `${JSON.stringify(reference, null, 2)}\n`);
