import type * as Phone from './phone.js';

let loaded: typeof Phone | undefined;
let loading: Promise<typeof Phone> | undefined;

/**
 * Loads the phone module (libphonenumber-js and its metadata, ~30 KB gzipped) on first use, for elements
 * that need it only sometimes: their own bundle then does not carry it. Where the store is on the page it
 * has loaded the module already, and this resolves without a fetch. A failed load (a lazy chunk fetched
 * while offline) is tried again on the next call.
 */
export function loadPhone(): Promise<typeof Phone> {
  loading ??= import('./phone.js').then(
    (module) => (loaded = module),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** The phone module once `loadPhone` has loaded it. */
export function loadedPhone(): typeof Phone | undefined {
  return loaded;
}
