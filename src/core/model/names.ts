/**
 * Proposal names stay short and distinct: a solver run from « X » is « X · solveur N » (N the next
 * run number among the Région's proposals, never « X · solveur … · solveur … »), a copy « X (copie N) ».
 * Where a list must show long names in little room, `shortLabels` keeps what tells them apart.
 */

const SOLVER_SUFFIX = /(?:\s*·\s*solveur(?:\s+[\d:T-]+)*)+$/;
const COPY_SUFFIX = /(?:\s*\(copie(?:\s+\d+)?\))+$/;

function nextNumber(root: string, existing: readonly string[], pattern: (n: string) => string, numberOf: RegExp): number {
  let highest = 0;
  for (const name of existing) {
    if (!name.startsWith(root)) continue;
    const match = numberOf.exec(name.slice(root.length));
    if (match) highest = Math.max(highest, Number(match[1] ?? 1));
  }
  let n = highest + 1;
  while (existing.includes(pattern(String(n)))) n++;
  return n;
}

/** The name of a solver proposal made from `source`: its root plus the next run number. */
export function solverProposalName(source: string, existing: readonly string[]): string {
  const root = source.replace(SOLVER_SUFFIX, '').trim() || 'Proposition';
  const make = (n: string) => `${root} · solveur ${n}`;
  return make(String(nextNumber(root, existing, make, /^ · solveur (\d+)$/)));
}

/** The name of a copy of `source`: « X (copie) », then « X (copie 2) »… */
export function copyName(source: string, existing: readonly string[]): string {
  const root = source.replace(COPY_SUFFIX, '').trim() || 'Proposition';
  const make = (n: string) => (n === '1' ? `${root} (copie)` : `${root} (copie ${n})`);
  return make(String(nextNumber(root, existing, make, /^ \(copie(?: (\d+))?\)$/)));
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Labels of at most `max` characters for `names`, keeping the part that differs from the others:
 * « Pays de la Loire — organisation 2025 · solveur 3 » becomes « Pays de la Loire — org… · solveur 3 »
 * when « … · solveur 2 » is also listed.
 */
export function shortLabels(names: readonly string[], max = 40): string[] {
  return names.map((name, index) => {
    if (name.length <= max) return name;
    // The names that start like this one: what follows their common start tells them apart.
    let shared = Infinity;
    names.forEach((other, j) => {
      const common = commonPrefix(name, other);
      if (j !== index && other !== name && common >= 12) shared = Math.min(shared, common);
    });
    if (shared === Infinity) shared = 0;
    // Start the distinctive tail at a word boundary.
    const atBoundary = /\s/.test(name[shared] ?? '') || /\s/.test(name[shared - 1] ?? '');
    const cut = atBoundary ? shared : name.lastIndexOf(' ', Math.max(0, shared - 1));
    const tail = name.slice(cut < 0 ? shared : cut).trim();
    if (shared === 0 || tail.length > max - 8) return `${name.slice(0, max - 1).trimEnd()}…`;
    return `${name.slice(0, max - tail.length - 2).trimEnd()}… ${tail}`;
  });
}
