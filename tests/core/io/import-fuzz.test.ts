import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { describeReport, MAX_MESSAGE, type ImportReport } from '../../../src/core/io/import-report';
import { importMatrixFile } from '../../../src/core/io/matrix-import';
import { pcParkEntries, readPcPark } from '../../../src/core/io/pc-park';
import { importPlanFile } from '../../../src/core/io/plan-import';
import { importProposalBytes } from '../../../src/core/io/proposal-file';
import { applyPcPark, checkInvariants, createPlan } from '../../../src/core/model/plan-ops';
import type { Plan } from '../../../src/core/model/plan';
import { MaillageDatabase, ProposalStore } from '../../../src/state/db';
import { KNOWN, malformedFiles, REGION, type MalformedFile } from '../../helpers/malformed-files';

// eslint-disable-next-line no-control-regex -- raw control characters must never reach a message
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

type Outcome = { ok: true; report: ImportReport<unknown> & { plan?: Plan } } | { ok: false; reasons: string[] };

async function runImport(file: MalformedFile, index: number): Promise<Outcome> {
  const options = { newId: `imported-${index}`, now: '2026-11-25T10:00:00Z', fileName: file.name };
  switch (file.kind) {
    case 'pc-park':
      return readPcPark(file.bytes, file.name, KNOWN);
    case 'plan':
      return importPlanFile(file.bytes, { ...options, regionCode: REGION, known: KNOWN });
    case 'proposal':
      return importProposalBytes(file.bytes, KNOWN, options);
    case 'matrix':
      return importMatrixFile(file.bytes, file.name, REGION);
  }
}

function messageProblems(messages: string[]): string[] {
  return messages.flatMap((m) => {
    const problems: string[] = [];
    if (typeof m !== 'string') return [`not a string: ${typeof m}`];
    if (m.length > MAX_MESSAGE) problems.push(`${m.length} characters: ${m.slice(0, 80)}…`);
    if (/undefined|\[object Object\]|NaN undefined/.test(m)) problems.push(`undefined/[object Object]: ${m.slice(0, 200)}`);
    if (RAW_CONTROL.test(m)) problems.push(`raw control character: ${JSON.stringify(m.slice(0, 200))}`);
    if (m.trim() === '') problems.push('empty message');
    return problems;
  });
}

describe('imports against a seeded corpus of malformed files', () => {
  it('never throw, account for every row, keep the current plan and write bounded messages', async () => {
    const files = await malformedFiles(13, 320);
    expect(files.length).toBeGreaterThanOrEqual(300);
    expect(new Set(files.map((f) => f.kind))).toEqual(new Set(['pc-park', 'plan', 'proposal', 'matrix']));
    const current = deepFreeze(createPlan({ id: 'current', name: 'Proposition ouverte', regionCode: REGION, now: '2026-01-01T00:00:00Z' }));
    const before = JSON.stringify(current);
    const store = new ProposalStore(new MaillageDatabase(`fuzz-${Date.now()}`));
    const failures: string[] = [];
    const tally = { ok: 0, refused: 0 };
    for (const [index, file] of files.entries()) {
      const name = `#${index} ${file.kind} « ${file.label} » (${file.name}, ${file.bytes.length} octets)`;
      let outcome: Outcome;
      try {
        outcome = await runImport(file, index);
      } catch (error) {
        failures.push(`${name}: threw ${error instanceof Error ? error.stack : String(error)}`);
        continue;
      }
      if (!outcome.ok) {
        tally.refused++;
        if (outcome.reasons.length === 0) failures.push(`${name}: refused without a reason`);
        for (const p of messageProblems(outcome.reasons)) failures.push(`${name}: ${p}`);
        continue;
      }
      tally.ok++;
      const { report } = outcome;
      if (report.accepted.length + report.rejected.length !== report.rowsRead) failures.push(`${name}: ${report.accepted.length} accepted + ${report.rejected.length} rejected ≠ ${report.rowsRead} read`);
      if (file.rows !== undefined && report.rowsRead !== file.rows) failures.push(`${name}: ${report.rowsRead} rows read, the file has ${file.rows}`);
      const messages = [...report.notes, ...report.rejected.flatMap((r) => [r.where, r.reason, ...(r.value ? [r.value] : [])]), ...describeReport(report)];
      for (const p of messageProblems(messages)) failures.push(`${name}: ${p}`);
      if (report.encoding !== null && !/^(UTF-8( avec BOM)?|UTF-16 (LE|BE)( avec BOM)?|Windows-1252)$/.test(report.encoding)) failures.push(`${name}: encoding ${report.encoding}`);
      if (file.kind === 'pc-park') {
        const applied = applyPcPark(current, pcParkEntries(report as never));
        if (!applied.ok && applied.reasons.length === 0) failures.push(`${name}: apply refused without reason`);
      }
      if (report.plan) {
        const problems = checkInvariants(report.plan);
        if (problems.length > 0) failures.push(`${name}: imported plan breaks invariants: ${problems[0]}`);
        try {
          await store.create(report.plan);
        } catch (error) {
          failures.push(`${name}: imported plan cannot be stored: ${String(error)}`);
        }
      }
    }
    expect(JSON.stringify(current)).toBe(before);
    expect(failures.slice(0, 30)).toEqual([]);
    // The corpus must exercise both outcomes.
    expect(tally.ok).toBeGreaterThan(60);
    expect(tally.refused).toBeGreaterThan(60);
  });
});
