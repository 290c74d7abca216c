/**
 * The private members of webtorrent's torrent that `engine/swarm/` reads or patches, checked
 * by tune.ts when a torrent is added and again once it is ready: a webtorrent release that
 * renames one would otherwise turn a feature off silently (the code that uses them guards
 * with `?.`). webtorrent is pinned to the version these were written for (package.json); the
 * check names the first member that is missing or of another kind, so moving the pin fails
 * loudly and says where to look.
 */

type Kind = 'function' | 'object' | 'array' | 'number' | 'present';

/** Member → kind, on a torrent from its construction, and the module that relies on it. */
const ADDED: readonly (readonly [string, Kind, string])[] = [
  ['_select', 'function', 'priorities, piece-stream'],
  ['_deselect', 'function', 'priorities, piece-stream'],
  ['_request', 'function', 'first-requests, held-requests, request-steering'],
  ['_updateWire', 'function', 'first-requests, held-requests'],
  ['_updateWireWrapper', 'function', 'prompt-critical, unthrottled-round'],
  ['_update', 'function', 'unthrottled-round'],
  ['_onMetadata', 'function', 'metadata-once, client (metadata from a neighbour)'],
  ['_critical', 'array', 'first-requests'],
  ['_selections', 'object', 'selection-order, first-requests'],
  ['_peers', 'object', 'torrent (addGatedWebSeed, SwarmPeer.neighbour)'],
  ['_rechokeIntervalId', 'present', 'tune (choking taken over)'],
  ['addPeer', 'function', 'neighbours (wires over a neighbour’s connection)'],
  ['_startDiscovery', 'function', 'tracker-reconnect'],
  ['pieces', 'array', 'hash-bans (the attempt at each piece)'],
];

/** Member → kind, from the metadata on. */
const READY: readonly (readonly [string, Kind, string])[] = [
  ...ADDED,
  ['_reservations', 'array', 'torrent (askedOf)'],
  ['_hasStartupBitfield', 'present', 'verify-pass'],
  ['_rarityMap', 'object', 'rarest-piece'],
  ['infoBuffer', 'object', 'client (metadata sent to a neighbour)'],
];

/** Member → kind, on the torrent's rarity map (rarest-piece.ts replaces its lookup). */
const RARITY_MAP: readonly (readonly [string, Kind])[] = [
  ['getRarestPiece', 'function'],
  ['_numPieces', 'number'],
  ['_pieces', 'array'],
  ['_torrent', 'object'],
];

/** Members of a piece not yet verified (torrent-piece's), whose progress rarest-piece reads. */
const PIECE: readonly (readonly [string, Kind])[] = [
  ['_reservations', 'number'],
  ['_chunks', 'number'],
  ['_cancellations', 'present'],
];

/** Members of the selections list selection-order.ts swaps in. */
const SELECTIONS: readonly (readonly [string, Kind])[] = [
  ['length', 'number'],
  ['get', 'function'],
  ['swap', 'function'],
];

export class WebTorrentShapeError extends Error {
  override readonly name = 'WebTorrentShapeError';
  constructor(member: string, kind: Kind, usedBy: string) {
    super(
      `webtorrent's torrent has no ${kind} ${member} (used by ${usedBy}): the installed webtorrent ` +
        'is not the version Shoal is pinned to (see the README)',
    );
  }
}

function isKind(value: unknown, kind: Kind, owner: object, member: string): boolean {
  switch (kind) {
    case 'function':
      return typeof value === 'function';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null;
    case 'number':
      return typeof value === 'number';
    case 'present':
      return member in owner;
  }
}

function check(
  owner: object,
  members: readonly (readonly [string, Kind])[],
  prefix: string,
  usedBy: string,
): void {
  for (const [member, kind] of members) {
    const value = (owner as Record<string, unknown>)[member];
    if (!isKind(value, kind, owner, member))
      throw new WebTorrentShapeError(`${prefix}${member}`, kind, usedBy);
  }
}

/**
 * Member → kind, on a peer's wire (bittorrent-protocol's), which wire-guard and hash-bans wrap
 * and a snub withdraws requests from (outstanding-requests).
 */
const WIRE: readonly (readonly [string, Kind])[] = [
  ['request', 'function'],
  ['requests', 'array'],
  ['cancel', 'function'],
  ['peerRequests', 'array'],
  ['_onMessageLength', 'function'],
  ['_onRequest', 'function'],
  ['_onPiece', 'function'],
  ['cancel', 'function'],
  ['peerChoking', 'present'],
];

/** Throws a WebTorrentShapeError naming the first member a peer's wire lacks. */
export function checkWireShape(wire: object): void {
  check(wire, WIRE, 'wire.', 'wire-guard, hash-bans, outstanding-requests, request-steering');
}

/** Throws a WebTorrentShapeError naming the first member a torrent just added lacks. */
export function checkAddedShape(torrent: object): void {
  for (const [member, kind, usedBy] of ADDED) check(torrent, [[member, kind]], '', usedBy);
  check(
    (torrent as { _selections: object })._selections,
    SELECTIONS,
    '_selections.',
    'selection-order',
  );
}

/** Throws a WebTorrentShapeError naming the first member a ready torrent lacks. */
export function checkShape(torrent: object): void {
  for (const [member, kind, usedBy] of READY) check(torrent, [[member, kind]], '', usedBy);
  const t = torrent as { _rarityMap: object; _selections: object; pieces: unknown[] };
  check(t._rarityMap, RARITY_MAP, '_rarityMap.', 'rarest-piece');
  const piece = t.pieces.find((p): p is object => typeof p === 'object' && p !== null);
  if (piece) check(piece, PIECE, 'pieces[i].', 'rarest-piece (strict priority)');
  check(t._selections, SELECTIONS, '_selections.', 'selection-order');
}
