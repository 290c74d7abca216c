import { magnetFromUrl } from '../launch/launch-url.ts';

/**
 * The installed app is launched with a magnet link (protocol handler) or a .torrent file
 * (file handler). With `launch_handler: focus-existing` a launch while the app runs reaches
 * the running window here, through `window.launchQueue`, instead of a new window or a reload.
 */
export interface LaunchParamsLike {
  readonly targetURL?: string | null;
  readonly files: readonly FileSystemHandle[];
}

export interface LaunchQueueLike {
  setConsumer(consumer: (params: LaunchParamsLike) => void): void;
}

/** What opens a launch (the app store), and what each open comes to (`R`, its result). */
export interface LaunchTargets<R> {
  openLink(text: string): Promise<R>;
  addTorrentFile(file: File): Promise<R>;
}

/** A launch that could not be opened at all, reported in the shape of a failed result. */
export interface LaunchFailure {
  readonly ok: false;
  readonly message: string;
}

const isFileHandle = (handle: FileSystemHandle): handle is FileSystemFileHandle =>
  handle.kind === 'file';

/**
 * Opens what each launch carries. `initialUrl` is the address the page loaded with: the app
 * handles it itself at start, so a launch that merely repeats it is skipped.
 */
export function consumeLaunches<R>(
  queue: LaunchQueueLike,
  targets: LaunchTargets<R>,
  report: (result: R | LaunchFailure) => void,
  initialUrl: string,
): void {
  let first = true;
  queue.setConsumer((params) => {
    const repeat = first && params.targetURL === initialUrl;
    first = false;
    void (async () => {
      if (params.targetURL && !repeat) {
        const magnet = magnetFromUrl(new URL(params.targetURL));
        if (magnet !== null) report(await targets.openLink(magnet));
      }
      for (const handle of params.files.filter(isFileHandle)) {
        try {
          const file = await handle.getFile();
          report(await targets.addTorrentFile(file));
        } catch (err) {
          report({
            ok: false,
            message: `Could not open "${handle.name}": ${err instanceof Error ? err.message : String(err)}`,
          });
        }
      }
    })();
  });
}
