// Who may open a WebSocket: the same session cookie and the same gate as every
// page and API route (lib/auth/gate.ts), decided before the handshake, so a
// refused upgrade is a plain HTTP 401/403 and never becomes a WebSocket.

import type { IncomingMessage } from 'node:http';
import { parseCookieHeader } from '@/lib/auth/cookies';
import { recordDenial } from '@/lib/auth/denials';
import { decide } from '@/lib/auth/gate';
import { readSession, type SessionSettings } from '@/lib/auth/session-token';
import type { EphemeraUser } from '@/lib/auth/types';

export type UpgradeDecision = { ok: true; user: EphemeraUser } | { ok: false; status: 401 | 403; message: string };

export type AuthorizeUpgrade = (request: IncomingMessage) => Promise<UpgradeDecision>;

export function sessionAuthorizer(settings: SessionSettings & { publicUrl: string }): AuthorizeUpgrade {
  return async (request) => {
    const pathname = new URL(request.url ?? '/', 'http://upgrade.invalid').pathname;
    const session = await readSession(parseCookieHeader(request.headers.cookie), settings);
    const gate = decide({ method: 'GET', pathname, origin: request.headers.origin ?? null, upgrade: true }, session, settings.publicUrl);
    if (gate.kind === 'allow' && gate.user) return { ok: true, user: gate.user };
    if (gate.kind === 'allow') return { ok: false, status: 401, message: 'WebSockets need a session.' };
    recordDenial({ user: gate.user, route: `UPGRADE ${pathname}`, reason: gate.reason, detail: gate.detail });
    return { ok: false, status: gate.status, message: gate.message };
  };
}
