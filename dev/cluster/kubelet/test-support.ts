// Test helpers for the kubelet's suites: an in-memory PodStore and stream collectors.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ContainerSpec, ContainerStatus, Pod } from '../types';
import type { ContainerStream, StreamExit } from '../streams';
import { Kubelet, type PodStore } from './index';

export interface RecordedEvent {
  pod: string;
  type: string;
  reason: string;
  message: string;
  fieldPath?: string;
}

export class MemoryStore implements PodStore {
  readonly pods = new Map<string, Pod>();
  readonly events: RecordedEvent[] = [];
  readonly finalized: string[] = [];
  /** Every status written, in order, per pod name. */
  readonly history = new Map<string, Array<NonNullable<Pod['status']>>>();
  private waiters: Array<() => void> = [];

  get(namespace: string, name: string): Pod | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  writeStatus(namespace: string, name: string, status: NonNullable<Pod['status']>): void {
    const pod = this.get(namespace, name);
    if (!pod) throw new Error(`writeStatus for missing pod ${namespace}/${name}`);
    pod.status = structuredClone(status);
    const h = this.history.get(name) ?? [];
    h.push(pod.status);
    this.history.set(name, h);
    this.notify();
  }

  finalizeDeletion(namespace: string, name: string, uid: string): void {
    const pod = this.get(namespace, name);
    if (pod?.metadata.uid === uid) this.pods.delete(`${namespace}/${name}`);
    this.finalized.push(`${namespace}/${name}`);
    this.notify();
  }

  recordEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    this.events.push({ pod: pod.metadata.name, type, reason, message, fieldPath });
    this.notify();
  }

  /** Resolve when `check` returns a value (checked after every store change), or fail after `ms`. */
  until<T>(check: () => T | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const v = check();
        if (v !== undefined && v !== false) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== attempt);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== attempt);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      this.waiters.push(attempt);
      attempt();
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

export function setup(options: { backoffBaseMs?: number; pullDelayMs?: number; isolation?: 'none' } = {}) {
  const store = new MemoryStore();
  const stateDir = mkdtempSync(path.join(tmpdir(), 'kubelet-test-'));
  const kubelet = new Kubelet({
    store,
    stateDir,
    backoffBaseMs: options.backoffBaseMs ?? 100,
    pullDelayMs: options.pullDelayMs ?? 20,
    gracePeriodCapMs: 500,
    ...(options.isolation ? { isolation: options.isolation } : {}),
  });

  /** Create a pod in the store (scheduled to node-1) and tell the kubelet. */
  function create(name: string, spec: Partial<Pod['spec']> & { containers: ContainerSpec[] }, meta: Partial<Pod['metadata']> = {}): Pod {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        uid: randomUUID(),
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        ...meta,
      },
      spec: { nodeName: 'node-1', restartPolicy: 'Always', ...spec },
    };
    store.pods.set(`default/${name}`, pod);
    kubelet.podChanged(pod);
    return pod;
  }

  const pod = (name: string) => store.get('default', name);
  const statusOf = (name: string, container: string): ContainerStatus | undefined => {
    const s = pod(name)?.status;
    return [...(s?.initContainerStatuses ?? []), ...(s?.containerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])].find(
      (c) => c.name === container,
    );
  };
  const waitRunning = (name: string, container: string) =>
    store.until(() => statusOf(name, container)?.state.running && pod(name), 10_000, `${name}/${container} running`);

  /** Add an ephemeral container, as the ephemeralcontainers subresource does. */
  function addEphemeral(name: string, container: ContainerSpec): Pod {
    const current = pod(name)!;
    const updated: Pod = {
      ...current,
      spec: { ...current.spec, ephemeralContainers: [...(current.spec.ephemeralContainers ?? []), container] },
    };
    store.pods.set(`default/${name}`, updated);
    kubelet.podChanged(updated);
    return updated;
  }

  /** Request deletion, as the apiserver does (deletionTimestamp, grace period). */
  function remove(name: string, graceSeconds = 30): void {
    const current = pod(name)!;
    const updated: Pod = {
      ...current,
      metadata: { ...current.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: graceSeconds },
    };
    store.pods.set(`default/${name}`, updated);
    kubelet.podChanged(updated);
  }

  /** Stop every process and remove the state directory. */
  async function dispose(): Promise<void> {
    await kubelet.shutdown();
    rmSync(stateDir, { recursive: true, force: true });
  }

  return { store, kubelet, stateDir, create, pod, statusOf, waitRunning, addEphemeral, remove, dispose };
}

export interface Collected {
  stdout: string;
  stderr: string;
  exit: Promise<StreamExit>;
}

/** Listen to a stream; the returned object fills in as output arrives. */
export function collect(stream: ContainerStream): Collected {
  const c = { stdout: '', stderr: '' } as Collected;
  stream.onStdout((b) => (c.stdout += b.toString()));
  stream.onStderr((b) => (c.stderr += b.toString()));
  c.exit = new Promise((resolve) => stream.onExit(resolve));
  return c;
}

export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function readAll(it: AsyncIterable<Buffer>): Promise<string> {
  let out = '';
  for await (const b of it) out += b.toString();
  return out;
}

export const STDIO = { stdin: false, stdout: true, stderr: true, tty: false };
