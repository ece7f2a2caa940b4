/**
 * `npm run bench:metrics`: time from an edit (plan-ops) to updated statistics (incremental metrics),
 * for Hauts-de-France (~270 public lycées, the 11 teams of 2024) and all of France (~2,800 public
 * lycées, 100 teams). Each edit moves a few lycées between two teams; the full recompute is shown
 * for comparison.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RegionDataset } from '../../src/core/model/establishment.ts';
import { addTeam, assign, createPlan } from '../../src/core/model/plan-ops.ts';
import type { Plan } from '../../src/core/model/plan.ts';
import { computeMetrics, metricsContext, updateMetrics } from '../../src/core/metrics/index.ts';
import { pick, seededRandom } from '../../src/core/random.ts';

function run(label: string, code: string, teamCount: number): void {
  const dataset = JSON.parse(readFileSync(`public/data/${code}/establishments.json`, 'utf8')) as RegionDataset;
  const publics = dataset.establishments.filter((e) => e.sector === 'public');
  const ctx = metricsContext(dataset.establishments);
  const random = seededRandom(7);
  let plan: Plan = createPlan({ id: 'bench', name: label, regionCode: code, now: new Date().toISOString() });
  for (let t = 0; t < teamCount; t++) {
    const base = pick(random, publics);
    const r = addTeam(plan, { name: `Équipe ${t + 1}`, technicians: 5 + (t % 10), base: { lat: base.lat, lon: base.lon, label: base.name } });
    if (r.ok) plan = r.plan;
  }
  // Nearest-base start so team sizes look like a real organisation.
  for (const e of publics) {
    const team = plan.teams[Math.floor(random() * plan.teams.length)];
    const r = assign(plan, [e.uai], team.id);
    if (r.ok) plan = r.plan;
  }
  let state = computeMetrics(plan, ctx);
  const edits = 300;
  const incremental: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < edits; i++) {
    const uais = Array.from({ length: 3 }, () => pick(random, publics).uai);
    const team = pick(random, plan.teams).id;
    const start = performance.now();
    const result = assign(plan, uais, team);
    if (!result.ok) continue;
    plan = result.plan;
    state = updateMetrics(state, plan, ctx);
    incremental.push(performance.now() - start);
    const fullStart = performance.now();
    computeMetrics(plan, ctx);
    full.push(performance.now() - fullStart);
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `médiane ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`;
  };
  console.log(`${label} (${publics.length} lycées publics, ${teamCount} équipes, ${incremental.length} modifications)`);
  console.log(`  modification → statistiques à jour (incrémental) : ${stats(incremental)}`);
  console.log(`  recalcul complet, pour comparaison :                ${stats(full)}`);
}

run('Hauts-de-France', '32', 11);
run('France entière', 'FR', 100);
