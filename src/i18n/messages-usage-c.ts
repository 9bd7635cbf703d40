/**
 * Each command's `--help` in both languages (`log`, `repo`, `recover`, `signer`, `serve`, `worker`, `trust`, `tsa`, `watermark` and `completion`; see also
 * messages-usage-a.ts and messages-usage-b.ts). The English is the command's own `usage` text
 * with the shared option blocks as `{trust}`, `{batch}`, `{signer}`, `{signingAids}` (test-checked
 * equal to what the CLI prints); the Chinese translates the descriptions and keeps option names,
 * values, codes and file names as they are.
 */

/** English. */
export const EN_USAGE_C = {
  'usage.log': `Usage:
  aigc log init DIR --origin NAME
      Create a log in DIR with a new Ed25519 key; prints the origin and the verifier key to publish.
  aigc log record DIR FILE...
      Append each signed FILE's record (manifest id, store and asset hashes, watermark id) and write
      FILE.tlog-proof beside it (a C2SP tlog-proof receipt), once its batch is committed.
  aigc log checkpoint DIR
      Print the current signed checkpoint, the origin and the verifier key.
  aigc log prove DIR INDEX [--size N]
      Print a C2SP tlog-proof for entry INDEX (in the tree of size N, default: current).
  aigc log verify-proof PROOF FILE --key VKEY|--key-file F
      Check a receipt against FILE's record and the log's key.
  aigc log verify-consistency OLD NEW (--dir DIR | --key VKEY|--key-file F)
      Check that checkpoint NEW extends checkpoint OLD (tiles from DIR); a fork is reported.
  aigc log audit DIR [--key VKEY|--key-file F]
      Recompute every hash from the entries and check the checkpoint.
Exit codes: 0 ok, 1 a check failed (codes tlog.*), 64 usage, 66 unreadable input.
`,
  'usage.repo': `Usage:
  aigc repo add DIR FILE...         record signed files (manifest, hashes, watermark id, perceptual hash)
  aigc recover FILE --repo DIR [--json]
      Find FILE's manifest in the repository: by its watermark, else by its perceptual hash; check
      the record belongs to this content and is in the repository's transparency log; verify the
      recovered manifest. Exit 0 recovered, 2 nothing found, 1 found but failing a check.
`,
  'usage.recover': `Usage:
  aigc repo add DIR FILE...         record signed files (manifest, hashes, watermark id, perceptual hash)
  aigc recover FILE --repo DIR [--json]
      Find FILE's manifest in the repository: by its watermark, else by its perceptual hash; check
      the record belongs to this content and is in the repository's transparency log; verify the
      recovered manifest. Exit 0 recovered, 2 nothing found, 1 found but failing a check.
`,
  'usage.signer': `Usage:
  aigc signer keygen --key pkcs11:URI --out PUB.pem [--alg es256|es384|es512|ed25519] [--pin-env VAR]
      Generate a key pair inside a PKCS#11 token (sensitive, not extractable) labelled by the
      URI's object=, and write its public key for 'aigc pki issue --public-key PUB.pem'.
  aigc signer serve --cert chain.pem --key FILE|pkcs11:URI [--host 127.0.0.1] [--port N] [--token-env VAR]
      Serve POST /sign for 'stamp --remote-signer URL': the key stays in this process (or its
      token). --token-env names a variable holding the bearer token clients must send.
      Prints the endpoint URL, then runs until SIGINT/SIGTERM.

Signing flags of serve:
{signer}`,
  'usage.serve': `Usage: aigc serve [--config FILE] [--host HOST] [--port PORT] [--queue redis://HOST:PORT] [--threads N]

Runs the HTTP service: POST /v1/verify, /v1/inspect, /v1/decide, /v1/propagate, /v1/stamp
(media as the raw body or a multipart "file" part), GET /v1/jobs/:id, /healthz, /readyz,
/metrics and the OpenAPI page at /docs. Without --queue, jobs run in this process; with it,
they go to BullMQ on Redis and 'aigc worker' processes run them.

  --config FILE   JSON configuration (port, limits, trust, signers, tokens, queue); see README
  --host HOST     listen address (default 127.0.0.1; $AIGC_HOST)
  --port PORT     listen port (default 8080; $AIGC_PORT)
  --queue URL     redis://HOST:PORT: enqueue jobs for workers ($AIGC_QUEUE)
  --threads N     verify threads for verify, inspect and decide without a queue (default: CPU
                  count - 1, at least 1; 0: on the HTTP thread; $AIGC_THREADS)

Stops gracefully on SIGTERM or SIGINT (requests in flight finish).
`,
  'usage.worker': `Usage: aigc worker --queue redis://HOST:PORT [--config FILE] [--concurrency N]

Takes jobs from the service's queue and runs them. Run as many as needed, on any machine
that sees the same spool folder and configuration (trust, signers). SIGTERM finishes the
jobs in hand, then exits; a worker killed outright loses nothing (others take its jobs).

  --queue URL        the Redis the service uses ($AIGC_QUEUE)
  --config FILE      the service's JSON configuration (spool, trust, signers, limits)
  --concurrency N    jobs at once (default: CPU count; $AIGC_CONCURRENCY)
`,
  'usage.trust': `Usage: aigc trust show [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                       [--settings FILE] [--allowed FILE] [--crl FILE]... [--json]

Print the trust lists in force — by default the bundled C2PA trust list (claim signers) and
C2PA TSA trust list, with their issue dates — and every anchor in them, as 'aigc verify'
would use them with the same flags.

{trust}  --json             print the configuration as JSON
`,
  'usage.tsa': `Usage: aigc tsa serve --cert chain.pem --key key.pem [--host 127.0.0.1] [--port 3161]
                      [--policy OID] [--passphrase-env VAR]

Answers RFC 3161 time-stamp requests (POST application/timestamp-query) with tokens signed
by the TSA certificate (EKU timeStamping; issue one with 'aigc pki issue-tsa'). Listens on
127.0.0.1 unless --host says otherwise; --port 0 picks a free port. Prints the URL, then
serves until interrupted. Default policy 1.3.6.1.4.1.62558.99.1.
`,
  'usage.watermark': `Usage: aigc watermark embed IN -o OUT [--id HEX16] [--psnr DB | --snr DB] [--json]
       aigc watermark detect FILE [--max-p P] [--json]

embed   writes OUT: IN with a 64-bit identifier embedded invisibly (JPEG, PNG, WebP) or
        inaudibly (WAV, FLAC, MP3 of at least 11.52 s; needs ffmpeg), in IN's format.
        Without --id a random identifier is drawn. Prints the identifier.
        It adds no manifest: 'aigc stamp --watermark' embeds, labels and signs in one go.
detect  looks for the watermark and prints: found or not, the identifier, the p-value
        (how likely unmarked content is to look this marked) and the bit margin.
        Exit 0 when found, 2 when not.

Options:
  -o, --output OUT   output file (written atomically; never the input)
      --id HEX16     identifier, 16 hexadecimal digits (default: random, from the CSPRNG)
      --psnr DB      preferred image quality, PSNR in dB (default 42; the embedder may go to 40
                     where the margin is thin)
      --snr DB       lowest audio signal-to-watermark ratio in dB (default 36)
      --max-p P      report "found" only at or below this p-value (default 1e-6)
      --json         print the result as JSON

There is no command to remove a watermark: the labelling measures forbid tools that do.
`,
  'usage.completion': `Usage: aigc completion bash|zsh

Print a completion script for the shell. Install with, for example:
  bash: aigc completion bash > ~/.local/share/bash-completion/completions/aigc
  zsh:  aigc completion zsh > "\${fpath[1]}/_aigc"   (or: source <(aigc completion zsh))
`,
} as const;

/** A key of these help texts. */
export type UsageKeyC = keyof typeof EN_USAGE_C;

/** Simplified Chinese. */
export const ZH_USAGE_C: Record<UsageKeyC, string> = {
  'usage.log': `用法：
  aigc log init DIR --origin NAME
      在 DIR 中用新的 Ed25519 密钥创建日志；输出要公布的 origin 和验证者密钥。
  aigc log record DIR FILE...
      追加每个已签名 FILE 的记录（清单 ID、存储和资产哈希、水印标识符），并在其所在批次提交后
      在旁边写入 FILE.tlog-proof（C2SP tlog-proof 回执）。
  aigc log checkpoint DIR
      输出当前已签名的检查点、origin 和验证者密钥。
  aigc log prove DIR INDEX [--size N]
      输出条目 INDEX 的 C2SP tlog-proof（在大小为 N 的树中，默认：当前大小）。
  aigc log verify-proof PROOF FILE --key VKEY|--key-file F
      按 FILE 的记录和日志的密钥检查回执。
  aigc log verify-consistency OLD NEW (--dir DIR | --key VKEY|--key-file F)
      检查检查点 NEW 是否延续检查点 OLD（瓦片取自 DIR）；发现分叉时报告。
  aigc log audit DIR [--key VKEY|--key-file F]
      根据条目重新计算每个哈希并检查检查点。
退出码：0 正常，1 检查失败（代码 tlog.*），64 用法错误，66 无法读取输入。
`,
  'usage.repo': `用法：
  aigc repo add DIR FILE...         记录已签名的文件（清单、哈希、水印标识符、感知哈希）
  aigc recover FILE --repo DIR [--json]
      在仓库中查找 FILE 的清单：先按其水印，再按其感知哈希；检查该记录属于此内容且在仓库的
      透明日志中；验证找回的清单。退出码 0 已找回，2 什么也没找到，1 找到但未通过检查。
`,
  'usage.recover': `用法：
  aigc repo add DIR FILE...         记录已签名的文件（清单、哈希、水印标识符、感知哈希）
  aigc recover FILE --repo DIR [--json]
      在仓库中查找 FILE 的清单：先按其水印，再按其感知哈希；检查该记录属于此内容且在仓库的
      透明日志中；验证找回的清单。退出码 0 已找回，2 什么也没找到，1 找到但未通过检查。
`,
  'usage.signer': `用法：
  aigc signer keygen --key pkcs11:URI --out PUB.pem [--alg es256|es384|es512|ed25519] [--pin-env VAR]
      在 PKCS#11 令牌内生成密钥对（敏感、不可导出），以 URI 的 object= 为标签，并写出其公钥，
      供 'aigc pki issue --public-key PUB.pem' 使用。
  aigc signer serve --cert chain.pem --key FILE|pkcs11:URI [--host 127.0.0.1] [--port N] [--token-env VAR]
      为 'stamp --remote-signer URL' 提供 POST /sign：密钥留在本进程（或其令牌）中。
      --token-env 指定保存客户端必须发送的持有者令牌（bearer token）的环境变量。
      输出端点 URL，然后运行直到收到 SIGINT/SIGTERM。

serve 的签名选项：
{signer}`,
  'usage.serve': `用法：aigc serve [--config FILE] [--host HOST] [--port PORT] [--queue redis://HOST:PORT] [--threads N]

运行 HTTP 服务：POST /v1/verify、/v1/inspect、/v1/decide、/v1/propagate、/v1/stamp
（媒体作为原始请求体或 multipart 的 "file" 部分），GET /v1/jobs/:id、/healthz、/readyz、
/metrics，以及位于 /docs 的 OpenAPI 页面。不使用 --queue 时，任务在本进程中运行；使用时，
任务进入 Redis 上的 BullMQ，由 'aigc worker' 进程运行。

  --config FILE   JSON 配置（端口、限制、信任、签名者、令牌、队列）；见 README
  --host HOST     监听地址（默认 127.0.0.1；$AIGC_HOST）
  --port PORT     监听端口（默认 8080；$AIGC_PORT）
  --queue URL     redis://HOST:PORT：把任务放入队列交给 worker（$AIGC_QUEUE）
  --threads N     不使用队列时用于 verify、inspect 和 decide 的验证线程数（默认：CPU 数
                  减 1，至少 1；0：在 HTTP 线程上运行；$AIGC_THREADS）

收到 SIGTERM 或 SIGINT 时平稳停止（处理中的请求会完成）。
`,
  'usage.worker': `用法：aigc worker --queue redis://HOST:PORT [--config FILE] [--concurrency N]

从服务的队列中取出任务并运行。可按需运行任意多个，在任何能看到相同暂存文件夹和配置
（信任、签名者）的机器上。收到 SIGTERM 时完成手头的任务后退出；被直接杀掉的 worker 不会
丢失任何任务（其他 worker 会接手）。

  --queue URL        服务使用的 Redis（$AIGC_QUEUE）
  --config FILE      服务的 JSON 配置（暂存、信任、签名者、限制）
  --concurrency N    同时运行的任务数（默认：CPU 数；$AIGC_CONCURRENCY）
`,
  'usage.trust': `用法：aigc trust show [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                       [--settings FILE] [--allowed FILE] [--crl FILE]... [--json]

输出生效的信任列表——默认是内置的 C2PA 信任列表（声明签名者）和 C2PA 时间戳机构（TSA）
信任列表，及其发布日期——以及其中的每个信任锚，即 'aigc verify' 在相同选项下会使用的。

{trust}  --json             以 JSON 输出配置
`,
  'usage.tsa': `用法：aigc tsa serve --cert chain.pem --key key.pem [--host 127.0.0.1] [--port 3161]
                      [--policy OID] [--passphrase-env VAR]

应答 RFC 3161 时间戳请求（POST application/timestamp-query），令牌由时间戳机构证书签名
（EKU timeStamping；用 'aigc pki issue-tsa' 签发）。除非 --host 另行指定，监听
127.0.0.1；--port 0 选择空闲端口。输出 URL，然后持续服务直到被中断。默认策略 1.3.6.1.4.1.62558.99.1。
`,
  'usage.watermark': `用法：aigc watermark embed IN -o OUT [--id HEX16] [--psnr DB | --snr DB] [--json]
      aigc watermark detect FILE [--max-p P] [--json]

embed   写出 OUT：在 IN 中以不可见（JPEG、PNG、WebP）或不可闻（至少 11.52 秒的 WAV、FLAC、
        MP3；需要 ffmpeg）的方式嵌入一个 64 位标识符，格式与 IN 相同。
        未给出 --id 时随机生成标识符。输出该标识符。
        它不添加清单：'aigc stamp --watermark' 一次完成嵌入、标识和签名。
detect  查找水印并输出：是否找到、标识符、p 值（未加水印的内容看起来带有这种程度
        水印的可能性）以及比特余量。
        找到时退出码为 0，未找到时为 2。

选项：
  -o, --output OUT   输出文件（原子写入；永远不会是输入文件）
      --id HEX16     标识符，16 位十六进制数字（默认：由 CSPRNG 随机生成）
      --psnr DB      期望的图像质量，以 dB 计的 PSNR（默认 42；余量不足之处嵌入器可能
                     降到 40）
      --snr DB       音频信号与水印之比的下限，以 dB 计（默认 36）
      --max-p P      只有 p 值不高于此值时才报告“找到”（默认 1e-6）
      --json         以 JSON 输出结果

没有去除水印的命令：标识办法禁止提供这样的工具。
`,
  'usage.completion': `用法：aigc completion bash|zsh

输出 shell 的补全脚本。安装方法举例：
  bash: aigc completion bash > ~/.local/share/bash-completion/completions/aigc
  zsh:  aigc completion zsh > "\${fpath[1]}/_aigc"   （或：source <(aigc completion zsh)）
`,
};
