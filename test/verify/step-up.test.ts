import { describe, expect, test } from 'vitest'
import { Hono } from 'hono'
import { SignJWT } from 'jose'
import { parseStepUpChallenge } from '../../contract/index.ts'
import { requireAuth, requireStepUp } from '../../verify/index.ts'
import { createTestIssuer } from '../worker/helpers/issuer.ts'
import type { RequireAuthOptions, StepUpOptions } from '../../verify/index.ts'
import type { TestIssuer } from '../worker/helpers/issuer.ts'

const SECOND_FACTOR = 'urn:rotor:aal2'

/** A resource route guarded by `requireAuth` with `options`, reaching the test issuer's JWKS. */
function guarded(t: TestIssuer, options: Partial<RequireAuthOptions>) {
  const app = new Hono()
  const jwks = { fetch: async (input: string | Request) => t.app.fetch(new Request(input)) }
  const common = {
    issuer: 'http://localhost:8787',
    audience: 'rotor',
    jwks,
    mode: 'stateless' as const,
    now: () => t.issuer.now(),
  }
  app.use('/api/*', requireAuth({ ...common, ...options }))
  app.get('/api/transfer', (c) => c.json({ ok: true }))
  return (token: string) => answer(app, token)
}

async function answer(app: Hono<any>, token: string) {
  const response = await app.request('/api/transfer', {
    headers: { authorization: `Bearer ${token}` },
  })
  const body = (await response.json()) as any
  return {
    status: response.status,
    reason: body.error?.data?.reason,
    stepUp: body.error?.data?.stepUp,
    challenge: response.headers.get('www-authenticate'),
  }
}

/** An access token from the test key ring carrying `assurance`; `authAgo` seconds before now. */
async function tokenWith(
  t: TestIssuer,
  assurance: { amr?: unknown; acr?: unknown; authAgo?: number; auth_time?: unknown },
) {
  const { kid, alg, key } = await t.issuer.keys.signingKey()
  const iat = Math.floor(t.issuer.now() / 1000)
  const { authAgo, ...claims } = assurance
  return new SignJWT({
    sid: crypto.randomUUID(),
    client_id: 'web',
    ...claims,
    ...(authAgo === undefined ? {} : { auth_time: iat - authAgo }),
  })
    .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
    .setIssuer('http://localhost:8787')
    .setAudience('rotor')
    .setSubject(crypto.randomUUID())
    .setJti(crypto.randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(key)
}

const secondFactor: StepUpOptions = { amr: ['otp'], maxAge: 300 }

describe('step-up at the verifier (RFC 9470)', () => {
  test('a token with a recent second factor passes', async () => {
    const t = createTestIssuer()
    const token = await tokenWith(t, { amr: ['pwd', 'otp', 'mfa'], authAgo: 10 })
    expect(await guarded(t, { stepUp: secondFactor })(token)).toMatchObject({ status: 200 })
  })

  test.each([
    ['no amr at all', {}],
    ['a password alone', { amr: ['pwd'] }],
    ['a method of another name', { amr: ['pwd', 'sms'] }],
  ])('%s: 401, the challenge names otp and max_age', async (_, amr) => {
    const t = createTestIssuer()
    const result = await guarded(t, { stepUp: secondFactor })(
      await tokenWith(t, { ...amr, authAgo: 10 }),
    )
    expect(result).toEqual({
      status: 401,
      reason: 'INSUFFICIENT_USER_AUTHENTICATION',
      stepUp: { maxAge: 300, amrValues: ['otp'] },
      challenge:
        'Bearer error="insufficient_user_authentication", ' +
        'error_description="A different authentication method is required (otp)", ' +
        'max_age="300", amr_values="otp"',
    })
    expect(parseStepUpChallenge(result.challenge)).toEqual(result.stepUp)
  })

  test('maxAge: exactly its age passes, a second more is refused as too old', async () => {
    const t = createTestIssuer()
    const check = guarded(t, { stepUp: { maxAge: 300 } })
    const amr = ['pwd', 'otp', 'mfa']
    expect((await check(await tokenWith(t, { amr, authAgo: 300 }))).status).toBe(200)
    const old = await check(await tokenWith(t, { amr, authAgo: 301 }))
    expect(old).toMatchObject({ status: 401, reason: 'INSUFFICIENT_USER_AUTHENTICATION' })
    expect(old.challenge).toBe(
      'Bearer error="insufficient_user_authentication", ' +
        'error_description="More recent authentication is required", max_age="300"',
    )
  })

  test('maxAge: a token that says nothing of when the user authenticated is refused', async () => {
    const t = createTestIssuer()
    const result = await guarded(t, { stepUp: { maxAge: 300 } })(
      await tokenWith(t, { amr: ['pwd', 'otp'] }),
    )
    expect(result).toMatchObject({ status: 401, stepUp: { maxAge: 300 } })
  })

  test('maxAge counts on the verifier’s clock: a token grows too old without being re-minted', async () => {
    const t = createTestIssuer()
    const token = await tokenWith(t, { amr: ['otp'], authAgo: 0 })
    const check = guarded(t, { stepUp: { maxAge: 120 } })
    expect((await check(token)).status).toBe(200)
    t.advance(121)
    expect(await check(token)).toMatchObject({ status: 401, stepUp: { maxAge: 120 } })
  })

  test('acr: one of the listed levels passes; another, or none, gets acr_values', async () => {
    const t = createTestIssuer()
    const check = guarded(t, { stepUp: { acr: [SECOND_FACTOR, 'urn:other:gold'] } })
    expect((await check(await tokenWith(t, { acr: 'urn:other:gold' }))).status).toBe(200)
    for (const acr of ['urn:rotor:aal1', undefined]) {
      const result = await check(await tokenWith(t, { acr }))
      expect(result).toMatchObject({ status: 401, reason: 'INSUFFICIENT_USER_AUTHENTICATION' })
      expect(result.challenge).toBe(
        'Bearer error="insufficient_user_authentication", ' +
          'error_description="A different authentication level is required", ' +
          `acr_values="${SECOND_FACTOR} urn:other:gold"`,
      )
    }
  })

  test('every member must hold: the right acr with an old sign-in is refused', async () => {
    const t = createTestIssuer()
    const check = guarded(t, { stepUp: { acr: [SECOND_FACTOR], maxAge: 60, amr: ['otp'] } })
    const result = await check(
      await tokenWith(t, { amr: ['otp', 'mfa'], acr: SECOND_FACTOR, authAgo: 61 }),
    )
    expect(result).toMatchObject({
      status: 401,
      stepUp: { acrValues: [SECOND_FACTOR], maxAge: 60, amrValues: ['otp'] },
    })
    expect(result.challenge).toContain('error_description="More recent authentication is required"')
  })

  test('a route without stepUp takes the same one-factor token', async () => {
    const t = createTestIssuer()
    const token = await tokenWith(t, { amr: ['pwd'], authAgo: 5000 })
    expect((await guarded(t, {})(token)).status).toBe(200)
  })

  test.each([
    ['amr not an array', { amr: 'otp' }],
    ['amr holding a number', { amr: ['pwd', 7] }],
    ['acr a number', { acr: 2 }],
    ['auth_time a string', { auth_time: '1700000000' }],
    ['auth_time after the token was issued', { authAgo: -5 }],
  ])('a token with %s is TOKEN_INVALID on every route', async (_, claims) => {
    const t = createTestIssuer()
    const token = await tokenWith(t, claims)
    for (const options of [{}, { stepUp: secondFactor }]) {
      const result = await guarded(t, options)(token)
      expect(result).toMatchObject({ status: 401, reason: 'TOKEN_INVALID' })
      expect(result.challenge).toMatch(/^Bearer error="invalid_token"/)
    }
  })

  test('an invalid token is refused as invalid before any step-up is judged', async () => {
    const t = createTestIssuer()
    const token = await tokenWith(t, { amr: ['pwd'] })
    const result = await guarded(t, { stepUp: secondFactor })(`${token.slice(0, -4)}AAAA`)
    expect(result).toMatchObject({ status: 401, reason: 'TOKEN_INVALID', stepUp: undefined })
  })
})

describe('requireStepUp behind a shared requireAuth', () => {
  test('one verifier for /api/*, the step-up demand on one route only', async () => {
    const t = createTestIssuer()
    const app = new Hono()
    const jwks = { fetch: async (input: string | Request) => t.app.fetch(new Request(input)) }
    const now = () => t.issuer.now()
    const common = { issuer: 'http://localhost:8787', audience: 'rotor', jwks, now }
    app.use('/api/*', requireAuth({ ...common, mode: 'stateless' }))
    app.get('/api/profile', (c) => c.json({ ok: true }))
    app.get('/api/transfer', requireStepUp({ ...secondFactor, now }), (c) => c.json({ ok: true }))
    const request = (path: string, token: string) =>
      app.request(path, { headers: { authorization: `Bearer ${token}` } })

    const oneFactor = await tokenWith(t, { amr: ['pwd'], authAgo: 5 })
    expect((await request('/api/profile', oneFactor)).status).toBe(200)
    const refused = await request('/api/transfer', oneFactor)
    expect(refused.status).toBe(401)
    expect(parseStepUpChallenge(refused.headers.get('www-authenticate'))).toEqual({
      maxAge: 300,
      amrValues: ['otp'],
    })
    const stepped = await tokenWith(t, { amr: ['pwd', 'otp', 'mfa'], authAgo: 5 })
    expect((await request('/api/transfer', stepped)).status).toBe(200)
  })
})

describe('step-up options are checked at construction', () => {
  test.each([
    ['nothing demanded', {}],
    ['a misspelt option', { amr: ['otp'], maxage: 300 }],
    ['an empty amr', { amr: [] }],
    ['a method with a space', { amr: ['one time'] }],
    ['a level with a quote', { acr: ['urn:"x"'] }],
    ['a repeated level', { acr: [SECOND_FACTOR, SECOND_FACTOR] }],
    ['maxAge 0', { maxAge: 0 }],
    ['a fractional maxAge', { maxAge: 1.5 }],
    ['a maxAge over a year', { maxAge: 31_536_001 }],
    ['maxAge as a string', { maxAge: '300' }],
  ])('%s throws a TypeError naming stepUp', (_, stepUp) => {
    const t = createTestIssuer()
    expect(() => guarded(t, { stepUp: stepUp as StepUpOptions })).toThrow(/^requireAuth: stepUp /)
    expect(() => requireStepUp(stepUp as StepUpOptions)).toThrow(/^requireStepUp: stepUp /)
  })

  test('the options given are copied: changing them later changes nothing', async () => {
    const t = createTestIssuer()
    const amr = ['otp']
    const check = guarded(t, { stepUp: { amr } })
    amr[0] = 'pwd'
    expect((await check(await tokenWith(t, { amr: ['pwd'] }))).status).toBe(401)
  })
})
