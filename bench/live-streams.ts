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

/** One EventSource-like reader over fetch, parsing `event:`/`data:` frames. */
function openStream(url: string, cookie: string): Stream {
  const controller = new AbortController();
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const waiting = new Map<string, (at: number) => void>();
  void (async () => {
    const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    // Where the search for the end of the frame left off: a 3 MB snapshot arrives in many chunks.
    let searched = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n', Math.max(0, searched - 1))) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        searched = 0;
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        if (event === 'snapshot') resolveReady();
        if (event === 'change' && waiting.size > 0) {
          const at = performance.now();
          for (const [key, resolve] of waiting) {
            if (frame.includes(`"key":"${key}"`)) {
              waiting.delete(key);
              resolve(at);
            }
          }
        }
      }
      searched = buffer.length;
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
