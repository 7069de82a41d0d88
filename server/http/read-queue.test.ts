import { describe, expect, it } from 'vitest';
import { ReadQueue } from './read-queue.ts';

describe('ReadQueue', () => {
  it('runs one read per turn of the event loop, letting other work in between', async () => {
    const reads = new ReadQueue();
    const order: string[] = [];
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        reads.run(() => {
          order.push(`read ${n}`);
          // Stands for a webhook that became ready while this read ran.
          setImmediate(() => order.push(`other work after read ${n}`));
          return n;
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3]);
    expect(order.slice(0, 5)).toEqual(['read 1', 'other work after read 1', 'read 2', 'other work after read 2', 'read 3']);
  });

  it("hands a failed read's error to its caller and goes on with the next", async () => {
    const reads = new ReadQueue();
    const failing = reads.run(() => {
      throw new Error('the store is closed');
    });
    const next = reads.run(async () => 'still answered');
    await expect(failing).rejects.toThrow('the store is closed');
    await expect(next).resolves.toBe('still answered');
    expect(reads.length).toBe(0);
  });

  it('with room for several (PostgreSQL), runs that many at once and no more', async () => {
    const reads = new ReadQueue(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        reads.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running -= 1;
          return n;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
});
