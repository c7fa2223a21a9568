/** `sha256sum` check files: `<hex>  <name>` per line, sorted by name. Pure (shared with the viewer). */
export type Sha256Entry = { path: string; sha256: string };

export function formatSha256Sums(entries: readonly Sha256Entry[]): string {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((entry) => `${entry.sha256}  ${entry.path}\n`)
    .join('');
}

/** Strict: only the form `formatSha256Sums` writes; null for anything else. */
export function parseSha256Sums(text: string): Sha256Entry[] | null {
  if (text.length === 0 || !text.endsWith('\n')) return null;
  const entries: Sha256Entry[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const match = /^([0-9a-f]{64}) {2}([A-Za-z0-9][A-Za-z0-9._/-]{0,199})$/.exec(line);
    if (!match?.[1] || !match[2]) return null;
    entries.push({ sha256: match[1], path: match[2] });
  }
  return new Set(entries.map((entry) => entry.path)).size === entries.length ? entries : null;
}
