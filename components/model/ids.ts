import { uuidv4 } from 'lib0/random';

/**
 * Ids are made on the till, never derived from email or phone, so two offline tills that create the
 * same person make two records the reconciliation step can merge, instead of overwriting each other.
 * lib0 uses crypto.getRandomValues, which (unlike crypto.randomUUID) also exists on plain-http LAN pages.
 */
export function newId(): string {
  return uuidv4();
}
