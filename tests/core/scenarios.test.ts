import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECONSTRUCTION_LABEL, loadScenario, scenarioDisplayName, validateScenario, type Scenario } from '../../src/core/scenarios';
import { checkInvariants } from '../../src/core/model/plan-ops';
import type { Establishment, RegionDataset } from '../../src/core/model/establishment';

const scenario = (id: string) => JSON.parse(readFileSync(`geo/${id}.json`, 'utf8')) as Scenario;
const dataset = (code: string) => JSON.parse(readFileSync(`public/data/${code}/establishments.json`, 'utf8')) as RegionDataset;

const COG_COMMUNES = `${process.env.MAILLAGE_SHARED_DATA ?? '../shared/data'}/boundaries/cog2026/communes_hdf_pdl.json`;
/**
 * The HDF lycées with their arrondissement: from the dataset when the build provides it, otherwise
 * from the COG commune list (datasets built before arrondissements existed).
 */
function hdfEstablishments(): Establishment[] {
  const { establishments } = dataset('32');
  if (establishments.every((e) => e.sector !== 'public' || typeof e.arrondissement === 'string')) return establishments;
  const communes = JSON.parse(readFileSync(COG_COMMUNES, 'utf8')) as { code: string; arrondissement: string }[];
  const arrondissements = new Map(communes.map((c) => [c.code, c.arrondissement]));
  return establishments.map((e) => ({ ...e, arrondissement: (e.communeCode && arrondissements.get(e.communeCode)) ?? null }));
}
const hdfAvailable = existsSync('public/data/32/establishments.json') && existsSync(COG_COMMUNES);

describe('organisation scenarios', () => {
  it('validate', () => {
    for (const id of ['hdf-2024', 'hdf-2023', 'pdl-2025']) expect(validateScenario(scenario(id))).toMatchObject({ ok: true });
    expect(validateScenario({ id: 'x' })).toMatchObject({ ok: false });
    const broken = { ...scenario('pdl-2025'), zones: [{ team: 'mel', name: 'Z', members: [{ uai: '04921235' }] }] };
    expect(validateScenario(broken)).toMatchObject({ ok: false, reasons: [expect.stringContaining('04921235')] });
  });

  it('HDF 2024 gives 11 teams, 123 technicians, 22 sections, labelled as a reconstruction', () => {
    const result = loadScenario(scenario('hdf-2024'), [], { planId: 'p', now: '2026-01-01T00:00:00Z' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const { plan, unmatchedRules } = result.load;
    expect(plan.teams).toHaveLength(11);
    expect(plan.teams.reduce((a, t) => a + t.technicians, 0)).toBe(123);
    expect(plan.teams.flatMap((t) => t.sections).map((s) => s.name)).toHaveLength(22);
    expect(plan.name).toBe(`Hauts-de-France — organisation cible 2024 — ${RECONSTRUCTION_LABEL}`);
    expect(scenarioDisplayName(scenario('hdf-2024'))).toBe(plan.name);
    expect(scenarioDisplayName(scenario('pdl-2025'))).toBe(scenario('pdl-2025').name);
    // Without lycées every rule matches nothing, and says so.
    expect(plan.assignment).toEqual({});
    expect(unmatchedRules).toContain('Arrondissement 594 (Dunkerque) → Nord 1');
  });

  for (const [id, teams, sections] of [['hdf-2024', 11, 22], ['hdf-2023', 9, 26]] as const) {
    it.runIf(hdfAvailable)(`${id} reconstruction assigns every public lycée of HDF to a team and a section`, () => {
      const establishments = hdfEstablishments();
      const publics = establishments.filter((e) => e.sector === 'public');
      expect(publics).toHaveLength(268);
      const result = loadScenario(scenario(id), establishments, { planId: 'p', now: '2026-01-01T00:00:00Z' });
      if (!result.ok) throw new Error(result.reasons.join('\n'));
      const { plan, unassigned, unmatchedRules } = result.load;
      expect(unassigned).toEqual([]);
      expect(unmatchedRules).toEqual([]);
      expect(Object.keys(plan.assignment)).toHaveLength(268);
      expect(Object.keys(plan.sections)).toHaveLength(268);
      expect(checkInvariants(plan)).toEqual([]);
      expect(plan.teams).toHaveLength(teams);
      expect(plan.teams.flatMap((t) => t.sections)).toHaveLength(sections);
      // Every team and every section serves lycées, and each team stays in its allowed départements.
      for (const team of plan.teams) {
        const members = publics.filter((e) => plan.assignment[e.uai] === team.id);
        expect(members.length, team.name).toBeGreaterThan(0);
        for (const section of team.sections) expect(Object.values(plan.sections).includes(section.id), `${team.name} — ${section.name}`).toBe(true);
        if (team.allowedDepartements.length > 0) expect(members.filter((e) => !team.allowedDepartements.includes(e.departement)), team.name).toEqual([]);
      }
    });
  }

  it('territory rules: precedence, explicit zone lists win, unmatched rules and lycées listed', () => {
    const lycee = (uai: string, communeCode: string, epci: string | null, arrondissement: string | null, sector: 'public' | 'prive' = 'public'): Establishment => ({
      uai, name: uai, kind: 'LP', kindSource: 'ips', sector, horsContrat: false, commune: communeCode, communeCode, departement: communeCode.slice(0, 2), departementName: '', academie: '',
      epci, epciName: null, arrondissement, arrondissementName: null, lat: 0, lon: 0, students: null, studentsYear: null, ips: null,
    });
    const establishments = [lycee('0590001F', '59350', 'MEL', '595'), lycee('0590002G', '59512', 'MEL', '595'), lycee('0590003H', '59183', 'CUD', '594'), lycee('0620001P', '62498', 'CALL', '627'), lycee('0590005K', '59350', 'MEL', '595', 'prive')];
    const s: Scenario = {
      id: 'x', regionCode: '32', name: 'X', source: 'test',
      teams: [
        { key: 'nord', name: 'Nord', technicians: 2, territory: { departements: ['59 Nord'] }, sections: ['Général', { name: 'Lille', territory: { communes: ['59350'] } }] },
        { key: 'mel', name: 'Métropole', technicians: 2, territory: { epci: ['MEL', 'INCONNU'] } },
      ],
      zones: [{ team: 'nord', name: 'Z', members: [{ uai: '0590002G' }] }],
    };
    expect(validateScenario(s)).toMatchObject({ ok: true });
    const result = loadScenario(s, establishments, { planId: 'p', now: '2026-01-01T00:00:00Z' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const { plan, unassigned, unmatchedRules } = result.load;
    // Commune (Lille → Nord, section Lille) beats EPCI (MEL) which beats département (59 → Nord).
    expect(plan.assignment).toEqual({ '0590001F': 't1', '0590002G': 't1', '0590003H': 't1' });
    expect(plan.sections).toEqual({ '0590001F': 't1-s2' });
    // 0590002G would be Métropole by its EPCI, but the zone's explicit list puts it in Nord.
    expect(plan.zones[0].members).toEqual(['0590002G']);
    expect(unassigned.map((e) => e.uai)).toEqual(['0620001P']);
    expect(unmatchedRules).toEqual(['EPCI INCONNU → Métropole']);
    expect(validateScenario({ ...s, teams: [...s.teams, { key: 'b', name: 'B', technicians: 1, territory: { epci: ['MEL'] } }] })).toMatchObject({ ok: false, reasons: [expect.stringContaining('plusieurs équipes')] });
    expect(validateScenario({ ...s, teams: [{ ...s.teams[0], territory: { lycees: ['05900011'] } }] })).toMatchObject({ ok: false, reasons: [expect.stringContaining('UAI invalide')] });
  });

  it.runIf(existsSync('public/data/52/establishments.json'))('PdL 2025 zones resolve to real establishments of the Région', () => {
    const { establishments } = dataset('52');
    const result = loadScenario(scenario('pdl-2025'), establishments, { planId: 'p', now: '2026-01-01T00:00:00Z' });
    if (!result.ok) throw new Error(result.reasons.join('\n'));
    const { plan, notes, unassigned, unmatchedRules } = result.load;
    expect(unmatchedRules).toEqual([]);
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
