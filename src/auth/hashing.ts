// Secrets handed to people (session cookies, tokens, links) are random and stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** 256 random bits, URL-safe. */
export const randomSecret = () => randomBytes(32).toString('base64url');
