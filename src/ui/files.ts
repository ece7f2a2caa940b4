/** Browser file helpers: save a generated file, read a chosen one. */
import { bounded, showValue } from '../core/io/import-report';

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type: `${type};charset=utf-8` }));
}

export async function readFileBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Larger than this, a file is not an export of a Région's lycées (and reading it could exhaust memory). */
const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/**
 * Every import button goes through here: the chosen file is read and handed to `run`; whatever goes
 * wrong (unreadable file, a bug on a file nobody foresaw) becomes a message for `fail`, never an
 * uncaught error, and nothing else is touched.
 */
export async function importChosenFile(event: Event & { currentTarget: HTMLInputElement }, run: (bytes: Uint8Array, fileName: string) => Promise<void> | void, fail: (title: string, lines: string[]) => void): Promise<void> {
  const input = event.currentTarget;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  try {
    if (file.size > MAX_IMPORT_BYTES) {
      fail(`Import refusé : ${showValue(file.name, 80)}`, [`Fichier trop volumineux (${Math.round(file.size / 1048576)} Mo ; ${MAX_IMPORT_BYTES / 1048576} Mo au plus).`]);
      return;
    }
    // The name shows in notices and names the new proposal: bounded and visible like any value.
    await run(await readFileBytes(file), showValue(file.name, 80));
  } catch (error) {
    fail(`Import impossible : ${showValue(file.name, 80)}`, [bounded(`Le fichier n’a pas pu être lu (${error instanceof Error ? error.message : showValue(error)}). La proposition ouverte n’a pas changé.`)]);
  }
}
