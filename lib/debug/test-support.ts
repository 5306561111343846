// Test support for the debug builder: a random source that spells the
// suffixes a test wants, and requests completed with the schema's defaults.
import { CopyRequestSchema, EphemeralRequestSchema, NodeRequestSchema, type CopyRequest, type EphemeralRequest, type NodeRequest } from './request';
import type { Pod, RandomSource } from './types';
import type { z } from 'zod';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A random source that makes randomSuffix() return these suffixes, in turn. */
export function spelling(...suffixes: string[]): RandomSource {
  const values = suffixes.flatMap((s) => [...s].map((ch) => {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error(`${ch} is not in kubectl's suffix alphabet`);
    return (i + 0.5) / ALPHABET.length;
  }));
  let next = 0;
  return () => {
    if (next >= values.length) throw new Error('the test asked for more random suffixes than it spelled');
    return values[next++];
  };
}

export const ephemeral = (r: Omit<z.input<typeof EphemeralRequestSchema>, 'kind'>): EphemeralRequest => EphemeralRequestSchema.parse({ kind: 'ephemeral', ...r });
export const node = (r: Omit<z.input<typeof NodeRequestSchema>, 'kind'>): NodeRequest => NodeRequestSchema.parse({ kind: 'node', ...r });
export const copy = (r: Omit<z.input<typeof CopyRequestSchema>, 'kind'>): CopyRequest => CopyRequestSchema.parse({ kind: 'copy', ...r });

/** A small pod with a bit of everything a profile touches: labels, annotations, probes, an init container, a volume. */
export function webPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'shop',
      uid: '5b1f0c8e-0000-4000-8000-000000000001',
      resourceVersion: '4711',
      labels: { app: 'web' },
      annotations: { 'prometheus.io/scrape': 'true' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'owner-uid', controller: true }],
    },
    spec: {
      nodeName: 'node-a',
      initContainers: [{ name: 'migrate', image: 'shop/web:1.0', command: ['migrate'] }],
      containers: [
        {
          name: 'app',
          image: 'shop/web:1.0',
          args: ['--port=8080'],
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          readinessProbe: { tcpSocket: { port: 8080 } },
          startupProbe: { exec: { command: ['true'] } },
          securityContext: { runAsUser: 1000, capabilities: { add: ['NET_BIND_SERVICE'] } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'config', configMap: { name: 'web' } },
      ],
    },
    status: { phase: 'Running' },
  };
}
