import { expect } from '@open-wc/testing';
import { Priorities } from '../../src/engine/streaming/priorities.ts';
import { PriorityWriter, WINDOW_PRIORITY } from '../../src/engine/swarm/priorities.ts';
import { SelectionRecorder } from './support/selection-recorder.ts';

function written() {
  const t = new SelectionRecorder(100);
  const writer = new PriorityWriter(t);
  return {
    t,
    priorities: new Priorities({
      applyPriorities: (plan) => {
        writer.apply(plan);
      },
    }),
  };
}

const p = String(WINDOW_PRIORITY);

describe('one priority plan per torrent, one writer', () => {
  it('a stream’s window and the next item’s prefetch are both fetched first, each released alone', () => {
    const { t, priorities } = written();
    priorities.steer({ window: [{ from: 0, to: 9 }], fillRest: false, strategy: 'sequential' }, [
      { from: 0, to: 1 },
    ]);
    expect(t.calls).to.deep.equal([`window 0-9 p${p}`, 'deselect 0-99', 'critical 0-1']);
    expect(t.strategy).to.equal('sequential');
    t.calls = [];
    priorities.prefetch({ from: 50, to: 54 });
    expect(t.calls).to.deep.equal([`window 50-54 p${p}`]);
    t.calls = [];
    // The window moves on; the prefetch stays selected, its pieces are not asked again.
    priorities.steer(
      { window: [{ from: 5, to: 14 }], fillRest: false, strategy: 'sequential' },
      [],
    );
    expect(t.calls).to.deep.equal(['unwindow 0-9', `window 5-14 p${p}`]);
    t.calls = [];
    priorities.prefetch(null);
    expect(t.calls).to.deep.equal(['unwindow 50-54']);
  });

  it('the same prefetch again writes nothing; a range named twice is one selection', () => {
    const { t, priorities } = written();
    priorities.prefetch({ from: 10, to: 19 });
    t.calls = [];
    priorities.prefetch({ from: 10, to: 19 });
    expect(t.calls).to.deep.equal([]);
    priorities.steer(
      { window: [{ from: 10, to: 19 }], fillRest: true, strategy: 'sequential' },
      [],
    );
    expect(t.calls).to.deep.equal([]);
    priorities.prefetch(null);
    // Still the stream's window: not released.
    expect(t.calls).to.deep.equal([]);
  });

  it('when streaming stops the rest of the torrent is fetched again, rarest first', () => {
    const { t, priorities } = written();
    priorities.steer({ window: [{ from: 0, to: 9 }], fillRest: false, strategy: 'sequential' }, []);
    t.calls = [];
    priorities.steer({ window: [], fillRest: true, strategy: 'rarest' }, []);
    expect(t.calls).to.deep.equal(['unwindow 0-9', 'select 0-99 p0']);
    expect(t.strategy).to.equal('rarest');
  });
});
