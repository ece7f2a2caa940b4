/** Drive-time matrices cached in IndexedDB (their own database), so a Région's matrix is fetched once. */
import Dexie, { type EntityTable } from 'dexie';
import type { CachedMatrixEntry, MatrixCache } from '../core/routing/providers';
import type { Matrix } from '../core/routing/types';

export class MatrixDatabase extends Dexie {
  matrices!: EntityTable<CachedMatrixEntry, 'key'>;

  constructor(name = 'maillage-matrices', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ matrices: 'key, savedAt' });
  }
}

export class IndexedDbMatrixCache implements MatrixCache {
  constructor(private readonly db = new MatrixDatabase()) {}

  async get(key: string): Promise<CachedMatrixEntry | undefined> {
    return this.db.matrices.get(key);
  }

  async set(key: string, matrix: Matrix): Promise<void> {
    await this.db.matrices.put({ key, savedAt: matrix.computedAt ?? new Date().toISOString(), matrix });
  }

  async clear(): Promise<number> {
    const count = await this.db.matrices.count();
    await this.db.matrices.clear();
    return count;
  }
}
