/**
 * Layout of the printed documents, independent of the drawing surface: a text measure function is
 * passed in (canvas measureText, or the PDF font's widths), so the same code lays out the map picture
 * and the PDF pages and can be tested in Node with a fixed-width measure.
 */

export type Measure = (text: string) => number;

/**
 * Breaks `text` into lines no wider than `maxWidth`, at spaces (an ordinary space only: no-break
 * spaces keep « 12 lycées » together). A single word wider than the line is cut with a hyphen
 * rather than overflowing. At most `maxLines` lines: the last one ends with an ellipsis when text
 * was left out.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure, maxLines = Infinity): string[] {
  const words = text.trim().split(/ +/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = '';
  const pushWord = (word: string) => {
    let rest = word;
    while (measure(rest) > maxWidth && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && measure(`${rest.slice(0, cut)}-`) > maxWidth) cut--;
      lines.push(`${rest.slice(0, cut)}-`);
      rest = rest.slice(cut);
    }
    current = rest;
  };
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate) <= maxWidth) current = candidate;
    else {
      if (current) lines.push(current);
      pushWord(word);
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = `${kept[maxLines - 1]}…`;
  while (measure(last) > maxWidth && last.length > 1) last = `${last.slice(0, -2)}…`;
  kept[maxLines - 1] = last;
  return kept;
}

export interface LegendLayout {
  columns: number;
  rowsPerColumn: number;
  /** Position of each entry, in entry order, relative to the legend box. */
  cells: { column: number; row: number; x: number; y: number }[];
  rowHeight: number;
  /** Font size scale (1 = the requested row height); below 1 when the entries had to shrink. */
  scale: number;
}

/**
 * Places `count` legend rows in a box: one column when they fit at `rowHeight`, else as many
 * columns as the width allows (at least `minColumnWidth` each), and only then smaller rows, so that
 * a legend of 100 teams stays inside its box instead of running off the page.
 */
export function legendLayout(count: number, box: { width: number; height: number }, rowHeight: number, minColumnWidth: number): LegendLayout {
  const maxColumns = Math.max(1, Math.floor(box.width / minColumnWidth));
  let height = rowHeight;
  let rowsPerColumn = Math.max(1, Math.floor(box.height / height));
  let columns = Math.min(maxColumns, Math.max(1, Math.ceil(count / rowsPerColumn)));
  if (columns * rowsPerColumn < count) {
    rowsPerColumn = Math.ceil(count / maxColumns);
    columns = Math.ceil(count / rowsPerColumn);
    height = box.height / rowsPerColumn;
  }
  const columnWidth = box.width / columns;
  const cells = Array.from({ length: count }, (_, i) => {
    const column = Math.floor(i / rowsPerColumn);
    const row = i % rowsPerColumn;
    return { column, row, x: column * columnWidth, y: row * height };
  });
  return { columns, rowsPerColumn, cells, rowHeight: height, scale: height / rowHeight };
}

export interface TablePage {
  /** Indices of the rows on this page, in order. */
  rows: number[];
  /** Whether the header row is repeated at the top of this page. */
  header: boolean;
}

/**
 * Splits table rows into pages: the first page has `firstPageHeight` available (what is left below
 * a title or a map), the following ones `pageHeight`; the header is repeated on every page. Rows
 * of different heights (wrapped cells) are measured by `rowHeights`.
 */
export function paginateTable(rowHeights: readonly number[], headerHeight: number, firstPageHeight: number, pageHeight: number): TablePage[] {
  const pages: TablePage[] = [];
  let current: number[] = [];
  let available = firstPageHeight - headerHeight;
  rowHeights.forEach((height, index) => {
    if (height > available && current.length > 0) {
      pages.push({ rows: current, header: true });
      current = [];
      available = pageHeight - headerHeight;
    } else if (height > available && pages.length === 0 && current.length === 0 && firstPageHeight < pageHeight) {
      // Not even one row fits under the first page's content: the table starts on the next page.
      pages.push({ rows: [], header: false });
      available = pageHeight - headerHeight;
    }
    current.push(index);
    available -= height;
  });
  if (current.length > 0 || pages.length === 0) pages.push({ rows: current, header: true });
  return pages;
}
