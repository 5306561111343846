// The most recent output of a terminal session, kept while the session lives
// so that a browser joining it (a reload, a dropped connection, a second tab)
// sees where the terminal is before the live stream goes on. Bounded: past
// `capacity` bytes the oldest output is dropped, and the ring counts what it
// dropped so the browser can be told. Pure.
//
// Chunks are kept as given, without a copy, while that is cheap. But a chunk
// is often a view into a larger buffer (a socket read, Node's 8 KiB pool) and
// keystroke echoes come a few bytes at a time: kept as they are, 256 KiB of
// them could hold megabytes alive. Past twice the capacity kept alive, or
// MAX_CHUNKS chunks, the ring copies what it holds into one buffer.

export const OUTPUT_RING_BYTES = 256 * 1024;
const MAX_CHUNKS = 1024;

export class OutputRing {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Bytes of the buffers the chunks are views into. */
  private retained = 0;
  /** Every byte ever appended; the ring holds [total - held, total). */
  total = 0;

  constructor(readonly capacity: number = OUTPUT_RING_BYTES) {}

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    if (chunk.length >= this.capacity) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.capacity))];
      this.held = this.capacity;
      this.retained = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.held += chunk.length;
    this.retained += chunk.buffer.byteLength;
    while (this.held > this.capacity) {
      const excess = this.held - this.capacity;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.held -= first.length;
        this.retained -= first.buffer.byteLength;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.held -= excess;
      }
    }
    if (this.retained > 2 * this.capacity || this.chunks.length > MAX_CHUNKS) this.compact();
  }

  /** Bytes of memory the held chunks keep alive (for tests). */
  get retainedBytes(): number {
    return this.retained;
  }

  private compact(): void {
    const all = Buffer.alloc(this.held);
    let at = 0;
    for (const chunk of this.chunks) at += chunk.copy(all, at);
    this.chunks = [all];
    this.retained = all.buffer.byteLength;
  }

  /** The offset of the oldest byte still held. */
  get start(): number {
    return this.total - this.held;
  }

  /** What the ring holds, oldest first. */
  contents(): Buffer[] {
    return [...this.chunks];
  }

  /** How many bytes written since `offset` the ring no longer holds. */
  droppedSince(offset: number): number {
    return Math.max(0, this.start - offset);
  }
}
