/** Export file names say which proposal and when: `maillage_<proposition>_<AAAA-MM-JJ>.<ext>`. */
export function proposalSlug(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  if (slug.length <= 60) return slug || 'proposition';
  // Long names differ at their end (« … · solveur 3 »): keep both ends so the files stay distinct,
  // cut between whole words (a cut word reads as another one).
  const words = slug.split('-');
  let tail = words.length - 1;
  while (tail > 1 && words.slice(tail - 1).join('-').length <= 22) tail--;
  let head = 1;
  while (head < tail && [...words.slice(0, head + 1), '', ...words.slice(tail)].join('-').length <= 60) head++;
  const shortened = [...words.slice(0, head), '', ...words.slice(tail)].join('-');
  return shortened.length <= 62 ? shortened : `${slug.slice(0, 38)}--${slug.slice(-20)}`;
}

export function exportFileName(planName: string, now: string, extension: string): string {
  return `maillage_${proposalSlug(planName)}_${now.slice(0, 10)}.${extension}`;
}
