import { describe, expect, it } from 'vitest';
import { compileRules, resolveRules, ruleConflicts, type Rule } from '../../../src/core/territory/rules';
import type { Establishment } from '../../../src/core/model/establishment';

function lycee(uai: string, communeCode: string, epci: string, arrondissement: string, sector: 'public' | 'prive' = 'public'): Establishment {
  return {
    uai, name: uai, kind: 'LP', kindSource: 'ips', sector, horsContrat: false, commune: communeCode, communeCode,
    departement: communeCode.slice(0, 2), departementName: '', academie: '', epci, epciName: null, arrondissement, arrondissementName: null,
    lat: 0, lon: 0, students: null, studentsYear: null, ips: null,
  };
}

const E = [
  lycee('0590001A', '59350', 'MEL', '595'), // Lille
  lycee('0590002B', '59512', 'MEL', '595'), // Roubaix
  lycee('0590003C', '59183', 'CUD', '594'), // Dunkerque
  lycee('0590004D', '59295', 'CCF', '594'), // Hazebrouck
  lycee('0620001E', '62498', 'CALL', '627'), // Lens
  lycee('0590005F', '59350', 'MEL', '595', 'prive'),
];

const rulesOf = (team: string, section: string | null, territory: unknown) => {
  const compiled = compileRules(territory, { team, section }, team);
  expect(compiled.reasons).toEqual([]);
  return compiled.rules;
};

describe('territory rules', () => {
  it('parse codes with an optional comment, or objects', () => {
    const rules = rulesOf('a', null, { arrondissements: ['594 Dunkerque', { code: '595', nom: 'Lille' }], epci: ['MEL'] });
    expect(rules.map((r) => [r.level, r.code, r.label])).toEqual([['arrondissement', '594', 'Dunkerque'], ['arrondissement', '595', 'Lille'], ['epci', 'MEL', '']]);
    expect(compileRules({ cantons: ['1'] }, { team: 'a', section: null }, 'A').reasons).toEqual([expect.stringContaining('cantons')]);
    expect(compileRules({ communes: '59350' }, { team: 'a', section: null }, 'A').reasons).toEqual([expect.stringContaining('liste')]);
    expect(compileRules({ communes: [''] }, { team: 'a', section: null }, 'A').reasons).toEqual([expect.stringContaining('invalide')]);
  });

  it('the most specific rule wins: commune > EPCI > arrondissement > département, UAI above all', () => {
    const rules: Rule[] = [
      ...rulesOf('nord', null, { departements: ['59'] }),
      ...rulesOf('flandre', 'maritime', { arrondissements: ['594'] }),
      ...rulesOf('flandre', 'interieure', { epci: ['CCF'] }),
      ...rulesOf('metropole', null, { epci: ['MEL'] }),
      ...rulesOf('lille', 'centre', { communes: ['59350'] }),
      ...rulesOf('nord', null, { lycees: ['0590002B'] }),
    ];
    const { targets, unmatchedLycees, unmatchedRules } = resolveRules(rules, E);
    expect(Object.fromEntries([...targets].map(([uai, t]) => [uai, `${t.team}/${t.section ?? '-'}`]))).toEqual({
      '0590001A': 'lille/centre',
      '0590002B': 'nord/-',
      '0590003C': 'flandre/maritime',
      '0590004D': 'flandre/interieure',
    });
    expect(targets.has('0590005F')).toBe(false);
    expect(unmatchedLycees.map((e) => e.uai)).toEqual(['0620001E']);
    expect(unmatchedRules).toEqual([]);
  });

  it('a section rule refines its team rule; rules matching nothing are listed', () => {
    const rules = [
      ...rulesOf('nord', null, { departements: ['59'] }),
      ...rulesOf('nord', 'flandre', { arrondissements: ['594'], communes: ['99999 Nulle part'] }),
      ...rulesOf('pdc', null, { departements: ['62', '80'] }),
    ];
    const { targets, unmatchedRules } = resolveRules(rules, E);
    expect(targets.get('0590003C')).toMatchObject({ team: 'nord', section: 'flandre' });
    expect(targets.get('0590001A')).toMatchObject({ team: 'nord', section: null });
    expect(targets.get('0620001E')).toMatchObject({ team: 'pdc', section: null });
    expect(unmatchedRules.map((r) => r.code)).toEqual(['99999', '80']);
  });

  it('a code claimed twice at the same level is a conflict', () => {
    expect(ruleConflicts([...rulesOf('a', null, { epci: ['MEL'] }), ...rulesOf('b', null, { epci: ['MEL'] })])).toEqual([expect.stringContaining('plusieurs équipes')]);
    expect(ruleConflicts([...rulesOf('a', 's1', { epci: ['MEL'] }), ...rulesOf('a', 's2', { epci: ['MEL'] })])).toEqual([expect.stringContaining('plusieurs sections')]);
    expect(ruleConflicts([...rulesOf('a', null, { epci: ['MEL'] }), ...rulesOf('a', 's1', { epci: ['MEL'] })])).toEqual([]);
  });
});
