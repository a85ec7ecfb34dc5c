import { RotorError } from '../errors'
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../passwords/password-hash'
import { assertStrongPassword } from '../passwords/password-policy'
import type { Issuer } from '../issuer'
import type { UserRecord } from '../store/session-store'
import type { RequestInfo } from './request-info'

/** Emails compare case-insensitively; the stored form is trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function registerUser(
  issuer: Issuer,
  input: { email: string; password: string },
  info: RequestInfo,
): Promise<{ id: string; email: string }> {
  const email = normalizeEmail(input.email)
  assertStrongPassword(input.password, email)
  const user = { id: crypto.randomUUID(), email, passwordHash: await hashPassword(input.password) }
  const now = issuer.now()
  const result = await issuer.store.createUser(
    { ...user, createdAt: now },
    { event: 'register', at: now, userId: user.id, ...info },
  )
  if (result === 'email-taken')
    throw new RotorError('EMAIL_TAKEN', 'That email cannot be registered')
  return { id: user.id, email }
}

/**
 * Checks an email and password. An unknown email costs one full hash too, and both failures give
 * the same answer, so neither the message nor the timing says whether the account exists.
 */
export async function checkCredentials(
  issuer: Issuer,
  input: { email: string; password: string },
  info: RequestInfo,
): Promise<UserRecord> {
  const user = await issuer.store.findUserByEmail(normalizeEmail(input.email))
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()))
  if (!user || !ok) {
    await issuer.store.recordAudit({
      event: 'login.failure',
      at: issuer.now(),
      userId: user?.id ?? null,
      ...info,
    })
    throw new RotorError('INVALID_CREDENTIALS', 'Email or password is incorrect')
  }
  if (needsRehash(user.passwordHash)) {
    await issuer.store.updatePasswordHash(user.id, await hashPassword(input.password))
  }
  return user
}
