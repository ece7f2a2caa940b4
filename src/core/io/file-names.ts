/** Export file names say which proposal and when: `maillage_<proposition>_<AAAA-MM-JJ>.<ext>`. */
export function proposalSlug(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  if (slug.length <= 60) return slug || 'proposition';
  // Long names differ at their end (« … · solveur 3 »): keep both ends so the files stay distinct.
  return `${slug.slice(0, 38).replace(/-$/, '')}--${slug.slice(-20).replace(/^-/, '')}`;
}

export function exportFileName(planName: string, now: string, extension: string): string {
  return `maillage_${proposalSlug(planName)}_${now.slice(0, 10)}.${extension}`;
}
