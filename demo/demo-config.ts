/** Set by demo/vite.config.ts from what `npm start` passes (server URL, store id, a token per till). */
declare const __POS_DEMO_CONFIG__: { server: string; storeId: string; tokens: Record<string, string> };

const params = new URLSearchParams(location.search);

/**
 * The demo's store and server. `?store=…&token=…` open another store (the end-to-end tests give each
 * test its own store and a token minted for it).
 */
export const demoConfig = {
  server: params.get('server') ?? __POS_DEMO_CONFIG__.server,
  storeId: params.get('store') ?? __POS_DEMO_CONFIG__.storeId,
  tokens: __POS_DEMO_CONFIG__.tokens,
};

/** The till a page plays, from `?till=till-2` (default till-1). */
export function tillFromUrl(fallback = 'till-1'): string {
  return params.get('till') ?? fallback;
}

/** Configures a <pos-customers> element for a till of the demo store. */
export function connect(element: HTMLElement, till: string, name = till.replace('till-', 'Till ')): void {
  element.setAttribute('store', demoConfig.storeId);
  element.setAttribute('till', till);
  element.setAttribute('till-name', name);
  if (demoConfig.server) element.setAttribute('server', demoConfig.server);
  const token = params.get(`token-${till}`) ?? params.get('token') ?? demoConfig.tokens[till];
  if (token) element.setAttribute('token', token);
}
