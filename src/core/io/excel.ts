/** exceljs weighs about 1 MB: loaded with the first spreadsheet read or written, not with the app. */
export const loadExcel = async () => (await import('exceljs')).default;
