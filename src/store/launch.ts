// What the app was opened for, read from its address, and the magnet link in shared text:
// the store acts on both. The addresses themselves are src/launch/'s.
import { SELECT_QUERY, SHARE_QUERY, decodeHash, magnetFromUrl } from '../launch/launch-url.ts';

/** What the app was opened for, from its address. */
export interface Launch {
  /** A magnet link (`?magnet=` or `#magnet:`), not yet validated. */
  readonly magnet: string | null;
  /** A share the service worker received (`?share=<id>`), waiting in the share inbox. */
  readonly shareId: string | null;
  /** Why the service worker could not keep a share (`?share-error=`). */
  readonly shareError: string | null;
  /** A torrent to show (`?select=<infoHash>`, from a notification). */
  readonly select: string | null;
}

const LAUNCH_PARAMS = ['magnet', SHARE_QUERY, `${SHARE_QUERY}-error`, SELECT_QUERY] as const;

const param = (url: URL, name: string): string | null => {
  const value = url.searchParams.get(name)?.trim() ?? '';
  return value === '' ? null : value;
};

export function readLaunch(url: URL): Launch {
  return {
    magnet: magnetFromUrl(url),
    shareId: param(url, SHARE_QUERY),
    shareError: param(url, `${SHARE_QUERY}-error`),
    select: param(url, SELECT_QUERY),
  };
}

/** The same URL without what it was launched with, so a reload does not do it again. */
export function withoutLaunch(url: URL): URL {
  const clean = new URL(url.href);
  for (const name of LAUNCH_PARAMS) clean.searchParams.delete(name);
  if (/^magnet:/i.test(decodeHash(clean.hash))) clean.hash = '';
  return clean;
}

const MAGNET_IN_TEXT = /magnet:\?[^\s"'<>]+/i;
const URL_IN_TEXT = /https?:\/\/[^\s"'<>]+/gi;

/**
 * The magnet link in text shared with the app: a bare `magnet:?…`, or a link to an app like
 * this one that carries it (`https://…/?magnet=…`, `#magnet:…`). Null when there is none.
 */
export function magnetInSharedText(text: string): string | null {
  const bare = MAGNET_IN_TEXT.exec(text);
  if (bare) return bare[0];
  for (const [candidate] of text.matchAll(URL_IN_TEXT)) {
    try {
      const found = magnetFromUrl(new URL(candidate));
      if (found !== null) return found;
    } catch {
      // Not a URL after all.
    }
  }
  return null;
}
