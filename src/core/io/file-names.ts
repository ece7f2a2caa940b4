/** Export file names say which proposal and when: `maillage_<proposition>_<AAAA-MM-JJ>.<ext>`. */
export function proposalSlug(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'proposition'
  );
}

export function exportFileName(planName: string, now: string, extension: string): string {
  return `maillage_${proposalSlug(planName)}_${now.slice(0, 10)}.${extension}`;
}
