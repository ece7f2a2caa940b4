import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { GEOJSON_FORMAT } from '../../../src/core/io/geojson-export';
import { bounded, decodeText, parseJsonStrict, showValue, sniffFile } from '../../../src/core/io/import-report';
import { readPcPark } from '../../../src/core/io/pc-park';
import { importPlanFile, importPlanGeoJson } from '../../../src/core/io/plan-import';
import { importProposal } from '../../../src/core/io/proposal-file';
import { neutraliseFormula } from '../../../src/core/io/table-export';
import { readTable } from '../../../src/core/io/table-read';
import { checkKnownUai } from '../../../src/core/uai';
import { KNOWN, REGION, uais } from '../../helpers/malformed-files';

const utf8 = (text: string) => new TextEncoder().encode(text);
const [A, B, C, D] = uais(4);
const planOptions = (fileName: string) => ({ newId: 'n', now: '2026-11-25T00:00:00Z', fileName, regionCode: REGION, known: KNOWN });

describe('validation layer', () => {
  it('names the encoding it read', () => {
    const text = 'UAI;Équipe\n';
    const utf16le = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    const utf16be = new Uint8Array([...[...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])]);
    const decoded = [utf8(text), utf8(`\uFEFF${text}`), utf16le, utf16be, new Uint8Array([0x55, 0x3b, 0xc9, 0x92, 0x80])].map((b) => {
      const d = decodeText(b);
      return d.ok ? [d.encoding, d.text] : d.reasons[0];
    });
    expect(decoded).toEqual([['UTF-8', text], ['UTF-8 avec BOM', text], ['UTF-16 LE avec BOM', text], ['UTF-16 BE', text], ['Windows-1252', 'U;É’€']]);
  });

  it('refuses .xls and other formats by name', () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const refusal = (bytes: Uint8Array, name: string) => {
      const r = sniffFile(bytes, name, { xlsx: true, label: 'CSV ou XLSX attendu' });
      return r.ok ? r.kind : r.reasons[0];
    };
    expect(refusal(ole, 'parc.xls')).toMatch(/^Classeur Excel 97-2003 \(\.xls\).*enregistrez-le|Enregistrez-le/);
    expect(refusal(utf8('UAI;PC'), 'parc.ods')).toMatch(/^Classeur OpenDocument \(\.ods\)/);
    expect(refusal(utf8('%PDF-1.4'), 'parc.csv')).toMatch(/^Document PDF/);
    expect(refusal(utf8('UAI;PC'), 'parc.csv')).toBe('text');
  });

  it('shows values truncated with control characters visible, and bounds messages', () => {
    expect(showValue('a\u0000b\tc\u202ed')).toBe('a‹U+0000›b⇥c‹U+202E›d');
    expect(showValue('x'.repeat(1_000_000))).toMatch(/^x{59}… \(1\s000\s000 caractères\)$/);
    expect(showValue({ toString: () => { throw new Error('no'); } })).toBe('(objet)');
    expect(showValue(undefined)).toBe('(absent)');
    expect(bounded('y'.repeat(5000))).toHaveLength(300);
  });

  it('detects duplicate keys and deep nesting before parsing', () => {
    expect(parseJsonStrict('{"a":1,"b":{"a":2},"a":3}', 'X')).toMatchObject({ ok: false, reasons: [expect.stringContaining('« a » ligne 1')] });
    expect(parseJsonStrict('{"a\\u0062":1,"ab":2}', 'X')).toMatchObject({ ok: false });
    expect(parseJsonStrict('[{"a":1},{"a":2}]', 'X')).toEqual({ ok: true, value: [{ a: 1 }, { a: 2 }] });
    expect(parseJsonStrict('"{\\"a\\":1,\\"a\\":2}"', 'X')).toMatchObject({ ok: true });
    expect(parseJsonStrict(`${'['.repeat(40)}${']'.repeat(40)}`, 'X')).toMatchObject({ ok: false, reasons: [expect.stringContaining('imbrication')] });
  });

  it('computes UAI suggestions only for codes of plausible length', () => {
    const start = performance.now();
    const long = checkKnownUai('0490001'.repeat(150_000), KNOWN);
    expect(long).toMatchObject({ ok: false, suggestion: null });
    expect((long as { reason: string }).reason.length).toBeLessThan(200);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(checkKnownUai(`${A.slice(0, 7)}Q`, KNOWN)).toMatchObject({ ok: false, suggestion: A });
  });
});

describe('tables', () => {
  it('an unclosed quote rejects its own line only, with the line as the spreadsheet counts it', async () => {
    const result = await readPcPark(utf8(`UAI;Nb PC\n${A};10\n"${B};20\n\n${C};30\n${D};"40\n`), 'parc.csv', KNOWN);
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.accepted.map((r) => [r.line, r.uai])).toEqual([[2, A], [5, C]]);
    expect(result.report.rejected.map((r) => [r.line, r.reason.slice(0, 16)])).toEqual([[3, 'guillemet ouvert'], [6, 'guillemet ouvert']]);
    expect(result.report.rowsRead).toBe(4);
  });

  it('says when a line uses another separator than the header', async () => {
    const result = await readPcPark(utf8(`UAI;Nb PC\n${A},10\n${B};20\n`), 'parc.csv', KNOWN);
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.rejected).toEqual([expect.objectContaining({ line: 2, reason: expect.stringContaining('la virgule sur cette ligne, le point-virgule dans l’en-tête') })]);
  });

  it('reads every sheet of a workbook, visible ones first, and rejects rows of sheets without the columns', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Archive', { state: 'hidden' }).addRows([['UAI', 'Nb PC'], [A, 1], [B, 2]]);
    book.addWorksheet('Parc').addRows([['UAI', 'Nb PC'], [A, 10]]);
    book.addWorksheet('Notes').addRows([['Remarque'], ['voir Parc']]);
    const result = await readPcPark(new Uint8Array(await book.xlsx.writeBuffer()), 'parc.xlsx', KNOWN);
    if (!result.ok) throw new Error(result.reasons.join());
    const { report } = result;
    expect(report.notes[0]).toMatch(/feuille « Parc ».*feuille « Notes ».*feuille masquée « Archive »/);
    expect(report.accepted.map((r) => [r.where, r.count])).toEqual([['feuille « Parc », ligne 2', 10], ['feuille « Archive », ligne 3', 2]]);
    expect(report.rejected.map((r) => r.where)).toEqual(['feuille « Notes », ligne 2', 'feuille « Archive », ligne 2']);
    expect(report.rejected[1].reason).toContain('déjà feuille « Parc », ligne 2');
    expect(report.rowsRead).toBe(4);
  });

  it('lists a few of the conflicting lines, not all of them', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${A};Équipe ${i}`).join('\n');
    const result = await importPlanFile(utf8(`UAI;Équipe\n${B};Nord\n${rows}\n`), planOptions('plan.csv'));
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.rejected).toHaveLength(2000);
    expect(result.report.rejected[0].reason).toMatch(/aussi ligne 4, ligne 5, ligne 6 et 1\s996 autre\(s\)/);
  });
});

describe('GeoJSON and proposals', () => {
  const meta = (extra: Record<string, unknown>) => ({ format: GEOJSON_FORMAT, version: 1, region: { code: REGION, name: 'Pays de la Loire' }, teams: [{ id: 't1', name: 'Nord', technicians: 2, color: '#000' }], ...extra });
  const lycee = (uai: string, teamId: string) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [0, 47] }, properties: { objet: 'lycee', uai, equipe_id: teamId } });

  it('rejects a reference to a team the metadata does not define instead of creating it', () => {
    const result = importPlanGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [lycee(A, 't1'), lycee(B, 't9')], maillage: meta({}) }), planOptions('plan.geojson'));
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.plan.teams.map((t) => t.id)).toEqual(['t1']);
    expect(result.report.rejected).toEqual([expect.objectContaining({ where: 'objet 2', reason: expect.stringContaining('équipe « t9 » absente des métadonnées') })]);
  });

  it('refuses metadata of another Région by its name, or without a Région', () => {
    const other = importPlanGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [lycee(A, 't1')], maillage: meta({ region: { code: '32', name: 'Hauts-de-France' } }) }), planOptions('plan.geojson'));
    expect(other).toEqual({ ok: false, reasons: [`Ce fichier concerne la Région Hauts-de-France (code 32), pas celle affichée (code ${REGION}). Choisissez cette Région avant d’importer.`] });
    const none = importPlanGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [lycee(A, 't1')], maillage: meta({ region: undefined }) }), planOptions('plan.geojson'));
    expect(none).toMatchObject({ ok: false, reasons: [expect.stringContaining('la Région (region.code) est absente')] });
  });

  it('validates versions and settings of proposal files', () => {
    const file = (version: unknown, settings: unknown) => JSON.stringify({ format: 'maillage-proposal', version, plan: { name: 'P', regionCode: REGION, teams: [], assignment: {}, settings } });
    const options = { newId: 'n', now: 'now', fileName: 'p.json' };
    expect(importProposal(file('1', null), KNOWN, options)).toMatchObject({ ok: false, reasons: [expect.stringContaining('pas le texte « 1 »')] });
    for (const version of [0, -1, 1.5]) expect(importProposal(file(version, null), KNOWN, options)).toMatchObject({ ok: false, reasons: [expect.stringContaining('un nombre entier à partir de 1')] });
    const result = importProposal(file(1, { pcPerStudent: 0.5, tolerances: { establishments: 'dix', pcs: -1, students: 0.2 } }), KNOWN, options);
    if (!result.ok) throw new Error(result.reasons.join());
    expect(result.report.plan.settings).toEqual({ pcPerStudent: 0.5, tolerances: { establishments: 0.1, pcs: 0.05, students: 0.2 } });
    expect(result.report.rejected.map((r) => r.where)).toEqual(['réglages, tolérance lycées', 'réglages, tolérance PC']);
  });
});

describe('exports neutralise formulas', () => {
  it('prefixes formula-like text, keeps numbers, and the import reads the text back', async () => {
    expect(['=cmd|\' /C calc\'!A0', '+33 1', '-3,5', '-x', '@SUM(A1)', '\tTab', 'Nord', 12, '-12'].map(neutraliseFormula)).toEqual(["'=cmd|' /C calc'!A0", "'+33 1", '-3,5', "'-x", "'@SUM(A1)", "'\tTab", 'Nord', 12, '-12']);
    const table = await readTable(utf8(`UAI;Équipe\n${A};'=cmd|' /C calc'!A0\n${B};'Nord\n`), 'plan.csv');
    if (!table.ok) throw new Error(table.reasons.join());
    expect(table.file.tables[0].rows.map((r) => r.cells[1])).toEqual(["=cmd|' /C calc'!A0", "'Nord"]);
  });
});
