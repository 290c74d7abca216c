// The addresses the app is opened with: the query names the service worker and the app's own
// links put in them, and how a magnet link is read out of one. Needed by the store, the PWA
// layer and the service worker alike, so it belongs to none of them and imports nothing.

/** The app address the worker sends a share to: `/?share=<id>`. */
export const SHARE_QUERY = 'share';

/** `/?select=<infoHash>`: open the app on one torrent (a notification clicked with no tab open). */
export const SELECT_QUERY = 'select';

/** A URL's `#fragment`, percent-decoded where it can be. */
export function decodeHash(hash: string): string {
  const text = hash.slice(1);
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

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
