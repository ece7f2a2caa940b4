import { describe, expect, it } from 'vitest';
import { buildSearchIndex, fold, searchEstablishments } from '../../src/core/search';
import type { Establishment } from '../../src/core/model/establishment';

function lycee(uai: string, name: string, commune: string): Establishment {
  return {
    uai, name, commune, kind: 'LPO', kindSource: 'ips', sector: 'public', horsContrat: false, communeCode: null, departement: '49',
    departementName: 'Maine-et-Loire', academie: 'Nantes', epci: null, epciName: null, lat: 47, lon: -0.5, students: null, studentsYear: null, ips: null,
  };
}

const index = buildSearchIndex([
  lycee('0490003M', 'Lycée polyvalent Chevrollier', 'Angers'),
  lycee('0492123S', 'Lycée général et technologique Jean Moulin', 'Angers'),
  lycee('0490001K', 'Lycée David d’Angers', 'Angers'),
  lycee('0530010Y', 'Lycée Réaumur-Buron', 'Laval'),
  lycee('0490055U', 'Lycée Europe Robert Schuman', 'Cholet'),
]);

describe('establishment search', () => {
  it('folds accents, case and punctuation', () => {
    expect(fold('Réaumur-Buron  ÉCOLE')).toBe('reaumur buron ecole');
  });

  it('finds an exact UAI first, whatever the case', () => {
    expect(searchEstablishments(index, '0490003m')[0].uai).toBe('0490003M');
    expect(searchEstablishments(index, '04900').map((e) => e.uai)).toEqual(['0490001K', '0490003M', '0490055U']);
  });

  it('matches names without accents and ranks name words before communes', () => {
    expect(searchEstablishments(index, 'reaumur')[0].uai).toBe('0530010Y');
    expect(searchEstablishments(index, 'angers')[0].uai).toBe('0490001K');
    expect(searchEstablishments(index, 'angers').map((e) => e.uai)).toHaveLength(3);
  });

  it('requires every word', () => {
    expect(searchEstablishments(index, 'jean moulin angers').map((e) => e.uai)).toEqual(['0492123S']);
    expect(searchEstablishments(index, 'jean cholet')).toEqual([]);
    expect(searchEstablishments(index, '   ')).toEqual([]);
  });
});
