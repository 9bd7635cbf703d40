/**
 * The human output of `aigc pki init|issue|revoke|crl|verify|issue-tsa|issue-ocsp|ocsp-serve`,
 * `aigc tsa serve` and `aigc signer keygen` in both languages (`--json` output is never
 * translated). The English is what these commands printed before they were translated.
 */

/** English. */
export const EN_TOOLS_PKI = {
  'tools.pki.created': 'created CA in {dir}',
  'tools.pki.keysEncrypted': ' (keys encrypted)',
  'tools.pki.root': '  root:         {subject}  ({file}, key {key})',
  'tools.pki.intermediate': '  intermediate: {subject}  ({file}, key {key})',
  'tools.pki.validUntil': '  valid until:  {root} (root), {intermediate} (intermediate)',
  'tools.pki.issued': 'issued {subject}',
  'tools.pki.serial': '  serial {serial}, valid {from} .. {to}',
  'tools.pki.chain': '  chain: {path}',
  'tools.pki.key': '  key:   {path}',
  'tools.pki.keyEncrypted': '  key:   {path} (encrypted)',
  'tools.pki.keyElsewhere': '  key:   held elsewhere (certified {path})',
  'tools.pki.alreadyRevoked': 'serial {serial} was already revoked',
  'tools.pki.revoked': "revoked serial {serial}; run 'aigc pki crl' to publish",
  'tools.pki.crl': 'wrote CRL #{number} to {path}: {count} revoked, next update {date}',
  'tools.pki.verified': '{code}: {explanation}',
  'tools.pki.warning': '  warning: {warning}',
  'tools.pki.issuedTsa': 'issued TSA certificate {subject}',
  'tools.pki.issuedOcsp': 'issued OCSP responder certificate {subject}',
  'tools.pki.valid': '  valid {from} .. {to}',
  'tools.pki.responderIssued': 'issued a delegated OCSP responder certificate in {dir}',
  'tools.pki.ocspListening': 'OCSP responder for {dir} listening on {url}',
  'tools.tsa.listening': 'TSA listening on {url} ({subject})',
  'tools.signer.generated': "generated {alg} key '{object}' in token {token}; public key: {path}",
} as const;

/** A key of these texts. */
export type ToolsPkiKey = keyof typeof EN_TOOLS_PKI;

/** Simplified Chinese. */
export const ZH_TOOLS_PKI: Record<ToolsPkiKey, string> = {
  'tools.pki.created': '已在 {dir} 中创建 CA',
  'tools.pki.keysEncrypted': '（密钥已加密）',
  'tools.pki.root': '  根证书：    {subject}  （{file}，密钥 {key}）',
  'tools.pki.intermediate': '  中间证书：  {subject}  （{file}，密钥 {key}）',
  'tools.pki.validUntil': '  有效期至：  {root}（根证书），{intermediate}（中间证书）',
  'tools.pki.issued': '已签发 {subject}',
  'tools.pki.serial': '  序列号 {serial}，有效期 {from} .. {to}',
  'tools.pki.chain': '  证书链：{path}',
  'tools.pki.key': '  密钥：  {path}',
  'tools.pki.keyEncrypted': '  密钥：  {path}（已加密）',
  'tools.pki.keyElsewhere': '  密钥：  保存在别处（已为 {path} 签发证书）',
  'tools.pki.alreadyRevoked': '序列号 {serial} 此前已被吊销',
  'tools.pki.revoked': "已吊销序列号 {serial}；运行 'aigc pki crl' 以发布",
  'tools.pki.crl': '已把第 {number} 号 CRL 写入 {path}：{count} 张证书已吊销，下次更新 {date}',
  'tools.pki.verified': '{code}：{explanation}',
  'tools.pki.warning': '  警告：{warning}',
  'tools.pki.issuedTsa': '已签发时间戳机构（TSA）证书 {subject}',
  'tools.pki.issuedOcsp': '已签发 OCSP 响应方证书 {subject}',
  'tools.pki.valid': '  有效期 {from} .. {to}',
  'tools.pki.responderIssued': '已在 {dir} 中签发委托的 OCSP 响应方证书',
  'tools.pki.ocspListening': '{dir} 的 OCSP 响应方正在监听 {url}',
  'tools.tsa.listening': '时间戳机构（TSA）正在监听 {url}（{subject}）',
  'tools.signer.generated': "已在令牌 {token} 中生成 {alg} 密钥 '{object}'；公钥：{path}",
};
