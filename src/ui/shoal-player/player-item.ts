import type { Fraction } from './media-ranges.ts';
import type { SubtitleMatch } from './subtitle-match.ts';

/**
 * What the player plays, and whether this browser can: shared by the component and the
 * modules beside it, so that none of them imports another for it.
 */

/** One file the player can play: a torrent's media file, streamed by our service worker. */
export interface PlayerItem {
  readonly infoHash: string;
  /** The file's path in the torrent (what a save asks for). */
  readonly path: string;
  readonly name: string;
  /** Its `/stream/…` address. */
  readonly src: string;
  readonly kind: 'video' | 'audio';
  readonly mimeType: string;
  /** The parts of the file downloaded and verified, as fractions of it. */
  readonly verified: readonly Fraction[];
  /** The torrent's subtitle files for this video (subtitle-match.ts), each at its `src`. */
  readonly subtitles?: readonly (SubtitleMatch & { readonly src: string })[];
}

const playable = new Map<string, boolean>();

/** Whether this browser may play a type at all (`canPlayType` says "maybe" or "probably"). */
export function canPlay(item: PlayerItem): boolean {
  const key = `${item.kind} ${item.mimeType}`;
  let known = playable.get(key);
  if (known === undefined) {
    known = document.createElement(item.kind).canPlayType(item.mimeType) !== '';
    playable.set(key, known);
  }
  return known;
}
