import type { ChainableCommander, Redis } from 'ioredis';
import { z } from 'zod';
import { endReasons, type Role } from '@fernhilfe/protocol';
import type { ResumeRecord, ResumeStore, SessionContext } from '../rendezvous/resume-store.js';
import type { ReleasedSession } from './directory.js';
import { keys } from './keys.js';

/** Sets a field only on a record that exists (a late update must not make a record without a TTL). */
const ANNOTATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

/** Stores a side's resume key once. */
const SET_KEY = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/**
 * Takes a session over from its home (KEYS: live ID, the old home's node key, the session record;
 * ARGV: this node, the old home, live-ID TTL, record TTL). Allowed when the record is still the old
 * home's and not ended, and the old home is dead (its node key expired) or released the session
 * (drained). Returns 1 (this node is the home now), 0 (another node holds it: go there, or try again),
 * -1 (nothing to adopt).
 */
const ADOPT = `
if redis.call('EXISTS', KEYS[3]) == 0 or redis.call('HEXISTS', KEYS[3], 'ended') == 1 then return -1 end
local home = redis.call('HGET', KEYS[3], 'home')
if home == ARGV[1] then return 1 end
if home ~= ARGV[2] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 and redis.call('HGET', KEYS[3], 'released') ~= '1' then return 0 end
local live = redis.call('GET', KEYS[1])
if live and live ~= ARGV[2] and live ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('HSET', KEYS[3], 'home', ARGV[1])
redis.call('HDEL', KEYS[3], 'released')
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1`;

const technicianSchema = z.strictObject({ userId: z.string().min(1).max(64), displayName: z.string().max(200), company: z.string().max(200) });
const endedSchema = z.strictObject({ by: z.enum(['customer', 'technician', 'server']), reason: z.enum(endReasons) });
const reportsSchema = z.strictObject({ customer: z.number().int().min(0), technician: z.number().int().min(0) });
const keyHex = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.coerce.number().int().min(0);

const recordSchema = z.object({
  technicianUserId: z.string().min(1).max(64),
  technician: z.string().transform((s, ctx) => parseJson(technicianSchema, s, ctx)),
  home: z.string().min(1).max(64),
  since: count,
  sessionId: z.string().max(64).optional(),
  path: count.optional(),
  relayedBytes: count.optional(),
  reports: z.string().transform((s, ctx) => parseJson(reportsSchema, s, ctx)).optional(),
  released: z.literal('1').optional(),
  'key:customer': keyHex.optional(),
  'key:technician': keyHex.optional(),
  ended: z.string().transform((s, ctx) => parseJson(endedSchema, s, ctx)).optional(),
});

function parseJson<T>(schema: z.ZodType<T>, text: string, ctx: z.RefinementCtx): T {
  try {
    const r = schema.safeParse(JSON.parse(text));
    if (r.success) return r.data;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'not the JSON a node writes' });
  return z.NEVER;
}

export type AdoptResult = 'adopted' | 'elsewhere' | 'gone';

/**
 * The resume state of active sessions in Redis (`fernhilfe:session:<id>`, one hash each), shared by
 * all nodes: the technician, both resume public keys, the audit row, the path and report counts. The
 * home node renews its records' TTL (node TTL + RESUME_GRACE_MS) with its heartbeat, so a record
 * outlives a dead home by the grace period, long enough for the endpoints to resume through another
 * node, which adopts the session (`adopt`). Nothing secret is stored: Redis sees what the relay sees.
 */
export class RedisSessionStore implements ResumeStore {
  /** sessions whose home is this node (renewed by the heartbeat) */
  private readonly own = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly nodeTtlMs: number,
    private readonly graceMs: number,
  ) {}

  private get ttlMs(): number {
    return this.nodeTtlMs + this.graceMs;
  }

  async create(customerId: string, technicianUserId: string, context?: SessionContext): Promise<void> {
    const key = keys.session(customerId);
    const c = context ?? { home: this.nodeId, technician: { userId: technicianUserId, displayName: '', company: '' }, since: Date.now() };
    this.own.add(customerId);
    await this.redis
      .multi()
      .del(key)
      .hset(key, { technicianUserId, technician: JSON.stringify(c.technician), home: this.nodeId, since: String(c.since), path: '0' })
      .pexpire(key, this.ttlMs)
      .exec();
  }

  async setKey(customerId: string, role: Role, publicKey: string): Promise<boolean> {
    return (await this.redis.eval(SET_KEY, 1, keys.session(customerId), `key:${role}`, publicKey)) === 1;
  }

  async get(customerId: string): Promise<ResumeRecord | undefined> {
    const raw = await this.redis.hgetall(keys.session(customerId));
    if (Object.keys(raw).length === 0) return undefined;
    const r = recordSchema.safeParse(raw);
    if (!r.success) return undefined;
    const v = r.data;
    const record: ResumeRecord = {
      customerId,
      technicianUserId: v.technicianUserId,
      keys: { ...(v['key:customer'] ? { customer: v['key:customer'] } : {}), ...(v['key:technician'] ? { technician: v['key:technician'] } : {}) },
      context: {
        home: v.home,
        technician: v.technician,
        since: v.since,
        ...(v.sessionId !== undefined ? { sessionId: v.sessionId } : {}),
        ...(v.path !== undefined ? { path: v.path } : {}),
        ...(v.relayedBytes !== undefined ? { relayedBytes: v.relayedBytes } : {}),
        ...(v.reports ? { reports: v.reports } : {}),
        ...(v.released ? { released: true } : {}),
      },
    };
    if (v.ended) record.ended = v.ended;
    return record;
  }

  async end(customerId: string, ended: NonNullable<ResumeRecord['ended']>, keepMs: number): Promise<void> {
    this.own.delete(customerId);
    const key = keys.session(customerId);
    await this.redis.multi().hset(key, 'ended', JSON.stringify(ended)).pexpire(key, keepMs).exec();
  }

  annotate(customerId: string, patch: Partial<Omit<SessionContext, 'home' | 'technician' | 'released'>>): void {
    const fields: string[] = [];
    for (const [name, value] of Object.entries(patch)) {
      if (value !== undefined) fields.push(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    if (fields.length > 0) this.redis.eval(ANNOTATE, 1, keys.session(customerId), ...fields).catch(() => undefined);
  }

  /**
   * This node is drained: it lets the session go (another node may adopt it at once) with what it
   * knows last. The record is not renewed any more: it expires unless a new home adopts it.
   */
  async release(customerId: string, last: ReleasedSession): Promise<void> {
    this.own.delete(customerId);
    const fields = { released: '1', sessionId: last.sessionId, path: String(last.path), relayedBytes: String(last.relayedBytes), reports: JSON.stringify(last.reports) };
    await this.redis.eval(ANNOTATE, 1, keys.session(customerId), ...Object.entries(fields).flat());
  }

  /** Takes the session over from `from` (dead or drained); see ADOPT. */
  async adopt(customerId: string, from: string): Promise<AdoptResult> {
    const r = await this.redis.eval(ADOPT, 3, keys.liveId(customerId), keys.node(from), keys.session(customerId), this.nodeId, from, this.nodeTtlMs, this.ttlMs);
    if (r === 1) this.own.add(customerId);
    return r === 1 ? 'adopted' : r === 0 ? 'elsewhere' : 'gone';
  }

  /** Whether `customerId` is still this node's in Redis (a drained node waits until its sessions moved). */
  async isHome(customerId: string): Promise<boolean> {
    return (await this.redis.hget(keys.session(customerId), 'home')) === this.nodeId;
  }

  /** Adds the renewal of this node's session records to the heartbeat's pipeline. */
  refresh(pipeline: ChainableCommander): void {
    for (const id of this.own) pipeline.pexpire(keys.session(id), this.ttlMs);
  }
}
