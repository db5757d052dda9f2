// Bearer tokens: HS256 JWTs whose subject is the user id.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Config } from '../config';

type TokenConfig = Pick<Config, 'JWT_ISSUER' | 'JWT_TTL_SECONDS'>;

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * The one signing secret of this process. Start-up sets it through loadSigningSecret (./signing-secret.ts), from
 * JWT_SECRET or the database; there is no default, so no published string can ever sign an accepted token.
 */
let signingKey: Uint8Array | undefined;

export function useSigningSecret(secret: string): void {
  if (secret.length < 32) throw new Error('The token signing secret must be at least 32 characters.');
  signingKey = new TextEncoder().encode(secret);
  verified.clear(); // verdicts reached under another secret no longer hold
}

function secretKey(): Uint8Array {
  if (!signingKey) throw new Error('The token signing secret is not loaded: start-up calls loadSigningSecret first.');
  return signingKey;
}

export async function issueToken(userId: number, cfg: TokenConfig, ttlSeconds = cfg.JWT_TTL_SECONDS): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(userId))
    .setIssuer(cfg.JWT_ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(secretKey());
}

/**
 * Tokens this process has verified, until they expire. Verification is a pure function of the token, the secret and
 * the clock, so every process reaches the same answer and a cached one cannot go stale; it spares the HMAC and
 * WebCrypto round (several percent of a request's CPU) on every request after a client's first. Bounded; the oldest
 * entry goes first. Emptied when the secret changes.
 */
const VERIFIED_CACHE_LIMIT = 10_000;
const verified = new Map<string, { userId: number; expiresAtMs: number }>();

const cacheKey = (token: string, cfg: TokenConfig) => `${cfg.JWT_ISSUER}\u0000${token}`;

/** Returns the user id a valid token names, or throws InvalidTokenError saying why not. */
export async function verifyToken(token: string, cfg: TokenConfig): Promise<number> {
  const key = cacheKey(token, cfg);
  const known = verified.get(key);
  if (known) {
    if (Date.now() < known.expiresAtMs) return known.userId;
    verified.delete(key); // expired: jwtVerify below says so
  }
  const secret = secretKey(); // not loaded is a start-up bug, not a bad token
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: cfg.JWT_ISSUER, algorithms: ['HS256'], requiredClaims: ['exp'] });
    const userId = Number(payload.sub);
    if (!Number.isInteger(userId) || userId < 1) throw new InvalidTokenError('The token names no user.');
    if (verified.size >= VERIFIED_CACHE_LIMIT) verified.delete(verified.keys().next().value as string);
    verified.set(key, { userId, expiresAtMs: (payload.exp as number) * 1000 });
    return userId;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The token has expired: get a new one.');
    throw new InvalidTokenError('The token is not valid: it is malformed or was not signed by this server.');
  }
}
