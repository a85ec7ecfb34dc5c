import { errorResponse } from './error-response.ts'
import type { Issuer } from '../issuer.ts'

/**
 * `GET /demo/outbox?to=<address>`: the development outbox's newest messages to one address, for
 * the demo page's "forgot password" and "verify email" flows. Mounted only with DEMO on and
 * `MAIL_TRANSPORT = "outbox"`, which the configuration refuses outside localhost.
 */
export async function handleOutbox(issuer: Issuer, request: Request): Promise<Response> {
  const to = new URL(request.url).searchParams.get('to')?.trim().toLowerCase() ?? ''
  if (to === '' || to.length > 254) return errorResponse('INVALID_INPUT', 'Name an address: ?to=')
  const rows = await issuer.store.listOutbox(to, 10)
  const messages = rows.map(({ at, subject, text }) => ({
    at: Math.floor(at / 1000),
    subject,
    text,
  }))
  return Response.json({ messages }, { headers: { 'cache-control': 'no-store' } })
}
