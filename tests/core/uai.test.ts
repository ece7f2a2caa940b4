import { describe, expect, it } from 'vitest';
import { checkUai, departementOfUai, isValidUai, normalizeUai, suggestKnownUai, suggestUaiCorrections } from '../../src/core/uai';

// Every UAI of DOMAIN.md's continuity-zone table (with the corrected 0492123S).
const DOMAIN_UAIS = [
  '0441656L', '0440062D', '0441552Y', '0440537V', '0442095N', '0442309W', '0440352U', '0442752C', '0851390Z', '0851400K',
  '0492430A', '0490054T', '0490018D', '0492224B', '0490782J', '0530040F', '0530004S', '0530520C', '0720048L', '0721680K',
  '0720021G', '0720012X', '0720013Y', '0530081A', '0530778H', '0530010Y', '0530011Z', '0530012A', '0530016E', '0530079Y',
  '0530949U', '0720055U', '0491966W', '0490946M', '0492061Z', '0490002L', '0490001K', '0490003M', '0490005P', '0492148U',
  '0491646Y', '0490925P', '0490013Y', '0490801E', '0492123S', '0490784L', '0492089E', '0490055U', '0490963F', '0490040C',
];

describe('UAI', () => {
  it('accepts every code of the published continuity zones', () => {
    for (const uai of DOMAIN_UAIS) expect(isValidUai(uai), uai).toBe(true);
  });

  it('normalises spaces and case', () => {
    expect(normalizeUai(' 0490003m ')).toBe('0490003M');
    expect(checkUai('0490 003m').valid).toBe(true);
  });

  it('detects every single-character corruption', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const uai of ['0490003M', '0590001L'.slice(0, 7) + 'X', '0441656L', '0720055U', '6200043C', '9710002A']) {
      const base = checkUai(uai).valid ? uai : uai.slice(0, 7) + suggestUaiCorrections(uai)[0].slice(7);
      expect(isValidUai(base)).toBe(true);
      for (let i = 0; i < base.length; i++) {
        for (const c of alphabet) {
          if (c === base[i]) continue;
          const corrupted = base.slice(0, i) + c + base.slice(i + 1);
          expect(isValidUai(corrupted), corrupted).toBe(false);
          expect(suggestUaiCorrections(corrupted, 100), corrupted).toContain(base);
        }
      }
    }
  });

  it('suggests the printed-document correction 04921235 → 0492123S first', () => {
    const check = checkUai('04921235');
    expect(check.valid).toBe(false);
    expect(check.problem).toBe('format');
    expect(check.suggestions[0]).toBe('0492123S');
  });

  it('handles look-alikes O/0, I/1, B/8', () => {
    expect(suggestUaiCorrections('O490003M')[0]).toBe('0490003M');
    expect(suggestUaiCorrections('0490OO3M')).toEqual([]);
    expect(suggestUaiCorrections('05300I2A')[0]).toBe('0530012A');
    expect(suggestUaiCorrections('0B51390Z')[0]).toBe('0851390Z');
  });

  it('has no valid neighbour of a valid code (the key catches every substitution)', () => {
    expect(suggestUaiCorrections('0490003M').filter((c) => c.length === 8)).toEqual([]);
  });

  it('explains each problem in French', () => {
    expect(checkUai('').reason).toBe('code UAI vide');
    expect(checkUai('049').problem).toBe('length');
    expect(checkUai('0490003A').problem).toBe('key');
    expect(checkUai('0490003A').suggestions).toContain('0490003M');
  });

  it('completes a missing key letter and drops an extra character', () => {
    expect(suggestUaiCorrections('0490003')).toContain('0490003M');
    expect(suggestUaiCorrections('04900003M')).toContain('0490003M');
  });

  it('restricts suggestions to known establishments', () => {
    const known = new Set(['0492123S']);
    expect(suggestKnownUai('04921235', known)).toEqual(['0492123S']);
  });

  it('reads the département', () => {
    expect(departementOfUai('0490003M')).toBe('49');
    expect(departementOfUai('6200043C')).toBe('2A');
    expect(departementOfUai('7200009X')).toBe('2B');
    expect(departementOfUai('9710002A')).toBe('971');
  });
});
