/**
 * Per-connection limits. Each connection gets its own buckets, so one
 * misbehaving till is cut off without slowing down the others.
 */

export interface LimitsConfig {
  /** Largest accepted WebSocket message; a client's first sync step 2 can hold a whole store. */
  maxMessageBytes: number;
  /** Bytes queued towards one client before it counts as not reading. */
  maxBufferedBytes: number;
  messagesPerSecond: number;
  messagesBurst: number;
  bytesPerSecond: number;
  bytesBurst: number;
}

export const MiB = 1024 * 1024;

/**
 * 128 MiB by default: the fixture store of 100,000 customers with every field
 * filled encodes to ~70 MB, and a till that holds it sends it as one sync step 2.
 */
export function defaultLimits(maxMessageBytes = 128 * MiB): LimitsConfig {
  return {
    maxMessageBytes,
    // The first sync of a large store is one message; it must fit in the
    // buffer together with the updates relayed while it drains.
    maxBufferedBytes: 2 * maxMessageBytes,
    messagesPerSecond: 200,
    messagesBurst: 2000,
    bytesPerSecond: 8 * MiB,
    bytesBurst: maxMessageBytes,
  };
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /**
   * A full bucket always admits one request, even one larger than the
   * capacity, and goes into debt for it: otherwise a legitimate message bigger
   * than the burst size could never pass.
   */
  take(cost: number): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
    if (this.tokens >= cost || this.tokens >= this.capacity) {
      this.tokens -= cost;
      return true;
    }
    return false;
  }
}

export type RateVerdict = 'ok' | 'messages' | 'bytes';

export class ConnectionRateLimit {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(config: LimitsConfig, now?: () => number) {
    this.messages = new TokenBucket(config.messagesBurst, config.messagesPerSecond, now);
    this.bytes = new TokenBucket(config.bytesBurst, config.bytesPerSecond, now);
  }

  admit(size: number): RateVerdict {
    if (!this.messages.take(1)) return 'messages';
    if (!this.bytes.take(size)) return 'bytes';
    return 'ok';
  }
}
