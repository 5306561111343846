// The dev IdP's command line, parsed into options (pure, so its errors are tested).

import { parseArgs } from 'node:util';
import type { DevIdpOptions } from './server';

export const USAGE =
  'usage: npm run dev:idp -- --listen 127.0.0.1:PORT --client-id ID --client-secret SECRET --redirect-uri URI [--redirect-uri URI ...] [--token-ttl SECONDS]';

export const DEFAULT_TOKEN_TTL_SECONDS = 600;

export function parseIdpArgs(argv: string[]): DevIdpOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'token-ttl': { type: 'string' },
    },
    strict: true,
  });
  const missing = (['listen', 'client-id', 'client-secret', 'redirect-uri'] as const).filter((name) => !values[name]);
  if (missing.length > 0) throw new Error(`missing ${missing.map((name) => `--${name}`).join(', ')}`);

  const listen = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(values.listen!);
  if (!listen || Number(listen[2]) > 65535) throw new Error(`--listen must be HOST:PORT, e.g. 127.0.0.1:5556 (got "${values.listen}")`);

  const redirectUris = values['redirect-uri']!;
  for (const uri of redirectUris) {
    if (!URL.canParse(uri) || !/^https?:$/.test(new URL(uri).protocol)) throw new Error(`--redirect-uri must be an http(s) URL (got "${uri}")`);
  }

  const ttl = values['token-ttl'] ?? String(DEFAULT_TOKEN_TTL_SECONDS);
  if (!/^\d+$/.test(ttl) || Number(ttl) < 1) throw new Error(`--token-ttl must be a whole number of seconds (got "${ttl}")`);

  return {
    host: listen[1].replace(/^\[|\]$/g, ''),
    port: Number(listen[2]),
    client: { clientId: values['client-id']!, clientSecret: values['client-secret']!, redirectUris },
    tokenTtlSeconds: Number(ttl),
  };
}
