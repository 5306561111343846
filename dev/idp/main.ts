// `npm run dev:idp -- --listen 127.0.0.1:PORT --client-id ID --client-secret S --redirect-uri URI`:
// Ephemera's development OpenID Provider (see server.ts for why plain HTTP is
// acceptable for it and for nothing else). Prints "dev idp ready on URL" once
// it serves; stops on SIGTERM or SIGINT.

import { parseIdpArgs, USAGE } from './args';
import { startDevIdp } from './server';

async function main(): Promise<void> {
  let options;
  try {
    options = parseIdpArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`dev idp: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const idp = await startDevIdp(options);
  process.stdout.write(`dev idp ready on ${idp.url}\n`);
  process.stdout.write(`  client ${options.client.clientId} → ${options.client.redirectUris.join(', ')}; tokens live ${options.tokenTtlSeconds} s\n`);
  // oidc-provider warns on stderr about Node < 22 and its in-memory storage; both are fine for a development IdP that keeps nothing.
  process.stdout.write('  (oidc-provider\'s warnings about the runtime and the in-memory adapter are expected for this development IdP)\n');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`dev idp: ${signal}, stopping\n`);
    void idp.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev idp: ${(error as Error).message}\n`);
  process.exit(1);
});
