/** Where a torrent's file is streamed from: `/stream/<infoHash>/<url-encoded file path>`. */
export const STREAM_PREFIX = '/stream/';

export interface StreamTarget {
  readonly infoHash: string;
  /** The file's path inside the torrent, '/'-separated, as the engine names it. */
  readonly filePath: string;
}

export function streamUrl(infoHash: string, filePath: string): string {
  return `${STREAM_PREFIX}${infoHash}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}

/** The torrent and file a `/stream/…` path names, or null if it names none. */
export function parseStreamPath(pathname: string): StreamTarget | null {
  if (!pathname.startsWith(STREAM_PREFIX)) return null;
  const [infoHash = '', ...segments] = pathname.slice(STREAM_PREFIX.length).split('/');
  if (!/^[0-9a-f]{40}$/i.test(infoHash) || segments.length === 0) return null;
  try {
    const parts = segments.map((segment) => decodeURIComponent(segment));
    if (parts.some((part) => part === '' || part.includes('/'))) return null;
    return { infoHash: infoHash.toLowerCase(), filePath: parts.join('/') };
  } catch {
    return null;
  }
}
