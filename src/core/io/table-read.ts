/**
 * Reading a user's spreadsheet (CSV or XLSX) into a header + rows of text cells, for every tabular
 * import (PC park, plans). Never throws on user data: a file that cannot be read gives a reason.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

export interface TableRow {
  /** 1-based line (CSV) or row number (XLSX) as the user sees it in their tool. */
  line: number;
  cells: string[];
}

export interface Table {
  headers: string[];
  rows: TableRow[];
  /** Notes about how the file was read (encoding, sheet), for the report. */
  notes: string[];
  /** Cells whose value is a formula without a cached result, by row line. */
  formulaCells: Map<number, Set<number>>;
}

export type TableResult = { ok: true; table: Table } | { ok: false; reason: string };

/** UTF-8 when the bytes are valid UTF-8 (BOM or not); otherwise Windows-1252, the usual French Excel CSV export. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252' };
  }
}

function isXlsx(bytes: Uint8Array, fileName: string): boolean {
  // XLSX files are ZIP archives: "PK\x03\x04".
  return /\.xlsx$/i.test(fileName) || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04);
}

function readCsv(bytes: Uint8Array): TableResult {
  const { text, encoding } = decodeText(bytes);
  if (text.trim() === '') return { ok: false, reason: 'Le fichier est vide.' };
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [';', ',', '\t', '|'] });
  const data = parsed.data;
  if (data.length === 0) return { ok: false, reason: 'Le fichier ne contient aucune ligne.' };
  const [headers, ...rest] = data;
  return {
    ok: true,
    table: {
      headers: headers.map((h) => h.trim()),
      rows: rest.map((cells, i) => ({ line: i + 2, cells: cells.map((c) => c.trim()) })),
      notes: [`CSV lu en ${encoding}, séparateur « ${parsed.meta.delimiter === '\t' ? 'tabulation' : parsed.meta.delimiter} »`],
      formulaCells: new Map(),
    },
  };
}

function cellText(value: ExcelJS.CellValue): { text: string; formulaWithoutResult: boolean } {
  if (value === null || value === undefined) return { text: '', formulaWithoutResult: false };
  if (typeof value === 'object') {
    if (value instanceof Date) return { text: value.toISOString(), formulaWithoutResult: false };
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null || typeof result === 'object') return { text: '', formulaWithoutResult: true };
      return { text: String(result), formulaWithoutResult: false };
    }
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join(''), formulaWithoutResult: false };
    if ('text' in value) return { text: String(value.text), formulaWithoutResult: false };
    if ('error' in value) return { text: String(value.error), formulaWithoutResult: false };
    return { text: '', formulaWithoutResult: false };
  }
  return { text: String(value), formulaWithoutResult: false };
}

async function readXlsx(bytes: Uint8Array): Promise<TableResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    return { ok: false, reason: 'Classeur XLSX illisible (fichier endommagé ou d’un autre format).' };
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return { ok: false, reason: 'Le classeur ne contient aucune feuille remplie.' };
  const rows: TableRow[] = [];
  const formulaCells = new Map<number, Set<number>>();
  let headers: string[] | null = null;
  let headerLine = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const values = row.values as ExcelJS.CellValue[];
    for (let c = 1; c < values.length; c++) {
      const { text, formulaWithoutResult } = cellText(values[c]);
      cells[c - 1] = text.trim();
      if (formulaWithoutResult) {
        const set = formulaCells.get(rowNumber) ?? new Set<number>();
        set.add(c - 1);
        formulaCells.set(rowNumber, set);
      }
    }
    for (let c = 0; c < cells.length; c++) cells[c] ??= '';
    if (headers === null) {
      headers = cells;
      headerLine = rowNumber;
    } else rows.push({ line: rowNumber, cells });
  });
  if (headers === null) return { ok: false, reason: 'La feuille est vide.' };
  return { ok: true, table: { headers, rows, notes: [`XLSX, feuille « ${sheet.name} », en-têtes ligne ${headerLine}`], formulaCells } };
}

export async function readTable(bytes: Uint8Array, fileName: string): Promise<TableResult> {
  if (bytes.length === 0) return { ok: false, reason: 'Le fichier est vide.' };
  return isXlsx(bytes, fileName) ? readXlsx(bytes) : readCsv(bytes);
}

/** Header matching: accents, case and punctuation ignored. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Index of the first header matching one of the patterns (tested in order of preference), or the
 * reason why none or several do.
 */
export function findColumn(headers: readonly string[], patterns: readonly RegExp[], label: string): { index: number } | { reason: string } {
  const normalized = headers.map(normalizeHeader);
  for (const pattern of patterns) {
    const hits = normalized.flatMap((h, i) => (pattern.test(h) ? [i] : []));
    if (hits.length === 1) return { index: hits[0] };
    if (hits.length > 1) return { reason: `Plusieurs colonnes peuvent être « ${label} » : ${hits.map((i) => `« ${headers[i]} »`).join(', ')}. Renommez celle qui ne l’est pas.` };
  }
  return { reason: `Colonne « ${label} » introuvable parmi : ${headers.map((h) => `« ${h} »`).join(', ') || '(aucun en-tête)'}.` };
}

/** French and plain numbers: "1 234", "1 234,5", "1234.5", "1.234" (thousands). Null when not a number. */
export function parseFrenchNumber(raw: string): number | null {
  let s = raw.replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  else if (/^-?\d+(,\d+)?$/.test(s)) s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)) return null;
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}
