import { expect } from '@open-wc/testing';
import {
  keptPaused,
  nextLife,
  statusOf,
  type Life,
  type LifeEvent,
} from '../../src/engine/policy/lifecycle.ts';

const restoring: Life = { phase: 'restoring', paused: false };
const restoringPaused: Life = { phase: 'restoring', paused: true };
const running: Life = { phase: 'running' };
const paused: Life = { phase: 'paused', reason: 'user' };
const forSpace: Life = { phase: 'paused', reason: 'space' };
const forAccess: Life = { phase: 'paused', reason: 'access' };
const failed: Life = { phase: 'failed', message: 'disk gone' };
const stopped: Life = { phase: 'stopped' };

const start: LifeEvent = { type: 'start' };
const pause: LifeEvent = { type: 'pause', reason: 'user' };
const space: LifeEvent = { type: 'pause', reason: 'space' };
const access: LifeEvent = { type: 'pause', reason: 'access' };
const fail: LifeEvent = { type: 'fail', message: 'disk gone' };
const failOther: LifeEvent = { type: 'fail', message: 'file changed' };
const remove: LifeEvent = { type: 'remove' };

describe('a torrent’s lifecycle (nextLife)', () => {
  const table: readonly (readonly [string, Life, LifeEvent, Life | null])[] = [
    ['a restored torrent runs', restoring, start, running],
    ['a restored torrent paused before the reload stays paused', restoringPaused, pause, paused],
    ['a restored torrent whose files need access waits', restoring, access, forAccess],
    ['a restored torrent whose files changed fails', restoring, fail, failed],
    ['a torrent removed while restoring stops', restoring, remove, stopped],
    ['the user pauses a running torrent', running, pause, paused],
    ['a full disk pauses a running torrent', running, space, forSpace],
    ['a running torrent fails', running, fail, failed],
    ['a running torrent is not started twice', running, start, null],
    ['a paused torrent resumes', paused, start, running],
    ['a torrent paused for space resumes', forSpace, start, running],
    ['files allowed again: it runs', forAccess, start, running],
    ['a torrent paused by the user is not paused again', paused, pause, null],
    ['resuming in place may need access again', paused, access, forAccess],
    ['resuming in place may find its files changed', paused, fail, failed],
    ['a failed torrent is tried again', failed, start, running],
    ['a user’s pause does not hide a failure', failed, pause, null],
    ['the same failure again changes nothing', failed, fail, null],
    [
      'a new failure replaces the old one',
      failed,
      failOther,
      { phase: 'failed', message: 'file changed' },
    ],
    ['a failed torrent is removed', failed, remove, stopped],
    ['nothing starts a removed torrent', stopped, start, null],
    ['a late failure of a removed torrent is dropped', stopped, fail, null],
    ['a late full disk of a removed torrent is dropped', stopped, space, null],
    ['a removed torrent is not removed twice', stopped, remove, null],
  ];
  for (const [what, life, event, next] of table) {
    it(what, () => {
      const got = nextLife(life, event);
      expect(got).to.deep.equal(next);
    });
  }
});

describe('what a phase shows and keeps', () => {
  it('only a failed torrent has an error, and only a running one is not paused', () => {
    expect(statusOf(running)).to.deep.equal({ paused: false, errorMessage: null });
    expect(statusOf(failed)).to.deep.equal({ paused: false, errorMessage: 'disk gone' });
    for (const life of [restoring, paused, forSpace, forAccess, stopped])
      expect(statusOf(life)).to.deep.equal({ paused: true, errorMessage: null });
  });

  it('a reload keeps the user’s pause and one for space, not a wait for access or a failure', () => {
    expect([paused, forSpace, restoringPaused].map(keptPaused)).to.deep.equal([true, true, true]);
    expect([running, forAccess, failed, restoring].map(keptPaused)).to.deep.equal([
      false,
      false,
      false,
      false,
    ]);
  });
});
