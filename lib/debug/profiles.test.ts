// Profile × kind → the exact object kubectl v1.32 builds, compared as a diff.
import { describe, expect, it } from 'vitest';
import { buildEphemeralContainer } from './ephemeral';
import { buildNodeDebugPod } from './node';
import { buildPodCopy } from './copy';
import { PROFILES, type Profile } from './request';
import type { Container, EphemeralContainer, Pod, SecurityContext } from './types';
import { copy, ephemeral, node, spelling, webPod } from './test-support';

const IMAGE = 'ghcr.io/ephemera/debug-tools:1.0';

const PTRACE: SecurityContext = { capabilities: { add: ['SYS_PTRACE'] } };
const RESTRICTED: SecurityContext = {
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  seccompProfile: { type: 'RuntimeDefault' },
};
const NETADMIN: SecurityContext = { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } };
const PRIVILEGED: SecurityContext = { privileged: true };

function ephemeralContainer(securityContext?: SecurityContext): EphemeralContainer {
  return {
    name: 'dbg',
    image: IMAGE,
    command: ['sh'],
    resources: {},
    terminationMessagePolicy: 'File',
    ...(securityContext ? { securityContext } : {}),
    stdin: true,
    tty: true,
    targetContainerName: 'app',
  };
}

function nodePod(o: { securityContext?: SecurityContext; hostRoot?: boolean; hostNamespaces?: boolean }): Pod {
  const container: Container = {
    name: 'debugger',
    image: IMAGE,
    command: ['sh'],
    resources: {},
    ...(o.hostRoot ? { volumeMounts: [{ name: 'host-root', mountPath: '/host' }] } : {}),
    terminationMessagePolicy: 'File',
    ...(o.securityContext ? { securityContext: o.securityContext } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-debugger-node-a-x7k2p' },
    spec: {
      containers: [container],
      restartPolicy: 'Never',
      nodeName: 'node-a',
      tolerations: [{ operator: 'Exists' }],
      ...(o.hostRoot ? { volumes: [{ name: 'host-root', hostPath: { path: '/' } }] } : {}),
      ...(o.hostNamespaces ? { hostNetwork: true, hostPID: true, hostIPC: true } : {}),
    },
  };
}

/** The copy of webPod() with a `dbg` container added; `legacy` keeps annotations and probes and shares nothing. */
function copyPod(o: { securityContext?: SecurityContext; legacy?: boolean }): Pod {
  const original = webPod();
  const app = original.spec.containers[0];
  if (!o.legacy) {
    delete app.livenessProbe;
    delete app.readinessProbe;
    delete app.startupProbe;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0-debug', namespace: 'shop', ...(o.legacy ? { annotations: { 'prometheus.io/scrape': 'true' } } : {}) },
    spec: {
      initContainers: original.spec.initContainers,
      containers: [
        app,
        {
          name: 'dbg',
          image: IMAGE,
          command: ['sh'],
          resources: {},
          terminationMessagePolicy: 'File',
          ...(o.securityContext ? { securityContext: o.securityContext } : {}),
          stdin: true,
          tty: true,
        },
      ],
      volumes: original.spec.volumes,
      ...(o.legacy ? {} : { shareProcessNamespace: true }),
    },
  };
}

const TABLE: Record<Profile, { ephemeral: EphemeralContainer; node: Pod; copy: Pod }> = {
  legacy: {
    ephemeral: ephemeralContainer(),
    node: nodePod({ hostRoot: true, hostNamespaces: true }),
    copy: copyPod({ legacy: true }),
  },
  general: {
    ephemeral: ephemeralContainer(PTRACE),
    node: nodePod({ hostRoot: true, hostNamespaces: true }),
    copy: copyPod({ securityContext: PTRACE }),
  },
  baseline: {
    ephemeral: ephemeralContainer(),
    node: nodePod({}),
    copy: copyPod({}),
  },
  restricted: {
    ephemeral: ephemeralContainer(RESTRICTED),
    node: nodePod({ securityContext: RESTRICTED }),
    copy: copyPod({ securityContext: RESTRICTED }),
  },
  netadmin: {
    ephemeral: ephemeralContainer(NETADMIN),
    node: nodePod({ securityContext: NETADMIN, hostNamespaces: true }),
    copy: copyPod({ securityContext: NETADMIN }),
  },
  sysadmin: {
    ephemeral: ephemeralContainer(PRIVILEGED),
    node: nodePod({ securityContext: PRIVILEGED, hostRoot: true, hostNamespaces: true }),
    copy: copyPod({ securityContext: PRIVILEGED }),
  },
};

const deps = () => ({ random: spelling('x7k2p') });
const container = { image: IMAGE, command: ['sh'], stdin: true, tty: true };

describe.each(PROFILES)('the %s profile', (profile) => {
  it('builds the ephemeral container kubectl builds', () => {
    const built = buildEphemeralContainer(ephemeral({ namespace: 'shop', pod: 'web-0', name: 'dbg', target: 'app', profile, ...container }), webPod(), deps());
    expect(built.ok && built.container).toEqual(TABLE[profile].ephemeral);
  });

  it('builds the node debug pod kubectl builds', () => {
    const built = buildNodeDebugPod(node({ namespace: 'default', node: 'node-a', profile, image: IMAGE, command: ['sh'] }), { metadata: { name: 'node-a' } }, deps());
    expect(built.ok && built.pod).toEqual(TABLE[profile].node);
  });

  it('builds the pod copy kubectl builds', () => {
    const built = buildPodCopy(copy({ namespace: 'shop', pod: 'web-0', copyTo: 'web-0-debug', name: 'dbg', profile, ...container }), webPod(), deps());
    expect(built.ok && built.pod).toEqual(TABLE[profile].copy);
  });
});

/** kubectl's profiles_test.go cases where the container already has a security context (a copy changing a container). */
describe('profiles on a container that already has a security context', () => {
  const changeApp = (profile: Profile) => {
    const built = buildPodCopy(copy({ namespace: 'shop', pod: 'web-0', copyTo: 'c', name: 'app', profile, command: ['sh'] }), webPod(), deps());
    if (!built.ok) throw new Error(built.errors[0].message);
    return built.pod.spec.containers[0].securityContext;
  };

  it('general and netadmin append their capabilities to those already added', () => {
    expect(changeApp('general')).toEqual({ runAsUser: 1000, capabilities: { add: ['NET_BIND_SERVICE', 'SYS_PTRACE'] } });
    expect(changeApp('netadmin')).toEqual({ runAsUser: 1000, capabilities: { add: ['NET_BIND_SERVICE', 'NET_ADMIN', 'NET_RAW'] } });
  });

  it('baseline clears it, restricted replaces it', () => {
    expect(changeApp('baseline')).toBeUndefined();
    expect(changeApp('restricted')).toEqual(RESTRICTED);
  });

  it('sysadmin adds privileged and keeps the rest; legacy leaves it alone', () => {
    expect(changeApp('sysadmin')).toEqual({ runAsUser: 1000, capabilities: { add: ['NET_BIND_SERVICE'] }, privileged: true });
    expect(changeApp('legacy')).toEqual({ runAsUser: 1000, capabilities: { add: ['NET_BIND_SERVICE'] } });
  });
});
