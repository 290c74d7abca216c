/**
 * A torrent's lifecycle, as a state machine. Stored phases are the ones the engine decides:
 * restoring (listed from a reload, its store being read), running (a live torrent in the
 * swarm), paused (by the user, for want of space, or until the user allows its files to be
 * read again), failed (with the reason), stopped (removed: final, every later event is
 * dropped). A running torrent's sub-phase (fetching metadata, downloading, seeding) is read
 * off the live torrent and what is on disk (torrent-status.ts), never stored, so it cannot
 * disagree with them.
 */

/** Why a torrent is not running though nothing failed. */
export type PauseReason = 'user' | 'space' | 'access';

export type Life =
  /** `paused`: whether it was paused when the page closed (it stays so once restored). */
  | { readonly phase: 'restoring'; readonly paused: boolean }
  | { readonly phase: 'running' }
  | { readonly phase: 'paused'; readonly reason: PauseReason }
  | { readonly phase: 'failed'; readonly message: string }
  | { readonly phase: 'stopped' };

export type LifeEvent =
  /** Added, resumed, restored to run, or shared again. */
  | { readonly type: 'start' }
  | { readonly type: 'pause'; readonly reason: PauseReason }
  | { readonly type: 'fail'; readonly message: string }
  | { readonly type: 'remove' };

export const RUNNING: Life = { phase: 'running' };

/**
 * The phase an event leads to, or null when it does not apply there (it is then dropped):
 * nothing leaves `stopped`; a running torrent is not started twice; a user's pause does not
 * hide a failure (the user resumes a failed torrent to try again).
 */
export function nextLife(life: Life, event: LifeEvent): Life | null {
  if (life.phase === 'stopped') return null;
  switch (event.type) {
    case 'remove':
      return { phase: 'stopped' };
    case 'start':
      return life.phase === 'running' ? null : RUNNING;
    case 'fail':
      return life.phase === 'failed' && life.message === event.message
        ? null
        : { phase: 'failed', message: event.message };
    case 'pause':
      if (life.phase === 'failed' && event.reason === 'user') return null;
      if (life.phase === 'paused' && life.reason === event.reason) return null;
      return { phase: 'paused', reason: event.reason };
  }
}

/** Whether a reload should leave it paused: the user's pause, or one for want of space. */
export const keptPaused = (life: Life): boolean =>
  life.phase === 'restoring'
    ? life.paused
    : life.phase === 'paused' && (life.reason === 'user' || life.reason === 'space');

/** What the status of a torrent reads of its phase (torrent-status.ts). */
export function statusOf(life: Life): { paused: boolean; errorMessage: string | null } {
  return {
    paused: life.phase === 'paused' || life.phase === 'restoring' || life.phase === 'stopped',
    errorMessage: life.phase === 'failed' ? life.message : null,
  };
}
