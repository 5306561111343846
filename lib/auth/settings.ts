// Everything sign-in and access checks need at run time, assembled once per
// process from the environment (lib/config/sso.ts) and the configuration file
// (lib/config/file.ts). Throws ConfigError when either is wrong; the server
// calls it at startup so that happens before anyone signs in.

import { config } from '@/lib/config/env';
import { loadConfigFile, type FileConfig } from '@/lib/config/file';
import { ssoConfig, type SsoConfig } from '@/lib/config/sso';
import type { Policy } from '@/lib/policy/schema';
import { authCookies, type AuthCookies } from './cookies';
import type { SessionSettings } from './session-token';

export interface AuthSettings extends SessionSettings {
  sso: SsoConfig;
  cookies: AuthCookies;
  file: FileConfig;
  /** Whether the configuration file exists; without one nobody holds a role. */
  fileFound: boolean;
  /** The debug sessions' guardrails (the file's `policy:` section, defaults when absent). */
  policy: Policy;
}

export function buildAuthSettings(sso: SsoConfig, file: { config: FileConfig; found: boolean }): AuthSettings {
  const cookies = authCookies(sso.publicUrl);
  return { sso, cookies, file: file.config, fileFound: file.found, cookieName: cookies.sessionToken.name, secret: sso.sessionSecret, auth: file.config.auth, policy: file.config.policy };
}

let loaded: AuthSettings | undefined;

export function authSettings(): AuthSettings {
  loaded ??= buildAuthSettings(ssoConfig(), loadConfigFile(config().configFile));
  return loaded;
}
