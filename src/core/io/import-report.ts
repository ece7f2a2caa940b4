/**
 * The validation layer every import goes through: how bytes are recognised (format, encoding), how
 * values are shown in messages (truncated, control characters made visible, never `undefined` or
 * `[object Object]`), strict JSON (depth limit, duplicate keys) and the one report shape shared by
 * the PC park, plan, proposal and matrix imports. Pure functions: nothing here throws on user data.
 */
import { formatCount } from '../french.ts';

/** A row (or entry) of the file that was not kept, and why. */
export interface Rejected {
  /** Where the user finds it: « ligne 12 », « feuille « Parc 2 », ligne 4 », « objet 3 », « affectation ». */
  where: string;
  /** Line as the user counts it in their spreadsheet or text editor; null for JSON entries. */
  line: number | null;
  value: string;
  reason: string;
  suggestion: string | null;
}

/**
 * Shared by every import. Every row read is either accepted or rejected:
 * `accepted.length + rejected.length === rowsRead`.
 */
export interface ImportReport<T> {
  fileName: string;
  /** « CSV », « XLSX », « GeoJSON », « proposition Maillage », « matrice de temps de trajet ». */
  format: string;
  /** Encoding the text was read in (« UTF-8 », « UTF-8 avec BOM », « UTF-16 LE »…); null for XLSX. */
  encoding: string | null;
  rowsRead: number;
  accepted: T[];
  rejected: Rejected[];
  notes: string[];
}

/** A refused file: nothing is imported, every reason is a bounded French sentence. */
export interface ImportRefusal {
  ok: false;
  reasons: string[];
}

export const MAX_MESSAGE = 300;
export const MAX_VALUE = 60;
/** Notices list this many rejections, then a count of the others. */
export const LISTED_REJECTIONS = 50;

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g;

/**
 * Control and invisible characters as visible codes (‹U+0000›, ‹U+202E›), tabs as ⇥ and line
 * breaks as ↵: glyphs every interface font has, unlike the Unicode control pictures.
 */
function visible(text: string): string {
  return text
    .replace(/\t/g, '⇥')
    .replace(/\r\n|\r|\n/g, '↵')
    .replace(CONTROL, (c) => `‹U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}›`);
}

/** Text of any value without ever throwing (objects with a throwing toString, symbols, cycles). */
function plainText(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === null) return '(vide)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `(liste de ${value.length} élément(s))`;
  if (typeof value === 'object') return '(objet)';
  return `(${typeof value})`;
}

/** A value for a message: at most `max` characters, control characters visible. */
export function showValue(value: unknown, max = MAX_VALUE): string {
  const raw = plainText(value);
  // Slice before making characters visible: a 1 MB cell costs nothing.
  const head = raw.length > max * 2 ? raw.slice(0, max * 2) : raw;
  const shown = visible(head);
  if (shown.length <= max && head.length === raw.length) return shown;
  return `${shown.slice(0, max - 1)}… (${raw.length.toLocaleString('fr-FR')} caractères)`;
}

/** A whole message bounded to MAX_MESSAGE characters, control characters visible. */
export function bounded(message: string, max = MAX_MESSAGE): string {
  const head = message.length > max * 2 ? message.slice(0, max * 2) : message;
  const shown = visible(head);
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}

/** « a, b, c et 7 autres » for lists that could be long (headers, conflicting lines). */
export function listSome(items: readonly string[], shown = 5): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} et ${(items.length - shown).toLocaleString('fr-FR')} autre(s)`;
}

/** Every reason, value and note of a report bounded, so that no caller has to think about it. */
export function finishReport<T, R extends ImportReport<T>>(report: R): R {
  report.rejected = report.rejected.map((r) => ({ ...r, where: bounded(r.where, 80), value: showValue(r.value), reason: bounded(r.reason), suggestion: r.suggestion }));
  report.notes = report.notes.map((n) => bounded(n));
  return report;
}

export function refuse(...reasons: string[]): ImportRefusal {
  return { ok: false, reasons: reasons.map((r) => bounded(r)) };
}

/** « Ligne 12 (0490003M ; -3) : nombre de PC négatif »; the value is left out when the reason quotes it. */
export function rejectionLine(r: Rejected): string {
  const value = r.value && !r.reason.includes(r.value) ? ` (${r.value})` : '';
  return bounded(`${r.where.charAt(0).toUpperCase()}${r.where.slice(1)}${value} : ${r.reason}`);
}

/** The notice lines of a report: notes, then the first rejections and a count of the others. */
export function describeReport(report: ImportReport<unknown>): string[] {
  const lines = [...report.notes];
  lines.push(`${formatCount(report.rowsRead, 'ligne lue', 'lignes lues')} : ${formatCount(report.accepted.length, 'acceptée')}, ${formatCount(report.rejected.length, 'rejetée')}.`);
  for (const r of report.rejected.slice(0, LISTED_REJECTIONS)) lines.push(rejectionLine(r));
  if (report.rejected.length > LISTED_REJECTIONS) lines.push(`… et ${formatCount(report.rejected.length - LISTED_REJECTIONS, 'autre rejet non listé', 'autres rejets non listés')}.`);
  return lines;
}

// ---- Bytes: format and encoding --------------------------------------------------------------------

export type FileKind = 'text' | 'xlsx';

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean => signature.every((b, i) => bytes[i] === b);

/** Asks the archive for an entry name without unzipping: ZIP local headers store names in clear. */
function zipHolds(bytes: Uint8Array, name: string): boolean {
  const limit = Math.min(bytes.length, 4096);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, limit));
  return head.includes(name);
}

/** Formats a user might pick by mistake, recognised by signature or extension, refused by name. */
const UNSUPPORTED_EXTENSIONS: Record<string, string> = {
  xls: 'Classeur Excel 97-2003 (.xls)',
  xlsb: 'Classeur Excel binaire (.xlsb)',
  xlsm: 'Classeur Excel avec macros (.xlsm)',
  ods: 'Classeur OpenDocument (.ods)',
  numbers: 'Classeur Numbers (.numbers)',
  doc: 'Document Word (.doc)',
  docx: 'Document Word (.docx)',
  odt: 'Document OpenDocument (.odt)',
  pdf: 'Document PDF',
  zip: 'Archive ZIP',
  gz: 'Archive gzip',
  '7z': 'Archive 7-Zip',
  rar: 'Archive RAR',
  shp: 'Shapefile (.shp)',
  dbf: 'Table dBase (.dbf)',
  gpkg: 'GeoPackage (.gpkg)',
  kml: 'KML',
  kmz: 'KMZ',
  png: 'Image PNG',
  jpg: 'Image JPEG',
  jpeg: 'Image JPEG',
};

function signatureName(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'Classeur Excel 97-2003 (.xls) ou autre document Office ancien';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'Document PDF';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'Image PNG';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'Image JPEG';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'Archive gzip';
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf])) return 'Archive 7-Zip';
  if (startsWith(bytes, [0x52, 0x61, 0x72, 0x21])) return 'Archive RAR';
  if (startsWith(bytes, [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65])) return 'Base SQLite / GeoPackage';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (zipHolds(bytes, 'application/vnd.oasis.opendocument.spreadsheet')) return 'Classeur OpenDocument (.ods)';
    if (zipHolds(bytes, 'application/vnd.oasis.opendocument')) return 'Document OpenDocument';
    if (zipHolds(bytes, 'word/')) return 'Document Word (.docx)';
    if (zipHolds(bytes, 'ppt/')) return 'Présentation PowerPoint (.pptx)';
  }
  return null;
}

const SAVE_AS = 'Enregistrez-le depuis votre tableur en .xlsx ou en CSV (séparateur point-virgule), puis réessayez.';

/**
 * What the bytes are: text (CSV, JSON), an XLSX workbook, or a refusal naming the format.
 * `accepts` says what this import reads, for the refusal message.
 */
export function sniffFile(bytes: Uint8Array, fileName: string, accepts: { xlsx: boolean; label: string }): { ok: true; kind: FileKind } | ImportRefusal {
  if (bytes.length === 0) return refuse('Le fichier est vide.');
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const signature = signatureName(bytes);
  if (signature) return refuse(`${signature} : format non pris en charge ici (${accepts.label}). ${accepts.xlsx ? SAVE_AS : ''}`.trim());
  const isZip = startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);
  if (isZip && accepts.xlsx && extension !== 'xlsm' && extension !== 'xlsb') return { ok: true, kind: 'xlsx' };
  if (UNSUPPORTED_EXTENSIONS[extension]) return refuse(`${UNSUPPORTED_EXTENSIONS[extension]} : format non pris en charge ici (${accepts.label}). ${accepts.xlsx ? SAVE_AS : ''}`.trim());
  if (isZip) return refuse(`Archive ZIP : format non pris en charge ici (${accepts.label}).`);
  if (extension === 'xlsx' && accepts.xlsx) return { ok: true, kind: 'xlsx' };
  return { ok: true, kind: 'text' };
}

/**
 * UTF-16 without a BOM: one byte of each pair is mostly NUL for Latin text. Looking at the first
 * kilobytes is enough to tell it from UTF-8 or Windows-1252 (which never hold NUL in text).
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

export type DecodedText = { ok: true; text: string; encoding: string } | ImportRefusal;

/**
 * Text of a file in the encodings spreadsheets and text editors write: UTF-8 (with or without BOM),
 * UTF-16 LE/BE (BOM or not: « Texte Unicode » of Excel), else Windows-1252 (French Excel CSV).
 * Binary content is refused rather than quoted byte for byte.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let text: string;
  let encoding: string;
  const utf16 = startsWith(bytes, [0xff, 0xfe]) ? 'utf-16le' : startsWith(bytes, [0xfe, 0xff]) ? 'utf-16be' : utf16WithoutBom(bytes);
  if (utf16) {
    text = new TextDecoder(utf16).decode(bytes);
    encoding = `UTF-16 ${utf16 === 'utf-16le' ? 'LE' : 'BE'}${bytes[0] === 0xff || bytes[0] === 0xfe ? ' avec BOM' : ''}`;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      encoding = 'UTF-8';
    } catch {
      text = decodeWindows1252(bytes);
      encoding = 'Windows-1252';
    }
  }
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
    if (!utf16) encoding = 'UTF-8 avec BOM';
  }
  if (looksBinary(text)) return refuse('Fichier binaire (ni texte, ni classeur XLSX) : ce n’est pas un fichier que cet import sait lire.');
  return { ok: true, text, encoding };
}

/** Windows-1252 characters of bytes 0x80–0x9F (undefined bytes stay as their C1 code). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Some runtimes (Node before 22) decode the "windows-1252" label as ISO-8859-1, turning ’ € œ into
 * invisible C1 controls: the 0x80–0x9F block is mapped here explicitly.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const text = new TextDecoder('windows-1252').decode(bytes);
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/**
 * Many control characters in the first kilobytes: not a text file. A few stray ones (copied from
 * another tool) are not enough: they are shown visibly in the messages instead.
 */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c < 0xa0) || c === 0xfffd) control++;
  }
  return control > Math.max(8, head.length * 0.05);
}

// ---- Strict JSON ----------------------------------------------------------------------------------

/** Deeper than this, a file is not something Maillage wrote (and could not be stored as is). */
export const MAX_JSON_DEPTH = 32;

export type StrictJson = { ok: true; value: unknown } | ImportRefusal;

/**
 * JSON.parse, after one linear pass that refuses nesting deeper than MAX_JSON_DEPTH and detects
 * duplicate keys (JSON.parse silently keeps the last one, so a hand-edited file could lose data).
 */
export function parseJsonStrict(text: string, what: string): StrictJson {
  const scan = scanJson(text);
  if (scan.depthExceeded) return refuse(`${what} : imbrication trop profonde (plus de ${MAX_JSON_DEPTH} niveaux) ; ce fichier n’a pas été produit par Maillage.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(`${what} : ce n’est pas du JSON valide (${showValue(error instanceof Error ? error.message : error, 120)}).`);
  }
  if (scan.duplicates.length > 0) {
    return refuse(`${what} : clé(s) en double dans un même objet (${listSome(scan.duplicates.map((d) => `« ${showValue(d.key, 30)} » ligne ${d.line}`), 3)}) ; une seule valeur serait lue, corrigez le fichier.`);
  }
  return { ok: true, value };
}

interface JsonScan {
  depthExceeded: boolean;
  duplicates: { key: string; line: number }[];
}

/** Tracks objects' keys and nesting without building values. Malformed JSON is left to JSON.parse. */
function scanJson(text: string): JsonScan {
  const duplicates: JsonScan['duplicates'] = [];
  // One entry per open container: the keys of an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push(c === 0x7b ? new Set() : null);
      if (stack.length > MAX_JSON_DEPTH) return { depthExceeded: true, duplicates };
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    else if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) escaped = true;
        else if (d === 0x22) break;
        j++;
        if (d === 0x5c) j++;
      }
      if (expectKey) {
        const raw = text.slice(i + 1, j);
        let key = raw;
        if (escaped) {
          try {
            key = JSON.parse(`"${raw}"`) as string;
          } catch {
            key = raw;
          }
        }
        const keys = stack[stack.length - 1];
        if (keys) {
          if (keys.has(key)) {
            if (duplicates.length < 10) duplicates.push({ key, line });
          } else keys.add(key);
        }
        expectKey = false;
      }
      i = j;
    }
  }
  return { depthExceeded: false, duplicates };
}

// ---- Values ---------------------------------------------------------------------------------------

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Kind of a JSON value in French, for « attendu … , trouvé … » messages. */
export function jsonKind(v: unknown): string {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'une liste';
  if (typeof v === 'object') return 'un objet';
  if (typeof v === 'string') return `le texte « ${showValue(v, 30)} »`;
  if (typeof v === 'number') return `le nombre ${showValue(v, 30)}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return typeof v;
}

/** A cell or property that should be text: numbers and booleans are read as text, anything else is not. */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** The largest team a Région could plausibly have; above, the value is a mistake (units, typo). */
export const MAX_TECHNICIANS = 500;

/** Null when `value` is a positive whole number of technicians, else the reason. */
export function technicianProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `nombre de techniciens attendu, trouvé ${jsonKind(value)}`;
  if (value <= 0) return `nombre de techniciens ${showValue(value)} : au moins 1 attendu`;
  if (!Number.isInteger(value)) return `nombre de techniciens ${showValue(value)} : un nombre entier est attendu`;
  if (value > MAX_TECHNICIANS) return `nombre de techniciens ${showValue(value)} invraisemblable (plus de ${MAX_TECHNICIANS})`;
  return null;
}
