// Fifty people watching the pods list: fifty Server-Sent Event streams (the
// page's own feed, every pod), then one pod's status changes in the cluster
// (PATCH pods/status as dev-admin); how long until every stream has it.

import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { median, ms, percentile, type Figure } from './stats';

const STREAMS = 50;
const CHANGES = 5;

interface Stream {
  /** Resolves when the first snapshot has arrived. */
  ready: Promise<void>;
  /** Resolves with the time (performance.now) the next change naming `key` arrived. */
  nextChange(key: string): Promise<number>;
  close(): void;
}

/**
 * One EventSource-like reader over fetch. It works on bytes: a snapshot frame
 * is 3 MB, and decoding fifty of them to strings in this one process would
 * measure the benchmark rather than the server. Only the event name of each
 * frame is read, and the text of `change` frames (small) is kept.
 */
function openStream(url: string, cookie: string): Stream {
  const controller = new AbortController();
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const waiting = new Map<string, (at: number) => void>();
  const decoder = new TextDecoder();
  void (async () => {
    const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
    const reader = response.body.getReader();
    let head = '';
    let kept: Uint8Array[] = [];
    let previous = 0;
    const endFrame = () => {
      const event = /^event: (\w+)/m.exec(head)?.[1];
      if (event === 'snapshot') resolveReady();
      if (event === 'change' && waiting.size > 0) {
        const at = performance.now();
        const text = kept.map((part) => decoder.decode(part)).join('');
        for (const [key, resolve] of waiting) {
          if (text.includes(`"key":"${key}"`)) {
            waiting.delete(key);
            resolve(at);
          }
        }
      }
      head = '';
      kept = [];
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      let start = 0;
      for (let i = 0; i < value.length; i++) {
        if (value[i] === 10 && (i > 0 ? value[i - 1] : previous) === 10) {
          const part = value.subarray(start, i + 1);
          if (head.length < 32) head += decoder.decode(part.subarray(0, 32));
          if (head.startsWith('event: change')) kept.push(part);
          endFrame();
          start = i + 1;
        }
      }
      const rest = value.subarray(start);
      if (rest.length > 0) {
        if (head.length < 32) head += decoder.decode(rest.subarray(0, 32));
        if (head.startsWith('event: change')) kept.push(rest.slice());
      }
      previous = value[value.length - 1];
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) process.stderr.write(`stream failed: ${(error as Error).message}\n`);
  });
  return {
    ready,
    nextChange: (key) => new Promise((resolve) => waiting.set(key, resolve)),
    close: () => controller.abort(),
  };
}

export async function benchLiveStreams(url: string, cookie: string, kubeconfig: string): Promise<Figure[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext('dev-admin');
  const core = kc.makeApiClient(CoreV1Api);

  const openedAt = performance.now();
  const streams = Array.from({ length: STREAMS }, () => openStream(`${url}/api/clusters/dev-dashboard/pods/events`, cookie));
  await Promise.all(streams.map((stream) => stream.ready));
  const allSnapshots = performance.now() - openedAt;

  const worst: number[] = [];
  const all: number[] = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const namespace = `scale-${String(i * 7).padStart(2, '0')}`;
      const name = `web-${String(i * 7).padStart(5, '0')}`;
      const arrivals = streams.map((stream) => stream.nextChange(`${namespace}/${name}`));
      const sentAt = performance.now();
      await core.patchNamespacedPodStatus(
        { namespace, name, body: { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'BenchProbe', lastTransitionTime: new Date() }] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const times = (await Promise.all(arrivals)).map((at) => at - sentAt);
      worst.push(Math.max(...times));
      all.push(...times);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    streams.forEach((stream) => stream.close());
  }
  const worstMedian = median(worst);
  return [
    { measure: `${STREAMS} live streams, all snapshots received`, value: ms(allSnapshots), note: 'each a full list of every pod' },
    { measure: `status change → all ${STREAMS} streams, median of ${CHANGES}`, value: ms(worstMedian), target: '≤ 1 s', met: worstMedian <= 1000 },
    { measure: `status change → all ${STREAMS} streams, worst`, value: ms(Math.max(...worst)), target: '≤ 1 s', met: Math.max(...worst) <= 1000 },
    { measure: 'status change → one stream, p50 / p95', value: `${ms(median(all))} / ${ms(percentile(all, 95))}` },
  ];
}
