/**
 * Why the server closes a connection, and the WebSocket close code it sends.
 *
 * The y-websocket provider stops reconnecting on codes 4400-4499 (a decision
 * that reconnecting cannot fix) and reconnects on everything else. So auth and
 * bad-path refusals use 44xx, while every condition a till can recover from
 * (server restart, storage outage, a burst, a slow network) uses a code the
 * provider retries, after which the normal sync resends whatever the server
 * did not keep.
 */

export const closeReasons = {
  client_closed: { code: 1000, text: 'closed by client' },
  shutdown: { code: 1001, text: 'server shutting down' },
  text_frame: { code: 1003, text: 'text frames are not supported; send binary y-websocket messages' },
  malformed: { code: 1007, text: 'malformed message' },
  unknown_type: { code: 1008, text: 'unknown message type' },
  rate_limit: { code: 1008, text: 'rate limit exceeded' },
  too_big: { code: 1009, text: 'message too big' },
  internal_error: { code: 1011, text: 'internal server error' },
  slow_consumer: { code: 1013, text: 'client is not reading; try again later' },
  ping_timeout: { code: 1006, text: 'no pong received' },
  invalid_store: { code: 4400, text: 'invalid store id' },
  unauthorized: { code: 4401, text: 'unauthorized' },
  forbidden: { code: 4403, text: 'forbidden' },
  storage_unavailable: { code: 4503, text: 'storage unavailable; update not saved, reconnect later' },
} as const;

export type CloseReason = keyof typeof closeReasons;

/** RFC 6455 limits a close reason to 123 bytes of UTF-8. */
const maxCloseReasonBytes = 123;

/** The close frame reason: the standard text, then the specific detail. */
export function closeReasonText(reason: CloseReason, detail?: string): string {
  const { text } = closeReasons[reason];
  const full = detail === undefined ? text : `${text}: ${detail}`;
  const bytes = Buffer.from(full);
  if (bytes.length <= maxCloseReasonBytes) return full;
  // Cut on a character boundary, so the reason stays valid UTF-8.
  let end = maxCloseReasonBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString();
}
