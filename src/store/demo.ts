/**
 * The demo a first visit offers: a short video the app's own server keeps with its .torrent
 * (made by `npm start` and `npm run serve`: scripts/demo.ts). The .torrent names no web seed,
 * since the server's address is known only here: the app's own copy of the video becomes its
 * web seed (BEP 19 `url-list`, outside the info dictionary, so the info-hash is the same for
 * every address the app is opened at). It then plays with no other peer, from the web seed.
 */
import parseTorrent, { toTorrentFile } from 'parse-torrent';

export const DEMO_TORRENT_PATH = 'demo/demo.torrent';
export const DEMO_VIDEO_PATH = 'demo/shoal-demo.mp4';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** A .torrent's bytes with `url` as its only web seed; the info-hash does not change. */
export async function withWebSeed(bytes: Uint8Array, url: string): Promise<Uint8Array> {
  const parsed = (await parseTorrent(bytes)) as Awaited<ReturnType<typeof parseTorrent>> & {
    info: Record<string, unknown>;
  };
  return toTorrentFile({ info: parsed.info, announce: parsed.announce, urlList: [url] });
}

/** Whether `response` is a .torrent (a dev server answers unknown paths with its page). */
const isTorrent = (response: Response): boolean =>
  response.ok && !(response.headers.get('content-type') ?? '').includes('text/html');

/** Whether the app's server has the demo. */
export async function demoOnServer(base: string, fetchFn: Fetch = fetch): Promise<boolean> {
  try {
    return isTorrent(await fetchFn(new URL(DEMO_TORRENT_PATH, base).href, { method: 'HEAD' }));
  } catch {
    return false;
  }
}

/** The demo's .torrent, its web seed the server's copy of the video; null without a demo. */
export async function demoTorrent(base: string, fetchFn: Fetch = fetch): Promise<File | null> {
  let response: Response;
  try {
    response = await fetchFn(new URL(DEMO_TORRENT_PATH, base).href);
  } catch {
    return null;
  }
  if (!isTorrent(response)) return null;
  const bytes = await withWebSeed(
    new Uint8Array(await response.arrayBuffer()),
    new URL(DEMO_VIDEO_PATH, base).href,
  );
  return new File([bytes as Uint8Array<ArrayBuffer>], 'Shoal demo.torrent', {
    type: 'application/x-bittorrent',
  });
}
