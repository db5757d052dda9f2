// The one place Redis connections are made: every user (API requests, the relay, workers, Bull Board, readiness,
// sign-in) asks createRedis or connectRedis for a connection in its role, to a single server (REDIS_URL) or to a
// Redis Cluster (REDIS_CLUSTER_NODES), with the options BullMQ documents for each.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { throttledLog } from './throttled-log';

/** A single server or a cluster: both run the same commands, and BullMQ and rate-limiter-flexible take either. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL, or the cluster's seed nodes (credentials and TLS still come from REDIS_URL). */
export interface RedisTarget {
  url: string;
  /** "host:port,host:port": any few nodes of the cluster; the client learns the rest. Empty: a single server. */
  clusterNodes?: string;
}

/**
 * What the connection is for:
 * - requests: the API's own (rate limits, sign-in, /readyz, dashboards); a command fails at once or within
 *   API_REDIS_COMMAND_TIMEOUT_MS while Redis is away or slow, so no request waits on Redis.
 * - producer: the relay's; fails fast too, the sweeper re-sends what it could not.
 * - worker: BullMQ workers', whose blocking reads need maxRetriesPerRequest: null; commands wait for reconnects.
 * All of them reconnect forever: a Redis restart or failover must not need a LabShare restart.
 */
export type RedisRole = 'requests' | 'producer' | 'worker';

export class RedisUnreachableError extends Error {
  constructor(readonly address: string, cause: unknown) {
    super(`Redis is not reachable at ${address} (${(cause as Error)?.message ?? cause})`);
    this.name = 'RedisUnreachableError';
  }
}

/** REDIS_URL names a member of a Redis Cluster: a single-server client would only meet MOVED errors there. */
export class RedisIsClusterError extends Error {
  constructor(readonly address: string) {
    super(`Redis at ${address} is a Redis Cluster node: list the cluster's nodes in REDIS_CLUSTER_NODES (host:port,host:port,...)`);
    this.name = 'RedisIsClusterError';
  }
}

/** A command to the API's own connection fails after this long (a frozen Redis never answers). */
export const API_REDIS_COMMAND_TIMEOUT_MS = 500;

const reconnectForever = (attempt: number) => Math.min(attempt * 200, 2000);

function asTarget(target: RedisTarget | string): RedisTarget {
  return typeof target === 'string' ? { url: target } : target;
}

export function clusterNodes(setting: string | undefined): { host: string; port: number }[] {
  return (setting ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

export function redisAddress(target: RedisTarget | string): string {
  const { url, clusterNodes: nodes } = asTarget(target);
  if (nodes) return `cluster ${clusterNodes(nodes).map((n) => `${n.host}:${n.port}`).join(',')}`;
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 6379}`;
}

/**
 * The Redis Cluster hash tag of a key prefix: the part between the first "{" and the next "}", if not empty. Keys
 * with the same tag share a slot, which BullMQ's multi-key scripts and MULTI need on a cluster.
 */
export function hashTag(prefix: string): string | null {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : null;
}

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  requests: { maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: API_REDIS_COMMAND_TIMEOUT_MS, connectTimeout: 3000 },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3000 },
  worker: { maxRetriesPerRequest: null },
};

/** Credentials and TLS of REDIS_URL, for every node of a cluster. */
function urlCredentials(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function clusterOptions(url: string, role: RedisRole): ClusterOptions {
  const { enableOfflineQueue, ...nodeOptions } = ROLE_OPTIONS[role];
  return {
    enableOfflineQueue: enableOfflineQueue ?? true,
    // Wait for CLUSTER INFO to say cluster_state:ok before calling the cluster ready.
    enableReadyCheck: true,
    clusterRetryStrategy: reconnectForever,
    // A command to a node that died is retried after re-reading the slot map (every 200 ms, at most maxRedirections
    // times), so once a replica is promoted the next retry reaches it; MOVED and ASK are followed at once.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    maxRedirections: 16,
    // The slot map is also re-read every 5 s, so a failover is noticed even without a MOVED; a read of it that
    // does not answer within 2 s moves on to another node.
    slotsRefreshInterval: 5000,
    slotsRefreshTimeout: 2000,
    redisOptions: { ...urlCredentials(url), ...nodeOptions },
    // A request must not wait out a failover (maxRedirections retries 200 ms apart): a few quick tries, then the
    // caller's fallback (per-process rate limits) answers.
    ...(role === 'requests' ? { retryDelayOnFailover: 100, retryDelayOnClusterDown: 100, maxRedirections: 4 } : {}),
  };
}

function build(target: RedisTarget, role: RedisRole, lazyConnect: boolean): RedisClient {
  return target.clusterNodes
    ? new Cluster(clusterNodes(target.clusterNodes), { ...clusterOptions(target.url, role), lazyConnect })
    : new Redis(target.url, { ...ROLE_OPTIONS[role], retryStrategy: reconnectForever, lazyConnect });
}

/** A connection for `role`; it starts connecting at once and waits out an absent Redis (see connectRedis to fail fast). */
export function createRedis(target: RedisTarget | string, role: RedisRole, logger?: Logger): RedisClient {
  const client = build(asTarget(target), role, false);
  return logger ? logOutages(client, logger, role) : client;
}

/**
 * Connects and pings once, failing fast with a RedisUnreachableError (or RedisIsClusterError when REDIS_URL names
 * a cluster node); afterwards the connection reconnects forever. Start-up calls it so a missing Redis is one clear line.
 */
export async function connectRedis(target: RedisTarget | string, role: RedisRole = 'requests', logger?: Logger): Promise<RedisClient> {
  const resolved = asTarget(target);
  const client = build(resolved, role, true);
  // No reconnects until the first connection works: a Redis that is not there is reported now, not waited for.
  if (client instanceof Cluster) client.options.clusterRetryStrategy = () => null;
  else client.options.retryStrategy = () => null;
  let firstError: Error | undefined;
  // Without a listener ioredis prints "Unhandled error event" with a stack; the cause is reported below instead.
  const onError = (error: Error) => {
    firstError ??= error;
  };
  client.on('error', onError);
  try {
    await client.connect();
    await client.ping();
    if (!(client instanceof Cluster) && /^cluster_enabled:1/m.test(await client.info('cluster'))) throw new RedisIsClusterError(redisAddress(resolved));
  } catch (error) {
    client.disconnect();
    if (error instanceof RedisIsClusterError) throw error;
    throw new RedisUnreachableError(redisAddress(resolved), firstError ?? error);
  }
  if (client instanceof Cluster) client.options.clusterRetryStrategy = reconnectForever;
  else client.options.retryStrategy = reconnectForever;
  return logger ? logOutages(client, logger, role) : client;
}

/** The connection that carries the writes to `key`: the client itself, or on a cluster the master serving its slot. */
export type WriteNode = Redis;

const keySlots = new WeakMap<Cluster, Map<string, number>>();

/** The connection that writes to `key` go through now, or null when no live master serves its slot (a failover). */
export async function writeNode(client: RedisClient, key: string): Promise<WriteNode | null> {
  if (!(client instanceof Cluster)) return client;
  let slots = keySlots.get(client);
  if (!slots) keySlots.set(client, (slots = new Map()));
  let slot = slots.get(key);
  if (slot === undefined) {
    // A key's slot never changes: asked once (CLUSTER KEYSLOT computes it the way the cluster does).
    slot = Number(await client.cluster('KEYSLOT', key));
    slots.set(key, slot);
  }
  const owner = client.slots[slot]?.[0];
  return client.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owner) ?? null;
}

/**
 * How many replicas acknowledged every write sent so far through `node` (Redis WAIT), waiting at most timeoutMs
 * for `replicas` of them. WAIT only covers writes sent on the same connection, so `node` must be the one the
 * writes went through: writeNode, asked before writing; on a cluster 0 is answered when another master serves
 * `key` by now, since writes to the old one may be lost with it.
 */
export async function replicasAcknowledging(client: RedisClient, node: WriteNode, key: string, replicas: number, timeoutMs: number): Promise<number> {
  const acknowledged = Number(await node.call('WAIT', replicas, timeoutMs));
  if (client instanceof Cluster && (await writeNode(client, key)) !== node) return 0;
  return acknowledged;
}

/** How often a repeated Redis problem (errors of one node, a worker's error loop) is logged at most. */
export const REPEATED_ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Logs a lost connection once per outage instead of once per reconnect attempt. On a cluster it also logs errors of
 * single nodes (at most once per REPEATED_ERROR_LOG_INTERVAL_MS, with how many were left out) and each change of the
 * nodes it talks to, so a failover or a redirection storm is visible, never spun through silently.
 */
export function logOutages<T extends RedisClient>(client: T, logger: Logger, role: string): T {
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ err: error.message, role }, 'Redis connection lost; reconnecting');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ role }, 'Redis connection restored');
    down = false;
  });
  if (client instanceof Cluster) {
    const nodeError = throttledLog(logger, 'warn', 'Redis Cluster node error', REPEATED_ERROR_LOG_INTERVAL_MS);
    client.on('node error', (error: Error, node: string) => nodeError({ err: error.message, node, role }));
    const nodesChanged = throttledLog(logger, 'warn', 'Redis Cluster nodes changed; following the new slot map', REPEATED_ERROR_LOG_INTERVAL_MS);
    // Not while closing: quit() drops every node on purpose.
    client.on('-node', (node: Redis) => {
      if (client.status === 'ready') nodesChanged({ removed: `${node.options.host}:${node.options.port}`, role });
    });
  }
  return client;
}
