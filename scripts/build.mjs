#!/usr/bin/env node
/**
 * Build the package (run by `npm run build` and `scripts/setup.sh`):
 *   1. `tsc -p tsconfig.build.json`: the library as ES modules with declarations, dist/src/ (and dist/cli/ types);
 *   2. esbuild: the CLI's loader (`dist/cli/aigc.js`, cli/main-loader.ts), the loader of its batch worker
 *      (`dist/cli/worker.js`), the build's priming script (`dist/cli/prime-cache.js`) and the verify thread
 *      of `aigc serve` (`dist/cli/chunks/job-thread.js`) as ES modules. Native or tool-driving packages
 *      (sharp, fluent-ffmpeg, fastify, …) stay external and load only when a command needs them;
 *   3. the anchor index of the bundled trust lists (assets/trust/anchor-index.json, rewritten when the
 *      lists changed: each certificate's SHA-256 and subject key, so a verification parses only the
 *      anchors a chain asks for), then assets/ copied to dist/assets/ (trust lists, label glyphs).
 *   4. the CLI (cli/entry.ts: every command and the library; `dist/cli/aigc.cjs`) and the batch worker
 *      (`dist/cli/worker.cjs`) each as one CommonJS bundle, with V8's code cache for each
 *      (`aigc-HASH.cache`, `worker-HASH.cache`, cli/code-cache.ts), made by priming runs over the C2PA
 *      files of fixtures/external/c2pa-rs/signed/: a fresh process runs the CLI's common single-file
 *      commands, and a worker thread verifies the files a few times; each then writes the cache of
 *      everything it compiled, so `aigc` and each worker of a batch start from bytecode.
 * Usage: node scripts/build.mjs [--cli-only] [--out DIR]   (--out: where the CLI bundle goes; default dist/cli)
 */
import { execFileSync } from 'node:child_process';
import { MessageChannel, Worker } from 'node:worker_threads';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const cliOnly = args.includes('--cli-only');
const outIndex = args.indexOf('--out');
const cliOut = outIndex >= 0 ? path.resolve(args[outIndex + 1] ?? '') : path.join(root, 'dist', 'cli');

if (!cliOnly) {
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  const { computeAnchorIndex } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'verify', 'engine', 'anchor-index.js')).href);
  const trustDir = path.join(root, 'assets', 'trust');
  const lists = JSON.parse(readFileSync(path.join(trustDir, 'lists.json'), 'utf8'));
  const index = Object.fromEntries(
    ['c2pa', 'tsa'].map((id) => [id, computeAnchorIndex(readFileSync(path.join(trustDir, lists[id].file), 'utf8'), lists[id].name)]),
  );
  const indexFile = path.join(trustDir, 'anchor-index.json');
  const indexText = `${JSON.stringify(index, null, 1)}\n`;
  if (!existsSync(indexFile) || readFileSync(indexFile, 'utf8') !== indexText) writeFileSync(indexFile, indexText);
  cpSync(path.join(root, 'assets'), path.join(root, 'dist', 'assets'), { recursive: true });
}
rmSync(path.join(cliOut, 'chunks'), { recursive: true, force: true });
rmSync(path.join(cliOut, 'job-thread.js'), { force: true }); // where builds before the CLI's code cache put it
mkdirSync(cliOut, { recursive: true });

/** Packages with native add-ons (a binding.gyp, or prebuilt binaries) cannot be bundled: keep them external. */
const nativePackages = {
  name: 'native-packages-external',
  setup(b) {
    const seen = new Map();
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return undefined;
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (!seen.has(name)) {
        const dir = path.join(root, 'node_modules', name);
        let native = existsSync(path.join(dir, 'binding.gyp'));
        try {
          const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
          native ||=
            pkg.gypfile === true ||
            pkg.binary !== undefined ||
            Object.keys(pkg.dependencies ?? {}).some((d) => /^(bindings|node-gyp-build|prebuild-install|node-addon-api)$/.test(d));
        } catch {
          // not a package we can read: let esbuild report it
        }
        seen.set(name, native);
      }
      return seen.get(name) ? { path: args.path, external: true } : undefined;
    });
  },
};

const esmOptions = {
  absWorkingDir: root,
  entryPoints: {
    aigc: 'cli/main-loader.ts',
    'prime-cache': 'cli/prime-cache.ts',
    worker: 'cli/batch/worker-loader.ts',
    // in chunks/, beside where the CLI bundle's `import.meta.url` points (src/server/job-pool.ts looks
    // there first), so its assets resolve by the same relative paths as every chunk's
    'chunks/job-thread': 'src/server/job-thread.ts',
  },
  outdir: cliOut,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [
    'sharp',
    'fluent-ffmpeg',
    'music-metadata',
    'puppeteer-core',
    '@contentauth/c2pa-node',
    'exiftool-vendored',
    'fastify',
    '@fastify/*',
    'bullmq',
    'ioredis',
  ],
  plugins: [nativePackages],
  // cbor-x's Node entry loads its optional native string extractor (cbor-extract, found through
  // node-gyp-build and detect-libc) at import: ~15 ms of every CLI start for no gain on the small
  // CBOR of manifests. Its platform-neutral entry has the same Encoder and Decoder without it.
  alias: { 'cbor-x': path.join(root, 'node_modules', 'cbor-x', 'index.js') },
  banner: { js: "import { createRequire as __aigcRequire } from 'node:module'; const require = __aigcRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
};
await build(esmOptions);
chmodSync(path.join(cliOut, 'aigc.js'), 0o755);

// 4. The CLI and the batch worker each as one CommonJS file, run by aigc.js / worker.js through
// vm.Script with a code cache (cli/code-cache.ts). `import.meta.url` (the bundled trust lists and
// glyphs, worker scripts are found relative to it) reads as if the file were one of the ES-module
// chunks, so the same relative paths hold.
/**
 * A CommonJS bundle's dynamic `import("pkg")` of external packages, routed through the loader's
 * `__aigcImport` (cli/code-cache.ts `wrapBundle`: Node 20 loses the dynamic-import callback of
 * functions restored from a code cache). esbuild prints them as `import("…")`; internal modules are
 * bundled and loaded through `require`, so only externals remain.
 */
function routeDynamicImports(text) {
  return text.replace(/(?<![.\w$])import\("/g, '__aigcImport("');
}

/** Bundle `entry` as the CommonJS file `name` in the CLI's folder. */
async function cjsBundle(entry, name) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(cliOut, name),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: esmOptions.external,
    plugins: [nativePackages],
    alias: esmOptions.alias,
    define: { 'import.meta.url': '__aigcImportMetaUrl' },
    banner: {
      js: `var __aigcImportMetaUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, 'chunks', '${name}')).href;`,
    },
    logLevel: 'error',
    legalComments: 'none',
    minify: true,
    // No `keepNames`: it wraps every named closure in a call that re-defines its `name` each time
    // the closure is made (about 3 % of a batch verify's profile). Error classes get their names
    // from src/errors.ts `nameErrorClasses`; nothing else reads a function's name.
    keepNames: false,
    write: false,
  }).then(({ outputFiles }) => {
    for (const f of outputFiles) writeFileSync(f.path, routeDynamicImports(f.text));
  });
}
await cjsBundle('cli/entry.ts', 'aigc.cjs');
await cjsBundle('cli/batch/worker.ts', 'worker.cjs');
const signedFixtures = (() => {
  const signed = path.join(root, 'fixtures', 'external', 'c2pa-rs', 'signed');
  return existsSync(signed)
    ? readdirSync(signed)
        .filter((f) => f.endsWith('.jpg'))
        .sort()
        .map((f) => path.join(signed, f))
    : [];
})();
await primeWorkerCache();
primeCliCache();

/**
 * Prime the CLI bundle's code cache (aigc-HASH.cache) in a fresh process with Node's default flags,
 * as `aigc` starts: the commands a single-file user runs most (verify, inspect, their JSON, help,
 * an error) over the committed C2PA fixtures; then check that a new process accepts the cache.
 */
function primeCliCache() {
  for (const f of readdirSync(cliOut)) if (/^aigc-.*\.cache$/.test(f)) rmSync(path.join(cliOut, f), { force: true });
  const some = signedFixtures.slice(0, 6);
  const runs = [
    ['--version'],
    ['--help'],
    ['verify', '--help'],
    ['verify', path.join(cliOut, 'no-such-file.jpg')],
    ...some.flatMap((f) => [
      ['verify', f],
      ['verify', f, '--json'],
      ['inspect', f],
      ['inspect', f, '--json'],
    ]),
  ];
  const prime = path.join(cliOut, 'prime-cache.js');
  execFileSync(process.execPath, [prime, JSON.stringify(runs)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const status = execFileSync(process.execPath, [prime, '--check'], { cwd: root, encoding: 'utf8' }).trim();
  if (status !== 'accepted') process.stderr.write(`build: warning: the CLI's code cache is ${status} in a new process\n`);
}

/**
 * Run one worker thread of the new build over the committed C2PA fixtures and have it write the
 * code cache of what it compiled (worker-HASH.cache, named after the bundle's SHA-256). Without the
 * fixtures, the cache holds the bundle's top level only.
 */
async function primeWorkerCache() {
  for (const f of readdirSync(cliOut)) if (/^worker.*\.cache$/.test(f)) rmSync(path.join(cliOut, f), { force: true });
  const files = signedFixtures;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(cliOut, 'worker.js'), {
    workerData: { command: 'verify', lang: 'en', control: port2 },
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  const failed = new Promise((_, reject) => worker.once('error', reject));
  failed.catch(() => {});
  /** The next message on `port` with `key`; rejects on a worker failure. */
  const next = (port, key) =>
    Promise.race([
      failed,
      new Promise((resolve, reject) => {
        const on = (m) => {
          if (m && key in m) {
            port.off('message', on);
            resolve(m);
          } else if (m && 'fatal' in m) reject(new Error(`worker priming: ${m.fatal}`));
        };
        port.on('message', on);
      }),
    ]);
  try {
    const ready = next(worker, 'ready');
    worker.postMessage({ config: { command: 'verify', mode: 'jsonl', options: { trust: {} }, lang: 'en' } });
    await ready;
    const inputs = [0, 1, 2].flatMap((round) => files.map((f, i) => ({ seq: round * files.length + i, path: f })));
    for (const input of inputs) {
      const done = next(worker, 'seq');
      worker.postMessage(input);
      await done;
    }
    const primed = next(port1, 'primed');
    port1.postMessage({ prime: true });
    await primed;
  } finally {
    port1.close();
    await worker.terminate();
  }
}
if (!args.includes('--quiet'))
  process.stdout.write(
    `build: ${cliOnly ? '' : 'dist/src (library + declarations), '}${path.relative(root, cliOut) || cliOut}/aigc.js (CLI)\n`,
  );
