import type { ServerResponse } from 'node:http';

/**
 * A live-path refusal before Express and Apollo (rate limit, execution share): the status, `Retry-After` and one
 * GraphQL error whose `extensions.code` names the limit, so clients can tell a quota from a concurrency cap.
 */
export function sendRefusal(res: ServerResponse, status: number, retryAfterSeconds: number, message: string, extensions: Record<string, unknown>): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { ...extensions, retryAfterSeconds } }] });
  res.statusCode = status;
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
