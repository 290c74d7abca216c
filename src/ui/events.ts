/** The intents components dispatch upward. `shoal-app` turns them into store calls. */
export interface ShoalEventDetails {
  'shoal-add-text': { text: string };
  'shoal-add-torrent-file': { file: File };
  'shoal-seed': { files: File[] };
  'shoal-select': { infoHash: string | null };
  'shoal-pause': { infoHash: string };
  'shoal-resume': { infoHash: string };
  'shoal-remove': { infoHash: string; deleteData: boolean };
  'shoal-save-file': { infoHash: string; path: string };
  'shoal-dismiss-notice': { id: number };
}

export type ShoalEventName = keyof ShoalEventDetails;

declare global {
  interface HTMLElementEventMap {
    'shoal-add-text': CustomEvent<ShoalEventDetails['shoal-add-text']>;
    'shoal-add-torrent-file': CustomEvent<ShoalEventDetails['shoal-add-torrent-file']>;
    'shoal-seed': CustomEvent<ShoalEventDetails['shoal-seed']>;
    'shoal-select': CustomEvent<ShoalEventDetails['shoal-select']>;
    'shoal-pause': CustomEvent<ShoalEventDetails['shoal-pause']>;
    'shoal-resume': CustomEvent<ShoalEventDetails['shoal-resume']>;
    'shoal-remove': CustomEvent<ShoalEventDetails['shoal-remove']>;
    'shoal-save-file': CustomEvent<ShoalEventDetails['shoal-save-file']>;
    'shoal-dismiss-notice': CustomEvent<ShoalEventDetails['shoal-dismiss-notice']>;
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
