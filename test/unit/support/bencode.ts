// Test fixtures only: the app reads .torrent files with parse-torrent.

/** Bencodes the small subset a .torrent needs. */
export function bencode(value: unknown): string {
  if (typeof value === 'number') return `i${String(value)}e`;
  if (typeof value === 'string')
    return `${String(new TextEncoder().encode(value).length)}:${value}`;
  if (Array.isArray(value)) return `l${value.map(bencode).join('')}e`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return `d${entries.map(([k, v]) => bencode(k) + bencode(v)).join('')}e`;
}
