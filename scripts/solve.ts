/**
 * `npm run solve -- <instance.json> [--out solution.json]`: runs the solver on a generic instance
 * (format in the README, « Instances génériques ») and prints the JSON solution. Invalid instances
 * are refused with the list of problems (exit code 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { genericSolution, parseGenericInstance } from '../src/core/solver/generic.ts';
import { solve } from '../src/core/solver/solve.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals.length !== 1) {
    console.error('Usage : npm run solve -- <instance.json> [--out solution.json]');
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
  const outcome = await solve(parsed.value.instance, { seed: options.seed, method: options.method, timeLimitSeconds: options.timeLimitSeconds });
  const text = JSON.stringify(genericSolution(parsed.value, outcome), null, 2);
  if (values.out) writeFileSync(values.out, text);
  else console.log(text);
  return 0;
}

process.exitCode = await main();
