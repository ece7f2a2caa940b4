/**
 * PC-park import: a CSV or XLSX export of the asset-management tool (UAI + number of computers).
 * Produces a report — accepted rows, each rejected row with its line and reason — that the user
 * confirms before anything is applied (plan-ops `applyPcPark`, undoable).
 */
import type { PcParkEntry } from '../model/plan.ts';
import { checkKnownUai, UaiSuggestionBudget } from '../uai.ts';
import { finishReport, showValue, type ImportRefusal, type ImportReport, type Rejected } from './import-report.ts';
import { findColumn, parseFrenchNumber, readTable, singleColumn, tablesWithColumns, type TableFile, type TableRow } from './table-read.ts';

export interface PcParkRow {
  line: number;
  where: string;
  uai: string;
  count: number;
}

export interface PcParkReport extends ImportReport<PcParkRow> {
  columns: { uai: string; count: string };
}

export type PcParkResult = { ok: true; report: PcParkReport } | ImportRefusal;

const UAI_PATTERNS = [/^(code )?uai$/, /^(code )?rne$/, /\buai\b/, /\brne\b/, /code (etablissement|etab)/, /^etablissement$/];
const COUNT_PATTERNS = [/^(nb|nombre) (de )?(pc|postes?|ordinateurs?)\b/, /\bparc\b/, /\b(pc|postes?|ordinateurs?)\b/, /^(nb|nombre|quantite|total)$/];

/** Above this, a count is almost surely a unit or column mistake (the largest lycées have ~2,000 PCs). */
export const MAX_PLAUSIBLE_PCS = 20_000;

/** Null when `count` is a plausible PC count, else the reason. */
export function pcCountProblem(count: number): string | null {
  if (!Number.isFinite(count)) return 'nombre de PC non fini';
  if (count < 0) return 'nombre de PC négatif';
  if (!Number.isInteger(count)) return 'nombre de PC non entier';
  if (count > MAX_PLAUSIBLE_PCS) return `nombre de PC invraisemblable (plus de ${MAX_PLAUSIBLE_PCS.toLocaleString('fr-FR')})`;
  return null;
}

function columnsOf(headers: readonly string[]): { uai: number; count: number } | { reason: string } {
  const uai = findColumn(headers, UAI_PATTERNS, 'UAI');
  if ('reason' in uai) return uai;
  const count = findColumn(headers, COUNT_PATTERNS, 'nombre de PC');
  if ('reason' in count) return count;
  if (uai.index === count.index && headers.length === 1) return { reason: singleColumn(headers) };
  if (uai.index === count.index) return { reason: `La colonne « ${showValue(headers[uai.index], 40)} » ne peut pas être à la fois l’UAI et le nombre de PC : donnez-leur deux colonnes distinctes.` };
  return { uai: uai.index, count: count.index };
}

export function buildPcParkReport(file: TableFile, known: ReadonlySet<string>, fileName: string): PcParkResult {
  const accepted: PcParkRow[] = [];
  const rejected: Rejected[] = [];
  const rejectRow = (row: TableRow, reason: string, value = row.cells.slice(0, 3).join(' ; '), suggestion: string | null = null) => rejected.push({ where: row.where, line: row.line, value, reason, suggestion });
  const usable = tablesWithColumns(file, columnsOf, rejectRow);
  if (!Array.isArray(usable)) return usable;
  const firstWhere = new Map<string, string>();
  const budget = new UaiSuggestionBudget();
  for (const { table, columns } of usable) {
    for (const row of table.rows) {
      const rawUai = row.cells[columns.uai] ?? '';
      const rawCount = row.cells[columns.count] ?? '';
      const value = `${rawUai} ; ${rawCount}`;
      if (row.problem) {
        rejectRow(row, row.problem);
        continue;
      }
      const check = checkKnownUai(rawUai, known, budget);
      if (!check.ok) {
        rejectRow(row, check.reason, value, check.suggestion);
        continue;
      }
      if (table.formulaCells.get(row.line)?.has(columns.count)) {
        rejectRow(row, 'formule sans valeur calculée : enregistrez le classeur dans le tableur puis réessayez', value);
        continue;
      }
      const count = parseFrenchNumber(rawCount);
      if (count === null) {
        rejectRow(row, rawCount === '' ? 'nombre de PC manquant' : `« ${showValue(rawCount, 30)} » n’est pas un nombre`, value);
        continue;
      }
      const problem = pcCountProblem(count);
      if (problem) {
        rejectRow(row, problem, value);
        continue;
      }
      const previous = firstWhere.get(check.uai);
      if (previous !== undefined) {
        rejectRow(row, `UAI ${check.uai} en double (déjà ${previous})`, value);
        continue;
      }
      firstWhere.set(check.uai, row.where);
      accepted.push({ line: row.line, where: row.where, uai: check.uai, count });
    }
  }
  const first = usable[0];
  const rowsRead = file.tables.reduce((n, t) => n + t.rows.length, 0);
  const notes = [...file.notes, ...budget.notes()];
  return {
    ok: true,
    report: finishReport({
      fileName,
      format: file.format,
      encoding: file.encoding,
      rowsRead,
      columns: { uai: showValue(first.table.headers[first.columns.uai], 40), count: showValue(first.table.headers[first.columns.count], 40) },
      notes,
      accepted,
      rejected,
    }),
  };
}

export async function readPcPark(bytes: Uint8Array, fileName: string, known: ReadonlySet<string>): Promise<PcParkResult> {
  const table = await readTable(bytes, fileName);
  if (!table.ok) return table;
  return buildPcParkReport(table.file, known, fileName);
}

export function pcParkEntries(report: PcParkReport): Record<string, PcParkEntry> {
  return Object.fromEntries(report.accepted.map((row) => [row.uai, { count: row.count, source: report.fileName }]));
}
