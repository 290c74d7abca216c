/** Where the manifest's share target POSTs shared files and text (answered by our worker). */
export const SHARE_TARGET_PATH = '/share-target';

/** The app address the worker sends a share to: `/?share=<id>`. */
export const SHARE_QUERY = 'share';
