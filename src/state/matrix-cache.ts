/** Drive-time matrices cached in IndexedDB (their own database), so a Région's matrix is fetched once. */
import Dexie, { type EntityTable } from 'dexie';
import type { MatrixCache } from '../core/routing/providers';
import type { Matrix } from '../core/routing/types';

interface CachedMatrix {
  key: string;
  savedAt: string;
  matrix: Matrix;
}

export class MatrixDatabase extends Dexie {
  matrices!: EntityTable<CachedMatrix, 'key'>;

  constructor(name = 'maillage-matrices', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ matrices: 'key, savedAt' });
  }
}

export class IndexedDbMatrixCache implements MatrixCache {
  constructor(private readonly db = new MatrixDatabase()) {}

  async get(key: string): Promise<Matrix | undefined> {
    return (await this.db.matrices.get(key))?.matrix;
  }

  async set(key: string, matrix: Matrix): Promise<void> {
    await this.db.matrices.put({ key, savedAt: new Date().toISOString(), matrix });
  }
}
