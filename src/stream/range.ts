/** A byte range of a file, both ends inclusive, as HTTP's Range and Content-Range count. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

const BYTES_UNIT = /^\s*bytes\s*=/i;
const RANGE_SPEC = /^(\d*)\s*-\s*(\d*)$/;

export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

/**
 * Reads a `Range` request header against a file of `sizeBytes`. Only `bytes` ranges are
 * understood; of several ranges the first is served (media elements ask for one). A header
 * that cannot be parsed is ignored, as RFC 9110 says, and the whole file is served.
 */
export function parseRange(header: string | null, sizeBytes: number): RangeRequest {
  if (header === null) return { kind: 'whole' };
  const unit = BYTES_UNIT.exec(header);
  if (!unit) return { kind: 'whole' };
  // The first range only, trimmed, then one pattern whose parts cannot overlap: no whitespace
  // run can be split two ways, so a hostile header costs linear time. (The single pattern this
  // replaces, /\s*(\d*)\s*-/, took seconds over a header of 100,000 spaces.)
  const [spec = ''] = header.slice(unit[0].length).split(',', 1);
  const match = RANGE_SPEC.exec(spec.trim());
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || sizeBytes === 0) return { kind: 'unsatisfiable' };
    return {
      kind: 'partial',
      range: { start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 },
    };
  }
  const start = Number(first);
  if (start >= sizeBytes) return { kind: 'unsatisfiable' };
  const end = last === '' ? sizeBytes - 1 : Math.min(Number(last), sizeBytes - 1);
  if (end < start) return { kind: 'whole' };
  return { kind: 'partial', range: { start, end } };
}

/**
 * A torrent's file is a stranger's: opened in a tab of its own (an SVG, or any type that can
 * carry script), it must not run as the app, on the app's origin, with the app's storage. Its
 * type is not sniffed (an unknown one is a download), and it is a sandboxed document (an
 * opaque origin, no scripts) that may show only its own bytes and inline styles. A media
 * element, an <img>, a fetch ignore a response's policy, so playing, previews and saves are as
 * before. Audio, video, raster images and PDFs open in the browser's own viewers, which run no
 * script of the file and do not open in a sandbox.
 */
function streamSafetyHeaders(mimeType: string): Record<string, string> {
  const headers: Record<string, string> = { 'X-Content-Type-Options': 'nosniff' };
  const viewer =
    /^(audio|video)\//.test(mimeType) ||
    (mimeType.startsWith('image/') && mimeType !== 'image/svg+xml') ||
    mimeType === 'application/pdf';
  if (!viewer)
    headers['Content-Security-Policy'] =
      "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";
  return headers;
}

/** Status and headers of the answer to a stream request. */
export function rangeResponseHead(
  request: RangeRequest,
  sizeBytes: number,
  mimeType: string,
): { status: number; headers: Record<string, string>; range: ByteRange | null } {
  const common = {
    'Accept-Ranges': 'bytes',
    'Content-Type': mimeType,
    'Cache-Control': 'no-store',
    ...streamSafetyHeaders(mimeType),
  };
  switch (request.kind) {
    case 'unsatisfiable':
      return {
        status: 416,
        headers: {
          ...common,
          'Content-Range': `bytes */${String(sizeBytes)}`,
          'Content-Length': '0',
        },
        range: null,
      };
    case 'partial': {
      const { start, end } = request.range;
      return {
        status: 206,
        headers: {
          ...common,
          'Content-Range': `bytes ${String(start)}-${String(end)}/${String(sizeBytes)}`,
          'Content-Length': String(end - start + 1),
        },
        range: request.range,
      };
    }
    case 'whole':
      return {
        status: 200,
        headers: { ...common, 'Content-Length': String(sizeBytes) },
        range: sizeBytes === 0 ? null : { start: 0, end: sizeBytes - 1 },
      };
  }
}
