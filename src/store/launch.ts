/**
 * What the app was opened with: `/?magnet=<urlencoded magnet>` or `/#magnet:?xt=…`.
 * Returns the magnet text (not yet validated), or null.
 */
export function magnetFromUrl(url: URL): string | null {
  const query = url.searchParams.get('magnet');
  if (query !== null && query.trim() !== '') return query.trim();
  const hash = decodeHash(url.hash);
  return /^magnet:/i.test(hash) ? hash : null;
}

function decodeHash(hash: string): string {
  const text = hash.slice(1);
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The same URL without the magnet, so a reload does not add it again. */
export function withoutMagnet(url: URL): URL {
  const clean = new URL(url.href);
  clean.searchParams.delete('magnet');
  if (/^magnet:/i.test(decodeHash(clean.hash))) clean.hash = '';
  return clean;
}
