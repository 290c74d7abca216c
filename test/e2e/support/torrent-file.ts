// Reads the piece layout of a .torrent in Node (the app itself reads them with
// parse-torrent, which has no typings outside src/): just enough bencode for that.

export interface TorrentLayout {
  readonly name: string;
  readonly lengthBytes: number;
  readonly pieceLengthBytes: number;
  readonly pieceCount: number;
}

type Value = number | Uint8Array | Value[] | Map<string, Value>;

function decode(bytes: Uint8Array, at: number): [Value, number] {
  const text = (from: number, to: number) => new TextDecoder().decode(bytes.subarray(from, to));
  const head = bytes[at];
  if (head === 0x69 /* i */) {
    const end = bytes.indexOf(0x65 /* e */, at);
    return [Number(text(at + 1, end)), end + 1];
  }
  if (head === 0x6c /* l */ || head === 0x64 /* d */) {
    const items: Value[] = [];
    let next = at + 1;
    while (bytes[next] !== 0x65) {
      const [item, after] = decode(bytes, next);
      items.push(item);
      next = after;
    }
    if (head === 0x6c) return [items, next + 1];
    const dict = new Map<string, Value>();
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = items[i];
      const value = items[i + 1];
      if (key instanceof Uint8Array && value !== undefined)
        dict.set(new TextDecoder().decode(key), value);
    }
    return [dict, next + 1];
  }
  const colon = bytes.indexOf(0x3a /* : */, at);
  if (colon < 0) throw new Error(`not bencode at byte ${String(at)}`);
  const start = colon + 1;
  const end = start + Number(text(at, colon));
  return [bytes.subarray(start, end), end];
}

const field = (dict: Value | undefined, key: string): Value | undefined =>
  dict instanceof Map ? dict.get(key) : undefined;

/** The name, size and pieces of a .torrent. */
export function torrentLayout(torrentFile: Uint8Array): TorrentLayout {
  const info = field(decode(torrentFile, 0)[0], 'info');
  const pieceLength = field(info, 'piece length');
  const pieces = field(info, 'pieces');
  const name = field(info, 'name');
  const length = field(info, 'length');
  const files = field(info, 'files');
  const lengthBytes =
    typeof length === 'number'
      ? length
      : Array.isArray(files)
        ? files.reduce<number>((sum, file) => {
            const fileLength = field(file, 'length');
            return sum + (typeof fileLength === 'number' ? fileLength : 0);
          }, 0)
        : NaN;
  if (
    typeof pieceLength !== 'number' ||
    !(pieces instanceof Uint8Array) ||
    !(name instanceof Uint8Array) ||
    Number.isNaN(lengthBytes)
  )
    throw new Error('not a .torrent with an info dictionary');
  return {
    name: new TextDecoder().decode(name),
    lengthBytes,
    pieceLengthBytes: pieceLength,
    pieceCount: pieces.byteLength / 20,
  };
}
