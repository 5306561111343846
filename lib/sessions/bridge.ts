// The terminal bridge: one browser WebSocket (protocol.ts) joined to a
// container's streams on the cluster, through client-node's own Attach, Exec
// and Log, with a KubeConfig that acts as the signed-in user. It owns the
// session's limits while a browser is attached (idle timeout, maximum
// duration) and says, once, how the connection ended (onEnd). What an end
// means for the session (the store, clean-up) is the caller's business.

import { Attach, CoreV1Api, Exec, Log, type KubeConfig, type V1ContainerStatus, type V1Pod, type V1Status } from '@kubernetes/client-node';
import { finished } from 'node:stream/promises';
import { PassThrough, type Writable } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { readBrowserFrame } from './browser-frames';
import { ClusterRefusal, clusterSocket, exitCodeOf, refusalMessage } from './cluster-socket';
import { BrowserOutput, HIGH_WATER_BYTES, LOW_WATER_BYTES, type FlowControlOptions } from './flow-control';
import { sessionLimits } from './limits';
import { CLOSE, type ServerMessage } from './protocol';

/** The session's end reasons (lib/store/types.ts) the bridge decides, and two that end only the connection: the browser left, or the session was ended elsewhere (end()). */
export type BridgeEndReason = 'exited' | 'idle-timeout' | 'max-duration' | 'user-ended' | 'cluster-error' | 'browser-closed' | 'ended-elsewhere';

export interface BridgeResult {
  reason: BridgeEndReason;
  exitCode: number | null;
  /** One sentence for people, with the cluster's own words where there are some. */
  message: string;
}

export interface BridgeOptions {
  /** Acts as the signed-in user (lib/k8s/user-client.ts). */
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  /** attach: the container's own process; exec: a new process (command); log: follow the container's output (one-shot sessions). */
  action: 'attach' | 'exec' | 'log';
  command?: string[];
  tty: boolean;
  stdin: boolean;
  idleTimeoutSeconds: number;
  endsAt: Date;
  /** The size the terminal starts with, before the browser's first resize. */
  initialSize?: { cols: number; rows: number };
  /** Flow-control water marks (bytes); defaults in flow-control.ts. */
  flow?: Pick<FlowControlOptions, 'highWater' | 'lowWater'>;
  /** Input arrived from the browser. */
  onActivity?(): void;
  /** Called once, when the browser and the cluster are no longer connected. */
  onEnd(result: BridgeResult): void;
}

export interface TerminalBridge {
  /** The session was ended elsewhere (another socket, the API): sends `shown` as the browser's `ended`, closes with 1000; onEnd gets 'ended-elsewhere'. */
  end(shown: { reason: string; exitCode: number | null; message: string }): void;
  /** Output flow to the browser: bytes sent, the most held for it. */
  readonly output: Pick<BrowserOutput, 'bytesSent' | 'peakBuffered'>;
  /** Resolves with what onEnd received. */
  readonly ended: Promise<BridgeResult>;
}

type ResizableWritable = Writable & { rows: number; columns: number };

export function bridgeTerminal(browser: WebSocket, options: BridgeOptions): TerminalBridge {
  const { namespace, pod, container, action } = options;
  const where = `${container} in ${namespace}/${pod}`;
  let over = false;
  let cluster: WebSocket | undefined;
  let logRequest: AbortController | undefined;
  let status: V1Status | undefined;
  let resolveEnded!: (result: BridgeResult) => void;
  const ended = new Promise<BridgeResult>((resolve) => (resolveEnded = resolve));

  const output = new BrowserOutput(browser, { ...options.flow, pause: () => cluster?.pause(), resume: () => cluster?.resume() });
  const stdout = output.writable() as ResizableWritable;
  if (options.tty) {
    // client-node's TerminalSizeQueue reads rows/columns and listens for 'resize' on stdout.
    stdout.rows = options.initialSize?.rows ?? 24;
    stdout.columns = options.initialSize?.cols ?? 80;
  }
  const stderr = output.writable();
  const stdin = new PassThrough();

  const send = (message: ServerMessage) => {
    if (browser.readyState === browser.OPEN) browser.send(JSON.stringify(message));
  };

  const finish = (result: BridgeResult, shown: { reason: string; exitCode: number | null; message: string } = result) => {
    if (over) return;
    over = true;
    limits.stop();
    output.release();
    browser.off('message', onMessage);
    // Detach only: the container's process goes on (re-attach) unless the caller ends it.
    if (cluster && cluster.readyState !== cluster.CLOSED) cluster.close(1000);
    logRequest?.abort();
    stdin.destroy();
    if (browser.readyState === browser.OPEN) {
      send({ type: 'ended', reason: shown.reason, exitCode: shown.exitCode, message: shown.message });
      browser.close(CLOSE.ended);
    }
    resolveEnded(result);
    options.onEnd(result);
  };

  // ---------------------------------------------------------------- limits

  let lastInputAt = Date.now();
  const limits = sessionLimits({
    idleTimeoutMs: options.stdin ? options.idleTimeoutSeconds * 1000 : 0,
    endsAt: options.endsAt,
    idleFor: () => Date.now() - lastInputAt,
    notice: (message) => send({ type: 'notice', message }),
    end: (reason, message) => finish({ reason, exitCode: null, message }),
  });

  // ---------------------------------------------------------------- browser → cluster

  const onMessage = (data: RawData, isBinary: boolean) => {
    const frame = readBrowserFrame(toBuffer(data), isBinary);
    if (frame.kind === 'refused') return send({ type: 'error', message: frame.message });
    if (frame.kind === 'stdin') {
      if (!options.stdin) return send({ type: 'error', message: 'This session takes no input: it shows the command’s output as it comes.' });
      lastInputAt = Date.now();
      options.onActivity?.();
      stdin.write(frame.data);
      holdInputWhileClusterBehind();
      return;
    }
    const message = frame.message;
    if (message.type === 'end') return finish({ reason: 'user-ended', exitCode: null, message: 'You ended the session.' });
    if (!options.tty || (stdout.rows === message.rows && stdout.columns === message.cols)) return;
    stdout.rows = message.rows;
    stdout.columns = message.cols;
    stdout.emit('resize');
  };
  // The other direction's flow control: a paste flood waits in the browser's socket, not here.
  let inputHeld = false;
  const holdInputWhileClusterBehind = () => {
    const behind = () => (cluster?.bufferedAmount ?? stdin.readableLength) > (options.flow?.highWater ?? HIGH_WATER_BYTES);
    if (inputHeld || !behind()) return;
    inputHeld = true;
    browser.pause();
    const check = () => {
      if (over) return;
      if ((cluster?.bufferedAmount ?? stdin.readableLength) > (options.flow?.lowWater ?? LOW_WATER_BYTES)) return void setTimeout(check, 10);
      inputHeld = false;
      browser.resume();
    };
    setTimeout(check, 10);
  };
  browser.on('message', onMessage);
  browser.on('error', () => {}); // 'close' follows, and ends the bridge
  browser.on('close', () =>
    finish({ reason: 'browser-closed', exitCode: null, message: 'The browser disconnected; the container keeps running and can be re-attached.' }),
  );

  // ---------------------------------------------------------------- cluster → browser

  const exitedOrFailed = async (received: V1Status): Promise<BridgeResult> => {
    let exitCode = exitCodeOf(received);
    if (exitCode === null) {
      return { reason: 'cluster-error', exitCode: null, message: `${capitalized(verbOf(action))} ${where} failed: ${received.message ?? received.reason ?? 'the cluster gave no reason'}.` };
    }
    // An attach ends with Success whatever the process's exit code; the pod's status has it.
    if (action === 'attach') exitCode = (await containerExit(options).catch(() => undefined))?.exitCode ?? exitCode;
    return { reason: 'exited', exitCode, message: `The process exited with code ${exitCode}.` };
  };

  const connect = async () => {
    if (action === 'log') return followLog();
    const socket = clusterSocket(options.kubeConfig, {
      stdin,
      stdout,
      stderr,
      onStatus: (received) => {
        status = received;
        // All output before the verdict: client-node has ended the streams it was given; wait until they are flushed.
        const flushed = [stdout, ...(options.tty ? [] : [stderr])].map((stream) => finished(stream).catch(() => undefined));
        void Promise.all([exitedOrFailed(received), ...flushed]).then(([result]) => finish(result));
      },
    });
    const input = options.stdin ? stdin : null;
    const errors = options.tty ? null : stderr;
    const connection =
      action === 'exec'
        ? await new Exec(options.kubeConfig, socket).exec(namespace, pod, container, options.command ?? [], stdout, errors, input, options.tty)
        : await new Attach(options.kubeConfig, socket).attach(namespace, pod, container, stdout, errors, input, options.tty);
    cluster = connection as unknown as WebSocket;
    if (over) return void cluster.close(1000);
    cluster.on('close', (code: number, reason: Buffer) => {
      if (status) return; // the verdict is on its way (onStatus)
      const why = reason.length > 0 ? `${code} ${reason.toString('utf8')}` : String(code);
      finish({
        reason: 'cluster-error',
        exitCode: null,
        message: `The connection to the cluster closed (${why}) before the process in ${where} ended: the cluster or the network went away. The container may still run; re-attach when the cluster is back.`,
      });
    });
    attached();
  };

  const followLog = async () => {
    const sink = output.writable();
    sink.once('finish', () => void logEnded());
    logRequest = await new Log(options.kubeConfig).log(namespace, pod, container, sink, { follow: true }).catch(async (error: unknown) => {
      // Log keeps only the HTTP status of a refusal; one byte of the same log through the API client brings the cluster's words.
      throw (await logRefusal(options)) ?? error;
    });
    if (over) return void logRequest.abort();
    attached();
  };

  const logEnded = async () => {
    if (over) return;
    const terminated = await containerExit(options).catch(() => undefined);
    if (terminated?.exitCode !== undefined) {
      finish({ reason: 'exited', exitCode: terminated.exitCode, message: `The command exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}.` });
    } else {
      finish({ reason: 'cluster-error', exitCode: null, message: `The cluster stopped sending the output of ${where} before it ended. Reload to follow it again.` });
    }
  };

  const attached = () => {
    send({ type: 'attached', container, tty: options.tty, endsAt: options.endsAt.toISOString(), idleTimeoutSeconds: options.idleTimeoutSeconds });
    limits.start();
  };

  if (browser.readyState !== browser.OPEN) {
    // Gone before the bridge was built: no 'close' will come.
    setImmediate(() => finish({ reason: 'browser-closed', exitCode: null, message: 'The browser disconnected before the bridge was up.' }));
  } else {
    connect().catch((error: unknown) => finish(connectFailure(error, action, where)));
  }

  return {
    end: (shown) => finish({ reason: 'ended-elsewhere', exitCode: shown.exitCode, message: shown.message }, shown),
    output,
    ended,
  };
}

const verbOf = (action: BridgeOptions['action']) => (action === 'log' ? 'follow the output of' : action === 'exec' ? 'exec into' : 'attach to');
const capitalized = (text: string) => text[0].toUpperCase() + text.slice(1);

function connectFailure(error: unknown, action: BridgeOptions['action'], where: string): BridgeResult {
  const verb = verbOf(action);
  if (error instanceof ClusterRefusal) {
    return { reason: 'cluster-error', exitCode: null, message: `The cluster refused to ${verb} ${where} (HTTP ${error.code}): ${error.message}` };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String((error as { message?: unknown } | null)?.message ?? error);
  if (typeof code === 'number') return { reason: 'cluster-error', exitCode: null, message: `The cluster refused to ${verb} ${where} (HTTP ${code}): ${text}` };
  return { reason: 'cluster-error', exitCode: null, message: `Could not reach the cluster to ${verb} ${where}: ${text || 'connection failed'}.` };
}

/** The cluster's own refusal of this container's log, or undefined when it does not refuse. */
async function logRefusal(where: Pick<BridgeOptions, 'kubeConfig' | 'namespace' | 'pod' | 'container'>): Promise<ClusterRefusal | undefined> {
  try {
    await where.kubeConfig.makeApiClient(CoreV1Api).readNamespacedPodLog({ name: where.pod, namespace: where.namespace, container: where.container, limitBytes: 1 });
    return undefined;
  } catch (error) {
    const { code, body } = error as { code?: unknown; body?: unknown };
    if (typeof code !== 'number') return undefined;
    return new ClusterRefusal(code, refusalMessage(code, typeof body === 'string' ? body : JSON.stringify(body ?? '')));
  }
}

/** The container's terminated state, waiting a few seconds for the kubelet to report it after its output ended. */
async function containerExit(where: Pick<BridgeOptions, 'kubeConfig' | 'namespace' | 'pod' | 'container'>): Promise<{ exitCode: number; reason?: string } | undefined> {
  const core = where.kubeConfig.makeApiClient(CoreV1Api);
  for (let attempt = 0; attempt < 20; attempt++) {
    const pod: V1Pod = await core.readNamespacedPod({ name: where.pod, namespace: where.namespace });
    const statuses: V1ContainerStatus[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const terminated = statuses.find((s) => s.name === where.container)?.state?.terminated;
    if (terminated) return { exitCode: terminated.exitCode, reason: terminated.reason };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
