/** The batch progress bar: on a terminal it shows count, total, rate and ETA; otherwise (or --quiet) nothing. */
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../cli/batch/progress.ts';
import { summaryTable } from '../../cli/batch/run.ts';
import { globToRegExp } from '../../cli/batch/inputs.ts';

function fakeTerminal(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    text: '',
    isTTY: tty,
    columns: 100,
    rows: 30,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
    cursorTo() {
      return true;
    },
    clearLine() {
      return true;
    },
    moveCursor() {
      return true;
    },
    clearScreenDown() {
      return true;
    },
    on() {
      return s;
    },
    once() {
      return s;
    },
    removeListener() {
      return s;
    },
    off() {
      return s;
    },
    getWindowSize: () => [100, 30],
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress', () => {
  it('draws count/total, rate and ETA on a terminal', async () => {
    const term = fakeTerminal(true);
    const p = await startProgress(false, term);
    for (let i = 0; i < 5; i++) p.found();
    p.listed();
    for (let i = 0; i < 5; i++) p.done();
    await new Promise((r) => setTimeout(r, 250));
    p.stop();
    expect(term.text).toMatch(/\d+\/5 files \| \d+ files\/s \| ETA/);
  });

  it('is silent when not a terminal or with --quiet', async () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const term = fakeTerminal(tty);
      const p = await startProgress(quiet, term);
      p.found();
      p.done();
      p.stop();
      expect(term.text).toBe('');
    }
  });
});

describe('summary and globs', () => {
  it('the summary counts verdicts and gives files/s', () => {
    const t = summaryTable(
      new Map([
        ['Trusted', 3],
        ['Invalid', 1],
      ]),
      4,
      2,
    );
    expect(t).toBe('summary:\n  Trusted             3\n  Invalid             1\n  total               4  in 2.00 s (2 files/s)\n');
  });

  it('globs: names at any depth without /, paths below the folder with /', () => {
    expect(globToRegExp('*.jpg').test('a/b/c.jpg')).toBe(true);
    expect(globToRegExp('*.jpg').test('c.jpeg')).toBe(false);
    expect(globToRegExp('raw/**/*.png').test('raw/x/y/z.png')).toBe(true);
    expect(globToRegExp('raw/*.png').test('raw/x/z.png')).toBe(false);
    expect(globToRegExp('*.{jpg,png}').test('q.png')).toBe(true);
    expect(globToRegExp('f[0-9].jpg').test('f7.jpg')).toBe(true);
  });
});
