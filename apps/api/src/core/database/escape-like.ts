/** A user's search text matched literally inside LIKE/ILIKE: % and _ are not wildcards (default escape \). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
