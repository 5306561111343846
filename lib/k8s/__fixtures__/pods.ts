// Pods for the view-model tests, in raw JSON form as the watch delivers them.
// The demo's pxc pod (its env names a Secret) with an ephemeral debugger added.

import type { V1Pod } from '@kubernetes/client-node';

/** A value that must never reach a view model, a page or the YAML view. */
export const SECRET_VALUE = 'demo-root-password';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A pod with one running, ready container, created at 2026-01-01T00:00:00Z; `overrides` replace whole top-level sections. */
export function pod(overrides: { metadata?: object; spec?: object; status?: object } = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-web-0', creationTimestamp: '2026-01-01T00:00:00Z', ...overrides.metadata },
    spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'nginx:1.27' }], ...overrides.spec },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [running('web')],
      ...overrides.status,
    },
  } as unknown as V1Pod;
}

export function running(name: string, extra: DeepPartial<Record<string, unknown>> = {}) {
  return { name, image: 'img', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:05Z' } }, ...extra };
}

export function waiting(name: string, reason: string, extra: Record<string, unknown> = {}) {
  return { name, image: 'img', imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason, message: `${reason} message` } }, ...extra };
}

export function terminated(name: string, terminatedState: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { name, image: 'img', imageID: '', ready: false, started: false, restartCount: 0, state: { terminated: terminatedState }, ...extra };
}

/** The demo's cluster1-pxc-0 as the dev cluster reports it, with one ephemeral debugger running and one finished. */
export function pxcPod(): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'cluster1-pxc-0',
      namespace: 'pxc',
      uid: 'uid-pxc-0',
      resourceVersion: '42',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'app.kubernetes.io/component': 'pxc', 'app.kubernetes.io/instance': 'cluster1' },
      annotations: { 'kubectl.kubernetes.io/default-container': 'pxc' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'cluster1-pxc', uid: 'sts', controller: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: {
      nodeName: 'node-a',
      serviceAccountName: 'default',
      containers: [
        {
          name: 'pxc',
          image: 'percona/percona-xtradb-cluster:8.0.39-30.1',
          command: ['mysqld'],
          ports: [{ containerPort: 3306, name: 'mysql', protocol: 'TCP' }],
          env: [
            { name: 'PXC_SERVICE', value: 'cluster1-pxc-unready' },
            { name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'internal-cluster1', key: 'root' } } },
          ],
          envFrom: [{ secretRef: { name: 'cluster1-env' } }],
          volumeMounts: [
            { name: 'datadir', mountPath: '/var/lib/mysql' },
            { name: 'config', mountPath: '/etc/percona-xtradb-cluster.conf.d' },
          ],
          securityContext: { runAsUser: 1001, runAsGroup: 1001 },
          resources: { requests: { cpu: '600m', memory: '1G' } },
        },
        {
          name: 'logs',
          image: 'percona/percona-xtradb-cluster-operator:1.16.1-logcollector',
          command: ['sh', '-c', 'exec sleep infinity'],
          volumeMounts: [{ name: 'datadir', mountPath: '/var/lib/mysql', readOnly: true }],
        },
      ],
      ephemeralContainers: [
        {
          name: 'debugger-abc12',
          image: 'busybox:1.36',
          command: ['sh'],
          targetContainerName: 'pxc',
          stdin: true,
          tty: true,
          securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
          volumeMounts: [{ name: 'datadir', mountPath: '/var/lib/mysql', readOnly: true }],
        },
        { name: 'debugger-old', image: 'busybox:1.36', command: ['ss', '-tlnp'] },
      ],
      volumes: [
        { name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-cluster1-pxc-0' } },
        { name: 'config', emptyDir: {} },
      ],
    },
    status: {
      phase: 'Running',
      podIPs: [{ ip: '10.244.0.5' }],
      hostIP: '10.0.0.11',
      qosClass: 'Burstable',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:10Z' },
      ],
      containerStatuses: [
        running('pxc', { restartCount: 2, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:00:04Z' } } }),
        running('logs'),
      ],
      ephemeralContainerStatuses: [
        running('debugger-abc12', { ready: false, state: { running: { startedAt: '2026-01-02T00:00:00Z' } } }),
        terminated('debugger-old', { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T12:00:00Z', finishedAt: '2026-01-01T12:00:01Z' }),
      ],
    },
  } as unknown as V1Pod;
}
