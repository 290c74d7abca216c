import type { PlaybackReport } from '../engine/types.ts';

/** The intents components dispatch upward. `shoal-app` turns them into store calls. */
export interface ShoalEventDetails {
  'shoal-add-text': { text: string };
  'shoal-add-torrent-file': { file: File };
  /** Add the demo the app's server offers, and play it. */
  'shoal-play-demo': Record<string, never>;
  /** `handles`: the files' File System Access handles, to seed them where they are. */
  'shoal-seed': { files: File[]; handles?: FileSystemFileHandle[] };
  /** The name the user gave a share of several files, or null: they cancelled it. */
  'shoal-share-name': { name: string | null };
  'shoal-select': { infoHash: string | null };
  'shoal-pause': { infoHash: string };
  'shoal-resume': { infoHash: string };
  /** With `deleteData`, the app offers Undo for a few seconds before deleting anything. */
  'shoal-remove': { infoHash: string; deleteData: boolean };
  /** Bring back a torrent just removed with its data, before the data is deleted. */
  'shoal-undo-delete': { infoHash: string };
  /** The pointer is on (held) or has left a delete's Undo notice: its countdown waits. */
  'shoal-hold-undo': { infoHash: string; held: boolean };
  'shoal-save-file': { infoHash: string; path: string };
  'shoal-dismiss-notice': { id: number };
  /** Show a torrent's sharing card (link, QR code), or hide it with null. */
  'shoal-share': { infoHash: string | null };
  'shoal-install': Record<string, never>;
  'shoal-apply-update': Record<string, never>;
  'shoal-dismiss-update': Record<string, never>;
  'shoal-handle-magnets': Record<string, never>;
  'shoal-enable-notifications': Record<string, never>;
  /** Keep a torrent on this device, or let it be cache that may be evicted. */
  'shoal-keep': { infoHash: string; kept: boolean };
  'shoal-clear-cache': Record<string, never>;
  /** Where the player is in a torrent's file (the engine's web seed and prefetch follow it). */
  'shoal-playback': PlaybackReport;
}

export type ShoalEventName = keyof ShoalEventDetails;

declare global {
  interface HTMLElementEventMap {
    'shoal-add-text': CustomEvent<ShoalEventDetails['shoal-add-text']>;
    'shoal-add-torrent-file': CustomEvent<ShoalEventDetails['shoal-add-torrent-file']>;
    'shoal-play-demo': CustomEvent<ShoalEventDetails['shoal-play-demo']>;
    'shoal-seed': CustomEvent<ShoalEventDetails['shoal-seed']>;
    'shoal-share-name': CustomEvent<ShoalEventDetails['shoal-share-name']>;
    'shoal-select': CustomEvent<ShoalEventDetails['shoal-select']>;
    'shoal-pause': CustomEvent<ShoalEventDetails['shoal-pause']>;
    'shoal-resume': CustomEvent<ShoalEventDetails['shoal-resume']>;
    'shoal-remove': CustomEvent<ShoalEventDetails['shoal-remove']>;
    'shoal-hold-undo': CustomEvent<ShoalEventDetails['shoal-hold-undo']>;
    'shoal-undo-delete': CustomEvent<ShoalEventDetails['shoal-undo-delete']>;
    'shoal-save-file': CustomEvent<ShoalEventDetails['shoal-save-file']>;
    'shoal-dismiss-notice': CustomEvent<ShoalEventDetails['shoal-dismiss-notice']>;
    'shoal-share': CustomEvent<ShoalEventDetails['shoal-share']>;
    'shoal-install': CustomEvent<ShoalEventDetails['shoal-install']>;
    'shoal-apply-update': CustomEvent<ShoalEventDetails['shoal-apply-update']>;
    'shoal-dismiss-update': CustomEvent<ShoalEventDetails['shoal-dismiss-update']>;
    'shoal-handle-magnets': CustomEvent<ShoalEventDetails['shoal-handle-magnets']>;
    'shoal-enable-notifications': CustomEvent<ShoalEventDetails['shoal-enable-notifications']>;
    'shoal-keep': CustomEvent<ShoalEventDetails['shoal-keep']>;
    'shoal-clear-cache': CustomEvent<ShoalEventDetails['shoal-clear-cache']>;
    'shoal-playback': CustomEvent<ShoalEventDetails['shoal-playback']>;
  }
}

/** Dispatches a typed intent that bubbles out of shadow roots. */
export function dispatch<E extends ShoalEventName>(
  from: HTMLElement,
  name: E,
  detail: ShoalEventDetails[E],
): void {
  from.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
