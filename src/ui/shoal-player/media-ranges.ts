/** Small pure helpers of the player: clock text, ranges as fractions, what a key does. */

export interface Fraction {
  readonly start: number;
  readonly end: number;
}

/** `m:ss`, or `h:mm:ss` past an hour; '-:--' while unknown. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-:--';
  const whole = Math.floor(seconds);
  const s = String(whole % 60).padStart(2, '0');
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${String(minutes)}:${s}`;
  return `${String(Math.floor(minutes / 60))}:${String(minutes % 60).padStart(2, '0')}:${s}`;
}

/** A media element's `buffered` (or `played`) ranges as fractions of its duration. */
export function timeRangeFractions(
  ranges: Pick<TimeRanges, 'length' | 'start' | 'end'>,
  durationS: number,
): Fraction[] {
  if (!Number.isFinite(durationS) || durationS <= 0) return [];
  const fractions: Fraction[] = [];
  for (let i = 0; i < ranges.length; i++) {
    const start = Math.max(0, Math.min(1, ranges.start(i) / durationS));
    const end = Math.max(0, Math.min(1, ranges.end(i) / durationS));
    if (end > start) fractions.push({ start, end });
  }
  return fractions;
}

/**
 * Seconds buffered ahead of the playhead, to the end of the last range that holds it (or starts
 * within `slackS` of it); 0 when none does.
 * `media.buffered` is read once: each read is a new snapshot, and while the element loads its
 * ranges merge between two reads, so an index taken from one is out of bounds in the next.
 */
export function bufferedAheadS(
  media: Pick<HTMLMediaElement, 'buffered' | 'currentTime'>,
  slackS = 0.1,
): number {
  const ranges = media.buffered;
  const now = media.currentTime;
  let aheadS = 0;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges.start(i) <= now + slackS && ranges.end(i) > now) aheadS = ranges.end(i) - now;
  }
  return aheadS;
}

export type PlayerAction =
  | { readonly kind: 'toggle-play' }
  | { readonly kind: 'seek-by'; readonly seconds: number }
  | { readonly kind: 'toggle-mute' }
  | { readonly kind: 'toggle-fullscreen' }
  | { readonly kind: 'toggle-subtitles' };

/** The player's keyboard shortcuts (YouTube's): null for a key it leaves alone. */
export function actionForKey(key: string): PlayerAction | null {
  switch (key) {
    case ' ':
    case 'k':
    case 'K':
      return { kind: 'toggle-play' };
    case 'ArrowLeft':
      return { kind: 'seek-by', seconds: -5 };
    case 'ArrowRight':
      return { kind: 'seek-by', seconds: 5 };
    case 'j':
    case 'J':
      return { kind: 'seek-by', seconds: -10 };
    case 'l':
    case 'L':
      return { kind: 'seek-by', seconds: 10 };
    case 'm':
    case 'M':
      return { kind: 'toggle-mute' };
    case 'f':
    case 'F':
      return { kind: 'toggle-fullscreen' };
    case 'c':
    case 'C':
      return { kind: 'toggle-subtitles' };
    default:
      return null;
  }
}
