/**
 * Establishment search: UAI or name (or commune), accent- and case-insensitive, ranked so that what
 * a planner types most often (a full UAI, the start of a name word) comes first.
 */
import type { Establishment } from './model/establishment.ts';

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface SearchIndexEntry {
  establishment: Establishment;
  uai: string;
  name: string;
  nameWords: string[];
  commune: string;
}

export function buildSearchIndex(establishments: readonly Establishment[]): SearchIndexEntry[] {
  return establishments.map((establishment) => {
    const name = fold(establishment.name);
    return { establishment, uai: establishment.uai.toLowerCase(), name, nameWords: name.split(' '), commune: fold(establishment.commune) };
  });
}

/** Lower is better; null when the entry does not match every query word. */
function score(entry: SearchIndexEntry, query: string, words: string[]): number | null {
  if (entry.uai === query) return 0;
  if (words.length === 1 && entry.uai.startsWith(query)) return 1;
  let total = 0;
  for (const word of words) {
    if (entry.nameWords.some((w) => w.startsWith(word))) total += 2;
    else if (entry.commune.split(' ').some((w) => w.startsWith(word))) total += 3;
    else if (entry.name.includes(word)) total += 4;
    else if (entry.commune.includes(word)) total += 5;
    else return null;
  }
  return total / words.length + (entry.name.startsWith(query) ? 0 : 0.5);
}

export function searchEstablishments(index: readonly SearchIndexEntry[], rawQuery: string, limit = 10): Establishment[] {
  const query = fold(rawQuery);
  if (query.length === 0) return [];
  const words = query.split(' ');
  const hits: { entry: SearchIndexEntry; score: number }[] = [];
  for (const entry of index) {
    const s = score(entry, query, words);
    if (s !== null) hits.push({ entry, score: s });
  }
  // UAI matches read best in code order; name matches in alphabetical order.
  hits.sort((a, b) => a.score - b.score || (a.score <= 1 ? a.entry.uai.localeCompare(b.entry.uai) : a.entry.name.localeCompare(b.entry.name)));
  return hits.slice(0, limit).map((h) => h.entry.establishment);
}
