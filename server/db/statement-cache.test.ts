import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './database.ts';

describe('the SQLite statement cache', () => {
  let handle: Database.Database;
  afterEach(() => {
    if (handle.open) handle.close();
  });

  it('hands out the statement prepared before for the same text', () => {
    handle = new Database(':memory:');
    const cached = withStatementCache(handle);
    cached.prepare('CREATE TABLE t (n INTEGER)').run();
    cached.prepare('INSERT INTO t (n) VALUES (?)').run(1);
    cached.prepare('INSERT INTO t (n) VALUES (?)').run(2);
    expect(cached.prepare('SELECT n FROM t ORDER BY n')).toBe(cached.prepare('SELECT n FROM t ORDER BY n'));
    expect(cached.prepare('SELECT n FROM t ORDER BY n').all()).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('prepares a fresh one while the cached statement is still being iterated', () => {
    handle = new Database(':memory:');
    const cached = withStatementCache(handle);
    cached.prepare('CREATE TABLE t (n INTEGER)').run();
    for (const n of [1, 2, 3]) cached.prepare('INSERT INTO t (n) VALUES (?)').run(n);
    const outer: number[] = [];
    const inner: number[] = [];
    for (const row of cached.prepare('SELECT n FROM t ORDER BY n').iterate() as Iterable<{ n: number }>) {
      outer.push(row.n);
      inner.push(...(cached.prepare('SELECT n FROM t ORDER BY n').all() as { n: number }[]).map((r) => r.n));
    }
    expect(outer).toEqual([1, 2, 3]);
    expect(inner).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('sees a schema change made after a statement was cached', () => {
    handle = new Database(':memory:');
    const cached = withStatementCache(handle);
    cached.prepare('CREATE TABLE t (n INTEGER)').run();
    cached.prepare('INSERT INTO t (n) VALUES (1)').run();
    expect(cached.prepare('SELECT * FROM t').all()).toEqual([{ n: 1 }]);
    cached.prepare('ALTER TABLE t ADD COLUMN label TEXT').run();
    expect(cached.prepare('SELECT * FROM t').all()).toEqual([{ n: 1, label: null }]);
  });
});
