// The most recent output of a terminal session, kept while the session lives
// so that a browser joining it (a reload, a dropped connection, a second tab)
// sees where the terminal is before the live stream goes on. Bounded: past
// `capacity` bytes the oldest output is dropped, and the ring counts what it
// dropped so the browser can be told. Pure; chunks are kept as given (no copy).

export const OUTPUT_RING_BYTES = 256 * 1024;

export class OutputRing {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Every byte ever appended; the ring holds [total - held, total). */
  total = 0;

  constructor(readonly capacity: number = OUTPUT_RING_BYTES) {}

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    if (chunk.length >= this.capacity) {
      this.chunks = [chunk.subarray(chunk.length - this.capacity)];
      this.held = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.held += chunk.length;
    while (this.held > this.capacity) {
      const excess = this.held - this.capacity;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.held -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.held -= excess;
      }
    }
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
