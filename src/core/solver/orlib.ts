/**
 * The OR-Library text format of the capacitated p-median instances of Osman and Christofides
 * (file « pmedcap1.txt »: problems 1–20), read by `npm run solve` next to our JSON format. A file
 * holds either one problem or several, preceded by their count:
 *
 *     [count]                      optional line: number of problems in the file
 *     number best-known-value      per problem
 *     n p capacity
 *     index x y demand             n lines
 *
 * Every point is a candidate site. Cost: Euclidean distance **truncated to an integer**, the
 * convention of the published optima (713 for problem 1, …); `distances: 'euclidean'` keeps the
 * exact distances instead. Validation lists every problem with its line number.
 */
import type { GenericInstance } from './generic.ts';

export type OrLibDistances = 'truncated' | 'euclidean';

export interface OrLibProblem extends GenericInstance {
  /** Problem number and best known value given by the file. */
  number: number;
  bestKnown: number;
}

/** Whether a text looks like this format rather than JSON (first non-blank character is a digit). */
export const looksLikeOrLib = (text: string): boolean => /^\s*\d/.test(text);

export function parseOrLibCpmp(text: string, distances: OrLibDistances = 'truncated'): { ok: true; problems: OrLibProblem[] } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ line: index + 1, tokens: line.trim().split(/\s+/).filter((t) => t !== '') }))
    .filter((l) => l.tokens.length > 0);
  if (lines.length === 0) return { ok: false, reasons: ['Fichier vide.'] };
  let at = 0;
  let count = 1;
  // A first line of one number is the count of problems (the OR-Library file holds 20).
  if (lines[0].tokens.length === 1) {
    count = Number(lines[0].tokens[0]);
    if (!Number.isInteger(count) || count < 1) return { ok: false, reasons: [`ligne ${lines[0].line} : nombre de problèmes (entier ≥ 1) attendu.`] };
    at = 1;
  }
  const numbers = (l: { line: number; tokens: string[] }, names: string[]): number[] | null => {
    if (l.tokens.length !== names.length) {
      reasons.push(`ligne ${l.line} : ${names.length} nombres attendus (${names.join(', ')}), ${l.tokens.length} trouvés.`);
      return null;
    }
    const values = l.tokens.map(Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      reasons.push(`ligne ${l.line} : ${names[bad]} « ${l.tokens[bad]} » n’est pas un nombre.`);
      return null;
    }
    return values;
  };
  const problems: OrLibProblem[] = [];
  for (let problem = 0; problem < count; problem++) {
    if (at + 1 >= lines.length) {
      reasons.push(`problème ${problem + 1} sur ${count} : fin de fichier avant son en-tête (numéro et meilleure valeur connue, puis n p capacité).`);
      break;
    }
    const header = numbers(lines[at], ['numéro du problème', 'meilleure valeur connue']);
    const size = numbers(lines[at + 1], ['n', 'p', 'capacité']);
    if (!header || !size) break;
    const [n, p, capacity] = size;
    const where = `ligne ${lines[at + 1].line}`;
    let sizeOk = true;
    if (!Number.isInteger(n) || n < 1) {
      reasons.push(`${where} : n (nombre de points) entier ≥ 1 attendu.`);
      sizeOk = false;
    }
    if (!Number.isInteger(p) || p < 1 || (sizeOk && p > n)) {
      reasons.push(`${where} : p entier entre 1 et n attendu.`);
      sizeOk = false;
    }
    if (!(capacity > 0)) reasons.push(`${where} : capacité > 0 attendue.`);
    if (!sizeOk) break;
    at += 2;
    const xy: [number, number][] = [];
    const demand: number[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const l = lines[at];
      if (!l) {
        reasons.push(`problème ${header[0]} : ${n} points annoncés, ${i} trouvés avant la fin du fichier.`);
        break;
      }
      const row = numbers(l, ['index', 'x', 'y', 'demande']);
      at++;
      if (!row) continue;
      const [index, x, y, d] = row;
      if (seen.has(index)) reasons.push(`ligne ${l.line} : index ${index} en double.`);
      seen.add(index);
      if (d < 0) reasons.push(`ligne ${l.line} : demande négative.`);
      xy.push([x, y]);
      demand.push(d);
    }
    if (xy.length !== n) break;
    const total = demand.reduce((a, b) => a + b, 0);
    if (total > p * capacity) reasons.push(`problème ${header[0]} : demande totale ${total} > p × capacité = ${p * capacity}, aucune solution.`);
    const big = demand.findIndex((d) => d > capacity);
    if (big >= 0) reasons.push(`problème ${header[0]} : la demande du point ${big + 1} (${demand[big]}) dépasse la capacité.`);
    const costs = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const d = Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
        costs[i * n + j] = distances === 'truncated' ? Math.floor(d + 1e-9) : d;
      }
    }
    const ids = xy.map((_, i) => String(i + 1));
    problems.push({
      number: header[0],
      bestKnown: header[1],
      name: `pmedcap ${header[0]}`,
      options: {},
      instance: {
        points: ids,
        attributes: ['demand'],
        weights: Float64Array.from(demand),
        groups: Array.from({ length: p }, (_, g) => ({ id: `F${g + 1}`, label: `F${g + 1}`, lower: [-Infinity], upper: [capacity], site: null, candidates: null })),
        sites: [...ids],
        costs,
        allowed: null,
        locked: new Int32Array(n).fill(-1),
        current: new Int32Array(n).fill(-1),
        stabilityCost: 0,
      },
    });
  }
  if (reasons.length === 0 && at < lines.length) reasons.push(`ligne ${lines[at].line} : contenu inattendu après le${count > 1 ? ` ${count}e` : ''} problème${count > 1 ? ' (nombre de problèmes en première ligne ?)' : ''}.`);
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, problems };
}
