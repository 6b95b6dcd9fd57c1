import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';

/**
 * "Login actions" rate limit of the reference API: at most `limit` attempts per client per window
 * (sliding log). In-memory, so per process — enough to slow password guessing on one machine.
 */
export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly clock: Clock, private readonly limit = 10, private readonly windowMs = 60_000) {}

  /** Records an attempt by `client`, or throws THROTTLED (429) when the client is over the limit. */
  hit(client: string): void {
    const now = this.clock.now().getTime();
    const recent = (this.attempts.get(client) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      const seconds = Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
      this.attempts.set(client, recent);
      throw new AppError('THROTTLED', `Request was throttled. Expected available in ${seconds} seconds.`, { retryAfterSeconds: seconds });
    }
    recent.push(now);
    this.attempts.set(client, recent);
    if (this.attempts.size > 10_000) this.evictIdle(now);
  }

  private evictIdle(now: number): void {
    for (const [client, times] of this.attempts) {
      if (times.every((t) => now - t >= this.windowMs)) this.attempts.delete(client);
    }
  }
}
