/**
 * IndexedDB persistence (Dexie). One database for the user's proposals; the drive-time matrix cache
 * keeps its own. Plans are stored whole: they are small (a few hundred kB for all of France).
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Plan } from '../core/model/plan';

export interface StoredProposal {
  id: string;
  regionCode: string;
  name: string;
  updatedAt: string;
  plan: Plan;
}

export interface ProposalSummary {
  id: string;
  name: string;
  updatedAt: string;
  teams: number;
  assigned: number;
}

export class MaillageDatabase extends Dexie {
  proposals!: EntityTable<StoredProposal, 'id'>;

  constructor(name = 'maillage', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ proposals: 'id, regionCode, updatedAt' });
  }
}

export class ProposalStore {
  constructor(private readonly db: MaillageDatabase) {}

  async list(regionCode: string): Promise<ProposalSummary[]> {
    const rows = await this.db.proposals.where('regionCode').equals(regionCode).toArray();
    return rows
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map((r) => ({ id: r.id, name: r.name, updatedAt: r.updatedAt, teams: r.plan.teams.length, assigned: Object.keys(r.plan.assignment).length }));
  }

  async get(id: string): Promise<Plan | null> {
    return (await this.db.proposals.get(id))?.plan ?? null;
  }

  async save(plan: Plan): Promise<void> {
    await this.db.proposals.put({ id: plan.id, regionCode: plan.regionCode, name: plan.name, updatedAt: plan.updatedAt, plan });
  }

  async delete(id: string): Promise<void> {
    await this.db.proposals.delete(id);
  }
}
