/**
 * The compiled CLI: package.json points `bin`/`main`/`exports` at dist/, tsx is a development
 * dependency only, setup builds; the esbuild bundle (built here into a temp folder) starts, verifies a
 * folder with worker threads loaded from the bundle, and prints completion scripts bash accepts.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gen, repo } from '../helpers.ts';

const run = promisify(execFile);
let out: string;

beforeAll(async () => {
  // inside the repository, so the bundle finds the external packages (sharp, ...) in node_modules
  mkdirSync(repo('.cache'), { recursive: true });
  out = mkdtempSync(repo('.cache', 'test-build-'));
  await run(process.execPath, [repo('scripts', 'build.mjs'), '--cli-only', '--quiet', '--out', out], { cwd: repo() });
}, 120_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  run(process.execPath, [path.join(out, 'aigc.js'), ...args], { cwd: repo(), env: { ...process.env, AIGC_TRUST: '' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('package layout', () => {
  it('bin, main and exports point at the build; tsx and esbuild are development dependencies', () => {
    const pkg = JSON.parse(readFileSync(repo('package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ aigc: 'dist/cli/aigc.js' });
    expect(pkg.main).toBe('dist/src/node.js');
    expect(pkg.exports['.']).toEqual({ types: './dist/src/node.d.ts', default: './dist/src/node.js' });
    expect(pkg.exports['./core'].default).toBe('./dist/src/index.js');
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    expect(pkg.devDependencies.esbuild).toBeDefined();
    expect(readFileSync(repo('scripts', 'setup.sh'), 'utf8')).toMatch(/^npm run build/m);
    expect(readFileSync(repo('.gitignore'), 'utf8')).toMatch(/^\/dist\/$/m);
  });
});

describe('the bundled CLI', () => {
  it('--version, and verify on a folder through worker threads of the bundle', async () => {
    expect((await cli(['--version'])).stdout).toBe(`aigc-provenance ${JSON.parse(readFileSync(repo('package.json'), 'utf8')).version}\n`);
    const r = await cli([
      'verify',
      gen('verify'),
      '--include',
      'sdk-*',
      '--jsonl',
      '--fields',
      'validation_state',
      '--trust',
      gen('pki', 'roots.pem'),
      '-j',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { verdict: string });
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.every((l) => l.verdict === 'Trusted')).toBe(true);
  });

  it('the bundled worker gives what the main thread gives, external packages included (sharp for the watermark check)', async () => {
    // the folder four times: enough files that the workers (ready after the first few) take some
    const args = [
      'verify',
      ...[1, 2, 3, 4].map(() => gen('images')),
      '--include',
      '*.{jpg,png}',
      '--jsonl',
      '--ordered',
      '--fields',
      'validation_state,watermark',
      '--quiet',
    ];
    const one = await cli([...args, '-j', '1']);
    const three = await cli([...args, '-j', '3']);
    expect(three.stderr).toBe('');
    expect(three.stdout).toBe(one.stdout);
    const lines = three.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { watermark?: { medium?: string; error?: unknown } });
    expect(lines.length).toBeGreaterThanOrEqual(20);
    expect(lines.some((l) => l.watermark?.medium === 'image' && !l.watermark.error)).toBe(true);
  });

  it("the batch worker is one CommonJS bundle that starts from the build's V8 code cache", async () => {
    const { MessageChannel, Worker } = await import('node:worker_threads');
    const caches = readdirSync(out).filter((f) => /^worker-[0-9a-f]{16}\.cache$/.test(f));
    expect(caches).toHaveLength(1);
    const status = async (cache: 'keep' | 'drop') => {
      if (cache === 'drop') rmSync(path.join(out, caches[0]!));
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(path.join(out, 'worker.js'), {
        workerData: { command: 'verify', lang: 'en', control: port2 },
        transferList: [port2],
      });
      try {
        return await new Promise<unknown>((resolve) => port1.once('message', resolve));
      } finally {
        port1.close();
        await worker.terminate();
      }
    };
    expect(statSync(path.join(out, caches[0]!)).size).toBeGreaterThan(100_000);
    expect(await status('keep')).toEqual({ cache: 'accepted' });
    await expect(status('drop')).resolves.toEqual({ cache: 'missing' }); // still starts, compiling as usual
  });

  it("aigc.js runs the CLI bundle from the build's V8 code cache, and without it as well", async () => {
    const caches = readdirSync(out).filter((f) => /^aigc-[0-9a-f]{16}\.cache$/.test(f));
    expect(caches).toHaveLength(1);
    expect(statSync(path.join(out, caches[0]!)).size).toBeGreaterThan(100_000);
    const check = async () => (await run(process.execPath, [path.join(out, 'prime-cache.js'), '--check'], { cwd: repo() })).stdout.trim();
    expect(await check()).toBe('accepted');
    const args = ['verify', gen('verify', 'sdk-es256.jpg'), '--json', '--trust', gen('pki', 'roots.pem')];
    const cached = await cli(args);
    // a cache V8 cannot take (here: another bundle's bytes under this name) is rejected, never run
    const cacheFile = path.join(out, caches[0]!);
    const good = readFileSync(cacheFile);
    writeFileSync(cacheFile, Buffer.alloc(good.length, 7));
    try {
      expect(await check()).toBe('rejected');
      const rejected = await cli(args);
      expect(rejected.stdout).toBe(cached.stdout);
      rmSync(cacheFile);
      expect(await check()).toBe('missing');
      const none = await cli(args);
      expect(none.code).toBe(0);
      expect(none.stdout).toBe(cached.stdout);
    } finally {
      writeFileSync(cacheFile, good);
    }
    expect(JSON.parse(cached.stdout).validation_state).toBe('Trusted');
  });

  it('the bundles import external packages through the loader (Node 20 loses import() in code restored from a cache)', async () => {
    for (const bundle of ['aigc.cjs', 'worker.cjs']) {
      const text = readFileSync(path.join(out, bundle), 'utf8');
      expect(text).not.toMatch(/(?<![.\w$])import\("/);
      expect(text).toContain('__aigcImport("sharp")');
    }
    // from the cache (accepted above), a command that loads sharp: the watermark reader of `aigc watermark detect`
    const r = await cli(['watermark', 'detect', gen('images', 'bench-1024.jpg'), '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ medium: 'image', found: false, codedBits: 270 }); // read through sharp (exit 2: none found)
  });

  it('completion scripts: bash accepts the script and it completes commands and options', async () => {
    const bash = (await cli(['completion', 'bash'])).stdout;
    const file = path.join(out, 'aigc.bash');
    writeFileSync(file, bash);
    await run('bash', ['-n', file]);
    const complete = async (line: string): Promise<string[]> => {
      const words = line.split(' ');
      const script = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _aigc; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return (await run('bash', ['-c', script])).stdout.split('\n').filter(Boolean);
    };
    expect(await complete('aigc ver')).toEqual(['verify']);
    expect(await complete('aigc verify --js')).toEqual(['--json', '--jsonl']);
    expect(await complete('aigc pki i')).toEqual(['init', 'issue', 'issue-tsa', 'issue-ocsp']);
    const zsh = (await cli(['completion', 'zsh'])).stdout;
    expect(zsh).toMatch(/^#compdef aigc/);
    expect(zsh).toContain('verify) opts=(');
  });
});
