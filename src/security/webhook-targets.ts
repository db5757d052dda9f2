// Where webhook deliveries may connect: public unicast addresses only. Admins register URLs and the worker POSTs to
// them, so a URL must not reach loopback, the private network or a cloud metadata service. The address is checked
// where the connection is made, after name resolution (a name can resolve elsewhere at delivery time than at
// registration), and at registration for an early, clear refusal. WEBHOOK_ALLOW_PRIVATE_TARGETS lifts it for tests.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

// IPv4: public unless in one of these (RFC 6890 special-purpose blocks).
const NOT_PUBLIC_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
// IPv6: an allow-list, not a block-list. Only global unicast (2000::/3) can be public, which leaves out ::, ::1,
// IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96) forms, NAT64 (64:ff9b::/96), discard (100::/64),
// unique-local (fc00::/7), link-local (fe80::/10), site-local (fec0::/10) and multicast (ff00::/8) without naming
// each; inside 2000::/3 these are not public either:
const NOT_PUBLIC_IN_GLOBAL_V6: [string, number][] = [
  ['2001::', 23], // IETF protocol assignments, among them Teredo (2001::/32, embeds an IPv4 address) and benchmarking
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address, which may be a private one
  ['3fff::', 20], // documentation
];

const notPublicV4 = new BlockList();
for (const [network, prefix] of NOT_PUBLIC_V4) notPublicV4.addSubnet(network, prefix, 'ipv4');
const globalUnicastV6 = new BlockList();
globalUnicastV6.addSubnet('2000::', 3, 'ipv6');
const notPublicInGlobalV6 = new BlockList();
for (const [network, prefix] of NOT_PUBLIC_IN_GLOBAL_V6) notPublicInGlobalV6.addSubnet(network, prefix, 'ipv6');

/** True for a public unicast address; false for every other address and for anything that is not an address. */
export function isPublicAddress(address: string): boolean {
  try {
    switch (isIP(address)) {
      case 4:
        return !notPublicV4.check(address, 'ipv4');
      case 6:
        return globalUnicastV6.check(address, 'ipv6') && !notPublicInGlobalV6.check(address, 'ipv6');
      default:
        return false;
    }
  } catch {
    return false; // e.g. an IPv6 address with a zone id (fe80::1%eth0)
  }
}

// Names that only mean something inside a network (RFC 6761, 6762, 8375 and common private suffixes).
const INTERNAL_NAME = /(^|\.)(localhost|localdomain|local|internal|intranet|lan|home\.arpa|corp)$/i;

/** A URL's hostname without IPv6 brackets and trailing dots (`localhost.` is `localhost`). */
export const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');

/** Why a hostname, read as text, is not a public target; null when it may be (then its addresses decide). */
export function hostTextRefusal(hostname: string): string | null {
  const host = bareHost(hostname);
  if (isIP(host)) return isPublicAddress(host) ? null : `${host} is a loopback, private, link-local or reserved address`;
  if (!host.includes('.')) return `${host} is not a public host name`;
  if (INTERNAL_NAME.test(host)) return `${host} is an internal host name`;
  return null;
}

export type ResolveAll = (hostname: string) => Promise<dns.LookupAddress[]>;

export const resolveAll: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Why an address list is not a public target (any one private address refuses the name); null when all are public. */
export function addressesRefusal(hostname: string, addresses: dns.LookupAddress[]): string | null {
  const inside = addresses.find((a) => !isPublicAddress(a.address));
  return inside ? `${bareHost(hostname)} resolves to ${inside.address}, a loopback, private, link-local or reserved address` : null;
}

/**
 * A `lookup` for http(s).request that resolves as usual and, unless private targets are allowed, refuses names with
 * a non-public address, so the check applies to the very addresses the socket then connects to (Node calls it for
 * every new connection, also when it tries several addresses in turn).
 */
export function checkedLookup(resolve: ResolveAll, allowPrivateTargets: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refusal = addresses.length === 0 ? `${hostname} has no address` : allowPrivateTargets ? null : addressesRefusal(hostname, addresses);
        if (refusal) return callback(new WebhookTargetRefused(`Refused to connect: ${refusal}.`), '', 0);
        const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) return callback(null, wanted);
        return callback(null, wanted[0]?.address ?? '', wanted[0]?.family ?? 0);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

export interface WebhookPost {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: tests' receivers on 127.0.0.1. */
  allowPrivateTargets: boolean;
  /** Name resolution; tests give a fixed table. */
  resolve?: ResolveAll;
}

/**
 * POSTs a webhook and returns the HTTP status. Redirects are not followed (a 3xx is an answer like any other), and
 * every delivery opens its own connection, so no pooled socket skips the address check.
 */
export function postWebhook(url: string, post: WebhookPost): Promise<number> {
  const target = new URL(url);
  // An IP literal needs no lookup (Node connects to it directly), so it is checked here, as are internal names
  // (localhost., *.internal), whatever this machine's resolver makes of them; other names at lookup.
  const textRefusal = post.allowPrivateTargets ? null : hostTextRefusal(target.hostname);
  if (textRefusal) return Promise.reject(new WebhookTargetRefused(`Refused to connect: ${textRefusal}.`));
  const request = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        agent: false,
        signal: AbortSignal.timeout(post.timeoutMs),
        lookup: checkedLookup(post.resolve ?? resolveAll, post.allowPrivateTargets),
      },
      (res) => {
        res.resume(); // the body is not read; draining it lets the socket close
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(post.body);
  });
}
