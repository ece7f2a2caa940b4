import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario, validateScenario, type Scenario } from '../../src/core/scenarios';
import { checkInvariants } from '../../src/core/model/plan-ops';
import type { RegionDataset } from '../../src/core/model/establishment';

const scenario = (id: string) => JSON.parse(readFileSync(`geo/${id}.json`, 'utf8')) as Scenario;
const dataset = (code: string) => JSON.parse(readFileSync(`public/data/${code}/establishments.json`, 'utf8')) as RegionDataset;

describe('organisation scenarios', () => {
  it('validate', () => {
    for (const id of ['hdf-2024', 'hdf-2023', 'pdl-2025']) expect(validateScenario(scenario(id))).toMatchObject({ ok: true });
    expect(validateScenario({ id: 'x' })).toMatchObject({ ok: false });
    const broken = { ...scenario('pdl-2025'), zones: [{ team: 'mel', name: 'Z', members: [{ uai: '04921235' }] }] };
    expect(validateScenario(broken)).toMatchObject({ ok: false, reasons: [expect.stringContaining('04921235')] });
  });

  it('HDF 2024 gives 11 teams, 123 technicians, 22 sections and no lycée assigned', () => {
    const result = loadScenario(scenario('hdf-2024'), [], { planId: 'p', now: '2026-01-01T00:00:00Z' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const { plan } = result.load;
    expect(plan.teams).toHaveLength(11);
    expect(plan.teams.reduce((a, t) => a + t.technicians, 0)).toBe(123);
    expect(plan.teams.flatMap((t) => t.sections)).toHaveLength(22);
    expect(plan.assignment).toEqual({});
  });

  it.runIf(existsSync('public/data/52/establishments.json'))('PdL 2025 zones resolve to real establishments of the Région', () => {
    const { establishments } = dataset('52');
    const result = loadScenario(scenario('pdl-2025'), establishments, { planId: 'p', now: '2026-01-01T00:00:00Z' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const { plan, notes, unassigned } = result.load;
    expect(plan.teams).toHaveLength(7);
    expect(plan.zones).toHaveLength(12);
    expect(Object.keys(plan.assignment)).toHaveLength(51);
    expect(plan.teams.find((t) => t.name === 'Maine-et-Loire')?.base).toMatchObject({ uai: '0490003M' });
    expect(notes.some((n) => n.includes('04921235') && n.includes('0492123S'))).toBe(true);
    expect(checkInvariants(plan)).toEqual([]);
    expect(unassigned.length).toBeGreaterThan(50);
    expect(unassigned.every((e) => e.sector === 'public' && plan.assignment[e.uai] === undefined)).toBe(true);
  });
});
