// A terminal session's hub: the one connection to the container's streams on
// the cluster (client-node's own Attach, Exec and Log, with a KubeConfig that
// acts as the session's user), shared by every browser watching the session
// (terminal-viewer.ts). It owns what outlives any one browser: the session's
// limits (idle timeout, maximum duration), the recent output (output-ring.ts)
// for a browser that joins later, and the reconnect grace period.
//
// A browser leaving does not detach from the cluster: with stdinOnce a
// detach ends the container's shell, so a reload could never come back to
// it. Once the last browser of an interactive session has gone, the hub
// waits `reconnectGraceMs` for one to come back (the same process, the same
// cluster connection), then detaches and the session ends 'detached'. A
// one-shot session's log is different: a new follow shows all of it from the
// start, so the hub stops following when its last browser leaves and the
// session goes on (its container's own exit ends it).
//
// It says, once, how it ended (onEnd); what an end means for the session (the
// store, clean-up) is the caller's business.

import { Attach, CoreV1Api, Exec, Log, type KubeConfig, type V1ContainerStatus, type V1Pod, type V1Status } from '@kubernetes/client-node';
import { finished } from 'node:stream/promises';
import { PassThrough, Writable, type Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { ClusterRefusal, clusterSocket, exitCodeOf, refusalMessage } from './cluster-socket';
import type { FlowControlOptions } from './flow-control';
import { sessionLimits } from './limits';
import { OUTPUT_RING_BYTES, OutputRing } from './output-ring';
import { TerminalViewer, type ViewerHub } from './terminal-viewer';

/**
 * The session's end reasons (lib/store/types.ts) the hub decides, and two that
 * end only the hub: its one-shot log's last browser left, or the session was
 * ended elsewhere (end()).
 */
export type HubEndReason = 'exited' | 'idle-timeout' | 'max-duration' | 'user-ended' | 'cluster-error' | 'detached' | 'browsers-left' | 'ended-elsewhere';

export interface HubResult {
  reason: HubEndReason;
  exitCode: number | null;
  /** One sentence for people, with the cluster's own words where there are some. */
  message: string;
}

export type EndedShown = { reason: string; exitCode: number | null; message: string };

export interface HubOptions {
  /** Acts as the session's user (lib/k8s/user-client.ts). */
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
  /** How long the cluster connection outlives the last browser (attach and exec); 0 detaches at once. */
  reconnectGraceSeconds: number;
  /** The size the terminal starts with, before a browser's first resize. */
  initialSize?: { cols: number; rows: number };
  /** Flow-control water marks (bytes), per browser; defaults in flow-control.ts. */
  flow?: Pick<FlowControlOptions, 'highWater' | 'lowWater'>;
  /** Recent output kept for browsers that join later; default OUTPUT_RING_BYTES. */
  ringBytes?: number;
  /** Input arrived from a browser. */
  onActivity?(): void;
  /** Told everything the terminal is sent, what is typed, and each resize: the session's recorder (lib/recordings/recorder.ts). */
  recorder?: HubRecorder;
  /** Called once, when the hub has let go of the cluster and of every browser. */
  onEnd(result: HubResult): void;
}

export interface HubRecorder {
  output(bytes: Uint8Array): void;
  input(bytes: Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** The recorder says when the store is behind: the cluster's stream pauses until it has caught up. */
  onBackPressure(listener: (behind: boolean) => void): void;
}

export interface TerminalHub {
  /** Adds a browser: `attached` once the cluster is connected, the recent output, then the live stream. `size` is its terminal's (the latest wins). */
  join(browser: WebSocket, size?: { cols: number; rows: number }): void;
  /** The session was ended elsewhere (the API, the starter): every browser gets `shown` as `ended`; onEnd gets 'ended-elsewhere'. */
  end(shown: EndedShown): void;
  /** A notice to every browser connected now. */
  notice(message: string): void;
  /** Browsers connected now. */
  readonly viewers: number;
  readonly over: boolean;
  /** Output flow to browsers: bytes sent (all of them), the most one browser socket held unsent. */
  readonly output: { readonly bytesSent: number; readonly peakBuffered: number };
  /** Resolves with what onEnd received. */
  readonly ended: Promise<HubResult>;
}

type ResizableWritable = Writable & { rows: number; columns: number };

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function openTerminalHub(options: HubOptions): TerminalHub {
  const { namespace, pod, container, action } = options;
  const where = `${container} in ${namespace}/${pod}`;
  const viewers = new Set<TerminalViewer>();
  const ring = new OutputRing(options.ringBytes ?? OUTPUT_RING_BYTES);
  let over = false;
  let connected = false;
  let cluster: WebSocket | undefined;
  let logRequest: AbortController | undefined;
  let status: V1Status | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  /** ring.total when the last browser left: what a returning one missed starts here. */
  let leftAt: number | undefined;
  /** What browsers were told at the end; for one that joins just then. */
  let endedShown: EndedShown | undefined;
  let sentByGone = 0;
  let peakBuffered = 0;
  let resolveEnded!: (result: HubResult) => void;
  const ended = new Promise<HubResult>((resolve) => (resolveEnded = resolve));

  // ---------------------------------------------------------------- cluster → browsers

  // Browsers behind (their own high-water mark) pause the cluster; it resumes when none is.
  let browsersBehind = 0;
  const pauseCluster = () => {
    if (browsersBehind++ === 0) cluster?.pause();
  };
  const resumeCluster = () => {
    if (browsersBehind > 0 && --browsersBehind === 0) cluster?.resume();
  };
  // The recording counts as one more reader that may be behind.
  options.recorder?.onBackPressure((behind) => (behind ? pauseCluster() : resumeCluster()));

  // With no browser connected the ring takes the output and drops its oldest
  // bytes past its size, rather than pausing the cluster: a process left
  // printing (a build, a `tail -f`) goes on as it would in tmux, and a
  // returning browser is told how much it missed. Memory stays bounded either way.
  const toBrowsers = (): Writable =>
    new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        ring.append(chunk);
        options.recorder?.output(chunk);
        let waiting = 1;
        const done = () => {
          if (--waiting === 0) callback();
        };
        for (const viewer of viewers) {
          if (!viewer.ready) continue;
          waiting++;
          viewer.write(chunk, done);
        }
        done();
      },
    });
  const stdout = toBrowsers() as ResizableWritable;
  if (options.tty) {
    // client-node's TerminalSizeQueue reads rows/columns and listens for 'resize' on stdout.
    stdout.rows = options.initialSize?.rows ?? 24;
    stdout.columns = options.initialSize?.cols ?? 80;
  }
  const stderr = toBrowsers();
  const stdin = new PassThrough();

  const resize = (cols: number, rows: number) => {
    if (!options.tty || (stdout.rows === rows && stdout.columns === cols)) return;
    stdout.rows = rows;
    stdout.columns = cols;
    stdout.emit('resize');
    options.recorder?.resize(cols, rows);
  };

  /** `attached`, what the browser missed while nobody was connected (since `awayFrom`), the recent output; live output follows. */
  const welcome = (viewer: TerminalViewer, awayFrom?: number) => {
    viewer.send({ type: 'attached', container, tty: options.tty, endsAt: options.endsAt.toISOString(), idleTimeoutSeconds: options.idleTimeoutSeconds });
    const dropped = awayFrom === undefined ? 0 : ring.droppedSince(awayFrom);
    if (dropped > 0) {
      viewer.send({ type: 'notice', message: `${dropped} bytes of output were dropped while you were away: Ephemera keeps the last ${Math.round(ring.capacity / 1024)} KiB.` });
    }
    for (const chunk of ring.contents()) viewer.write(chunk, () => {});
    viewer.ready = true;
  };

  const finish = (result: HubResult, shown: EndedShown = result) => {
    if (over) return;
    over = true;
    endedShown = shown;
    limits.stop();
    if (graceTimer) clearTimeout(graceTimer);
    for (const viewer of viewers) {
      viewer.close(shown);
      sentByGone += viewer.output.bytesSent;
      peakBuffered = Math.max(peakBuffered, viewer.output.peakBuffered);
    }
    viewers.clear();
    // Detach only: the container's process goes on (re-attach) unless stdinOnce or the caller ends it.
    if (cluster && cluster.readyState !== cluster.CLOSED) cluster.close(1000);
    logRequest?.abort();
    stdin.destroy();
    resolveEnded(result);
    options.onEnd(result);
  };

  // ---------------------------------------------------------------- limits

  let lastInputAt = Date.now();
  const limits = sessionLimits({
    idleTimeoutMs: options.stdin ? options.idleTimeoutSeconds * 1000 : 0,
    endsAt: options.endsAt,
    idleFor: () => Date.now() - lastInputAt,
    notice: (message) => viewers.forEach((viewer) => viewer.send({ type: 'notice', message })),
    end: (reason, message) => finish({ reason, exitCode: null, message }),
  });

  // ---------------------------------------------------------------- browsers → cluster

  const viewerHub: ViewerHub = {
    input: (data) => {
      if (!options.stdin) return false;
      lastInputAt = Date.now();
      options.onActivity?.();
      stdin.write(data);
      options.recorder?.input(data);
      return true;
    },
    resize,
    end: () => finish({ reason: 'user-ended', exitCode: null, message: 'You ended the session.' }),
    left: (viewer) => {
      viewers.delete(viewer);
      sentByGone += viewer.output.bytesSent;
      peakBuffered = Math.max(peakBuffered, viewer.output.peakBuffered);
      if (viewers.size === 0) lastBrowserLeft();
    },
    inputBacklog: () => cluster?.bufferedAmount ?? stdin.readableLength,
    pause: pauseCluster,
    resume: resumeCluster,
  };

  const lastBrowserLeft = () => {
    if (over) return;
    leftAt = ring.total;
    if (action === 'log') {
      return finish({ reason: 'browsers-left', exitCode: null, message: 'The browser disconnected; the command goes on, and its output can be followed again from the start.' });
    }
    const seconds = options.reconnectGraceSeconds;
    const detached = () =>
      finish({
        reason: 'detached',
        exitCode: null,
        message:
          action === 'exec'
            ? `No browser was connected for ${seconds} s (the reconnect grace period): Ephemera closed the exec into ${where}, which ends its process.`
            : `No browser was connected for ${seconds} s (the reconnect grace period): Ephemera detached from ${where}; a shell started with stdinOnce ends with it.`,
      });
    graceTimer = setTimeout(detached, Math.min(seconds * 1000, MAX_TIMER_MS));
  };

  const join = (browser: WebSocket, size?: { cols: number; rows: number }) => {
    const viewer = new TerminalViewer(browser, viewerHub, options.flow);
    if (over) return viewer.close(endedShown!);
    if (graceTimer) clearTimeout(graceTimer);
    graceTimer = undefined;
    // Only the first browser back was away; a second tab joining a watched session missed nothing.
    const awayFrom = viewers.size === 0 ? leftAt : undefined;
    leftAt = undefined;
    viewers.add(viewer);
    if (size) resize(size.cols, size.rows);
    if (connected) welcome(viewer, awayFrom);
  };

  const exitedOrFailed = async (received: V1Status): Promise<HubResult> => {
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
    if (browsersBehind > 0) cluster.pause();
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
    const sink = toBrowsers();
    // Log pipes the response into the sink and says no more: a response cut
    // off (the cluster gone mid-stream) errors the response, never the sink,
    // so 'finish' alone would wait forever. The source comes with 'pipe'.
    let followEnded = false;
    const followEnd = (cutOff?: Error) => {
      if (followEnded) return;
      followEnded = true;
      void logEnded(cutOff);
    };
    sink.once('finish', () => followEnd());
    sink.once('pipe', (response: Readable) => {
      response.once('error', (error: Error) => followEnd(error));
      response.once('close', () => {
        if (!response.readableEnded) followEnd(new Error('the response stopped before its end'));
      });
    });
    logRequest = await new Log(options.kubeConfig).log(namespace, pod, container, sink, { follow: true }).catch(async (error: unknown) => {
      // Log keeps only the HTTP status of a refusal; one byte of the same log through the API client brings the cluster's words.
      throw (await logRefusal(options)) ?? error;
    });
    if (over) return void logRequest.abort();
    attached();
  };

  /** The log's response ended (`cutOff`: before its end): the container's state says why. */
  const logEnded = async (cutOff?: Error) => {
    if (over) return;
    let terminated: Awaited<ReturnType<typeof containerExit>>;
    try {
      terminated = await containerExit(options);
    } catch (error) {
      const lost = cutOff ? ` (${cutOff.message})` : '';
      return finish({
        reason: 'cluster-error',
        exitCode: null,
        message: `The connection to the cluster was lost while following the output of ${where}${lost}, and the pod cannot be read (${(error as Error).message}): the cluster or the network went away. Whether the command finished is unknown; its output can be read again once the cluster is back.`,
      });
    }
    if (over) return;
    if (terminated?.exitCode !== undefined) {
      finish({ reason: 'exited', exitCode: terminated.exitCode, message: `The command exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}.` });
    } else {
      finish({ reason: 'cluster-error', exitCode: null, message: `The cluster stopped sending the output of ${where} before it ended. Reload to follow it again.` });
    }
  };

  const attached = () => {
    connected = true;
    for (const viewer of viewers) welcome(viewer);
    limits.start();
  };

  connect().catch((error: unknown) => finish(connectFailure(error, action, where)));

  return {
    join,
    end: (shown) => finish({ reason: 'ended-elsewhere', exitCode: shown.exitCode, message: shown.message }, shown),
    notice: (message) => viewers.forEach((viewer) => viewer.send({ type: 'notice', message })),
    get viewers() {
      return viewers.size;
    },
    get over() {
      return over;
    },
    output: {
      get bytesSent() {
        return sentByGone + [...viewers].reduce((sum, viewer) => sum + viewer.output.bytesSent, 0);
      },
      get peakBuffered() {
        return Math.max(peakBuffered, ...[...viewers].map((viewer) => viewer.output.peakBuffered));
      },
    },
    ended,
  };
}

const verbOf = (action: HubOptions['action']) => (action === 'log' ? 'follow the output of' : action === 'exec' ? 'exec into' : 'attach to');
const capitalized = (text: string) => text[0].toUpperCase() + text.slice(1);

function connectFailure(error: unknown, action: HubOptions['action'], where: string): HubResult {
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
async function logRefusal(where: Pick<HubOptions, 'kubeConfig' | 'namespace' | 'pod' | 'container'>): Promise<ClusterRefusal | undefined> {
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
async function containerExit(where: Pick<HubOptions, 'kubeConfig' | 'namespace' | 'pod' | 'container'>): Promise<{ exitCode: number; reason?: string } | undefined> {
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
