/**
 * `aigc --help` in both languages: each command's one-line summary (`cmd.<name>`, the English
 * equal to its row in cli/main.ts, test-checked) and each exit code's meaning (`exit.<code>`,
 * the English equal to cli/exit-codes.ts's table).
 */

/** English. */
export const EN_HELP = {
  'cmd.pki': 'certificate authority, service, TSA and OCSP certificates, chain checks, an OCSP responder',
  'cmd.stamp': 'add explicit + implicit labels and a signed C2PA manifest',
  'cmd.verify': 'validate manifests, signatures, chains and labels',
  'cmd.inspect': "the investigator's view of every manifest and label",
  'cmd.propagate': 'platform upload check + propagation manifest',
  'cmd.tsa': 'RFC 3161 time-stamping authority (loopback)',
  'cmd.decide': "the platform's decision on an upload, nothing written",
  'cmd.log': 'transparency log of recorded outputs',
  'cmd.repo': 'record outputs in a manifest repository',
  'cmd.recover': "find a stripped file's manifest (watermark or perceptual hash)",
  'cmd.signer': 'HSM key generation and a remote-signing gateway',
  'cmd.serve': 'HTTP API (verify, inspect, decide, propagate, stamp)',
  'cmd.worker': "process queued jobs of 'aigc serve --queue'",
  'cmd.trust': 'the trust lists and anchors in force (bundled C2PA lists by default)',
  'cmd.watermark': 'invisible watermark: embed a 64-bit id, or detect it',
  'cmd.completion': 'print a shell completion script',
  'exit.0': 'success; verify/inspect: Trusted; a batch: every file met the --require bar',
  'exit.1': 'Invalid (or a damaged file); a batch: at least one file missed the bar or failed',
  'exit.2': 'no manifest and no label (also: a format we do not read, an empty file)',
  'exit.3': 'Valid but not trusted; also a GB 45438 label without any manifest',
  'exit.64': 'usage error: unknown option, missing or bad value, unreadable --trust/--allowed/--crl/$AIGC_TRUST file',
  'exit.65': 'bad input data: malformed media, corrupt PEM, wrong passphrase, unsupported format to stamp, no manifest to extract',
  'exit.66': 'an input file cannot be read (missing, not a regular file, no permission)',
  'exit.70': 'an external tool (ffmpeg) failed, or an internal error',
  'exit.73': 'an output cannot be created (missing folder, no permission, disk full)',
  'exit.77':
    'refused by policy: an invalid upload, a certificate of the wrong role, an existing key or output (the message names the overriding flag)',
} as const;

/** A key of the help texts. */
export type HelpKey = keyof typeof EN_HELP;

/** Simplified Chinese. */
export const ZH_HELP: Record<HelpKey, string> = {
  'cmd.pki': '证书机构、服务证书、时间戳与 OCSP 证书，证书链检查，OCSP 响应服务',
  'cmd.stamp': '添加显式标识、隐式标识和经签名的 C2PA 清单',
  'cmd.verify': '验证清单、签名、证书链和标识',
  'cmd.inspect': '调查人员视图：逐一展示每个清单和标识',
  'cmd.propagate': '平台上传检查并添加传播清单',
  'cmd.tsa': 'RFC 3161 时间戳服务（仅本机回环地址）',
  'cmd.decide': '平台对上传文件的处理决定，不写入任何文件',
  'cmd.log': '已记录输出的透明日志',
  'cmd.repo': '把输出记录到清单库',
  'cmd.recover': '为被剥离元数据的文件找回清单（水印或感知哈希）',
  'cmd.signer': 'HSM 密钥生成与远程签名网关',
  'cmd.serve': 'HTTP 接口（verify、inspect、decide、propagate、stamp）',
  'cmd.worker': "处理 'aigc serve --queue' 排队的任务",
  'cmd.trust': '当前生效的信任列表与信任锚（默认使用内置的 C2PA 列表）',
  'cmd.watermark': '隐式水印：嵌入 64 位标识符，或检测水印',
  'cmd.completion': '输出 shell 补全脚本',
  'exit.0': '成功；verify/inspect：可信（Trusted）；批量：每个文件都达到 --require 的要求',
  'exit.1': '无效（Invalid，或文件已损坏）；批量：至少一个文件未达到要求或处理失败',
  'exit.2': '既没有清单也没有标识（也包括：无法读取的格式、空文件）',
  'exit.3': '有效但不受信任（Valid）；也包括只有 GB 45438 隐式标识、没有任何清单',
  'exit.64': '用法错误：未知选项、缺少值或值有误、无法读取 --trust/--allowed/--crl/$AIGC_TRUST 文件',
  'exit.65': '输入数据有误：媒体文件损坏、PEM 损坏、口令错误、不支持加标识的格式、没有可提取的清单',
  'exit.66': '无法读取输入文件（不存在、不是普通文件、没有权限）',
  'exit.70': '外部工具（ffmpeg）出错，或内部错误',
  'exit.73': '无法创建输出（文件夹不存在、没有权限、磁盘已满）',
  'exit.77': '按策略拒绝：未通过验证的上传文件、角色不符的证书、已存在的密钥或输出（消息中会指出用于覆盖的选项）',
};
