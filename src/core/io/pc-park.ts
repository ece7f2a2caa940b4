/**
 * PC-park import: a CSV or XLSX export of the asset-management tool (UAI + number of computers).
 * Produces a report — accepted rows, each rejected row with its reason — that the user confirms
 * before anything is applied (plan-ops `applyPcPark`, undoable).
 */
import type { PcParkEntry } from '../model/plan.ts';
import { checkKnownUai } from '../uai.ts';
import { findColumn, parseFrenchNumber, readTable, type Table } from './table-read.ts';

export interface PcParkRow {
  line: number;
  uai: string;
  count: number;
}

export interface PcParkRejection {
  line: number;
  value: string;
  reason: string;
  suggestion: string | null;
}

export interface PcParkReport {
  fileName: string;
  columns: { uai: string; count: string };
  notes: string[];
  accepted: PcParkRow[];
  rejected: PcParkRejection[];
}

export type PcParkResult = { ok: true; report: PcParkReport } | { ok: false; reason: string };

const UAI_PATTERNS = [/^(code )?uai$/, /^(code )?rne$/, /\buai\b/, /\brne\b/, /code (etablissement|etab)/, /^etablissement$/];
const COUNT_PATTERNS = [/^(nb|nombre) (de )?(pc|postes?|ordinateurs?)\b/, /\bparc\b/, /\b(pc|postes?|ordinateurs?)\b/, /^(nb|nombre|quantite|total)$/];

/** Above this, a count is almost surely a unit or column mistake (the largest lycées have ~2,000 PCs). */
export const MAX_PLAUSIBLE_PCS = 20_000;

export function buildPcParkReport(table: Table, known: ReadonlySet<string>, fileName: string): PcParkResult {
  const uaiColumn = findColumn(table.headers, UAI_PATTERNS, 'UAI');
  if ('reason' in uaiColumn) return { ok: false, reason: uaiColumn.reason };
  const countColumn = findColumn(table.headers, COUNT_PATTERNS, 'nombre de PC');
  if ('reason' in countColumn) return { ok: false, reason: countColumn.reason };
  if (uaiColumn.index === countColumn.index) return { ok: false, reason: 'La même colonne ne peut être à la fois l’UAI et le nombre de PC.' };
  const accepted: PcParkRow[] = [];
  const rejected: PcParkRejection[] = [];
  const firstLine = new Map<string, number>();
  for (const row of table.rows) {
    const rawUai = row.cells[uaiColumn.index] ?? '';
    const rawCount = row.cells[countColumn.index] ?? '';
    const reject = (reason: string, suggestion: string | null = null) => rejected.push({ line: row.line, value: `${rawUai} ; ${rawCount}`, reason, suggestion });
    const check = checkKnownUai(rawUai, known);
    if (!check.ok) {
      reject(check.reason, check.suggestion);
      continue;
    }
    const uai = check.uai;
    if (table.formulaCells.get(row.line)?.has(countColumn.index)) {
      reject('formule sans valeur calculée : enregistrez le classeur dans le tableur puis réessayez');
      continue;
    }
    const count = parseFrenchNumber(rawCount);
    if (count === null) {
      reject(rawCount === '' ? 'nombre de PC manquant' : `« ${rawCount} » n’est pas un nombre`);
      continue;
    }
    if (count < 0) {
      reject('nombre de PC négatif');
      continue;
    }
    if (!Number.isInteger(count)) {
      reject('nombre de PC non entier');
      continue;
    }
    if (count > MAX_PLAUSIBLE_PCS) {
      reject(`nombre de PC invraisemblable (plus de ${MAX_PLAUSIBLE_PCS.toLocaleString('fr-FR')})`);
      continue;
    }
    const previous = firstLine.get(uai);
    if (previous !== undefined) {
      reject(`UAI ${uai} en double (déjà ligne ${previous})`);
      continue;
    }
    firstLine.set(uai, row.line);
    accepted.push({ line: row.line, uai, count });
  }
  return { ok: true, report: { fileName, columns: { uai: table.headers[uaiColumn.index], count: table.headers[countColumn.index] }, notes: table.notes, accepted, rejected } };
}

export async function readPcPark(bytes: Uint8Array, fileName: string, known: ReadonlySet<string>): Promise<PcParkResult> {
  const table = await readTable(bytes, fileName);
  if (!table.ok) return table;
  return buildPcParkReport(table.table, known, fileName);
}

export function pcParkEntries(report: PcParkReport): Record<string, PcParkEntry> {
  return Object.fromEntries(report.accepted.map((row) => [row.uai, { count: row.count, source: report.fileName }]));
}
