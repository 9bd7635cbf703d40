/**
 * Each command's `--help` in both languages (the shared option blocks, `stamp` and `verify`; see also
 * messages-usage-b.ts and messages-usage-c.ts). The English is the one source of each command's
 * `usage` (`src/i18n/usage.ts` fills the shared option blocks `{trust}`, `{batch}`, `{signer}`,
 * `{signingAids}`); the Chinese translates the descriptions and keeps option names, values, codes
 * and file names as they are.
 */

/** English. */
export const EN_USAGE_A = {
  'usage.block.trust': `  --trust FILE|DIR   add PEM trust anchors (repeatable; a folder adds its .pem/.crt/.cer files).
                     Default: the file named by $AIGC_TRUST, if set. User anchors count for
                     signers and time-stamp authorities, next to the bundled lists.
  --trust-list FILE  use this C2PA trust list (a newer download) instead of the bundled one
  --tsa-trust FILE   use this C2PA TSA trust list instead of the bundled one (repeatable: joined)
  --no-default-trust do not use the bundled C2PA trust lists
  --settings FILE    c2patool-style settings (JSON or TOML): [trust] user_anchors,
                     trust_anchors, tsa_anchors, allowed_list, trust_config (EKU OIDs),
                     default_trust. Flags win over the file.
  --allowed FILE     allowed end-entity certificates (PEM or base64 SHA-256 lines)
  --crl FILE         PEM CRLs to check every certificate of a signer's path (repeatable)
  --public-tsa-roots also trust TSAs through Node's public root store (c2pa-rs does not;
                     --no-public-tsa-roots, the default, is still accepted)
  --ocsp-fetch       network: ask the signer's OCSP responder when no response is stapled
  --cawg-trust FILE  PEM anchors for CAWG identity (cawg.x509.cose) signers (repeatable)
`,
  'usage.block.batch': `Many files: give several FILEs, folders (-r to recurse) or - (paths on standard input, one per line).
  -r, --recursive         walk folders recursively (links to folders are not followed)
      --include GLOB      only walked files matching GLOB (repeatable; '*.jpg', 'raw/**/*.png')
      --exclude GLOB      skip walked files and folders matching GLOB (repeatable)
      --jsonl             one JSON object per line: path, verdict and the report (or --fields)
      --fields LIST       with --jsonl: only these report fields (comma-separated, dotted paths)
      --require BAR       trusted|valid|labelled: exit 0 only when every file meets BAR
                          (a batch's default: trusted); otherwise 1, never stopping early
  -j, --jobs N            worker threads (default: the number of cores; 1 = this thread)
      --ordered           print results in input order (default: as they finish)
  -q, --quiet             no progress bar or summary on standard error
`,
  'usage.block.signer': `      --cert FILE           certificate chain (leaf first), PEM
      --key FILE|URI        private key: a PKCS#8 PEM file, or a key in a PKCS#11 token
                            as an RFC 7512 URI (pkcs11:token=…;object=…?module-path=…)
      --passphrase-env VAR  read the key file's passphrase from environment variable VAR
      --pin-env VAR         read the PKCS#11 user PIN from environment variable VAR
      --remote-signer URL   sign through a remote signing service instead of --key
      --signer-token-env VAR  bearer token for --remote-signer from environment variable VAR
`,
  'usage.block.signingAids': `      --tsa URL             time-stamp the signature at this RFC 3161 TSA (sigTst2); if it
                            fails nothing is written, unless --tsa-optional
      --tsa-optional        when the TSA fails: sign without a time-stamp and warn
      --tsa-timeout MS      per-attempt TSA timeout (default 10000)
      --tsa-retries N       extra attempts on network errors / HTTP 5xx (default 2)
      --ocsp                staple the signer's OCSP response (rVals); required to succeed.
                            Default: stapled when the certificate names a responder, with a
                            warning if it is down. A revoked certificate is always refused.
      --ocsp-url URL        OCSP responder to ask (implies --ocsp)
      --no-ocsp             never fetch OCSP`,
  'usage.stamp': `Usage: aigc stamp IN -o OUT --cert chain.pem --key key.pem --producer CODE [options]
       aigc stamp IN|DIR|-... -o OUTDIR --cert chain.pem --key key.pem --producer CODE [options]

Stamps an AI output at generation time: renders the explicit label (visible overlay on
images and video, Morse "AI" cue on audio), writes the GB 45438 implicit label into the
file's metadata, and adds a C2PA manifest signed with the service's certificate.

Options:
  -o, --output OUT          output file (written atomically); with several inputs, a
                            folder: each output keeps its name (and, from a walked
                            folder, its path below that folder)
      --in-place            allow OUT to be IN (the input is never modified otherwise)
{signer}      --producer CODE       27-character GB 45438 provider code (ContentProducer)
      --produce-id ID       ProduceID (default: a fresh unique ID)
      --model NAME          model or service name (the action's softwareAgent)
      --no-explicit         skip the explicit label (the service's interface shows it)
      --label-text TEXT     explicit label text (default "AI生成"; must contain AI and 生成/合成)
      --label-position P    bottom-right|bottom-left|top-right|top-left|top|bottom|left|right (default bottom-right)
      --label-scale X       text height relative to the shortest side (default 0.06, min 0.05)
      --audio-cue WHERE     start|end|both (default start)
      --voice-clip FILE     prepend this spoken label instead of the Morse cue
      --watermark           also embed an invisible watermark (images; WAV, FLAC, MP3 audio of at
                            least 11.52 s) before signing, with a
                            c2pa.watermarked action and a c2pa.soft-binding assertion
      --watermark-id HEX16  the watermark's identifier (default: random, from the CSPRNG)
      --record DIR          record each output in the manifest repository DIR (created on first
                            use): its manifest store, hashes, watermark id and perceptual hash,
                            with an entry in the repository's transparency log ('aigc recover')
      --json                print everything as JSON (default: a one-line summary)
      --force               replace an existing OUT (default: refuse)
      --replace-manifest    drop a C2PA manifest IN already carries (default: keep it as a
                            parentOf ingredient with its validation results)
      --sidecar             write the manifest store to OUT's NAME.c2pa beside it, not into OUT
      --fragment SEG        IN is the init segment of a fragmented MP4 stream and SEG one of its
                            media segments (repeat, in stream order): each SEG gets its Merkle
                            proof and is written beside OUT under its own name; the manifest
                            (Merkle form of the BMFF hash) and the label go into OUT. Needs
                            --no-explicit. Check with: aigc verify OUT --fragment OUTDIR/SEG...
{signingAids}
Trust options, for judging a manifest IN already carries:
{trust}
Many inputs: several files, folders (-r, --include GLOB, --exclude GLOB) or - (paths on
standard input); --jsonl, --jobs N, --ordered, --quiet as for 'aigc verify'. Exit 0 when
every file was stamped, else 1 (never stopping at the first failure).
An interrupted run (kill -9) can leave '.NAME.aigc-PID-HEX.tmp' files in the output folder;
the next run writing there removes those whose process has ended.
`,
  'usage.verify': `Usage: aigc verify FILE|DIR|-... [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                   [--settings FILE] [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--fragment SEG]... [--json|--jsonl]

Validate the C2PA manifest store of each file (the active manifest and every ingredient: claim
signature, certificate chain at the trusted time-stamp's time, hashed URIs, hard binding,
actions) and its GB 45438 implicit label (carriers, signed assertion, provider codes, chain).
A file without an embedded manifest is checked against NAME.c2pa beside it (a sidecar), if
present; a bare .c2pa store given alone is reported but never Trusted or Valid. The verdict is
Invalid when any step of the provenance chain fails, including failures a platform recorded
for its ingredient (chain.* codes name the step).

{trust}  --at DATE          judge certificates at this time instead of now (a trusted time-stamp wins)
  --fragment SEG     a fragment (DASH/HLS .m4s) of the fragmented MP4 whose init segment is
                     FILE (repeatable; one FILE): each is checked against FILE's c2pa.hash.bmff
                     Merkle maps, e.g. aigc verify dashinit.mp4 --fragment dash1.m4s
  --json             print the full JSON report (several files: as --jsonl)

A file without a manifest is also searched for an aigc-provenance invisible watermark (images).

{batch}
Exit codes, one FILE: 0 Trusted; 1 Invalid (or a damaged file); 2 nothing found (no manifest
and no label, or a format we do not read); 3 Valid but not trusted, or a GB 45438 label or an
invisible watermark without any manifest (a stripped copy); 66 FILE cannot be read. A batch (or --require): 0 when every file meets
the bar, else 1. Always: 64 usage error (including an unreadable --trust/--allowed/--crl file).
`,
} as const;

/** A key of these help texts. */
export type UsageKeyA = keyof typeof EN_USAGE_A;

/** Simplified Chinese. */
export const ZH_USAGE_A: Record<UsageKeyA, string> = {
  'usage.block.trust': `  --trust FILE|DIR   添加 PEM 信任锚（可重复；给出文件夹时加入其中的 .pem/.crt/.cer 文件）。
                     默认：$AIGC_TRUST 所指的文件（如已设置）。用户信任锚与内置列表一起，
                     用于判断签名者和时间戳机构。
  --trust-list FILE  使用此 C2PA 信任列表（较新的下载版本）代替内置列表
  --tsa-trust FILE   使用此 C2PA 时间戳机构（TSA）信任列表代替内置列表（可重复：合并使用）
  --no-default-trust 不使用内置的 C2PA 信任列表
  --settings FILE    c2patool 风格的设置文件（JSON 或 TOML）：[trust] user_anchors、
                     trust_anchors、tsa_anchors、allowed_list、trust_config（EKU OID）、
                     default_trust。命令行选项优先于该文件。
  --allowed FILE     允许的终端实体证书（PEM 或 base64 编码的 SHA-256 行）
  --crl FILE         用于检查签名者路径上每张证书的 PEM 格式 CRL（可重复）
  --public-tsa-roots 同时通过 Node 的公共根证书库信任时间戳机构（c2pa-rs 不这样做；
                     默认的 --no-public-tsa-roots 仍可使用）
  --ocsp-fetch       联网：清单中没有附带 OCSP 响应时，向签名者的 OCSP 响应方查询
  --cawg-trust FILE  CAWG 身份（cawg.x509.cose）签名者的 PEM 信任锚（可重复）
`,
  'usage.block.batch': `多个文件：给出多个 FILE、文件夹（-r 递归）或 -（从标准输入读取路径，每行一个）。
  -r, --recursive         递归遍历文件夹（不跟随指向文件夹的链接）
      --include GLOB      只处理遍历到的、匹配 GLOB 的文件（可重复；'*.jpg'、'raw/**/*.png'）
      --exclude GLOB      跳过遍历到的、匹配 GLOB 的文件和文件夹（可重复）
      --jsonl             每行一个 JSON 对象：路径、结论和报告（或 --fields 所选字段）
      --fields LIST       与 --jsonl 一起使用：只输出这些报告字段（逗号分隔，点号路径）
      --require BAR       trusted|valid|labelled：只有每个文件都达到 BAR 时才以 0 退出
                          （批量处理默认：trusted）；否则为 1，不会提前停止
  -j, --jobs N            工作线程数（默认：CPU 核数；1 = 本线程）
      --ordered           按输入顺序输出结果（默认：按完成顺序）
  -q, --quiet             不在标准错误上显示进度条和汇总
`,
  'usage.block.signer': `      --cert FILE           证书链（叶证书在前），PEM 格式
      --key FILE|URI        私钥：PKCS#8 PEM 文件，或 PKCS#11 令牌中的密钥，
                            写作 RFC 7512 URI（pkcs11:token=…;object=…?module-path=…）
      --passphrase-env VAR  从环境变量 VAR 读取密钥文件的口令
      --pin-env VAR         从环境变量 VAR 读取 PKCS#11 用户 PIN
      --remote-signer URL   通过远程签名服务签名，代替 --key
      --signer-token-env VAR  从环境变量 VAR 读取 --remote-signer 的持有者令牌（bearer token）
`,
  'usage.block.signingAids': `      --tsa URL             在此 RFC 3161 时间戳机构为签名加盖时间戳（sigTst2）；若失败，
                            不写入任何文件，除非使用 --tsa-optional
      --tsa-optional        时间戳机构失败时：不加时间戳直接签名，并给出警告
      --tsa-timeout MS      每次请求时间戳机构的超时（默认 10000）
      --tsa-retries N       遇到网络错误或 HTTP 5xx 时的额外重试次数（默认 2）
      --ocsp                附带签名者的 OCSP 响应（rVals）；必须成功。
                            默认：证书指明了响应方时附带，响应方不可用时给出
                            警告。已吊销的证书总是被拒绝。
      --ocsp-url URL        要查询的 OCSP 响应方（隐含 --ocsp）
      --no-ocsp             从不获取 OCSP`,
  'usage.stamp': `用法：aigc stamp IN -o OUT --cert chain.pem --key key.pem --producer CODE [选项]
      aigc stamp IN|DIR|-... -o OUTDIR --cert chain.pem --key key.pem --producer CODE [选项]

在生成时为人工智能生成内容盖章：渲染显式标识（图像和视频上的可见角标，音频中的摩尔斯
“AI”提示音），把 GB 45438 隐式标识写入文件的元数据，并添加用服务证书签名的 C2PA 清单。

选项：
  -o, --output OUT          输出文件（原子写入）；有多个输入时为一个文件夹：每个输出
                            保留其文件名（遍历文件夹得到的输入还保留其在该文件夹下
                            的路径）
      --in-place            允许 OUT 与 IN 相同（否则从不修改输入）
{signer}      --producer CODE       27 位 GB 45438 服务提供者编码（ContentProducer，内容制作者）
      --produce-id ID       ProduceID（内容制作编号；默认：新生成的唯一 ID）
      --model NAME          模型或服务名称（操作的 softwareAgent）
      --no-explicit         不添加显式标识（由服务的界面显示）
      --label-text TEXT     显式标识文字（默认 "AI生成"；须包含 AI 和 生成/合成）
      --label-position P    bottom-right|bottom-left|top-right|top-left|top|bottom|left|right（默认 bottom-right）
      --label-scale X       文字高度与最短边之比（默认 0.06，最小 0.05）
      --audio-cue WHERE     start|end|both（默认 start）
      --voice-clip FILE     在开头加入这段语音标识，代替摩尔斯提示音
      --watermark           签名前同时嵌入不可见水印（图像；至少 11.52 秒的 WAV、FLAC、
                            MP3 音频），并添加 c2pa.watermarked 操作和
                            c2pa.soft-binding 断言
      --watermark-id HEX16  水印标识符（默认：由 CSPRNG 随机生成）
      --record DIR          把每个输出记录到清单仓库 DIR（首次使用时创建）：其清单存储、
                            哈希、水印标识符和感知哈希，并在仓库的透明日志中添加一条
                            记录（'aigc recover'）
      --json                以 JSON 输出全部内容（默认：一行摘要）
      --force               替换已有的 OUT（默认：拒绝）
      --replace-manifest    丢弃 IN 中已有的 C2PA 清单（默认：将其连同验证结果保留为
                            parentOf 素材）
      --sidecar             把清单存储写入 OUT 旁边的 NAME.c2pa，而不是写入 OUT
      --fragment SEG        IN 是分片 MP4 流的初始化分段，SEG 是其中一个媒体分段（可重复，
                            按流的顺序）：每个 SEG 得到其 Merkle 证明，并以原名写在 OUT
                            旁边；清单（BMFF 哈希的 Merkle 形式）和标识写入 OUT。需要
                            --no-explicit。检查方法：aigc verify OUT --fragment OUTDIR/SEG...
{signingAids}
用于判断 IN 中已有清单的信任选项：
{trust}
多个输入：多个文件、文件夹（-r、--include GLOB、--exclude GLOB）或 -（从标准输入读取
路径）；--jsonl、--jobs N、--ordered、--quiet 与 'aigc verify' 相同。每个文件都盖章成功
时以 0 退出，否则为 1（不会在第一个失败处停止）。
被中断的运行（kill -9）可能在输出文件夹中留下 '.NAME.aigc-PID-HEX.tmp' 文件；之后在
该文件夹中写入的运行会删除其进程已结束的那些文件。
`,
  'usage.verify': `用法：aigc verify FILE|DIR|-... [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                   [--settings FILE] [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--fragment SEG]... [--json|--jsonl]

验证每个文件的 C2PA 清单存储（活动清单及每个素材：声明签名、以可信时间戳时刻判断的证书链、
哈希 URI、硬绑定、操作）及其 GB 45438 隐式标识（载体、签名断言、服务提供者编码、传播链）。
没有内嵌清单的文件，若旁边有 NAME.c2pa（旁路清单），则按它检查；单独给出的 .c2pa 存储会被
报告，但永远不会是可信（Trusted）或有效（Valid）。只要溯源链上任何一步失败，结论即为无效
（Invalid），包括平台为其素材记录的失败（chain.* 代码指出是哪一步）。

{trust}  --at DATE          以此时间而不是当前时间判断证书（可信时间戳优先）
  --fragment SEG     以 FILE 为初始化分段的分片 MP4 的一个分片（DASH/HLS .m4s）（可重复；
                     只能有一个 FILE）：逐个按 FILE 的 c2pa.hash.bmff Merkle 映射检查，
                     例如 aigc verify dashinit.mp4 --fragment dash1.m4s
  --json             输出完整的 JSON 报告（多个文件时同 --jsonl）

没有清单的文件还会被搜索 aigc-provenance 不可见水印（图像）。

{batch}
退出码，单个 FILE：0 可信（Trusted）；1 无效（Invalid，或文件已损坏）；2 什么也没找到（没有
清单也没有标识，或是不读取的格式）；3 有效（Valid）但不可信，或只有 GB 45438 标识或不可见水印
而没有任何清单（被剥离的副本）；66 无法读取 FILE。批量处理（或 --require）：每个文件都达到
要求时为 0，否则为 1。任何情况下：64 用法错误（包括无法读取的 --trust/--allowed/--crl 文件）。
`,
};
