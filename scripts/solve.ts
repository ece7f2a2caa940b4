/**
 * `npm run solve -- <instance> [--out solution.json] [--time-limit s] [--exact-max n] [--problem k]
 * [--distances truncated|euclidean] [--method auto|heuristic]`: runs the solver on a generic instance and prints the JSON
 * solution. The instance is either our JSON format (README, « Instances génériques ») or the
 * OR-Library text format of the capacitated p-median (« pmedcap1.txt », see orlib.ts): a file with
 * several problems is solved problem by problem (an array of solutions; `--problem k` picks one),
 * each compared on stderr with the best known value the file gives. `--time-limit` overrides the
 * instance's options (one budget for the whole solve of each problem), `--method` its method,
 * `--exact-max` the size limit
 * of the exact models (variables); the memory that size needs is printed on stderr. Invalid
 * instances are refused with the list of problems (exit code 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { locationModelSize } from '../src/core/solver/exact-location.ts';
import { genericSolution, parseGenericInstance, type GenericInstance } from '../src/core/solver/generic.ts';
import { looksLikeOrLib, parseOrLibCpmp, type OrLibDistances } from '../src/core/solver/orlib.ts';
import { DEFAULT_EXACT_MAX_COLUMNS, solve } from '../src/core/solver/solve.ts';

const USAGE =
  'Usage : npm run solve -- <instance.json | pmedcap.txt> [--out solution.json] [--time-limit secondes > 0] [--exact-max variables ≥ 0] [--problem numéro] [--distances truncated|euclidean] [--method auto|heuristic]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, 'time-limit': { type: 'string' }, 'exact-max': { type: 'string' }, problem: { type: 'string' }, distances: { type: 'string' }, method: { type: 'string' } },
  });
  const timeLimit = values['time-limit'] === undefined ? undefined : Number(values['time-limit']);
  const exactMax = values['exact-max'] === undefined ? undefined : Number(values['exact-max']);
  const problemNumber = values.problem === undefined ? undefined : Number(values.problem);
  const distances = values.distances ?? 'truncated';
  if (
    positionals.length !== 1 ||
    (timeLimit !== undefined && !(timeLimit > 0)) ||
    (exactMax !== undefined && !(Number.isInteger(exactMax) && exactMax >= 0)) ||
    (problemNumber !== undefined && !Number.isInteger(problemNumber)) ||
    (distances !== 'truncated' && distances !== 'euclidean') ||
    (values.method !== undefined && values.method !== 'auto' && values.method !== 'heuristic')
  ) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(positionals[0], 'utf8');
  } catch (error) {
    console.error(`Lecture impossible de ${positionals[0]} : ${(error as Error).message}`);
    return 2;
  }
  const invalid = (reasons: string[]) => {
    console.error(`Instance invalide (${reasons.length} problème(s)) :\n- ${reasons.join('\n- ')}`);
    return 2;
  };
  let instances: (GenericInstance & { bestKnown?: number })[];
  if (looksLikeOrLib(text)) {
    const parsed = parseOrLibCpmp(text, distances as OrLibDistances);
    if (!parsed.ok) return invalid(parsed.reasons);
    instances = problemNumber === undefined ? parsed.problems : parsed.problems.filter((p) => p.number === problemNumber);
    if (instances.length === 0) return invalid([`--problem ${problemNumber} : absent du fichier (problèmes ${parsed.problems.map((p) => p.number).join(', ')}).`]);
    console.error(`Format OR-Library (p-médiane capacitée) : ${instances.length} problème(s), distances euclidiennes ${distances === 'truncated' ? 'tronquées à l’entier (convention des optima publiés)' : 'exactes'}.`);
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      console.error(`Lecture impossible de ${positionals[0]} : ni JSON valide (${(error as Error).message}), ni format OR-Library (première ligne : nombres).`);
      return 2;
    }
    const parsed = parseGenericInstance(json);
    if (!parsed.ok) return invalid(parsed.reasons);
    instances = [parsed.value];
  }
  const solutions = [];
  for (const generic of instances) {
    const { options } = generic;
    const size = locationModelSize(generic.instance);
    const limit = exactMax ?? DEFAULT_EXACT_MAX_COLUMNS;
    console.error(`${generic.name} — modèle exact : ${size.columns} variables (≈ ${size.megabytes} Mo pour HiGHS), limite ${limit}${size.columns > limit ? ' : dépassée, borne lagrangienne seulement' : ''}.`);
    const method = (values.method as 'auto' | 'heuristic' | undefined) ?? options.method;
    const outcome = await solve(generic.instance, { seed: options.seed, method, timeLimitSeconds: timeLimit ?? options.timeLimitSeconds, exactMaxColumns: limit });
    for (const phase of outcome.phases) console.error(`${phase.phase} : ${phase.seconds.toFixed(2)} s sur ${phase.limitSeconds.toFixed(2)} s permises.`);
    if (generic.bestKnown !== undefined) {
      const objective = outcome.evaluation.objective;
      const known = generic.bestKnown > 0 ? `meilleure valeur connue du fichier ${generic.bestKnown} (écart ${(((objective - generic.bestKnown) / generic.bestKnown) * 100).toFixed(2)} %)` : 'pas de meilleure valeur connue dans le fichier';
      console.error(`${generic.name} : objectif ${objective.toFixed(2)}, ${known}, borne ${outcome.bound?.toFixed(2) ?? '—'}, ${outcome.status}, ${outcome.seconds.total.toFixed(2)} s.`);
    }
    solutions.push(genericSolution(generic, outcome));
  }
  const output = JSON.stringify(solutions.length === 1 ? solutions[0] : solutions, null, 2);
  if (values.out) writeFileSync(values.out, output);
  else console.log(output);
  return 0;
}

process.exitCode = await main();
