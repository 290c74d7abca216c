/** `parts` one after another in a new array (of `length` bytes, their total unless told). */
export function concatBytes(
  parts: readonly Uint8Array[],
  length = parts.reduce((sum, part) => sum + part.byteLength, 0),
): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The SHA-1 of `bytes`, as lowercase hex (how info-hashes and piece hashes are written). */
export async function sha1Hex(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
