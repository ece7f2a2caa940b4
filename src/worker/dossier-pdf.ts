/**
 * The « dossier d'organisation » as a PDF (jsPDF): the map picture; the teams table; one page per
 * team (its map, its lycées, its zones); parameters, hypotheses and sources; the comparison of two
 * proposals when there is one. A4 landscape, Noto Sans embedded (accents, narrow no-break spaces).
 * Maps come in as JPEG bytes from `mapImage`, drawn by the caller; layout uses src/core/document.
 */
import { jsPDF } from 'jspdf';
import type { DossierContent, DossierTeam } from '../core/document/dossier';
import { frenchDate, frenchDuration, frenchNumber, frenchPercent, frenchTypography, NBSP, plural } from '../core/document/french';
import { paginateTable, wrapText } from '../core/document/layout';

const PAGE = { width: 297, height: 210, margin: 12 };
const PT = 0.3528;
const FONT = 'NotoSans';

export interface Column<Row> {
  header: string;
  width: number;
  align?: 'left' | 'right';
  text: (row: Row) => string;
}

export interface DossierImages {
  /** Whole-Région picture (with title, legend, scale, sources), aspect width / height given. */
  overview: { bytes: Uint8Array; aspect: number };
  teams: Map<string, { bytes: Uint8Array; aspect: number }>;
  comparison: [{ bytes: Uint8Array; aspect: number }, { bytes: Uint8Array; aspect: number }] | null;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

class Writer {
  readonly doc: jsPDF;

  constructor(fonts: { regular: Uint8Array; bold: Uint8Array }, title: string) {
    this.doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: true });
    this.doc.addFileToVFS('NotoSans-Regular.ttf', toBase64(fonts.regular));
    this.doc.addFont('NotoSans-Regular.ttf', FONT, 'normal');
    this.doc.addFileToVFS('NotoSans-Bold.ttf', toBase64(fonts.bold));
    this.doc.addFont('NotoSans-Bold.ttf', FONT, 'bold');
    this.doc.setProperties({ title, creator: 'Maillage', subject: 'Dossier d’organisation' });
    this.font(9);
  }

  font(size: number, weight: 'normal' | 'bold' = 'normal', colour: [number, number, number] = [17, 24, 39]): void {
    this.doc.setFont(FONT, weight);
    this.doc.setFontSize(size);
    this.doc.setTextColor(...colour);
  }

  measure = (text: string) => this.doc.getTextWidth(text);

  /** Wrapped paragraph; returns the y below it. */
  paragraph(text: string, x: number, y: number, width: number, size: number, weight: 'normal' | 'bold' = 'normal'): number {
    this.font(size, weight);
    const lineHeight = size * PT * 1.3;
    for (const line of wrapText(frenchTypography(text), width, this.measure)) {
      y += lineHeight;
      this.doc.text(line, x, y);
    }
    return y;
  }

  newPage(): void {
    this.doc.addPage('a4', 'landscape');
  }

  /**
   * Table at (x, y) with `firstHeight` available on this page and `nextHeight` on the following
   * ones (which `continuePage` opens and returns the top of). Cells wrap; the header repeats.
   */
  table<Row>(columns: Column<Row>[], rows: Row[], x: number, y: number, firstHeight: number, size: number, emphasise: (row: Row) => boolean = () => false): { pages: { rows: Row[]; header: boolean }[]; draw: (page: number, top: number) => number; rowHeight: number } {
    this.font(size);
    const lineHeight = size * PT * 1.2;
    const padding = 0.6;
    const cells = rows.map((row) => columns.map((c) => wrapText(frenchTypography(c.text(row)), c.width - 2 * padding, this.measure, 4)));
    const heights = cells.map((lines) => Math.max(1, ...lines.map((l) => l.length)) * lineHeight + padding * 2);
    this.font(size, 'bold');
    const headerCells = columns.map((c) => wrapText(c.header, c.width - 2 * padding, this.measure, 3));
    const headerHeight = Math.max(...headerCells.map((l) => l.length)) * lineHeight + padding * 2;
    const nextHeight = PAGE.height - 2 * PAGE.margin - 14;
    const pages = paginateTable(heights, headerHeight, firstHeight, nextHeight);
    const draw = (page: number, top: number): number => {
      const { rows: indices, header } = pages[page];
      let cy = top;
      const drawRow = (lines: string[][], height: number, bold: boolean, fill: [number, number, number] | null) => {
        if (fill) {
          this.doc.setFillColor(...fill);
          this.doc.rect(x, cy, columns.reduce((s, c) => s + c.width, 0), height, 'F');
        }
        this.font(size, bold ? 'bold' : 'normal');
        let cx = x;
        columns.forEach((c, i) => {
          lines[i].forEach((line, k) => {
            const ty = cy + padding + (k + 0.8) * lineHeight;
            if (c.align === 'right') this.doc.text(line, cx + c.width - padding, ty, { align: 'right' });
            else this.doc.text(line, cx + padding, ty);
          });
          cx += c.width;
        });
        cy += height;
        this.doc.setDrawColor(209, 213, 219);
        this.doc.setLineWidth(0.15);
        this.doc.line(x, cy, cx, cy);
      };
      if (header && indices.length > 0) drawRow(headerCells, headerHeight, true, [229, 231, 235]);
      indices.forEach((i, k) => drawRow(cells[i], heights[i], emphasise(rows[i]), k % 2 === 1 ? [249, 250, 251] : null));
      return cy;
    };
    return { pages: pages.map((p) => ({ rows: p.rows.map((i) => rows[i]), header: p.header })), draw, rowHeight: lineHeight };
  }

  image(image: { bytes: Uint8Array; aspect: number }, x: number, y: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
    const width = Math.min(maxWidth, maxHeight * image.aspect);
    const height = width / image.aspect;
    this.doc.addImage(image.bytes, 'JPEG', x, y, width, height, undefined, 'NONE');
    this.doc.setDrawColor(156, 163, 175);
    this.doc.setLineWidth(0.2);
    this.doc.rect(x, y, width, height);
    return { width, height };
  }
}

const pcText = (pcs: number, estimated: number | boolean) => `${frenchNumber(pcs)}${estimated ? '*' : ''}`;

export function teamColumns(pieces: Map<string, number>): Column<DossierTeam | 'total'>[] {
  return [
    { header: 'Service', width: 24, text: (t) => (t === 'total' ? '' : (t.service ?? '—')) },
    { header: 'Équipe', width: 30, text: (t) => (t === 'total' ? 'Total' : t.name) },
    { header: 'Sections', width: 48, text: (t) => (t === 'total' ? '' : t.sections.join(' ; ') || '—') },
    { header: 'Lycées', width: 14, align: 'right', text: (t) => (t === 'total' ? '' : frenchNumber(t.lycees)) },
    { header: 'PC', width: 17, align: 'right', text: (t) => (t === 'total' ? '' : pcText(t.pcs, t.pcsEstimated)) },
    { header: 'Élèves', width: 17, align: 'right', text: (t) => (t === 'total' ? '' : frenchNumber(t.students)) },
    { header: 'Techniciens', width: 15, align: 'right', text: (t) => (t === 'total' ? '' : frenchNumber(t.technicians)) },
    { header: 'Lycées par tech.', width: 16, align: 'right', text: (t) => (t === 'total' ? '' : frenchNumber(t.lyceesPerTechnician, 1)) },
    { header: 'PC par tech.', width: 16, align: 'right', text: (t) => (t === 'total' ? '' : frenchNumber(t.pcsPerTechnician, 0)) },
    { header: 'Écart lycées', width: 16, align: 'right', text: (t) => (t === 'total' ? '' : frenchPercent(t.deviationLycees)) },
    { header: 'Écart PC', width: 16, align: 'right', text: (t) => (t === 'total' ? '' : frenchPercent(t.deviationPcs)) },
    { header: 'Trajet moyen', width: 15, align: 'right', text: (t) => (t === 'total' ? '' : frenchDuration(t.driveMeanSeconds)) },
    { header: 'Trajet max', width: 15, align: 'right', text: (t) => (t === 'total' ? '' : frenchDuration(t.driveMaxSeconds)) },
    { header: 'Morceaux de territoire', width: 14, align: 'right', text: (t) => (t === 'total' ? '' : frenchNumber(pieces.get(t.id) ?? 0)) },
  ];
}

function pageTitle(w: Writer, text: string, sub: string | null): number {
  let y = w.paragraph(text, PAGE.margin, PAGE.margin - 2, PAGE.width - 2 * PAGE.margin, 15, 'bold');
  if (sub) y = w.paragraph(sub, PAGE.margin, y, PAGE.width - 2 * PAGE.margin, 8.5);
  return y + 3;
}

export function buildDossierPdf(content: DossierContent, images: DossierImages, pieces: Map<string, number>, fonts: { regular: Uint8Array; bold: Uint8Array }): ArrayBuffer {
  const w = new Writer(fonts, content.title);
  const { doc } = w;
  const innerWidth = PAGE.width - 2 * PAGE.margin;
  const bottom = PAGE.height - PAGE.margin - 4;

  // 1. The map of the Région, as the picture export draws it.
  w.image(images.overview, PAGE.margin, PAGE.margin, innerWidth, PAGE.height - 2 * PAGE.margin);

  // 2. The teams table with its totals.
  const t = content.totals;
  w.newPage();
  let y = pageTitle(
    w,
    'Équipes',
    `${content.regionName} · ${plural(content.teams.length, 'équipe')} · ${plural(t.technicians, 'technicien')} · ${plural(t.lycees, 'lycée affecté', 'lycées affectés')} sur ${frenchNumber(t.inScope)} · ${frenchNumber(t.pcs)}${NBSP}PC${t.pcsEstimated > 0 ? ` (dont ${plural(t.pcsEstimated, 'lycée estimé', 'lycées estimés')}*)` : ''} · ${plural(t.zones, 'zone')} de continuité${t.zonesOutOfRange > 0 ? ` dont ${t.zonesOutOfRange} hors bornes` : ''} · moyenne régionale ${frenchNumber(t.meanLycees, 1)}${NBSP}lycées et ${frenchNumber(t.meanPcs, 0)}${NBSP}PC par technicien`,
  );
  const columns = teamColumns(pieces);
  const totalRow: (DossierTeam | 'total')[] = [...content.teams, 'total'];
  const totalColumns = columns.map((c) => ({ ...c }));
  totalColumns[3].text = (r) => (r === 'total' ? frenchNumber(t.lycees) : columns[3].text(r));
  totalColumns[4].text = (r) => (r === 'total' ? pcText(t.pcs, t.pcsEstimated) : columns[4].text(r));
  totalColumns[5].text = (r) => (r === 'total' ? frenchNumber(t.students) : columns[5].text(r));
  totalColumns[6].text = (r) => (r === 'total' ? frenchNumber(t.technicians) : columns[6].text(r));
  totalColumns[7].text = (r) => (r === 'total' ? frenchNumber(t.meanLycees, 1) : columns[7].text(r));
  totalColumns[8].text = (r) => (r === 'total' ? frenchNumber(t.meanPcs, 0) : columns[8].text(r));
  const teamTable = w.table(totalColumns, totalRow, PAGE.margin, y, bottom - y, 7.5, (r) => r === 'total');
  teamTable.pages.forEach((_, i) => {
    if (i > 0) {
      w.newPage();
      y = pageTitle(w, 'Équipes (suite)', null);
    }
    y = teamTable.draw(i, y);
  });
  w.paragraph('* PC estimés (élèves × ratio) faute de parc importé. Écarts : à la part de l’équipe, proportionnelle à ses techniciens. Trajets depuis la base de l’équipe.', PAGE.margin, y + 1, innerWidth, 7);

  // 3. One page per team (more when its lists are long).
  const leftWidth = 112;
  const rightX = PAGE.margin + leftWidth + 6;
  const rightWidth = PAGE.width - PAGE.margin - rightX;
  for (const team of content.teams) {
    w.newPage();
    const sub = [
      team.service ? `Service ${team.service}` : null,
      plural(team.lycees, 'lycée'),
      `${pcText(team.pcs, team.pcsEstimated)}${NBSP}PC`,
      `${frenchNumber(team.students)}${NBSP}élèves`,
      plural(team.technicians, 'technicien'),
      `${frenchNumber(team.lyceesPerTechnician, 1)}${NBSP}lycées et ${frenchNumber(team.pcsPerTechnician, 0)}${NBSP}PC par technicien (écarts ${frenchPercent(team.deviationLycees)} ; ${frenchPercent(team.deviationPcs)})`,
      `trajet moyen ${frenchDuration(team.driveMeanSeconds)}, max ${frenchDuration(team.driveMaxSeconds)}`,
      `base : ${team.base?.label ?? 'non placée'}`,
      team.sections.length > 0 ? `sections : ${team.sections.join(', ')}` : null,
      `${plural(pieces.get(team.id) ?? 0, 'morceau', 'morceaux')} de territoire`,
    ].filter((s): s is string => s !== null);
    const top = pageTitle(w, team.name, sub.join(' · '));
    const map = images.teams.get(team.id);
    const mapBox = map ? w.image(map, PAGE.margin, top, leftWidth, 80) : { width: 0, height: 0 };
    const lycees = content.lycees[team.id] ?? [];
    const zones = content.zones[team.id] ?? [];
    const lyceeTable = w.table(
      [
        { header: 'UAI', width: 16, text: (l) => l.uai },
        { header: 'Lycée', width: 74, text: (l) => l.name },
        { header: 'Commune', width: 34, text: (l) => l.commune },
        { header: 'PC', width: 12, align: 'right', text: (l) => pcText(l.pcs, l.pcsEstimated) },
        { header: 'Trajet depuis la base', width: rightWidth - 136, align: 'right', text: (l) => frenchDuration(l.driveSeconds) },
      ],
      lycees,
      rightX,
      top,
      bottom - top,
      6.3,
    );
    const zoneTop = top + mapBox.height + 4;
    const zoneTable = w.table(
      [
        { header: 'Zone', width: 20, text: (z) => `${z.name}${z.outOfRange ? ' (hors bornes)' : ''}` },
        { header: 'Lycées membres (UAI, commune)', width: leftWidth - 40, text: (z) => z.members.join(', ') },
        { header: 'Trajet max entre membres', width: 20, align: 'right', text: (z) => frenchDuration(z.maxPairSeconds) },
      ],
      zones,
      PAGE.margin,
      zoneTop,
      bottom - zoneTop,
      6.3,
    );
    const pages = Math.max(lyceeTable.pages.length, zoneTable.pages.length);
    for (let page = 0; page < pages; page++) {
      let pageTop = top;
      if (page > 0) {
        w.newPage();
        pageTop = pageTitle(w, `${team.name} (suite)`, null);
      }
      if (page < lyceeTable.pages.length) lyceeTable.draw(page, pageTop);
      if (page < zoneTable.pages.length) {
        if (page === 0 && zones.length === 0) w.paragraph('Aucune zone de continuité.', PAGE.margin, zoneTop, leftWidth, 8);
        else zoneTable.draw(page, page === 0 ? zoneTop : pageTop);
      }
    }
  }

  // 4. Comparison.
  const c = content.comparison;
  if (c && images.comparison) {
    w.newPage();
    let cy = pageTitle(w, `Comparaison : A, ${c.nameA} ; B, ${c.nameB}`, `${plural(c.moved.length, 'lycée change', 'lycées changent')} d’équipe sur ${frenchNumber(c.inScope)} (${frenchPercent(c.inScope > 0 ? c.moved.length / c.inScope : null)}). Carte de gauche : A ; carte de droite : B.`);
    const half = (innerWidth - 6) / 2;
    const a = w.image(images.comparison[0], PAGE.margin, cy, half, 78);
    w.image(images.comparison[1], PAGE.margin + half + 6, cy, half, 78);
    cy += a.height + 4;
    // Noto Sans has no arrow glyph: « › » reads as « devient ».
    const pair = (v: [number | null, number | null], f: (x: number | null) => string) => `${f(v[0])} › ${f(v[1])}`;
    const deltas = w.table(
      [
        { header: 'Équipe', width: 50, text: (r) => r.team },
        { header: 'Lycées A › B', width: 38, align: 'right', text: (r) => pair(r.lycees, (x) => frenchNumber(x)) },
        { header: 'PC A › B', width: 46, align: 'right', text: (r) => pair(r.pcs, (x) => frenchNumber(x)) },
        { header: 'Techniciens A › B', width: 38, align: 'right', text: (r) => pair(r.technicians, (x) => frenchNumber(x)) },
        { header: 'PC par tech. A › B', width: 46, align: 'right', text: (r) => pair(r.pcsPerTechnician, (x) => frenchNumber(x)) },
        { header: 'Trajet moyen A › B', width: 55, align: 'right', text: (r) => pair(r.driveMeanSeconds, frenchDuration) },
      ],
      c.rows,
      PAGE.margin,
      cy,
      bottom - cy,
      7,
    );
    deltas.pages.forEach((_, i) => {
      if (i > 0) {
        w.newPage();
        cy = pageTitle(w, 'Comparaison (suite)', null);
      }
      cy = deltas.draw(i, cy);
    });
    const moved = w.table(
      [
        { header: 'UAI', width: 20, text: (m) => m.uai },
        { header: 'Lycée', width: 90, text: (m) => m.name },
        { header: 'Commune', width: 55, text: (m) => m.commune },
        { header: 'Équipe dans A', width: 54, text: (m) => m.from },
        { header: 'Équipe dans B', width: 54, text: (m) => m.to },
      ],
      c.moved,
      PAGE.margin,
      cy + 6,
      bottom - cy - 6,
      7,
    );
    w.paragraph('Lycées qui changent d’équipe', PAGE.margin, cy, innerWidth, 9, 'bold');
    moved.pages.forEach((_, i) => {
      if (i > 0) {
        w.newPage();
        cy = pageTitle(w, 'Lycées qui changent d’équipe (suite)', null) - 6;
      }
      moved.draw(i, cy + 6);
    });
  }

  // 5. Parameters, hypotheses, unassigned lycées, sources.
  w.newPage();
  y = pageTitle(w, 'Paramètres, hypothèses et sources', null);
  for (const text of content.hypotheses) y = w.paragraph(`• ${text}`, PAGE.margin, y, innerWidth, 9) + 1.5;
  if (content.unassigned.length > 0) {
    y = w.paragraph(`Lycées publics sans équipe (${content.unassigned.length})`, PAGE.margin, y + 3, innerWidth, 10, 'bold');
    const list = content.unassigned.map((u) => `${u.uai} ${u.name} (${u.commune})`).join(' ; ');
    y = w.paragraph(list, PAGE.margin, y, innerWidth, 7.5);
  }

  // Footer on every page.
  const total = doc.getNumberOfPages();
  const footer = frenchTypography(`${content.title} · ${content.regionName} · ${frenchDate(content.now)}`);
  for (let page = 1; page <= total; page++) {
    doc.setPage(page);
    w.font(7, 'normal', [107, 114, 128]);
    const [line] = wrapText(footer, innerWidth - 30, w.measure, 1);
    doc.text(line ?? '', PAGE.margin, PAGE.height - 6);
    doc.text(`${page} / ${total}`, PAGE.width - PAGE.margin, PAGE.height - 6, { align: 'right' });
  }
  return doc.output('arraybuffer');
}
