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
