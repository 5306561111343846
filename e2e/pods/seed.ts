// What the pods browser tests need in the shared dev cluster: the demo's world
// (dev/cluster/scenario/demo.ts: pxc and shop, their pods, the Secret behind
// MYSQL_ROOT_PASSWORD, the demo RBAC), applied with kubectl as dev-admin —
// the same objects the demo seeds, collected rather than copied. Idempotent.

import { spawn } from 'node:child_process';
import { stringify } from 'yaml';
import type { DevCluster } from '@/dev/cluster/server';
import { seedDemo } from '@/dev/cluster/scenario/demo';

/** The value of the demo's Secret: it must never reach a page. */
export const DEMO_SECRET_VALUE = 'demo-root-password';

export const CLUSTER = 'dev-dashboard';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** kubectl as dev-admin against the browser tests' cluster. */
export function kubectl(args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', process.env.EPHEMERA_E2E_KUBECONFIG!, '--context', 'dev-admin', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export async function kubectlOk(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function demoObjects(): object[] {
  const objects: object[] = [];
  seedDemo({ create: (_kind: unknown, _namespace: string, object: object) => void objects.push(object) } as unknown as DevCluster);
  return objects;
}

let seeded: Promise<void> | undefined;

/** Applies the demo once per worker. */
export function seedDemoWorld(): Promise<void> {
  seeded ??= (async () => {
    const objects = demoObjects();
    const namespaces = objects.filter((object) => (object as { kind: string }).kind === 'Namespace');
    // Namespaces first: the namespaced objects need them to exist.
    const documents = (items: object[]) => items.map((item) => stringify(item)).join('---\n');
    await kubectlOk(['apply', '-f', '-'], documents(namespaces));
    await kubectlOk(['apply', '-f', '-'], documents(objects.filter((object) => !namespaces.includes(object))));
  })();
  return seeded;
}

/** A unique suffix, so tests sharing the cluster never collide. */
export const unique = () => Math.random().toString(36).slice(2, 7);

/** Adds a running ephemeral container `name` to a pod, as `kubectl debug … --attach=false` does. */
export function addDebugContainer(namespace: string, pod: string, name: string): Promise<string> {
  return kubectlOk(['debug', '-n', namespace, pod, '--image=busybox:1.36', '--attach=false', '--profile=general', '-c', name, '--', 'sleep', '3600']);
}

/** A pod owned by a (pretend) ReplicaSet, so it counts as controller-owned and may be recycled. */
export function ownedPod(namespace: string, name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'e2e' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-rs`, uid: '6f1b0c1e-0000-4000-8000-0000000000e2', controller: true }],
    },
    spec: { nodeName: 'node-b', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  });
}
