import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { pcParkEntries, readPcPark } from '../../../src/core/io/pc-park';
import { parseFrenchNumber } from '../../../src/core/io/table-read';

const known = new Set(['0490003M', '0490001K', '0492123S', '0490002L', '0490005P', '0490013Y', '0490040C']);
const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/pc-park/${name}`));

async function xlsx(rows: ExcelJS.CellValue[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Parc');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('PC-park import', () => {
  it('accepts good rows and lists every rejected row with its reason', async () => {
    const result = await readPcPark(fixture('parc-ok.csv'), 'parc-ok.csv', known);
    if (!result.ok) throw new Error(result.reasons.join());
    const { report } = result;
    expect(report.columns).toEqual({ uai: 'UAI', count: 'Nb PC' });
    expect(report.accepted).toEqual([
      { line: 2, where: 'ligne 2', uai: '0490003M', count: 1234 },
      { line: 3, where: 'ligne 3', uai: '0490001K', count: 512 },
    ]);
    expect(report.accepted.length + report.rejected.length).toBe(report.rowsRead);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(reasons[4]).toContain('0492123S');
    expect(report.rejected.find((r) => r.line === 4)?.suggestion).toBe('0492123S');
    expect(reasons[5]).toContain('n’est pas un nombre');
    expect(reasons[6]).toBe('nombre de PC négatif');
    expect(reasons[7]).toContain('en double');
    expect(reasons[8]).toMatch(/invalide|inconnu/);
    expect(reasons[9]).toContain('invraisemblable');
    expect(reasons[10]).toBe('nombre de PC manquant');
    expect(pcParkEntries(report)).toEqual({ '0490003M': { count: 1234, source: 'parc-ok.csv' }, '0490001K': { count: 512, source: 'parc-ok.csv' } });
  });

  it('reads comma-separated files and Windows-1252 exports', async () => {
    const comma = await readPcPark(fixture('virgule.csv'), 'virgule.csv', known);
    expect(comma.ok && comma.report.accepted).toEqual([{ line: 2, where: 'ligne 2', uai: '0490003M', count: 120 }]);
    const latin = await readPcPark(fixture('latin1.csv'), 'latin1.csv', known);
    if (!latin.ok) throw new Error(latin.reasons.join());
    expect(latin.report.columns.uai).toBe('Établissement');
    expect(latin.report.notes[0]).toContain('Windows-1252');
    expect(latin.report.accepted).toHaveLength(1);
  });

  it('explains unreadable files instead of throwing', async () => {
    expect(await readPcPark(fixture('vide.csv'), 'vide.csv', known)).toEqual({ ok: false, reasons: ['Le fichier est vide.'] });
    const missing = await readPcPark(fixture('sans-colonnes.csv'), 'sans-colonnes.csv', known);
    expect(missing.ok === false && missing.reasons[0]).toContain('Colonne « UAI » introuvable');
    const twice = await readPcPark(fixture('entetes-doubles.csv'), 'entetes-doubles.csv', known);
    expect(twice.ok === false && twice.reasons[0]).toContain('Plusieurs colonnes');
    const garbage = await readPcPark(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'x.xlsx', known);
    expect(garbage.ok === false && garbage.reasons[0]).toContain('XLSX illisible');
  });

  it('reads XLSX with numbers, formulas and huge values', async () => {
    const bytes = await xlsx([
      ['UAI', 'Nombre de PC'],
      ['0490003M', 250],
      ['0490001K', { formula: 'A1*2', result: 40 }],
      ['0490002L', { formula: 'B2*2' }],
      ['0490005P', 1e12],
    ]);
    const result = await readPcPark(bytes, 'parc.xlsx', known);
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.accepted).toEqual([
      { line: 2, where: 'ligne 2', uai: '0490003M', count: 250 },
      { line: 3, where: 'ligne 3', uai: '0490001K', count: 40 },
    ]);
    expect(result.report.rejected.map((r) => r.reason)).toEqual([expect.stringContaining('formule'), expect.stringContaining('invraisemblable')]);
  });

  it('parses French numbers', () => {
    expect(parseFrenchNumber('1 234')).toBe(1234);
    expect(parseFrenchNumber('1\u202f234,5')).toBe(1234.5);
    expect(parseFrenchNumber('1.234')).toBe(1234);
    expect(parseFrenchNumber('12.5')).toBe(12.5);
    expect(parseFrenchNumber('12 PC')).toBeNull();
  });
});
