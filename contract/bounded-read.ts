/**
 * A stream read whole into one array, or `undefined` once it passes `limit` bytes: the stream is
 * cancelled there, so a hostile or broken peer cannot make the reader buffer more. A read error
 * is thrown as it came. One reader for every bounded body: the revocation feed's, its inflated
 * list, an upstream password service's answer.
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array | undefined> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    length += value.byteLength
    if (length > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const output = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    output.set(chunk, offset)
    offset += chunk.byteLength
  }
  return output
}
