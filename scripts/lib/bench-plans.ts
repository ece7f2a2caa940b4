/**
 * Real organisations as solver inputs, for the benchmark and the tests: Hauts-de-France 2024 with the
 * plausible bases of geo/bench-hdf-2024-bases.json, Pays de la Loire 2025 as published.
 */
import { readFileSync } from 'node:fs';
import type { Establishment, RegionDataset } from '../../src/core/model/establishment.ts';
import type { Plan } from '../../src/core/model/plan.ts';
import { loadScenario, type Scenario } from '../../src/core/scenarios.ts';

interface BenchBases {
  scenario: string;
  bases: Record<string, { uai: string; label: string }>;
}

export interface RegionPlan {
  plan: Plan;
  establishments: Establishment[];
}

export function loadRegion(code: string): Establishment[] {
  return (JSON.parse(readFileSync(`public/data/${code}/establishments.json`, 'utf8')) as RegionDataset).establishments;
}

export function scenarioPlan(id: string, code: string): RegionPlan {
  const establishments = loadRegion(code);
  const scenario = JSON.parse(readFileSync(`geo/${id}.json`, 'utf8')) as Scenario;
  const result = loadScenario(scenario, establishments, { planId: id, now: '2026-01-01T00:00:00Z' });
  if (!result.ok) throw new Error(result.reasons.join('\n'));
  return { plan: result.load.plan, establishments };
}

/**
 * HDF 2024: 11 teams with their technicians and départements, bases at the documented bench sites,
 * and no lycée assigned: the solver starts from scratch (the reconstructed assignment of the
 * scenario is a baseline to compare with, not a solver input).
 */
export function hdf2024WithBases(): RegionPlan {
  const { plan, establishments } = scenarioPlan('hdf-2024', '32');
  const scenario = JSON.parse(readFileSync('geo/hdf-2024.json', 'utf8')) as Scenario;
  const bench = JSON.parse(readFileSync('geo/bench-hdf-2024-bases.json', 'utf8')) as BenchBases;
  const byUai = new Map(establishments.map((e) => [e.uai, e]));
  const teams = plan.teams.map((team, index) => {
    const site = bench.bases[scenario.teams[index].key];
    const lycee = byUai.get(site.uai);
    if (!lycee) throw new Error(`Base ${site.uai} absente des données.`);
    return { ...team, base: { lat: lycee.lat, lon: lycee.lon, label: site.label, uai: site.uai } };
  });
  return { plan: { ...plan, teams, assignment: {}, sections: {} }, establishments };
}
