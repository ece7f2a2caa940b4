/**
 * Loading a shared matrix file (« Charger une matrice ») through the common import layer: the
 * bytes are recognised and decoded like every other import, the file is validated by
 * routing/matrix-file, and the result is a report whose rows are the matrix's points.
 */
import { readMatrixFile, type MatrixPoint } from '../routing/matrix-file.ts';
import type { Matrix } from '../routing/types.ts';
import { decodeText, finishReport, refuse, showValue, sniffFile, type ImportRefusal, type ImportReport } from './import-report.ts';

export interface MatrixReport extends ImportReport<MatrixPoint> {
  regionCode: string;
  matrix: Matrix;
}

export type MatrixImport = { ok: true; report: MatrixReport } | ImportRefusal;

export function importMatrixFile(bytes: Uint8Array, fileName: string, regionCode: string): MatrixImport {
  const sniffed = sniffFile(bytes, fileName, { xlsx: false, label: 'fichier de matrice JSON attendu, produit par « npm run matrix »' });
  if (!sniffed.ok) return sniffed;
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const file = readMatrixFile(decoded.text);
  if (!file.ok) return refuse(file.reason);
  if (file.regionCode !== regionCode) return refuse(`Cette matrice concerne la Région de code ${showValue(file.regionCode, 8)}, pas celle affichée (code ${regionCode}).`);
  const notes = [`Matrice ${file.points.length} × ${file.points.length} lue en ${decoded.encoding} ; source : ${showValue(file.matrix.provider.label, 80)}.`];
  if (file.matrix.unroutable.length > 0) notes.push(`${file.matrix.unroutable.length.toLocaleString('fr-FR')} trajet(s) sans itinéraire routier.`);
  return {
    ok: true,
    report: finishReport({ fileName, format: 'matrice de temps de trajet', encoding: decoded.encoding, rowsRead: file.points.length, accepted: file.points, rejected: [], notes, regionCode: file.regionCode, matrix: file.matrix }),
  };
}
