import { RECOVERY_CODE_COUNT } from '../../contract/index.ts'
import { hashRecoveryCode } from './mfa-secrets.ts'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/**
 * `RECOVERY_CODE_COUNT` new recovery codes as shown to the user (`abcd-efgh-ijkl-mnop`: 80 random
 * bits each, base32, no ambiguous padding) and their stored forms, in the same order.
 */
export async function generateRecoveryCodes(
  mfaKey: string | undefined,
  userId: string,
): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    // 10 bytes are 80 bits: sixteen 5-bit characters, no bias.
    const bytes = crypto.getRandomValues(new Uint8Array(10))
    let bits = 0n
    for (const byte of bytes) bits = (bits << 8n) | BigInt(byte)
    let text = ''
    for (let i = 15; i >= 0; i--) text += BASE32[Number((bits >> BigInt(i * 5)) & 31n)]
    return text
  })
  const hashes = await Promise.all(codes.map((code) => hashRecoveryCode(mfaKey, userId, code)))
  return { codes: codes.map((code) => code.match(/.{4}/g)!.join('-')), hashes }
}
