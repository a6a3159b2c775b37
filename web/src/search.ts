/**
 * Folds text for case-insensitive Danish search: lower case with Danish rules,
 * Unicode NFC (so "å" typed as a + ring matches), and "å" treated as "aa"
 * so "Århus" finds "Aarhus" and the other way round.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('da-DK').replace(/å/g, 'aa');
}

export function matchesSearch(needle: string, ...haystacks: readonly string[]): boolean {
  const n = foldForSearch(needle.trim());
  if (n === '') return true;
  return haystacks.some((h) => foldForSearch(h).includes(n));
}
