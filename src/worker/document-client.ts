/**
 * Runs document jobs in a Web Worker with progress, one at a time. The worker stays alive between
 * jobs (it keeps the Région's commune graph); `cancel` terminates it — the territory union and the
 * PDF layout run synchronously inside it — and the next job starts a fresh one.
 */
import type { DocumentJob, FromDocumentWorker, Georeference } from './document-protocol';

export class DocumentCancelled extends Error {
  constructor() {
    super('Export annulé.');
  }
}

export interface DocumentResult {
  bytes: ArrayBuffer;
  mime: string;
  notes: string[];
  georef: Georeference | null;
}

export class DocumentClient {
  private worker: Worker | null = null;
  private reject: ((error: Error) => void) | null = null;

  run(job: DocumentJob, onProgress: (fraction: number, label: string) => void): Promise<DocumentResult> {
    if (this.reject) this.cancel();
    const worker = (this.worker ??= new Worker(new URL('./document.worker.ts', import.meta.url), { type: 'module' }));
    return new Promise<DocumentResult>((resolve, reject) => {
      this.reject = reject;
      const finish = () => {
        this.reject = null;
      };
      worker.onmessage = (event: MessageEvent<FromDocumentWorker>) => {
        if (this.worker !== worker) return;
        const message = event.data;
        if (message.type === 'progress') onProgress(message.fraction, message.label);
        else if (message.type === 'result') {
          finish();
          resolve({ bytes: message.bytes, mime: message.mime, notes: message.notes, georef: message.georef });
        } else {
          finish();
          reject(new Error(message.message));
        }
      };
      worker.onerror = (event) => {
        finish();
        worker.terminate();
        if (this.worker === worker) this.worker = null;
        reject(new Error(`Le calcul s’est arrêté : ${event.message || 'erreur inconnue'}.`));
      };
      worker.postMessage({ type: 'run', job });
    });
  }

  cancel(): void {
    if (!this.worker || !this.reject) return;
    this.worker.terminate();
    this.worker = null;
    this.reject?.(new DocumentCancelled());
    this.reject = null;
  }
}
