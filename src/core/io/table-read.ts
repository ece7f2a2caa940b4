/**
 * Reading a user's spreadsheet (CSV or XLSX) into tables of text cells, for every tabular import
 * (PC park, plans). Never throws on user data: a file that cannot be read gives a reason, a row that
 * cannot be read carries its problem (an unclosed quote, a different separator) so that the import
 * rejects it by line instead of losing it. Every sheet of a workbook is read, visible ones first.
 */
import type { CellValue, Worksheet } from 'exceljs';
import { loadExcel } from './excel.ts';
import Papa from 'papaparse';
import { decodeText, listSome, refuse, showValue, sniffFile, type ImportRefusal } from './import-report.ts';

export interface TableRow {
  /** 1-based line (CSV) or row number (XLSX) as the user sees it in their tool. */
  line: number;
  /** « ligne 12 » or « feuille « Parc 2 », ligne 12 ». */
  where: string;
  cells: string[];
  /** Set when the row could not be split into cells: the import rejects it with this reason. */
  problem: string | null;
}

export interface Table {
  /** Sheet name (XLSX), null for a CSV. */
  sheet: string | null;
  hidden: boolean;
  headers: string[];
  headerLine: number;
  rows: TableRow[];
  /** Cells whose value is a formula without a cached result, by row line. */
  formulaCells: Map<number, Set<number>>;
}

export interface TableFile {
  format: 'CSV' | 'XLSX';
  encoding: string | null;
  /** Sheets with at least a header row, visible ones first. */
  tables: Table[];
  /** How the file was read (encoding, separator, sheets), for the report. */
  notes: string[];
}

export type TableResult = { ok: true; file: TableFile } | ImportRefusal;

/** Leading characters that make a spreadsheet read a cell as a formula (the exports prefix them with « ' »). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Undoes the exports' neutralisation: « '=x » is read back as « =x ». */
function cellValue(raw: string): string {
  const text = raw.trim();
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

const DELIMITERS = [';', ',', '\t', '|'] as const;
const delimiterName = (d: string) => (d === '\t' ? 'la tabulation' : d === ';' ? 'le point-virgule' : d === ',' ? 'la virgule' : `le caractère « ${d} »`);

/** The separator used most in the header line (outside quotes); ties go to the French « ; ». */
function headerDelimiter(text: string): string | null {
  const start = text.search(/\S/);
  if (start < 0) return null;
  const end = text.slice(start).search(/[\r\n]/);
  const header = end < 0 ? text.slice(start) : text.slice(start, start + end);
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best: string | null = null;
  for (const d of DELIMITERS) if (counts.get(d)! > 0 && (best === null || counts.get(d)! > counts.get(best)!)) best = d;
  return best;
}

/** Number of line breaks in text[from, to), in the file's own line-break style. */
function countBreaks(text: string, from: number, to: number, lf: boolean): number {
  let n = 0;
  const target = lf ? '\n' : '\r';
  for (let i = text.indexOf(target, from); i >= 0 && i < to; i = text.indexOf(target, i + 1)) n++;
  return n;
}

/** After this many unclosed quotes, the rest of the file is read without quote handling (linear time). */
const QUOTE_RESTARTS = 20;

interface CsvChunk {
  rows: { line: number; cells: string[]; problem: string | null }[];
  /** An unclosed quote: the line where it starts and the offset of the next line. */
  unclosed: { line: number; next: number } | null;
}

function parseChunk(text: string, from: number, firstLine: number, delimiter: string, quotes: boolean, lf: boolean): CsvChunk {
  const rows: CsvChunk['rows'] = [];
  let unclosed: CsvChunk['unclosed'] = null;
  let offset = 0;
  let line = firstLine;
  const input = text.slice(from);
  Papa.parse<string[]>(input, {
    delimiter,
    quoteChar: quotes ? '"' : '\u0000',
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = offset;
      const end = result.meta.cursor;
      offset = end;
      const quoteErrors = result.errors.filter((e) => e.type === 'Quotes');
      const breaks = countBreaks(input, start, end, lf);
      // A quote problem that ran past the end of its line has swallowed the following lines: reject
      // the line where it starts and read again from the next one.
      if (quoteErrors.some((e) => e.code === 'MissingQuotes') || (quoteErrors.length > 0 && breaks > 1)) {
        const lineEnd = input.slice(start).search(/\r\n|\n|\r/);
        const next = lineEnd < 0 ? input.length : start + lineEnd + (input.slice(start + lineEnd, start + lineEnd + 2) === '\r\n' ? 2 : 1);
        unclosed = { line, next: from + next };
        parser.abort();
        return;
      }
      const cells = quotes ? result.data : result.data.map((c) => (/^".*"$/s.test(c.trim()) ? c.trim().slice(1, -1).replace(/""/g, '"') : c));
      rows.push({ line, cells, problem: quoteErrors.length > 0 ? 'guillemets mal placés dans la ligne : les cellules ne peuvent pas être séparées' : null });
      line += breaks;
    },
  });
  return { rows, unclosed };
}

function readCsv(bytes: Uint8Array): TableResult {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const { text, encoding } = decoded;
  if (text.trim() === '') return refuse('Le fichier est vide.');
  const found = headerDelimiter(text);
  const delimiter = found ?? ';';
  const lf = text.includes('\n');
  const notes = [`CSV lu en ${encoding}, ${found ? `${delimiterName(delimiter)} comme séparateur` : 'aucun séparateur dans l’en-tête (une seule colonne)'}`];
  const raw: CsvChunk['rows'] = [];
  let from = 0;
  let line = 1;
  for (let restarts = 0; ; restarts++) {
    const chunk = parseChunk(text, from, line, delimiter, restarts <= QUOTE_RESTARTS, lf);
    raw.push(...chunk.rows);
    if (!chunk.unclosed) break;
    const { line: bad, next } = chunk.unclosed;
    raw.push({ line: bad, cells: [], problem: 'guillemet ouvert qui n’est pas refermé sur cette ligne : ligne rejetée, la lecture reprend à la ligne suivante' });
    if (restarts === QUOTE_RESTARTS) notes.push(`Plus de ${QUOTE_RESTARTS} guillemets non refermés : la suite du fichier est lue sans tenir compte des guillemets.`);
    from = next;
    line = bad + 1;
    if (from >= text.length) break;
  }
  const nonEmpty = raw.filter((r) => r.problem !== null || r.cells.some((c) => c.trim() !== ''));
  if (nonEmpty.length === 0) return refuse('Le fichier ne contient aucune ligne.');
  const [head, ...rest] = nonEmpty;
  if (head.problem) return refuse(`En-tête illisible (ligne ${head.line}) : ${head.problem}.`);
  const headers = head.cells.map(cellValue);
  const otherDelimiters = DELIMITERS.filter((d) => d !== delimiter);
  const rows: TableRow[] = rest.map((r) => {
    const cells = r.cells.map(cellValue);
    let problem = r.problem;
    if (!problem && headers.length > 1 && cells.filter((c) => c !== '').length === 1) {
      const other = otherDelimiters.find((d) => cells.some((c) => c.includes(d)));
      if (other) problem = `séparateur : ${delimiterName(other)} sur cette ligne, ${delimiterName(delimiter)} dans l’en-tête ; les colonnes ne peuvent pas être lues`;
    }
    return { line: r.line, where: `ligne ${r.line}`, cells, problem };
  });
  const table: Table = { sheet: null, hidden: false, headers, headerLine: head.line, rows, formulaCells: new Map() };
  return { ok: true, file: { format: 'CSV', encoding, tables: [table], notes } };
}

function cellText(value: CellValue): { text: string; formulaWithoutResult: boolean } {
  if (value === null || value === undefined) return { text: '', formulaWithoutResult: false };
  if (typeof value === 'object') {
    if (value instanceof Date) return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString(), formulaWithoutResult: false };
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null || typeof result === 'object') return { text: '', formulaWithoutResult: true };
      return { text: String(result), formulaWithoutResult: false };
    }
    if ('richText' in value && Array.isArray(value.richText)) return { text: value.richText.map((r) => (typeof r?.text === 'string' ? r.text : '')).join(''), formulaWithoutResult: false };
    if ('text' in value) return cellText(value.text as CellValue);
    if ('error' in value) return { text: String(value.error), formulaWithoutResult: false };
    return { text: '', formulaWithoutResult: false };
  }
  return { text: String(value), formulaWithoutResult: false };
}

function readSheet(sheet: Worksheet, named: boolean): Table | null {
  const rows: TableRow[] = [];
  const formulaCells = new Map<number, Set<number>>();
  let headers: string[] | null = null;
  let headerLine = 0;
  const where = (line: number) => (named ? `feuille « ${showValue(sheet.name, 40)} », ligne ${line}` : `ligne ${line}`);
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const values = Array.isArray(row.values) ? (row.values as CellValue[]) : [];
    for (let c = 1; c < values.length; c++) {
      const { text, formulaWithoutResult } = cellText(values[c]);
      cells[c - 1] = cellValue(text);
      if (formulaWithoutResult) {
        const set = formulaCells.get(rowNumber) ?? new Set<number>();
        set.add(c - 1);
        formulaCells.set(rowNumber, set);
      }
    }
    for (let c = 0; c < cells.length; c++) cells[c] ??= '';
    if (!cells.some((c) => c !== '') && !formulaCells.has(rowNumber)) return;
    if (headers === null) {
      headers = cells;
      headerLine = rowNumber;
    } else rows.push({ line: rowNumber, where: where(rowNumber), cells, problem: null });
  });
  if (headers === null) return null;
  return { sheet: sheet.name, hidden: sheet.state !== 'visible', headers, headerLine, rows, formulaCells };
}

async function readXlsx(bytes: Uint8Array): Promise<TableResult> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    return refuse('Classeur XLSX illisible (fichier endommagé ou d’un autre format). Ouvrez-le dans votre tableur et enregistrez-le à nouveau en .xlsx ou en CSV.');
  }
  // A hidden sheet is usually a helper (lists, old data): it comes after the visible ones.
  const sheets = [...workbook.worksheets].sort((a, b) => Number(a.state !== 'visible') - Number(b.state !== 'visible'));
  const tables: Table[] = [];
  const empty: string[] = [];
  for (const sheet of sheets) {
    const table = readSheet(sheet, false);
    if (table) tables.push(table);
    else empty.push(`« ${showValue(sheet.name, 40)} »`);
  }
  if (tables.length === 0) return refuse('Le classeur ne contient aucune feuille remplie.');
  if (tables.length > 1) {
    // Lines are then named with their sheet, as the user finds them.
    for (const table of tables) for (const row of table.rows) row.where = `feuille « ${showValue(table.sheet, 40)} », ligne ${row.line}`;
  }
  const described = tables.map((t) => `${t.hidden ? 'feuille masquée' : 'feuille'} « ${showValue(t.sheet, 40)} » (en-têtes ligne ${t.headerLine}, ${t.rows.length} ligne(s))`);
  const notes = [`XLSX : ${listSome(described, 4)}`];
  if (empty.length > 0) notes.push(`Feuille(s) vide(s) : ${listSome(empty, 4)}.`);
  return { ok: true, file: { format: 'XLSX', encoding: null, tables, notes } };
}

export async function readTable(bytes: Uint8Array, fileName: string): Promise<TableResult> {
  const sniffed = sniffFile(bytes, fileName, { xlsx: true, label: 'CSV ou XLSX attendu' });
  if (!sniffed.ok) return sniffed;
  return sniffed.kind === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}

/** Header matching: accents, case and punctuation ignored. */
export function normalizeHeader(header: string): string {
  return header
    .slice(0, 200)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const headerList = (headers: readonly string[]) => listSome(headers.map((h) => `« ${showValue(h, 30)} »`), 8) || '(aucun en-tête)';

/** The reason for a header of one cell: the separator was not recognised. */
export function singleColumn(headers: readonly string[]): string {
  return `Une seule colonne lue (${headerList(headers)}) : le séparateur n’est pas reconnu. Utilisez le point-virgule, la virgule ou la tabulation, le même sur toutes les lignes.`;
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
    if (hits.length > 1) return { reason: `Plusieurs colonnes peuvent être « ${label} » : ${headerList(hits.map((i) => headers[i]))}. Renommez celle qui ne l’est pas.` };
  }
  if (headers.length === 1) return { reason: singleColumn(headers) };
  return { reason: `Colonne « ${label} » introuvable parmi : ${headerList(headers)}.` };
}

/** French and plain numbers: "1 234", "1 234,5", "1234.5", "1.234" (thousands). Null when not a number. */
export function parseFrenchNumber(raw: string): number | null {
  if (raw.length > 40) return null;
  let s = raw.replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  else if (/^-?\d+(,\d+)?$/.test(s)) s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)) return null;
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}

/**
 * The tables of a file that hold the columns an import needs. Rows of the other sheets are rejected
 * one by one (never lost in silence); when no table has them, the file is refused with the reason.
 */
export function tablesWithColumns<C>(file: TableFile, find: (headers: readonly string[]) => C | { reason: string }, reject: (row: TableRow, reason: string) => void): { table: Table; columns: C }[] | ImportRefusal {
  const found = file.tables.map((table) => ({ table, columns: find(table.headers) }));
  const usable = found.filter((f): f is { table: Table; columns: C } => !(typeof f.columns === 'object' && f.columns !== null && 'reason' in f.columns));
  if (usable.length === 0) {
    const first = found[0].columns as { reason: string };
    return refuse(file.tables.length > 1 ? `Aucune feuille n’a les colonnes attendues. Feuille « ${showValue(found[0].table.sheet, 40)} » : ${first.reason}` : first.reason);
  }
  for (const f of found) {
    if (usable.some((u) => u.table === f.table)) continue;
    const reason = `feuille « ${showValue(f.table.sheet, 40)} » non importée : ${(f.columns as { reason: string }).reason}`;
    for (const row of f.table.rows) reject(row, reason);
  }
  return usable;
}
