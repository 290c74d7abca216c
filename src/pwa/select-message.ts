// Shared by the page and the service worker: no imports.

/** `/?select=<infoHash>`: open the app on one torrent (a notification clicked with no tab open). */
export const SELECT_QUERY = 'select';

export interface SelectMessage {
  readonly type: 'shoal-select';
  readonly infoHash: string;
}

export const selectMessage = (infoHash: string): SelectMessage => ({
  type: 'shoal-select',
  infoHash,
});

export const isSelectMessage = (data: unknown): data is SelectMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'shoal-select' &&
  typeof (data as { infoHash?: unknown }).infoHash === 'string';
