import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksLikeOrLib, parseOrLibCpmp } from '../../../src/core/solver/orlib';
import { solve } from '../../../src/core/solver/solve';
import { bruteForceLocation } from './brute-force';

const file = readFileSync(new URL('../../fixtures/solver/pmedcap-small.txt', import.meta.url), 'utf8');

describe('OR-Library capacitated p-median format', () => {
  it('reads every problem of a file with its count line, costs truncated to integers', () => {
    expect(looksLikeOrLib(file)).toBe(true);
    expect(looksLikeOrLib('{"format": "maillage-instance"}')).toBe(false);
    const parsed = parseOrLibCpmp(file);
    if (!parsed.ok) throw new Error(parsed.reasons.join('\n'));
    expect(parsed.problems.map((p) => [p.number, p.bestKnown, p.instance.groups.length, p.instance.groups[0].upper[0]])).toEqual([
      [1, 13, 2, 30],
      [2, 11, 3, 25],
    ]);
    const inst = parsed.problems[0].instance;
    expect(inst.points).toHaveLength(8);
    expect(Array.from(inst.weights)).toEqual([9, 7, 6, 5, 8, 7, 6, 4]);
    // Point 1 (0, 0) to point 2 (3, 1): √10 ≈ 3.16, truncated to 3; exact with « euclidean ».
    expect(inst.costs[0 * 8 + 1]).toBe(3);
    const exact = parseOrLibCpmp(file, 'euclidean');
    if (!exact.ok) throw new Error('exact distances');
    expect(exact.problems[0].instance.costs[1]).toBeCloseTo(Math.sqrt(10), 12);
  });

  it('a single problem without the count line', () => {
    const single = file.split('\n').slice(1, 11).join('\n');
    const parsed = parseOrLibCpmp(single);
    expect(parsed.ok && parsed.problems.map((p) => p.number)).toEqual([1]);
  });

  it('the solver reaches the exhaustive optimum on both problems', async () => {
    const parsed = parseOrLibCpmp(file);
    if (!parsed.ok) throw new Error('parse');
    for (const problem of parsed.problems) {
      const reference = bruteForceLocation(problem.instance);
      const outcome = await solve(problem.instance, { seed: 1, timeLimitSeconds: 10 });
      expect(outcome.evaluation.violations).toEqual([]);
      expect(outcome.evaluation.objective).toBeCloseTo(reference.cost, 9);
      expect(outcome.evaluation.objective).toBe(problem.bestKnown);
      expect(outcome.gap).toBeLessThanOrEqual(1e-4);
    }
  });

  it('refuses a broken file with every reason and its line', () => {
    const broken = ' 1 0\n 4 5 10\n 1 0 0 3\n 2 x 1 4\n 3 1 1 30\n';
    const parsed = parseOrLibCpmp(broken);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reasons).toEqual(['ligne 2 : p entier entre 1 et n attendu.']);
    const short = parseOrLibCpmp(' 1 0\n 3 2 10\n 1 0 0 3\n 2 x 1 4\n');
    expect(short.ok).toBe(false);
    if (short.ok) return;
    expect(short.reasons).toEqual(['ligne 4 : x « x » n’est pas un nombre.', 'problème 1 : 3 points annoncés, 2 trouvés avant la fin du fichier.']);
    const over = parseOrLibCpmp(' 1 0\n 2 1 10\n 1 0 0 3\n 2 1 1 30\n');
    expect(!over.ok && over.reasons).toEqual(['problème 1 : demande totale 33 > p × capacité = 10, aucune solution.', 'problème 1 : la demande du point 2 (30) dépasse la capacité.']);
    expect(parseOrLibCpmp('3\n 1 0\n 2 1 10\n 1 0 0 3\n 2 1 1 3\n').ok).toBe(false);
    expect(parseOrLibCpmp('').ok).toBe(false);
  });
});
