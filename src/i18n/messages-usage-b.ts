/**
 * Each command's `--help` in both languages (`inspect`, `propagate`, `decide` and `pki`; see also
 * messages-usage-a.ts and messages-usage-c.ts). The English is the command's own `usage` text
 * with the shared option blocks as `{trust}`, `{batch}`, `{signer}`, `{signingAids}` (test-checked
 * equal to what the CLI prints); the Chinese translates the descriptions and keeps option names,
 * values, codes and file names as they are.
 */

/** English. */
export const EN_USAGE_B = {
  'usage.inspect': `Usage: aigc inspect FILE|DIR|-... [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                    [--settings FILE] [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--json|--jsonl]
       aigc inspect FILE [trust options] [--html REPORT.html] [--pdf REPORT.pdf] [--lang zh|en] | --certs | --detailed | --extract DIR

Show everything in each file: the C2PA manifest store (every manifest, active first, with its
signer — subject, issuer, serial, time, provider code —, actions, ingredients and
assertions), the GB 45438 label with provider codes decoded and where it was found, the
provenance chain (creation at the root) and each validation code with its explanation.
Trust options as for 'aigc verify'. --json prints the full report. --html writes the
investigator's report as one self-contained page (no network, opens offline), --pdf prints it
through headless Chromium; --lang picks Chinese or English (default from LC_ALL/LANG).

  --certs         print the active manifest's signer chain as PEM (leaf first), nothing else
  --detailed      also show each manifest's raw claim and COSE headers (x5chain certificates,
                  time-stamp tokens, padding); with --json, as the report's "detailed"
  --extract DIR   write the manifest store (manifest_store.c2pa) and, per manifest, a store of
                  its own (NN-LABEL.c2pa: the manifests up to it, so an ingredient's can be read
                  alone), its claim (CBOR), its COSE signature, its signer chain (PEM) and its
                  thumbnails into DIR

{batch}
Exit codes: as 'aigc verify' (0 Trusted, 1 Invalid, 2 nothing found, 3 Valid but not trusted
or label only, 66 unreadable; a batch or --require: 0 when every file meets the bar, else 1;
64 usage error).
`,
  'usage.propagate': `Usage: aigc propagate IN -o OUT --cert platform-chain.pem --key platform-key.pem --propagator CODE [options]

Verifies an upload, decides the display prompt (ai-generated / possibly-ai-generated /
suspected-ai-generated / none, CAC Labeling Measures Art. 6), writes the platform's
propagation fields (ContentPropagator, PropagateID, signed ReservedCode2; Label "2"/"3"
when inferred) without altering the producer's, and adds a C2PA manifest signed by the
platform: c2pa.opened on the incoming manifest (a parentOf ingredient with its validation
results), then c2pa.published or c2pa.transcoded. Prints the decision as JSON with --json.

Options:
  -o, --output OUT          output file (written atomically)
      --in-place            allow OUT to be IN
{signer}      --propagator CODE     the platform's 27-character provider code (ContentPropagator)
      --propagate-id ID     PropagateID (default: a fresh unique ID)
      --declared-ai         the uploader declared the content AI-generated
{trust}      --transcode SPEC      re-encode before publishing: max=PIXELS,quality=1..100 ("" = quality 80)
      --accept-invalid      sign over an upload that fails verification (default: refuse it,
                            exit 77, nothing written); its failures are recorded in the ingredient
      --dry-run             print the decision and the policy verdict only: no certificate,
                            no output file (same as 'aigc decide IN')
      --force               replace an existing OUT (default: refuse)
      --record DIR          record OUT in the manifest repository DIR (created on first use), with
                            an entry in its transparency log ('aigc recover')
      --json                print the decision and result as JSON
{signingAids}
`,
  'usage.decide': `Usage: aigc decide FILE [--trust roots.pem] [--declared-ai] [--accept-invalid] [--json]

Verifies FILE as 'aigc propagate' would and prints the display prompt (ai-generated /
possibly-ai-generated / suspected-ai-generated / none), its reasons, and whether propagate
would sign over it: accept, refuse (the upload fails verification) or accept-invalid (with
--accept-invalid). Needs no certificate and writes nothing.

Options:
      --trust FILE          trust anchors (PEM) for verifying the upload, repeatable (default: $AIGC_TRUST)
      --allowed FILE        allowed end-entity certificates, as for 'aigc verify'
      --crl FILE            CRLs (PEM), repeatable, as for 'aigc verify'
      --declared-ai         the uploader declared the content AI-generated
      --accept-invalid      judge as 'propagate --accept-invalid' would
      --json                print the decision as JSON

Exit codes: 0 propagate would sign over it, 77 it would refuse it, 64 usage error.
`,
  'usage.pki': `Usage:
  aigc pki init --out DIR [--alg ed25519|es256] [--org NAME] [--passphrase-env VAR] [--force]
      Create root.pem, root.key, intermediate.pem, intermediate.key (keys mode 0600,
      encrypted when --passphrase-env names a variable holding the passphrase).
  aigc pki issue --ca DIR --out DIR2 --service NAME --org NAME --code CODE
                 [--role producer|propagator] [--alg ed25519|es256] [--days N]
                 [--passphrase-env VAR] [--ca-passphrase-env VAR] [--public-key PUB.pem] [--ocsp-url URL] [--force]
      Issue a C2PA signing certificate for an AI service: DIR2/chain.pem (leaf, intermediate)
      and DIR2/key.pem (an existing key or chain is refused without --force). With --public-key,
      certify that key (held in an HSM or KMS, see 'aigc signer keygen') and write no key.pem.
      CODE is the 27-character GB 45438 provider code. --passphrase-env
      encrypts key.pem (and unlocks the CA key unless --ca-passphrase-env is given).
      --ocsp-url names the CA's OCSP responder (AIA): stamp/propagate then staple by default.
  aigc pki revoke --ca DIR --cert LEAF.pem [--reason NAME]
      Record a certificate issued by this CA as revoked (DIR/revoked.json), with an optional
      RFC 5280 reason (keyCompromise, cACompromise, affiliationChanged, superseded,
      cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise, unspecified)
      that the CRL and the OCSP responder report.
  aigc pki crl --ca DIR --out crl.pem [--days N] [--passphrase-env VAR]
      Write a CRL signed by the intermediate (nextUpdate in N days, default 7).
  aigc pki issue-tsa --ca DIR --out DIR2 [--name CN] [--days N] [--alg es256|ed25519]
                     [--passphrase-env VAR] [--ca-passphrase-env VAR]
      Issue a time-stamping certificate (EKU timeStamping, critical) for 'aigc tsa serve'.
  aigc pki issue-ocsp --ca DIR --out DIR2 [--name CN] [--days N] [--alg es256|ed25519] [...]
      Issue a delegated OCSP responder certificate (EKU OCSPSigning) for 'ocsp-serve'.
  aigc pki ocsp-serve --ca DIR [--responder DIR2] [--host 127.0.0.1] [--port 2560]
                      [--passphrase-env VAR]
      Answer OCSP requests for certificates the CA issued, from DIR/revoked.json (re-read
      per request). Signed by the delegated responder in DIR2 (chain.pem, key.pem) — which
      verifiers such as c2pa-rs require — created in DIR/ocsp-responder on first use when
      --responder is not given. Serves until interrupted.
  aigc pki show CERT.pem [--json]
      Print certificates (a PEM bundle or DER) for people, or as JSON.
  aigc pki verify CHAIN.pem --trust ROOTS.pem [--crl CRL.pem]... [--allowed LIST] [--at ISO-DATE] [--json]
      Validate a signing chain; exit 0 trusted, 3 untrusted, 1 invalid/expired/revoked.
`,
} as const;

/** A key of these help texts. */
export type UsageKeyB = keyof typeof EN_USAGE_B;

/** Simplified Chinese. */
export const ZH_USAGE_B: Record<UsageKeyB, string> = {
  'usage.inspect': `用法：aigc inspect FILE|DIR|-... [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                    [--settings FILE] [--allowed list.pem] [--crl crl.pem]... [--at ISO-DATE] [--json|--jsonl]
      aigc inspect FILE [信任选项] [--html REPORT.html] [--pdf REPORT.pdf] [--lang zh|en] | --certs | --detailed | --extract DIR

显示每个文件中的全部内容：C2PA 清单存储（每个清单，活动清单在前，含签名者——主体、签发者、
序列号、时间、服务提供者编码——、操作、素材和断言），GB 45438 标识（解码服务提供者编码，
并说明在何处找到），溯源链（根部为创建）以及每个验证代码及其解释。信任选项与 'aigc verify'
相同。--json 输出完整报告。--html 把调查报告写成一个自包含的页面（无需网络，可离线打开），
--pdf 通过无头 Chromium 打印它；--lang 选择中文或英文（默认取自 LC_ALL/LANG）。

  --certs         只以 PEM 输出活动清单的签名者证书链（叶证书在前）
  --detailed      同时显示每个清单的原始声明和 COSE 头部（x5chain 证书、时间戳令牌、
                  填充）；与 --json 一起时，作为报告的 "detailed"
  --extract DIR   把清单存储（manifest_store.c2pa）以及每个清单各自的存储（NN-LABEL.c2pa：
                  到它为止的清单，使素材的清单可以单独读取）、声明（CBOR）、COSE 签名、
                  签名者证书链（PEM）和缩略图写入 DIR

{batch}
退出码：与 'aigc verify' 相同（0 可信，1 无效，2 什么也没找到，3 有效但不可信或只有标识，
66 无法读取；批量处理或 --require：每个文件都达到要求时为 0，否则为 1；64 用法错误）。
`,
  'usage.propagate': `用法：aigc propagate IN -o OUT --cert platform-chain.pem --key platform-key.pem --propagator CODE [选项]

验证上传的文件，决定显示的提示（ai-generated / possibly-ai-generated /
suspected-ai-generated / none，《人工智能生成合成内容标识办法》第六条），写入平台的传播
字段（ContentPropagator 内容传播者、PropagateID 内容传播编号、签名的 ReservedCode2；推断时
写入 Label "2"/"3"），不改动制作者的字段，并添加由平台签名的 C2PA 清单：对传入清单的
c2pa.opened（一个带验证结果的 parentOf 素材），然后是 c2pa.published 或 c2pa.transcoded。
使用 --json 时以 JSON 输出决定。

选项：
  -o, --output OUT          输出文件（原子写入）
      --in-place            允许 OUT 与 IN 相同
{signer}      --propagator CODE     平台的 27 位服务提供者编码（ContentPropagator，内容传播者）
      --propagate-id ID     PropagateID（内容传播编号；默认：新生成的唯一 ID）
      --declared-ai         上传者声明内容为人工智能生成
{trust}      --transcode SPEC      发布前重新编码：max=像素数,quality=1..100（"" = 质量 80）
      --accept-invalid      在未通过验证的上传文件上签名（默认：拒绝，退出码 77，不写入
                            任何文件）；其失败会记录在素材中
      --dry-run             只输出决定和策略结论：不需要证书，不写输出文件（同
                            'aigc decide IN'）
      --force               替换已有的 OUT（默认：拒绝）
      --record DIR          把 OUT 记录到清单仓库 DIR（首次使用时创建），并在其透明日志中
                            添加一条记录（'aigc recover'）
      --json                以 JSON 输出决定和结果
{signingAids}
`,
  'usage.decide': `用法：aigc decide FILE [--trust roots.pem] [--declared-ai] [--accept-invalid] [--json]

像 'aigc propagate' 那样验证 FILE，并输出显示的提示（ai-generated /
possibly-ai-generated / suspected-ai-generated / none）、其理由，以及 propagate 是否会在
其上签名：accept（接受）、refuse（拒绝：上传文件未通过验证）或 accept-invalid（使用
--accept-invalid 时）。不需要证书，不写入任何文件。

选项：
      --trust FILE          用于验证上传文件的信任锚（PEM），可重复（默认：$AIGC_TRUST）
      --allowed FILE        允许的终端实体证书，同 'aigc verify'
      --crl FILE            CRL（PEM），可重复，同 'aigc verify'
      --declared-ai         上传者声明内容为人工智能生成
      --accept-invalid      按 'propagate --accept-invalid' 的方式判断
      --json                以 JSON 输出决定

退出码：0 propagate 会在其上签名，77 会拒绝，64 用法错误。
`,
  'usage.pki': `用法：
  aigc pki init --out DIR [--alg ed25519|es256] [--org NAME] [--passphrase-env VAR] [--force]
      创建 root.pem、root.key、intermediate.pem、intermediate.key（密钥权限 0600；
      --passphrase-env 指定保存口令的环境变量时加密）。
  aigc pki issue --ca DIR --out DIR2 --service NAME --org NAME --code CODE
                 [--role producer|propagator] [--alg ed25519|es256] [--days N]
                 [--passphrase-env VAR] [--ca-passphrase-env VAR] [--public-key PUB.pem] [--ocsp-url URL] [--force]
      为人工智能服务签发 C2PA 签名证书：DIR2/chain.pem（叶证书、中间证书）和
      DIR2/key.pem（已有的密钥或证书链不加 --force 时被拒绝）。使用 --public-key 时，
      为该密钥（保存在 HSM 或 KMS 中，见 'aigc signer keygen'）签发证书，不写 key.pem。
      CODE 是 27 位的 GB 45438 服务提供者编码。--passphrase-env
      加密 key.pem（未给出 --ca-passphrase-env 时也用于解锁 CA 密钥）。
      --ocsp-url 指定 CA 的 OCSP 响应方（AIA）：此后 stamp/propagate 默认附带 OCSP 响应。
  aigc pki revoke --ca DIR --cert LEAF.pem [--reason NAME]
      把此 CA 签发的一张证书记录为已吊销（DIR/revoked.json），可附 RFC 5280 吊销原因
      （keyCompromise、cACompromise、affiliationChanged、superseded、
      cessationOfOperation、certificateHold、privilegeWithdrawn、aACompromise、unspecified），
      由 CRL 和 OCSP 响应方报告。
  aigc pki crl --ca DIR --out crl.pem [--days N] [--passphrase-env VAR]
      写入由中间证书签名的 CRL（nextUpdate 在 N 天后，默认 7）。
  aigc pki issue-tsa --ca DIR --out DIR2 [--name CN] [--days N] [--alg es256|ed25519]
                     [--passphrase-env VAR] [--ca-passphrase-env VAR]
      为 'aigc tsa serve' 签发时间戳证书（EKU timeStamping，关键扩展）。
  aigc pki issue-ocsp --ca DIR --out DIR2 [--name CN] [--days N] [--alg es256|ed25519] [...]
      为 'ocsp-serve' 签发委托的 OCSP 响应方证书（EKU OCSPSigning）。
  aigc pki ocsp-serve --ca DIR [--responder DIR2] [--host 127.0.0.1] [--port 2560]
                      [--passphrase-env VAR]
      为 CA 签发的证书应答 OCSP 请求，依据 DIR/revoked.json（每次请求重新读取）。由 DIR2
      中的委托响应方（chain.pem、key.pem）签名——c2pa-rs 等验证器要求如此——未给出
      --responder 时，首次使用时在 DIR/ocsp-responder 中创建。持续服务直到被中断。
  aigc pki show CERT.pem [--json]
      以便于阅读的形式或 JSON 输出证书（PEM 证书包或 DER）。
  aigc pki verify CHAIN.pem --trust ROOTS.pem [--crl CRL.pem]... [--allowed LIST] [--at ISO-DATE] [--json]
      验证签名证书链；可信时退出码 0，不可信时 3，无效/过期/吊销时 1。
`,
};
