/**
 * Till tokens: HS256 JWTs that bind a till to one store. The server and the
 * `token` subcommand share the secret; nothing else needs to be online to
 * authorize a till, which keeps a store working when its uplink is down.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export const storeIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidStoreId(value: string): boolean {
  return storeIdPattern.test(value);
}

export interface TillClaims {
  store: string;
  till: string;
  exp: number;
}

export type AuthResult = { ok: true; claims: TillClaims } | { ok: false; reason: 'unauthorized' | 'forbidden'; detail: string };

const algorithm = 'HS256';
/** Tolerates small clock drift between the machine that issued a token and the server. */
const clockToleranceSeconds = 5;

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function verifyTillToken(token: string | null, storeId: string, key: Uint8Array): Promise<AuthResult> {
  if (token === null || token === '') return { ok: false, reason: 'unauthorized', detail: 'token required' };
  let payload: Record<string, unknown>;
  try {
    const result = await jwtVerify(token, key, {
      algorithms: [algorithm],
      requiredClaims: ['exp', 'store', 'till'],
      clockTolerance: clockToleranceSeconds,
    });
    payload = result.payload;
  } catch (err) {
    return { ok: false, reason: 'unauthorized', detail: describeJoseError(err) };
  }
  const { store, till, exp } = payload;
  if (typeof store !== 'string' || typeof till !== 'string' || till === '' || typeof exp !== 'number') {
    return { ok: false, reason: 'unauthorized', detail: 'token claims store, till and exp are required' };
  }
  if (store !== storeId) {
    return { ok: false, reason: 'forbidden', detail: 'token is for another store' };
  }
  return { ok: true, claims: { store, till, exp } };
}

function describeJoseError(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (err instanceof errors.JWTClaimValidationFailed) return `token claim invalid: ${err.claim}`;
  if (err instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  return 'token invalid';
}

export interface IssueOptions {
  secret: string;
  store: string;
  till: string;
  ttlSeconds: number;
}

export async function issueTillToken({ secret, store, till, ttlSeconds }: IssueOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ store, till })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(secretKey(secret));
}
