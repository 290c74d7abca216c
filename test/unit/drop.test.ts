import { expect } from '@open-wc/testing';
import { filesFromDrop } from '../../src/ui/drop.ts';

describe('filesFromDrop', () => {
  it('gives the files of a drop made by a page (no file system behind them), without handles', async () => {
    const data = new DataTransfer();
    data.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
    const picked = await filesFromDrop(data);
    expect(picked.files.map((f) => f.name)).to.deep.equal(['dropped.txt']);
    expect(picked.handles).to.equal(undefined);
  });
});
