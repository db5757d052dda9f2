// Bearer tokens: HS256 JWTs whose subject is the user id.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Config } from '../config';

type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_TTL_SECONDS'>;

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

const secretKey = (cfg: TokenConfig) => new TextEncoder().encode(cfg.JWT_SECRET);

export async function issueToken(userId: number, cfg: TokenConfig, ttlSeconds = cfg.JWT_TTL_SECONDS): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(userId))
    .setIssuer(cfg.JWT_ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(secretKey(cfg));
}

/** Returns the user id a valid token names, or throws InvalidTokenError saying why not. */
export async function verifyToken(token: string, cfg: TokenConfig): Promise<number> {
  try {
    const { payload } = await jwtVerify(token, secretKey(cfg), { issuer: cfg.JWT_ISSUER, algorithms: ['HS256'] });
    const userId = Number(payload.sub);
    if (!Number.isInteger(userId) || userId < 1) throw new InvalidTokenError('The token names no user.');
    return userId;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The token has expired: get a new one.');
    throw new InvalidTokenError('The token is not valid: it is malformed or was not signed by this server.');
  }
}
