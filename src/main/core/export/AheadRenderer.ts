/** Rendered items waiting to be taken, at most: a long recording must not pull a 100,000-item export into memory. */
export const MAX_RENDERED_AHEAD = 256;

/**
 * Renders an export's items ahead of its loop, one per turn of the event loop, so that the text work
 * fills the time the thread would wait on media workers. The loop takes an item rendered ahead,
 * or renders it itself (and the renderer skips it). An error is raised where the item is taken.
 */
export class AheadRenderer<Rendered> {
  private readonly rendered = new Map<number, { item: Rendered } | { error: unknown }>();
  private readonly taken = new Set<number>();
  private next = 0;
  private timer: NodeJS.Immediate | null = null;
  private stopped = false;

  constructor(
    private readonly indexes: readonly number[],
    private readonly render: (index: number) => Rendered,
    private readonly maxAhead = MAX_RENDERED_AHEAD,
  ) {
    this.timer = setImmediate(this.step);
  }

  private readonly step = (): void => {
    this.timer = null;
    if (this.stopped || this.rendered.size >= this.maxAhead) return;
    while (this.next < this.indexes.length && this.taken.has(this.indexes[this.next] ?? -1)) this.next += 1;
    const index = this.indexes[this.next];
    if (index === undefined) return;
    this.next += 1;
    try {
      this.rendered.set(index, { item: this.render(index) });
    } catch (error) {
      this.rendered.set(index, { error });
    }
    this.timer = setImmediate(this.step);
  };

  take(index: number): Rendered | undefined {
    this.taken.add(index);
    const found = this.rendered.get(index);
    if (!found) return undefined;
    this.rendered.delete(index);
    // Paused at the limit: room again.
    if (!this.timer && !this.stopped) this.timer = setImmediate(this.step);
    if ('error' in found) throw found.error;
    return found.item;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    this.rendered.clear();
  }
}
