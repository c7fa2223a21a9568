import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AheadRenderer } from '../../../src/main/core/export/AheadRenderer.js';

/** Lets the event loop turn `turns` times, as an export does while it waits on its media workers. */
async function wait(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await nextTurn();
}

describe('AheadRenderer', () => {
  it('renders in order while the loop waits, never more than its limit ahead, and each item once', async () => {
    const renderedIndexes: number[] = [];
    const renderer = new AheadRenderer([1, 2, 4, 5, 6, 7], (index) => (renderedIndexes.push(index), `item ${index}`), 3);
    expect(renderedIndexes).toEqual([]); // nothing before the loop first waits
    await wait(10);
    expect(renderedIndexes).toEqual([1, 2, 4]);
    // Index 0 was never to be rendered ahead; 1 was.
    expect(renderer.take(0)).toBeUndefined();
    expect(renderer.take(1)).toBe('item 1');
    await wait(10);
    expect(renderedIndexes).toEqual([1, 2, 4, 5]);
    // The loop rendered 6 itself before the renderer came to it: it is skipped, not rendered twice.
    expect(renderer.take(6)).toBeUndefined();
    expect(renderer.take(2)).toBe('item 2');
    expect(renderer.take(4)).toBe('item 4');
    await wait(10);
    expect(renderedIndexes).toEqual([1, 2, 4, 5, 7]);
    expect(renderer.take(5)).toBe('item 5');
    expect(renderer.take(7)).toBe('item 7');
    renderer.stop();
  });

  it('raises a rendering error where the item is taken, and renders nothing after stop', async () => {
    const renderedIndexes: number[] = [];
    const renderer = new AheadRenderer([0, 1, 2, 3], (index) => {
      renderedIndexes.push(index);
      if (index === 1) throw new Error('item 1 broke');
      return index;
    });
    await wait(2);
    expect(renderer.take(0)).toBe(0);
    expect(() => renderer.take(1)).toThrow('item 1 broke');
    renderer.stop();
    const before = renderedIndexes.length;
    await wait(10);
    expect(renderedIndexes.length).toBe(before);
    expect(renderer.take(3)).toBeUndefined();
  });
});
