import { randomUUID } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

/** Sends `payload` as a Standard Webhooks request signed with `secret`, now. */
export async function sendWebhook(
  url: string,
  secret: string,
  payload: unknown,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload)
  const id = `msg_${randomUUID()}`
  const now = new Date()
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, now, body),
    },
    body,
  })
  return { status: response.status, body: await response.text() }
}
