/**
 * Administrative blocks (département, arrondissement, EPCI, commune): which lycées a block holds, and
 * assigning all of a block's public lycées to a team in one step. Membership reads the codes carried
 * by each establishment, so it works the same for every Région and needs no polygon.
 */
import type { Establishment } from '../model/establishment.ts';
import type { Plan } from '../model/plan.ts';
import { assign, type OpResult } from '../model/plan-ops.ts';
import { pcCount } from '../metrics/index.ts';
import { fold } from '../search.ts';

export type BlockKind = 'departement' | 'arrondissement' | 'epci' | 'commune';

/** Most specific first: the order in which territory rules take precedence. */
export const BLOCK_KINDS_BY_SPECIFICITY: readonly BlockKind[] = ['commune', 'epci', 'arrondissement', 'departement'];

export const BLOCK_LABELS: Record<BlockKind, string> = {
  departement: 'Département',
  arrondissement: 'Arrondissement',
  epci: 'EPCI',
  commune: 'Commune',
};

export interface Block {
  kind: BlockKind;
  code: string;
  name: string;
}

export function blockCode(e: Establishment, kind: BlockKind): string | null {
  switch (kind) {
    case 'departement':
      return e.departement;
    case 'arrondissement':
      return e.arrondissement ?? null;
    case 'epci':
      return e.epci;
    case 'commune':
      return e.communeCode;
  }
}

function blockName(e: Establishment, kind: BlockKind): string | null {
  switch (kind) {
    case 'departement':
      return e.departementName;
    case 'arrondissement':
      return e.arrondissementName ?? null;
    case 'epci':
      return e.epciName;
    case 'commune':
      return e.commune;
  }
}

export function inBlock(e: Establishment, block: Pick<Block, 'kind' | 'code'>): boolean {
  return blockCode(e, block.kind) === block.code;
}

export function blockKey(block: Pick<Block, 'kind' | 'code'>): string {
  return `${block.kind}:${block.code}`;
}

/** Every block holding at least one establishment, named from the establishments' own fields. */
export function listBlocks(establishments: readonly Establishment[]): Block[] {
  const blocks = new Map<string, Block>();
  for (const e of establishments) {
    for (const kind of BLOCK_KINDS_BY_SPECIFICITY) {
      const code = blockCode(e, kind);
      if (code === null) continue;
      const key = blockKey({ kind, code });
      if (!blocks.has(key)) blocks.set(key, { kind, code, name: blockName(e, kind) ?? code });
    }
  }
  return [...blocks.values()];
}

export interface BlockSearchEntry {
  block: Block;
  name: string;
  words: string[];
}

export function buildBlockIndex(blocks: readonly Block[]): BlockSearchEntry[] {
  return blocks.map((block) => {
    const name = fold(block.name);
    return { block, name, words: name.split(' ') };
  });
}

const KIND_RANK: Record<BlockKind, number> = { departement: 0, arrondissement: 1, epci: 2, commune: 3 };

/**
 * Blocks by name (accent- and case-insensitive, every query word must start a word of the name) or by
 * exact code. Larger blocks first on equal match: typing « Lille » offers the arrondissement before
 * the commune.
 */
export function searchBlocks(index: readonly BlockSearchEntry[], rawQuery: string, limit = 6): Block[] {
  const query = fold(rawQuery);
  if (query.length < 2) return [];
  const words = query.split(' ');
  const hits: { block: Block; score: number }[] = [];
  for (const entry of index) {
    if (entry.block.code.toLowerCase() === query) hits.push({ block: entry.block, score: 0 });
    else if (words.every((w) => entry.words.some((n) => n.startsWith(w)))) hits.push({ block: entry.block, score: entry.name === query ? 1 : entry.name.startsWith(query) ? 2 : 3 });
  }
  hits.sort((a, b) => a.score - b.score || KIND_RANK[a.block.kind] - KIND_RANK[b.block.kind] || a.block.name.localeCompare(b.block.name, 'fr'));
  return hits.slice(0, limit).map((h) => h.block);
}

export interface BlockSummary {
  block: Block;
  /** Public lycées of the block: the ones a team serves. */
  publics: Establishment[];
  privateCount: number;
  /** Public lycées per current team id (null = unassigned), largest first. */
  byTeam: { teamId: string | null; count: number }[];
  pcs: number;
  /** Some PC counts are estimates from the students (no imported park for them). */
  pcsEstimated: boolean;
}

export function summariseBlock(block: Block, establishments: readonly Establishment[], plan: Plan | null): BlockSummary {
  const members = establishments.filter((e) => inBlock(e, block));
  const publics = members.filter((e) => e.sector === 'public');
  const teams = new Map<string | null, number>();
  let pcs = 0;
  let pcsEstimated = false;
  for (const e of publics) {
    const teamId = plan?.assignment[e.uai] ?? null;
    teams.set(teamId, (teams.get(teamId) ?? 0) + 1);
    if (plan) {
      const pc = pcCount(plan, e, e.uai);
      pcs += pc.count;
      pcsEstimated ||= pc.estimated;
    }
  }
  const byTeam = [...teams].map(([teamId, count]) => ({ teamId, count })).sort((a, b) => b.count - a.count);
  return { block, publics, privateCount: members.length - publics.length, byTeam, pcs, pcsEstimated };
}

/** Assigns every public lycée of the block to the team, as one edit (one undo step). */
export function assignBlock(plan: Plan, establishments: readonly Establishment[], block: Block, teamId: string): OpResult {
  const uais = establishments.filter((e) => e.sector === 'public' && inBlock(e, block)).map((e) => e.uai);
  if (uais.length === 0) return { ok: false, reasons: [`${BLOCK_LABELS[block.kind]} ${block.name} : aucun lycée public à affecter.`] };
  return assign(plan, uais, teamId);
}
