import { describe, expect, it } from 'vitest';
import { copyName, shortLabels, solverProposalName } from '../../../src/core/model/names';
import { exportFileName } from '../../../src/core/io/file-names';

describe('proposal names', () => {
  it('numbers solver runs instead of piling suffixes', () => {
    expect(solverProposalName('PdL 2025', [])).toBe('PdL 2025 · solveur 1');
    expect(solverProposalName('PdL 2025', ['PdL 2025', 'PdL 2025 · solveur 1'])).toBe('PdL 2025 · solveur 2');
    expect(solverProposalName('PdL 2025 · solveur 2', ['PdL 2025 · solveur 1', 'PdL 2025 · solveur 2'])).toBe('PdL 2025 · solveur 3');
    // Names of the former scheme (date and time) are cleaned too.
    expect(solverProposalName('PdL · solveur 2026-11-25 08:38 · solveur 2026-11-25 08:39', [])).toBe('PdL · solveur 1');
  });

  it('numbers copies', () => {
    expect(copyName('A', ['A'])).toBe('A (copie)');
    expect(copyName('A (copie)', ['A', 'A (copie)'])).toBe('A (copie 2)');
  });

  it('short labels keep what tells long names apart', () => {
    const names = ['Pays de la Loire — organisation 2025-2026 (7 secteurs)', 'Pays de la Loire — organisation 2025-2026 (7 secteurs) · solveur 1', 'Pays de la Loire — organisation 2025-2026 (7 secteurs) · solveur 2'];
    const labels = shortLabels(names, 40);
    expect(new Set(labels).size).toBe(3);
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(40);
    expect(labels[1].endsWith('· solveur 1')).toBe(true);
    expect(labels[2].endsWith('· solveur 2')).toBe(true);
    expect(shortLabels(['Court'])).toEqual(['Court']);
  });

  it('two solver proposals of one source never share an export file name', () => {
    const source = 'Hauts-de-France — organisation cible votée en juin 2024 (11 équipes, 3 services)';
    const first = solverProposalName(source, [source]);
    const second = solverProposalName(source, [source, first]);
    const now = '2026-11-25T08:38:00Z';
    expect(exportFileName(first, now, 'csv')).not.toBe(exportFileName(second, now, 'csv'));
    expect(exportFileName(first, now, 'csv')).not.toBe(exportFileName(source, now, 'csv'));
  });

  it('shortens a long name in an export file name between whole words, keeping both ends', () => {
    const name = 'Hauts-de-France — organisation cible 2024 — reconstitution (hypothèse)';
    expect(exportFileName(name, '2026-11-25T08:38:00Z', 'pdf')).toBe('maillage_hauts-de-france-organisation-cible-2024--hypothese_2026-11-25.pdf');
    expect(exportFileName(`${name} · solveur 2`, '2026-11-25T08:38:00Z', 'csv')).toBe('maillage_hauts-de-france-organisation-cible-2024--hypothese-solveur-2_2026-11-25.csv');
  });
});
