// Where stored audit events are copied for a SIEM (the `audit.sink` section of
// ephemera.yaml): a file that gets one JSON line per event, the same line as
// the export (GET /api/audit/export), or a webhook that gets each event POSTed
// as that JSON. The store stays the record; a sink is a copy, so delivering to
// it never delays or fails the person's action: the server's recorder hands
// the stored event over and returns (server/main.ts). A file write that fails,
// or a webhook that still refuses after a few retries, is logged loudly.

import fs from 'node:fs/promises';
import type { AuditSinkConfig } from '@/lib/config/file';
import { eventJson } from '@/lib/store/audit';
import type { AuditEvent, NewAuditEvent } from './chain';
import type { AuditRecorder } from './record';

/** Takes a stored event and delivers it in the background. */
export type AuditSink = (event: AuditEvent) => void;

const complain = (event: AuditEvent, where: string, why: string) =>
  process.stderr.write(`Ephemera: AUDIT EVENT ${event.seq} (${event.action}) NOT COPIED TO ${where}: ${why}\n`);

/** Appends each event to `path` as one JSON line, in the order they come. */
export function fileSink(path: string): AuditSink {
  let queue = Promise.resolve();
  return (event) => {
    const line = `${eventJson(event)}\n`;
    queue = queue.then(() =>
      fs.appendFile(path, line).catch((error: Error) => {
        complain(event, path, error.message);
      }),
    );
  };
}

export interface WebhookOptions {
  /** Tries after the first (default 4), waiting retryDelayMs, then twice that, and so on. */
  retries?: number;
  retryDelayMs?: number;
  /** Each try's time limit (default 10 s). */
  timeoutMs?: number;
}

/** POSTs each event as JSON to `url`; a failure (no answer, or not 2xx) is retried with backoff, then logged. */
export function webhookSink(webhook: { url: string; headers?: Record<string, string> }, options: WebhookOptions = {}): AuditSink {
  const { retries = 4, retryDelayMs = 1000, timeoutMs = 10_000 } = options;
  const where = new URL(webhook.url).origin; // never the path or query, which may hold a token
  const post = async (body: string) => {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: { ...webhook.headers, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`answered ${response.status}`);
  };
  return (event) => {
    const body = eventJson(event);
    void (async () => {
      let why = '';
      for (let attempt = 0; attempt <= retries; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)).unref());
        try {
          return await post(body);
        } catch (error) {
          why = (error as Error).message;
        }
      }
      complain(event, where, `${why}, after ${retries + 1} tries`);
    })();
  };
}

export function auditSink(config: AuditSinkConfig | undefined): AuditSink | undefined {
  if (!config) return undefined;
  return 'file' in config ? fileSink(config.file) : webhookSink(config.webhook);
}

/** A recorder that stores each event, then hands the stored event to the sink (if any) without waiting for it. */
export function recorderWithSink(append: (event: NewAuditEvent) => Promise<AuditEvent>, sink: AuditSink | undefined): AuditRecorder {
  return async (event) => {
    const stored = await append(event);
    sink?.(stored);
    return stored;
  };
}
