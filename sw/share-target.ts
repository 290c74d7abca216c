/// <reference lib="webworker" />
// Web Share Target: the manifest sends shared files and text here as a multipart POST.
// Keep them in IndexedDB (they must outlive this request) and send the browser on to the app,
// which seeds the files or opens the link it finds in the text.
import { SHARE_QUERY } from '../src/pwa/share-path.ts';
import { ShareInbox } from '../src/pwa/share-inbox.ts';

const TEXT_FIELDS = ['title', 'text', 'url'] as const;

/** A file input that was left empty still sends a nameless, empty file. */
const isRealFile = (value: FormDataEntryValue): value is File =>
  typeof value !== 'string' && !(value.name === '' && value.size === 0);

const appUrl = (origin: string, params: Record<string, string>): string => {
  const url = new URL('/', origin);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
};

export async function receiveShare(request: Request, origin: string): Promise<Response> {
  try {
    const form = await request.formData();
    const files = form.getAll('files').filter(isRealFile);
    const text = TEXT_FIELDS.map((name) => form.get(name))
      .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
      .join('\n');
    const id = crypto.randomUUID();
    const inbox = await ShareInbox.open();
    try {
      await inbox.prune(Date.now());
      await inbox.put({ id, receivedAtMs: Date.now(), files, text });
    } finally {
      inbox.close();
    }
    // 303: the app is loaded with GET, so a reload does not post the share again.
    return Response.redirect(appUrl(origin, { [SHARE_QUERY]: id }), 303);
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return Response.redirect(appUrl(origin, { [`${SHARE_QUERY}-error`]: reason }), 303);
  }
}
