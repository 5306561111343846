// The SIEM sinks against real things: a PGlite store in memory, a file in a
// temporary folder, and an HTTP server on 127.0.0.1 that this file starts.

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfigFile } from '@/lib/config/file';
import { IN_MEMORY, openStore, type Store } from '@/lib/store';
import { eventJson } from '@/lib/store/audit';
import type { NewAuditEvent } from './chain';
import { fileSink, recorderWithSink, webhookSink } from './sink';

const events: NewAuditEvent[] = [
  { actor: 'alice', action: 'auth.signin' },
  { actor: 'alice', action: 'session.start', cluster: 'dev', namespace: 'shop', target: 'checkout-0', details: { image: 'busybox:1.36', reason: 'é "quoted"' } },
  { actor: null, action: 'policy.load', details: { nested: { b: [1, null], a: true } } },
];

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY });
});
afterAll(async () => {
  await store?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(check()).toBe(true);
};

describe('the audit.sink configuration', () => {
  it('takes a file or a webhook with headers, nothing else', () => {
    expect(parseConfigFile('audit:\n  sink:\n    file: /var/log/ephemera/audit.jsonl\n', 'e.yaml').audit).toEqual({ sink: { file: '/var/log/ephemera/audit.jsonl' } });
    const webhook = parseConfigFile('audit:\n  sink:\n    webhook:\n      url: https://siem.example.com/in\n      headers: { Authorization: Bearer x }\n', 'e.yaml').audit;
    expect(webhook).toEqual({ sink: { webhook: { url: 'https://siem.example.com/in', headers: { Authorization: 'Bearer x' } } } });
    expect(parseConfigFile('', 'e.yaml').audit).toEqual({});
    expect(() => parseConfigFile('audit:\n  sink:\n    syslog: x\n', 'e.yaml')).toThrow('e.yaml:3: audit.sink: expected either file: /path/to/audit.jsonl or webhook: { url, headers }');
    expect(() => parseConfigFile('audit:\n  sink:\n    webhook: { url: ftp://x }\n', 'e.yaml')).toThrow('audit.sink');
  });
});

describe('the file sink', () => {
  it('writes each stored event as one line, and the lines equal the export', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-sink-')), 'audit.jsonl');
    const record = recorderWithSink((event) => store.audit.append(event), fileSink(file));
    for (const event of events) await record(event);
    let exported = '';
    for await (const line of store.audit.exportJsonLines()) exported += line;
    const lines = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line));
    await until(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n').length === events.length + 1);
    // Equal as JSON: within details, jsonb (the export) orders keys its own way.
    expect(lines(fs.readFileSync(file, 'utf8'))).toEqual(lines(exported));
  });

  it('logs a line it cannot write, loudly, and the recorder still resolves', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => (written.push(String(line)), true));
    const record = recorderWithSink((event) => store.audit.append(event), fileSink('/nonexistent-folder/audit.jsonl'));
    const stored = await record(events[0]);
    await until(() => written.length > 0);
    expect(written[0]).toMatch(new RegExp(`^Ephemera: AUDIT EVENT ${(stored as { seq: number }).seq} \\(auth.signin\\) NOT COPIED TO /nonexistent-folder/audit.jsonl: ENOENT`));
  });
});

describe('the webhook sink', () => {
  let server: http.Server;
  let url: string;
  /** What the server answers next (200 once the list is used up), and what it got. */
  let answers: number[] = [];
  let received: { body: string; headers: http.IncomingHttpHeaders }[] = [];
  let hold: Promise<void> | undefined;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', async () => {
        received.push({ body, headers: request.headers });
        await hold;
        response.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/siem/in?token=secret`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    answers = [];
    received = [];
    hold = undefined;
  });

  it('POSTs each stored event as its export line, with the configured headers, and tries again after a 500', async () => {
    answers = [500];
    const record = recorderWithSink((event) => store.audit.append(event), webhookSink({ url, headers: { Authorization: 'Bearer abc' } }, { retryDelayMs: 10 }));
    const stored = (await record(events[1])) as Parameters<typeof eventJson>[0];
    await until(() => received.length === 2);
    expect(received.map((r) => r.body)).toEqual([eventJson(stored), eventJson(stored)]);
    expect(received[1].headers).toMatchObject({ authorization: 'Bearer abc', 'content-type': 'application/json' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(2);
  });

  it('does not keep the action waiting while the webhook is slow', async () => {
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const record = recorderWithSink((event) => store.audit.append(event), webhookSink({ url }));
    await record(events[0]);
    await until(() => received.length === 1);
    release();
  });

  it('gives up after the retries and says so on stderr, without the URL path or query', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => (written.push(String(line)), true));
    answers = [503, 503, 503];
    const record = recorderWithSink((event) => store.audit.append(event), webhookSink({ url }, { retries: 2, retryDelayMs: 5 }));
    const stored = (await record(events[2])) as { seq: number };
    await until(() => written.length > 0);
    expect(received).toHaveLength(3);
    expect(written).toEqual([`Ephemera: AUDIT EVENT ${stored.seq} (policy.load) NOT COPIED TO ${new URL(url).origin}: answered 503, after 3 tries\n`]);
  });
});
