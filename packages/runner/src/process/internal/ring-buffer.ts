/** A fixed-capacity FIFO that drops its oldest item when full. */
export class RingBuffer<Item> {
  private readonly items: (Item | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<Item | undefined>(capacity);
  }

  /** Appends `item`, dropping the oldest one when full. */
  push(item: Item): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The items, oldest first. */
  toArray(): Item[] {
    const start = (this.next - this.size + this.capacity) % this.capacity;
    const out: Item[] = [];
    for (let index = 0; index < this.size; index += 1) out.push(this.items[(start + index) % this.capacity] as Item);
    return out;
  }
}
