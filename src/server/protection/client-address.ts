import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Redis } from 'ioredis';
import type { TrustProxy } from '../../config/protection';

/**
 * The client's address as the last trusted proxy saw it (TRUST_PROXY). `X-Forwarded-For` is read from
 * the right: every entry added by a trusted proxy is skipped, the first untrusted one is the client.
 * Without trusted proxies the header is ignored (anyone can send it).
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  const peer = normalise(req.socket.remoteAddress ?? '');
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => normalise(s.trim())).filter(Boolean);
  // Nearest first: the socket peer, then the header from its last entry backwards.
  const chain = [peer, ...forwarded.reverse()];
  if (trust.kind === 'hops') return pick(chain, Math.min(trust.hops, chain.length - 1));
  const trusted = blockListOf(trust);
  let i = 0;
  while (i < chain.length - 1 && isIP(chain[i]) && trusted.check(chain[i], isIP(chain[i]) === 4 ? 'ipv4' : 'ipv6')) i++;
  return pick(chain, i);
}

/** A garbled header entry is never taken as the client: fall back to the nearest well-formed address before it. */
function pick(chain: string[], i: number): string {
  for (let j = i; j > 0; j--) if (isIP(chain[j])) return chain[j];
  return chain[0];
}

const blockLists = new WeakMap<TrustProxy, BlockList>();
function blockListOf(trust: Extract<TrustProxy, { kind: 'addresses' }>): BlockList {
  let list = blockLists.get(trust);
  if (!list) {
    list = new BlockList();
    for (const s of trust.subnets) list.addSubnet(s.address, s.prefix, s.family);
    blockLists.set(trust, list);
  }
  return list;
}

function normalise(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

/** IPv6 clients usually hold a whole /64: rotating within it must not buy a fresh quota. */
function limitUnit(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head] = address.split('%');
  const groups = expandV6(head);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : head;
}

function expandV6(a: string): string[] | undefined {
  const [left, right] = a.split('::');
  const l = left ? left.split(':') : [];
  const r = right !== undefined ? (right ? right.split(':') : []) : [];
  if (r.some((g) => g.includes('.')) || l.some((g) => g.includes('.'))) return undefined;
  const fill = a.includes('::') ? 8 - l.length - r.length : 0;
  const groups = [...l, ...Array(Math.max(0, fill)).fill('0'), ...r];
  return groups.length === 8 ? groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')) : undefined;
}

const DAY_MS = 86_400_000;

/**
 * Pseudonymous client keys for anonymous callers: HMAC of the address with a salt that changes every day
 * and is shared by all replicas through Redis (SET NX), so replicas count the same client under the same key
 * while the raw address is never stored or logged. Without Redis (or while it is down) the salt is
 * per process.
 */
export class AnonymousKeys {
  private day = -1;
  private salt = randomBytes(32).toString('base64url');
  private shared = false;
  private refreshing?: Promise<void>;
  /**
   * The key last computed per connection: one HMAC per keep-alive connection and salt rather than per request
   * (issue 15 P1). Held only as long as the socket, which holds the address itself anyway; nothing outlives it.
   */
  private readonly bySocket = new WeakMap<object, { address: string; salt: string; key: string }>();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads today's shared salt; call once before serving. */
  async init(): Promise<void> {
    await this.refresh();
  }

  /** @param socket the request's connection, to reuse the key of its previous request from the same address. */
  keyFor(address: string, socket?: object): string {
    const day = Math.floor(this.now() / DAY_MS);
    // Without Redis the salt is per process anyway: only a new day needs a new one.
    if (day !== this.day || (!this.shared && this.redis)) void this.refresh();
    const known = socket && this.bySocket.get(socket);
    if (known && known.address === address && known.salt === this.salt) return known.key;
    const key = 'ip:' + createHmac('sha256', this.salt).update(limitUnit(address)).digest('base64url').slice(0, 27);
    if (socket) this.bySocket.set(socket, { address, salt: this.salt, key });
    return key;
  }

  private refresh(): Promise<void> {
    return (this.refreshing ??= this.load().finally(() => (this.refreshing = undefined)));
  }

  private async load(): Promise<void> {
    const day = Math.floor(this.now() / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.salt = randomBytes(32).toString('base64url');
      this.shared = false;
    }
    if (!this.redis || this.redis.status !== 'ready') return;
    const key = `${this.prefix}:rl:salt:${day}`;
    try {
      await this.redis.set(key, this.salt, 'PX', 2 * DAY_MS, 'NX');
      const salt = await this.redis.get(key);
      if (salt && day === this.day) {
        this.salt = salt;
        this.shared = true;
      }
    } catch {
      // Redis down: keep the per-process salt; the next request tries again.
    }
  }
}
