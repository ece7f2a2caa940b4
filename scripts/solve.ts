/**
 * `npm run solve -- <instance.json> [--out solution.json] [--time-limit s] [--exact-max n]`: runs the
 * solver on a generic instance (format in the README, « Instances génériques ») and prints the JSON
 * solution. `--time-limit` overrides the instance's options (one budget for the whole solve),
 * `--exact-max` the size limit of the exact models (variables); the memory that size needs is
 * printed on stderr. Invalid instances are refused with the list of problems (exit code 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { locationModelSize } from '../src/core/solver/exact-location.ts';
import { genericSolution, parseGenericInstance } from '../src/core/solver/generic.ts';
import { DEFAULT_EXACT_MAX_COLUMNS, solve } from '../src/core/solver/solve.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, 'time-limit': { type: 'string' }, 'exact-max': { type: 'string' } } });
  const timeLimit = values['time-limit'] === undefined ? undefined : Number(values['time-limit']);
  const exactMax = values['exact-max'] === undefined ? undefined : Number(values['exact-max']);
  if (positionals.length !== 1 || (timeLimit !== undefined && !(timeLimit > 0)) || (exactMax !== undefined && !(Number.isInteger(exactMax) && exactMax >= 0))) {
    console.error('Usage : npm run solve -- <instance.json> [--out solution.json] [--time-limit secondes > 0] [--exact-max variables ≥ 0]');
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(positionals[0], 'utf8'));
  } catch (error) {
    console.error(`Lecture impossible de ${positionals[0]} : ${(error as Error).message}`);
    return 2;
  }
  const parsed = parseGenericInstance(json);
  if (!parsed.ok) {
    console.error(`Instance invalide (${parsed.reasons.length} problème(s)) :\n- ${parsed.reasons.join('\n- ')}`);
    return 2;
  }
  const { options } = parsed.value;
  const size = locationModelSize(parsed.value.instance);
  const limit = exactMax ?? DEFAULT_EXACT_MAX_COLUMNS;
  console.error(`Modèle exact : ${size.columns} variables (≈ ${size.megabytes} Mo pour HiGHS), limite ${limit}${size.columns > limit ? ' : dépassée, borne lagrangienne seulement' : ''}.`);
  const outcome = await solve(parsed.value.instance, { seed: options.seed, method: options.method, timeLimitSeconds: timeLimit ?? options.timeLimitSeconds, exactMaxColumns: limit });
  for (const phase of outcome.phases) console.error(`${phase.phase} : ${phase.seconds.toFixed(2)} s sur ${phase.limitSeconds.toFixed(2)} s permises.`);
  const text = JSON.stringify(genericSolution(parsed.value, outcome), null, 2);
  if (values.out) writeFileSync(values.out, text);
  else console.log(text);
  return 0;
}

process.exitCode = await main();
