import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Attach, Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  isWebSocketUpgrade,
  parseStreamQuery,
  rejectUpgrade,
  serveRemoteCommand,
  spdyNotSupported,
} from './remotecommand';
import { StatusError, badRequest, failure } from './status';
import type { ContainerStream, StreamExit, StreamOptions } from './streams';

// ---------------------------------------------------------------- test doubles

/** A ContainerStream the test drives by hand, recording what the protocol asked of it. */
class FakeStream implements ContainerStream {
  readonly calls: unknown[][] = [];
  private readonly events = new EventEmitter();
  constructor(readonly tty = false) {}
  onStdout(listener: (chunk: Buffer) => void) { this.events.on('stdout', listener); }
  onStderr(listener: (chunk: Buffer) => void) { this.events.on('stderr', listener); }
  onExit(listener: (exit: StreamExit) => void) { this.events.once('exit', listener); }
  writeStdin(chunk: Buffer) { this.calls.push(['writeStdin', chunk.toString()]); }
  closeStdin() { this.calls.push(['closeStdin']); }
  resize(columns: number, rows: number) { this.calls.push(['resize', columns, rows]); }
  detach() { this.calls.push(['detach']); }
  stdout(text: string) { this.events.emit('stdout', Buffer.from(text)); }
  stderr(text: string) { this.events.emit('stderr', Buffer.from(text)); }
  exit(exit: StreamExit) { this.events.emit('exit', exit); }
}

/** A ContainerStream backed by a real local process, as the simulated kubelet runs them. */
function processStream(command: string[]): ContainerStream {
  const child = spawn(command[0], command.slice(1), { stdio: 'pipe' });
  child.stdin.on('error', () => {}); // the process may exit before reading its stdin
  let ended: StreamExit | undefined;
  const exits = new EventEmitter();
  const end = (exit: StreamExit) => {
    if (ended) return;
    ended = exit;
    exits.emit('exit', exit);
  };
  // 'close', not 'exit': only then has all of stdout and stderr been read.
  child.on('close', (code, signal) => end({ kind: 'exited', exitCode: code ?? (signal ? 137 : 1) }));
  child.on('error', (err) => end({ kind: 'error', message: err.message }));
  return {
    tty: false,
    onStdout: (listener) => child.stdout.on('data', listener),
    onStderr: (listener) => child.stderr.on('data', listener),
    onExit: (listener) => (ended ? listener(ended) : exits.once('exit', listener)),
    writeStdin: (chunk) => child.stdin.write(chunk),
    closeStdin: () => child.stdin.end(),
    resize: () => {},
    detach: () => child.kill('SIGKILL'),
  };
}

// ---------------------------------------------------------------- test server

interface Opened {
  kind: 'exec' | 'attach';
  pod: string;
  container?: string;
  command: string[];
  options: StreamOptions;
}

const runningPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'mypod', namespace: 'default', uid: '6f1c0e0a-0000-4000-8000-000000000001', resourceVersion: '1' },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'app',
        ready: true,
        restartCount: 0,
        image: 'busybox',
        imageID: 'busybox@sha256:0',
        state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
        lastState: {},
      },
    ],
  },
};

// The discovery documents kubectl reads before an exec.
const discovery: Record<string, unknown> = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
      { name: 'pods/attach', singularName: '', namespaced: true, kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
    ],
  },
  '/api/v1/namespaces/default/pods/mypod': runningPod,
  '/api/v1/namespaces/default/pods/locked': { ...runningPod, metadata: { ...runningPod.metadata, name: 'locked' } },
};

let port = 0;
let server: http.Server;
const wss = new WebSocketServer({ noServer: true });
/** What the next exec/attach session runs; a real process unless a test says otherwise. */
let opener: (opened: Opened) => ContainerStream;
let opened: Opened[] = [];
let upgrades: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];

function send(res: http.ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url!, 'http://x').pathname;
    const body = discovery[pathname];
    if (req.method === 'GET' && body) return send(res, 200, body);
    send(res, 404, failure(404, 'NotFound', 'the server could not find the requested resource').status);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => {
    upgrades.push({ method: req.method!, url: req.url!, headers: req.headers });
    const url = new URL(req.url!, 'http://x');
    const match = /^\/api\/v1\/namespaces\/default\/pods\/([^/]+)\/(exec|attach)$/.exec(url.pathname);
    if (!match) return rejectUpgrade(socket, failure(404, 'NotFound', 'not found'));
    const [, pod, kind] = match as unknown as [string, string, 'exec' | 'attach'];
    try {
      // The same checks answer the WebSocket request and kubectl's SPDY retry, so a
      // refusal reaches the user whichever of the two they see.
      const query = parseStreamQuery(url, kind);
      if (pod === 'locked') {
        throw failure(403, 'Forbidden', `pods "locked" is forbidden: User "dev" cannot create resource "pods/${kind}"`);
      }
      if (!isWebSocketUpgrade(req)) throw spdyNotSupported();
      serveRemoteCommand(wss, req, socket, head, query.options, () => {
        const session = { kind, pod, ...query };
        opened.push(session);
        return opener(session);
      });
    } catch (err) {
      rejectUpgrade(socket, err as StatusError);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const ws of wss.clients) ws.terminate(); // upgraded sockets are no longer the HTTP server's
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  opener = ({ command }) => processStream(command);
  opened = [];
  upgrades = [];
});

/** Serves `stream` to the next session. */
function serve<T extends ContainerStream>(stream: T): T {
  opener = () => stream;
  return stream;
}

// ---------------------------------------------------------------- a raw client

const EXEC = '/api/v1/namespaces/default/pods/mypod/exec';
const query = (q: string) => `${EXEC}?${q}`;

async function connect(pathAndQuery: string, protocols: string[] = ['v5.channel.k8s.io']) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${pathAndQuery}`, protocols);
  const frames: Array<[number, string]> = [];
  ws.on('message', (data: Buffer, isBinary) => {
    // A text frame would make kubectl abort; -1 makes any test comparing frames fail.
    frames.push(isBinary ? [data[0], data.subarray(1).toString()] : [-1, data.toString()]);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

const frame = (channel: number, text = '') => Buffer.concat([Buffer.of(channel), Buffer.from(text)]);
const json = (value: unknown) => JSON.stringify(value);
const SUCCESS = json({ metadata: {}, status: 'Success' });
const exitStatus = (code: number) =>
  json({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });

/** Sends frames, then a ping, and waits for its pong: by then the server has read the frames. */
async function sendAll(ws: WebSocket, ...frames: Array<Buffer | string>) {
  for (const f of frames) ws.send(f);
  await new Promise<void>((resolve) => {
    ws.once('pong', () => resolve());
    ws.ping();
  });
}

/** Waits until the server has opened the session's stream. */
async function untilOpened() {
  await vi.waitFor(() => expect(opened.length).toBe(1));
}

// ---------------------------------------------------------------- the query

describe('parseStreamQuery', () => {
  const parse = (q: string, kind: 'exec' | 'attach' = 'exec') => parseStreamQuery(new URL(`http://x${EXEC}?${q}`), kind);

  it('reads the repeated command, the container and the streams', () => {
    expect(parse('command=sh&command=-c&command=echo+hi&container=app&stderr=true&stdout=true')).toEqual({
      container: 'app',
      command: ['sh', '-c', 'echo hi'],
      options: { stdin: false, stdout: true, stderr: true, tty: false },
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['TRUE', true],
    ['', true], // as the apiserver converts it: only absent, "false" and "0" are false
    ['false', false],
    ['False', false],
    ['0', false],
  ])('reads stdin=%j as %s', (value, expected) => {
    expect(parse(`command=cat&stdout=true&stdin=${value}`).options.stdin).toBe(expected);
  });

  it('never uses stderr with a TTY', () => {
    expect(parse('command=sh&stdin=1&stdout=1&stderr=1&tty=1').options).toEqual({
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
  });

  it('refuses an exec without a command', () => {
    expect(() => parse('container=app&stdout=true')).toThrowError(
      'you must specify at least one command for the container',
    );
    try {
      parse('stdout=true');
    } catch (err) {
      expect((err as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest', status: 'Failure' });
    }
  });

  it('refuses a session without stdin, stdout or stderr', () => {
    expect(() => parse('command=ls&stdin=false&stdout=0')).toThrowError(
      'you must specify at least one of stdin, stdout, stderr',
    );
    expect(() => parse('command=ls&stderr=true&tty=true')).toThrowError('you must specify at least one of stdin');
  });

  it('takes no command for attach', () => {
    expect(parse('container=app&stdin=true&stdout=true&tty=true&command=x', 'attach')).toEqual({
      container: 'app',
      command: [],
      options: { stdin: true, stdout: true, stderr: false, tty: true },
    });
  });
});

describe('isWebSocketUpgrade and spdyNotSupported', () => {
  const request = (method: string, headers: Record<string, string>) =>
    ({ method, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) }) as http.IncomingMessage;

  it('tells a WebSocket upgrade from SPDY and plain requests', () => {
    expect(isWebSocketUpgrade(request('GET', { Connection: 'Upgrade', Upgrade: 'websocket' }))).toBe(true);
    expect(isWebSocketUpgrade(request('GET', { Connection: 'keep-alive, Upgrade', Upgrade: 'WebSocket' }))).toBe(true);
    expect(isWebSocketUpgrade(request('POST', { Connection: 'Upgrade', Upgrade: 'SPDY/3.1' }))).toBe(false);
    expect(isWebSocketUpgrade(request('GET', { Upgrade: 'websocket' }))).toBe(false);
    expect(isWebSocketUpgrade(request('GET', {}))).toBe(false);
  });

  it('answers a SPDY upgrade with a 400 Status naming the WebSocket protocols', async () => {
    expect(spdyNotSupported().status).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: query('command=ls&stdout=true'),
        headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' },
      });
      req.on('response', resolve);
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    let body = '';
    for await (const chunk of res) body += chunk;
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(body)).toEqual(spdyNotSupported().status);
    expect(JSON.parse(body).message).toContain('v5.channel.k8s.io');
  });
});

// ---------------------------------------------------------------- frames, exactly

describe('serveRemoteCommand over v5.channel.k8s.io', () => {
  it('sends an empty stdout frame, the output, the Success status, then closes with 1000', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=sh&container=app&stdout=true&stderr=true'));
    expect(session.ws.protocol).toBe('v5.channel.k8s.io');
    await untilOpened();
    expect(opened[0]).toEqual({
      kind: 'exec',
      pod: 'mypod',
      container: 'app',
      command: ['sh'],
      options: { stdin: false, stdout: true, stderr: true, tty: false },
    });
    stream.stdout('out\n');
    stream.stderr('err\n');
    stream.stdout('more\n');
    stream.exit({ kind: 'exited', exitCode: 0 });
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [1, 'out\n'],
      [2, 'err\n'],
      [1, 'more\n'],
      [3, SUCCESS],
    ]);
    expect(stream.calls).toEqual([]); // the process ended by itself: nothing to detach
  });

  it('reports a non-zero exit code as NonZeroExitCode with an ExitCode cause', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=false&stdout=true&stderr=true'));
    await untilOpened();
    stream.exit({ kind: 'exited', exitCode: 3 });
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [3, exitStatus(3)],
    ]);
  });

  it('reports a runtime error as an InternalError Status carrying the message as-is', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=sh&stdout=true'));
    await untilOpened();
    stream.exit({ kind: 'error', message: 'container "app" is not running' });
    expect(await session.closed).toBe(1000);
    expect(session.frames.at(-1)).toEqual([
      3,
      json({
        metadata: {},
        status: 'Failure',
        message: 'container "app" is not running',
        reason: 'InternalError',
        details: { causes: [{ message: 'container "app" is not running' }] },
        code: 500,
      }),
    ]);
  });

  it('sends a StatusError thrown by open on channel 3, then closes', async () => {
    opener = () => {
      throw badRequest('container nope is not valid for pod mypod');
    };
    const session = await connect(query('command=sh&container=nope&stdout=true'));
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [3, json({ metadata: {}, status: 'Failure', message: 'container nope is not valid for pod mypod', reason: 'BadRequest', code: 400 })],
    ]);
  });

  it('reports any other error thrown by open as an InternalError', async () => {
    opener = () => {
      throw new Error('no such process table');
    };
    const session = await connect(query('command=sh&stdout=true'));
    expect(await session.closed).toBe(1000);
    expect(JSON.parse(session.frames.at(-1)![1])).toMatchObject({ reason: 'InternalError', code: 500, message: 'no such process table' });
  });

  it('delivers stdin, half-closes it on [255, 0], and drops stdin sent after that', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=cat&stdin=true&stdout=true&stderr=true'));
    await untilOpened();
    await sendAll(session.ws, frame(0, 'hel'), frame(0, 'lo\n'), frame(0), Buffer.of(255, 0), frame(0, 'late'), Buffer.of(255, 0));
    expect(stream.calls).toEqual([['writeStdin', 'hel'], ['writeStdin', 'lo\n'], ['closeStdin']]);
    stream.stdout('hello\n');
    stream.exit({ kind: 'exited', exitCode: 0 });
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [1, 'hello\n'],
      [3, SUCCESS],
    ]);
  });

  it('ignores half-closes of the other streams', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=cat&stdin=true&stdout=true'));
    await untilOpened();
    await sendAll(session.ws, Buffer.of(255, 1), Buffer.of(255, 2), Buffer.of(255, 4), Buffer.of(255, 9), frame(0, 'x'));
    expect(stream.calls).toEqual([['writeStdin', 'x']]);
  });

  it('delivers resizes with a TTY, as kubectl and client-node write them', async () => {
    const stream = serve(new FakeStream(true));
    const session = await connect(query('command=sh&stdin=true&stdout=true&tty=true'));
    await untilOpened();
    await sendAll(
      session.ws,
      frame(4, '{"Width":100,"Height":30}\n'), // kubectl
      frame(4, '{"height":40,"width":120}'), // client-node's TerminalSizeQueue
      frame(4, '{"Width":1,"Height":2}{"Width":3,'), // two objects, one split across frames
      frame(4, '"Height":4}'),
      frame(4, 'not json'),
      frame(4, '{"Width":-1,"Height":5}'),
      frame(4, '{"Width":70000,"Height":5}'),
      frame(4, '{"Width":0,"Height":0}'),
      frame(4, '{"Width":7,"Height":8}'),
    );
    expect(stream.calls).toEqual([
      ['resize', 100, 30],
      ['resize', 120, 40],
      ['resize', 1, 2],
      ['resize', 3, 4],
      ['resize', 7, 8],
    ]);
  });

  it('ignores resizes without a TTY, and never sends stderr with one', async () => {
    const plain = serve(new FakeStream());
    const s1 = await connect(query('command=sh&stdin=true&stdout=true'));
    await untilOpened();
    await sendAll(s1.ws, frame(4, '{"Width":100,"Height":30}'));
    expect(plain.calls).toEqual([]);

    opened = [];
    const tty = serve(new FakeStream(true));
    const s2 = await connect(query('command=sh&stdin=true&stdout=true&stderr=true&tty=true'));
    await untilOpened();
    tty.stderr('never');
    tty.stdout('$ ');
    tty.exit({ kind: 'exited', exitCode: 0 });
    await s2.closed;
    expect(s2.frames).toEqual([
      [1, ''],
      [1, '$ '],
      [3, SUCCESS],
    ]);
  });

  it('sends only the streams asked for; the empty first frame goes to the lowest of them', async () => {
    const errOnly = serve(new FakeStream());
    const s1 = await connect(query('command=sh&stderr=true'));
    await untilOpened();
    errOnly.stdout('dropped');
    errOnly.stderr('kept');
    errOnly.exit({ kind: 'exited', exitCode: 0 });
    await s1.closed;
    expect(s1.frames).toEqual([
      [2, ''],
      [2, 'kept'],
      [3, SUCCESS],
    ]);

    opened = [];
    const inOnly = serve(new FakeStream());
    const s2 = await connect(query('command=sh&stdin=true'));
    await untilOpened();
    inOnly.exit({ kind: 'exited', exitCode: 0 });
    await s2.closed;
    expect(s2.frames).toEqual([
      [3, ''],
      [3, SUCCESS],
    ]);
  });

  it('survives malformed frames: empty, unknown channels, empty stdin, broken resize JSON', async () => {
    const stream = serve(new FakeStream(true));
    const session = await connect(query('command=sh&stdin=true&stdout=true&tty=true'));
    await untilOpened();
    await sendAll(session.ws, Buffer.alloc(0), frame(9, 'x'), Buffer.of(200), frame(3, '{}'), frame(0), frame(4, '{"Width":'), frame(4, '}}}'));
    stream.stdout('still here');
    stream.exit({ kind: 'exited', exitCode: 0 });
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [1, 'still here'],
      [3, SUCCESS],
    ]);
    expect(stream.calls).toEqual([]);
  });

  it('refuses a text frame with a BadRequest Status and lets go of the process', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=cat&stdin=true&stdout=true'));
    await untilOpened();
    session.ws.send('ls\n'); // text, not binary
    expect(await session.closed).toBe(1000);
    expect(JSON.parse(session.frames.at(-1)![1])).toMatchObject({
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message: expect.stringContaining('binary'),
    });
    expect(stream.calls).toEqual([['closeStdin'], ['detach']]);
  });

  it('refuses a close signal that is not two bytes', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=cat&stdout=true'));
    await untilOpened();
    session.ws.send(Buffer.of(255));
    expect(await session.closed).toBe(1000);
    expect(JSON.parse(session.frames.at(-1)![1])).toMatchObject({ reason: 'BadRequest', message: expect.stringContaining('[255, channel]') });
    expect(stream.calls).toEqual([['detach']]);
  });

  it('closes stdin and detaches when the client goes away', async () => {
    const withStdin = serve(new FakeStream());
    const s1 = await connect(query('command=cat&stdin=true&stdout=true'));
    await untilOpened();
    s1.ws.terminate();
    await vi.waitFor(() => expect(withStdin.calls).toEqual([['closeStdin'], ['detach']]));
    withStdin.exit({ kind: 'exited', exitCode: 137 }); // the detached process ends: nobody to tell

    opened = [];
    const noStdin = serve(new FakeStream());
    const s2 = await connect('/api/v1/namespaces/default/pods/mypod/attach?stdout=true&container=app');
    await untilOpened();
    expect(opened[0]).toMatchObject({ kind: 'attach', command: [] });
    s2.ws.close();
    await vi.waitFor(() => expect(noStdin.calls).toEqual([['detach']]));
  });

  it('answers pings', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=sh&stdout=true'));
    await untilOpened();
    const pong = new Promise<string>((resolve) => session.ws.once('pong', (data) => resolve(data.toString())));
    session.ws.ping('are you there');
    expect(await pong).toBe('are you there');
    session.ws.close();
  });

  it('keeps serving after all of the above', async () => {
    const session = await connect(query('command=sh&command=-c&command=echo+ok&stdout=true'));
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [1, 'ok\n'],
      [3, SUCCESS],
    ]);
  });
});

describe('serveRemoteCommand: subprotocols', () => {
  it('prefers v5 whatever order the client offers them in', async () => {
    const session = await connect(query('command=true&stdout=true'), ['channel.k8s.io', 'v4.channel.k8s.io', 'v5.channel.k8s.io']);
    expect(session.ws.protocol).toBe('v5.channel.k8s.io');
    await session.closed;
  });

  it('speaks v4: a JSON Status on channel 3, and 255 is no close signal', async () => {
    const stream = serve(new FakeStream());
    const session = await connect(query('command=cat&stdin=true&stdout=true&stderr=true'), ['v4.channel.k8s.io', 'v3.channel.k8s.io']);
    expect(session.ws.protocol).toBe('v4.channel.k8s.io');
    await untilOpened();
    await sendAll(session.ws, frame(0, 'a'), Buffer.of(255, 0), Buffer.of(255), frame(0, 'b'));
    expect(stream.calls).toEqual([['writeStdin', 'a'], ['writeStdin', 'b']]);
    stream.stdout('o');
    stream.stderr('e');
    stream.exit({ kind: 'exited', exitCode: 42 });
    expect(await session.closed).toBe(1000);
    expect(session.frames).toEqual([
      [1, ''],
      [1, 'o'],
      [2, 'e'],
      [3, exitStatus(42)],
    ]);
  });

  it('speaks v1 (channel.k8s.io, or no subprotocol): nothing on success, the message on failure', async () => {
    const ok = serve(new FakeStream());
    const s1 = await connect(query('command=true&stdout=true'), ['channel.k8s.io']);
    expect(s1.ws.protocol).toBe('channel.k8s.io');
    await untilOpened();
    ok.exit({ kind: 'exited', exitCode: 0 });
    expect(await s1.closed).toBe(1000);
    expect(s1.frames).toEqual([[1, '']]);

    opened = [];
    const failed = serve(new FakeStream());
    const s2 = await connect(query('command=false&stdout=true'), []);
    expect(s2.ws.protocol).toBe('');
    await untilOpened();
    failed.exit({ kind: 'exited', exitCode: 2 });
    expect(await s2.closed).toBe(1000);
    expect(s2.frames).toEqual([
      [1, ''],
      [3, 'command terminated with non-zero exit code: 2'],
    ]);
  });

  it('refuses a subprotocol it does not speak with a 400 Status naming those it does', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${query('command=true&stdout=true')}`, ['v3.channel.k8s.io', 'base64.channel.k8s.io']);
    const res = await new Promise<http.IncomingMessage>((resolve) => ws.on('unexpected-response', (_req, r) => resolve(r)));
    ws.on('error', () => {});
    let body = '';
    for await (const chunk of res) body += chunk;
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'requested protocol(s) are not supported: [v3.channel.k8s.io base64.channel.k8s.io]; ' +
        'supports [v5.channel.k8s.io v4.channel.k8s.io channel.k8s.io]',
      reason: 'BadRequest',
      code: 400,
    });
    expect(opened).toEqual([]);
  });
});

// ---------------------------------------------------------------- @kubernetes/client-node

describe('@kubernetes/client-node', () => {
  const kubeConfig = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'dev', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'dev', token: 'fake-token' }],
      contexts: [{ name: 'dev', cluster: 'dev', user: 'dev', namespace: 'default' }],
      currentContext: 'dev',
    });
    return kc;
  };
  const collector = () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { stream, text: () => text };
  };

  it('Exec: captures stdout and stderr and hands the exit status to its callback', async () => {
    const out = collector();
    const err = collector();
    const status = new Promise<V1Status>((resolve) => {
      void new Exec(kubeConfig()).exec(
        'default',
        'mypod',
        'app',
        ['sh', '-c', 'echo out; echo err >&2; exit 3'],
        out.stream,
        err.stream,
        null,
        false,
        resolve,
      );
    });
    expect(await status).toEqual(JSON.parse(exitStatus(3)));
    expect(out.text()).toBe('out\n');
    expect(err.text()).toBe('err\n');
    expect(upgrades[0].headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io'); // what we let ws answer
    expect(opened[0].options).toEqual({ stdin: false, stdout: true, stderr: true, tty: false });
  });

  it('Exec: sends stdin and closes it at its end', async () => {
    const out = collector();
    const status = new Promise<V1Status>((resolve) => {
      void new Exec(kubeConfig()).exec(
        'default',
        'mypod',
        'app',
        ['cat'],
        out.stream,
        null,
        Readable.from([Buffer.from('hello\n')]),
        false,
        resolve,
      );
    });
    expect(await status).toEqual({ metadata: {}, status: 'Success' });
    expect(out.text()).toBe('hello\n');
  });

  it('Attach: carries the container output', async () => {
    const stream = serve(new FakeStream());
    const out = collector();
    const ws = await new Attach(kubeConfig()).attach('default', 'mypod', 'app', out.stream, null, null, false);
    await vi.waitFor(() => expect(opened.length).toBe(1));
    expect(opened[0]).toMatchObject({ kind: 'attach', container: 'app', options: { stdin: false, stdout: true, stderr: false, tty: false } });
    stream.stdout('log line\n');
    stream.exit({ kind: 'exited', exitCode: 0 });
    await new Promise((resolve) => ws.addEventListener('close', resolve));
    expect(out.text()).toBe('log line\n');
  });
});

// ---------------------------------------------------------------- the real kubectl

describe('kubectl', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'remotecommand-'));
    config = path.join(dir, 'kubeconfig');
    writeFileSync(
      config,
      json({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'dev', cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: 'dev', user: { token: 'fake-token' } }],
        contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'dev', namespace: 'default' } }],
        'current-context': 'dev',
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function kubectl(args: string[], stdin?: string) {
    return run('kubectl', ['--kubeconfig', config, '--cache-dir', path.join(dir, 'cache'), ...args], stdin);
  }

  it('exec: prints stdout and stderr and exits with the command\'s code', async () => {
    const result = await kubectl(['exec', 'mypod', '-c', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toContain('err\n');
    expect(result.code).toBe(3);
    const [upgrade] = upgrades;
    expect(upgrade.method).toBe('GET');
    expect(upgrade.url).toBe(`${EXEC}?command=sh&command=-c&command=echo+out%3B+echo+err+%3E%262%3B+exit+3&container=app&stderr=true&stdout=true`);
    expect(upgrade.headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io');
  });

  it('exec -i: carries stdin and its close', async () => {
    const result = await kubectl(['exec', '-i', 'mypod', '--', 'cat'], 'hello\n');
    expect(result).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(opened[0].options).toEqual({ stdin: true, stdout: true, stderr: true, tty: false });
  });

  it('exec: shows a refusal, as the same checks answer its SPDY retry', async () => {
    const result = await kubectl(['exec', 'locked', '--', 'true']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error from server (Forbidden): pods "locked" is forbidden');
    expect(upgrades.map((u) => [u.method, u.headers.upgrade])).toEqual([
      ['GET', 'websocket'],
      ['POST', 'SPDY/3.1'],
    ]);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('exec -it: sends its terminal size on channel 4', async () => {
    const stream = serve(new FakeStream(true));
    const resized = vi.fn();
    stream.resize = (columns, rows) => {
      resized(columns, rows);
      stream.stdout('resized\r\n');
      stream.exit({ kind: 'exited', exitCode: 0 });
    };
    // script gives kubectl a terminal, so that it asks for a TTY.
    const result = await run('script', [
      '-qec',
      `stty cols 100 rows 30; kubectl --kubeconfig ${config} --cache-dir ${dir}/cache exec -it mypod -- sh`,
      '/dev/null',
    ]);
    expect(resized).toHaveBeenCalledWith(100, 30);
    expect(result.stdout).toContain('resized');
    expect(opened[0].options).toEqual({ stdin: true, stdout: true, stderr: false, tty: true });
  });
});

function run(command: string, args: string[], stdin?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
