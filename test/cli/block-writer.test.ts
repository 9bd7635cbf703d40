/**
 * cli/batch/block-writer.ts: a batch's records are written in blocks (one write per turn of the
 * event loop, or per 64 KiB), in order, and the writer reports a full stream until it drains.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlockWriter } from '../../cli/batch/block-writer.ts';

/** A stream recording each write; `hold` keeps its callbacks (the stream stays full) until released. */
function sink(highWaterMark: number) {
  const writes: string[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      writes.push(chunk);
      if (hold) held.push(cb);
      else cb();
    },
  });
  return {
    stream,
    writes,
    hold: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      for (const cb of held.splice(0)) cb();
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('BlockWriter', () => {
  it('joins the records of one turn into one write, in order', async () => {
    const s = sink(1 << 20);
    const w = new BlockWriter(s.stream);
    for (let i = 0; i < 5; i++) w.push(`line ${i}\n`);
    w.push('');
    expect(s.writes).toEqual([]);
    await turn();
    expect(s.writes).toEqual(['line 0\nline 1\nline 2\nline 3\nline 4\n']);
    w.push('next\n');
    await w.flush();
    expect(s.writes).toEqual(['line 0\nline 1\nline 2\nline 3\nline 4\n', 'next\n']);
  });

  it('writes at once when a block is full', () => {
    const s = sink(1 << 20);
    const w = new BlockWriter(s.stream, 10);
    w.push('12345');
    expect(s.writes).toEqual([]);
    w.push('67890');
    expect(s.writes).toEqual(['1234567890']);
  });

  it('reports a full stream until it drains', async () => {
    const s = sink(4);
    const w = new BlockWriter(s.stream, 4);
    s.hold();
    w.push('abcdef');
    const waiting = w.waiting;
    expect(waiting).toBeInstanceOf(Promise);
    let drained = false;
    void waiting!.then(() => {
      drained = true;
    });
    await turn();
    expect(drained).toBe(false);
    s.release();
    await waiting;
    expect(w.waiting).toBeUndefined();
    expect(s.writes.join('')).toBe('abcdef');
  });
});
