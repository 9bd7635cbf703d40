/**
 * Issue #20 (small files): `openInputBuffered` reads a small file whole through one
 * descriptor (open, fstat, read, close) and hands anything else to `openInput`, which reports
 * the path's problem. A larger regular file keeps that one descriptor, as a `FileSource`: no
 * descriptor is left open after `close()` or a failure, and a source collected without `close()`
 * has its descriptor closed then. A FIFO never blocks it (test/cli/robust.test.ts verifies one).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { ToolkitError } from '../../src/errors.ts';
import { openInputBuffered } from '../../src/service/input.ts';
import { cfx } from '../chain/helpers.ts';
import { repo } from '../helpers.ts';

/** Descriptors this process has open (Linux). */
const openFds = (): number => readdirSync('/proc/self/fd').length;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'aigc-input-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('openInputBuffered', () => {
  it('holds a small file in memory, byte for byte, with its path', async () => {
    const file = cfx('stamped.jpg');
    const opened = await openInputBuffered(file);
    expect(opened.src).toBeInstanceOf(BufferSource);
    expect(opened.path).toBe(file);
    expect(opened.handler.id).toBe('jpeg');
    const want = readFileSync(file);
    expect(opened.src.size).toBe(want.length);
    expect(Buffer.from(await opened.src.read(0, want.length)).equals(want)).toBe(true);
    expect(opened.extensionWarning).toBeUndefined();
  });

  it('keeps the extension check on the in-memory path', async () => {
    const file = path.join(tmp, 'really-a-jpeg.png');
    copyFileSync(cfx('stamped.jpg'), file);
    const opened = await openInputBuffered(file);
    expect(opened.src).toBeInstanceOf(BufferSource);
    expect(opened.extensionWarning).toBe('file extension .png does not match its content (jpeg)');
  });

  it('an empty file and a folder go to openInput, which reports them', async () => {
    const empty = path.join(tmp, 'empty.jpg');
    writeFileSync(empty, new Uint8Array(0));
    await expect(openInputBuffered(empty)).rejects.toBeInstanceOf(ToolkitError);
    const dir = path.join(tmp, 'a-folder.jpg');
    mkdirSync(dir);
    await expect(openInputBuffered(dir)).rejects.toBeInstanceOf(ToolkitError);
    await expect(openInputBuffered(path.join(tmp, 'missing.jpg'))).rejects.toBeInstanceOf(ToolkitError);
  });

  it('a file above IN_MEMORY_MAX_BYTES is read by seeking, not loaded', async () => {
    const { IN_MEMORY_MAX_BYTES } = await import('../../src/service/input.ts');
    const big = path.join(tmp, 'big.jpg');
    const head = readFileSync(cfx('stamped.jpg'));
    const bytes = Buffer.alloc(IN_MEMORY_MAX_BYTES + 1);
    head.copy(bytes);
    writeFileSync(big, bytes);
    const opened = await openInputBuffered(big);
    try {
      expect(opened.src).toBeInstanceOf(FileSource);
      expect(opened.src.size).toBe(IN_MEMORY_MAX_BYTES + 1);
    } finally {
      await (opened.src as FileSource).close();
    }
  });

  it('a large file keeps one descriptor, given back by close() and on failure', async () => {
    const { IN_MEMORY_MAX_BYTES } = await import('../../src/service/input.ts');
    const big = path.join(tmp, 'big-fds.jpg');
    const bytes = Buffer.alloc(IN_MEMORY_MAX_BYTES + 1);
    readFileSync(cfx('stamped.jpg')).copy(bytes);
    writeFileSync(big, bytes);
    const before = openFds();
    const opened = await openInputBuffered(big);
    expect(openFds()).toBe(before + 1);
    await opened.close();
    expect(openFds()).toBe(before);
    // Content no handler knows: the descriptor is closed before the error reaches the caller.
    const junk = path.join(tmp, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(IN_MEMORY_MAX_BYTES + 1, 0x5a));
    await expect(openInputBuffered(junk)).rejects.toBeInstanceOf(ToolkitError);
    expect(openFds()).toBe(before);
  });

  it('a FileSource collected without close() has its descriptor closed', async () => {
    const script = `
      import { readdirSync } from 'node:fs';
      import { FileSource } from ${JSON.stringify(repo('src/binary/file-source.ts'))};
      const fds = () => readdirSync('/proc/self/fd').length;
      const before = fds();
      for (let i = 0; i < 20; i++) await FileSource.open(${JSON.stringify(cfx('stamped.jpg'))}); // never closed
      const opened = fds() - before;
      for (let i = 0; i < 50 && fds() > before; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log(JSON.stringify({ opened, left: fds() - before }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repo(),
      },
    );
    expect(JSON.parse(stdout.trim())).toEqual({ opened: 20, left: 0 });
  }, 60_000);
});
