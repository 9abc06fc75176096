/** One CORS allow-list entry (CORS_ORIGINS): an exact origin or a `scheme://*.domain[:port]` pattern. */
export const CORS_ENTRY = /^(https?):\/\/(\*\.)?((?:[a-z0-9-]+\.)*[a-z0-9-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?$/i;

/** Checks an allow-list entry; returns the form expected when it is not one, or undefined. */
export function invalidCorsEntry(entry: string): string | undefined {
  const m = CORS_ENTRY.exec(entry);
  if (!m) return 'an origin like https://portal.example.org or a pattern like https://*.example.org';
  if (m[4] !== undefined && Number(m[4]) > 65535) return 'a port from 0 to 65535';
  return undefined;
}
