import { describe, expect, it } from 'vitest';
import { legendLayout, paginateTable, wrapText } from '../../../src/core/document/layout';

/** Every character 1 unit wide: widths are lengths. */
const measure = (text: string) => text.length;

describe('wrapText', () => {
  it('wraps a long proposal title at spaces instead of cutting it', () => {
    const title = 'Hauts-de-France 2024 · solveur 2026-11-25 08:38 · solveur 2026-11-25 08:39';
    const lines = wrapText(title, 30, measure);
    expect(lines).toEqual(['Hauts-de-France 2024 · solveur', '2026-11-25 08:38 · solveur', '2026-11-25 08:39']);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.join(' ')).toBe(title);
  });

  it('keeps no-break spaces together and hyphenates a word longer than the line', () => {
    expect(wrapText('12\u00A0lycées et 3\u00A0zones', 12, measure)).toEqual(['12\u00A0lycées et', '3\u00A0zones']);
    expect(wrapText('Anticonstitutionnellement', 10, measure)).toEqual(['Anticonst-', 'itutionne-', 'llement']);
  });

  it('ends with an ellipsis when lines are limited', () => {
    const lines = wrapText('un deux trois quatre cinq six sept', 10, measure, 2);
    expect(lines).toEqual(['un deux', 'trois…']);
    expect(lines[1].length).toBeLessThanOrEqual(10);
  });

  it('returns nothing for an empty text', () => {
    expect(wrapText('   ', 10, measure)).toEqual([]);
  });
});

describe('legendLayout', () => {
  it('uses one column when the rows fit', () => {
    const layout = legendLayout(11, { width: 100, height: 300 }, 20, 60);
    expect(layout.columns).toBe(1);
    expect(layout.scale).toBe(1);
    expect(layout.cells[10]).toEqual({ column: 0, row: 10, x: 0, y: 200 });
  });

  it('adds columns, then shrinks rows, so that 100 teams stay inside the box', () => {
    const twoColumns = legendLayout(20, { width: 130, height: 200 }, 20, 60);
    expect(twoColumns.columns).toBe(2);
    expect(twoColumns.cells[19]).toMatchObject({ column: 1, row: 9, x: 65, y: 180 });
    const crowded = legendLayout(100, { width: 200, height: 300 }, 20, 60);
    expect(crowded.columns).toBe(3);
    expect(crowded.rowsPerColumn).toBe(34);
    expect(crowded.scale).toBeLessThan(1);
    for (const cell of crowded.cells) {
      expect(cell.y + crowded.rowHeight).toBeLessThanOrEqual(300 + 1e-9);
      expect(cell.x).toBeLessThan(200);
    }
  });
});

describe('paginateTable', () => {
  it('fills the first page below its content, then full pages, with the header repeated', () => {
    const pages = paginateTable(Array(25).fill(10), 10, 60, 110);
    expect(pages.map((p) => p.rows.length)).toEqual([5, 10, 10]);
    expect(pages.flatMap((p) => p.rows)).toEqual([...Array(25).keys()]);
    expect(pages.every((p) => p.header)).toBe(true);
  });

  it('measures rows of different heights', () => {
    const pages = paginateTable([10, 30, 10, 30, 10], 0, 45, 45);
    expect(pages.map((p) => p.rows)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('starts on the next page when no row fits below the first page content', () => {
    const pages = paginateTable([10, 10], 10, 15, 100);
    expect(pages[0]).toEqual({ rows: [], header: false });
    expect(pages[1].rows).toEqual([0, 1]);
  });

  it('gives one empty page for an empty table', () => {
    expect(paginateTable([], 10, 100, 100)).toEqual([{ rows: [], header: true }]);
  });
});
