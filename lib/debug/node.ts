// Workflow 4: a pod on the node, in the host's namespaces with the node's /
// at /host as the profile says, built exactly as kubectl v1.32's
// generateNodeDebugPod builds it. (v1.32 puts no labels on it.)
import type { NodeRequest } from './request';
import type { Adjustment, Container, NodeRef, Pod, Refusal, Warning } from './types';
import { imageUserOf } from './image-user';
import { adjustmentsFor, effectiveCustom, inFieldOrder, requestedContainer, warningsFor, type BuildDeps } from './container';
import { mergeCustom } from './custom';
import { nodeDebugPodName } from './names';
import { applyProfile, DEFAULT_KEEP } from './profiles';
import { validateNodeRequest } from './validate';

/** kubectl's name for the node debug pod's only container. */
export const NODE_DEBUG_CONTAINER = 'debugger';

export interface NodeDebugBuild {
  ok: true;
  request: NodeRequest;
  /** Where to create it (`POST /api/v1/namespaces/NS/pods`); kubectl leaves it out of the body. */
  namespace: string;
  pod: Pod;
  containerName: string;
  adjustments: Adjustment[];
  warnings: Warning[];
}

export function buildNodeDebugPod(request: NodeRequest, node: NodeRef, deps: BuildDeps): NodeDebugBuild | Refusal {
  const errors = validateNodeRequest(request, node);
  if (errors.length > 0) return { ok: false, errors };

  const name = request.name ?? NODE_DEBUG_CONTAINER;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: nodeDebugPodName(request.node, deps.random) },
    spec: {
      containers: [requestedContainer(request, name)],
      restartPolicy: 'Never',
      nodeName: request.node,
      // Tolerate every taint: the point is to reach this node, whatever it is marked.
      tolerations: [{ operator: 'Exists' }],
    },
  };
  applyProfile(request.profile, 'node', pod, name, DEFAULT_KEEP);
  pod.spec.containers[0] = inFieldOrder(mergeCustom(pod.spec.containers[0], effectiveCustom(request)));

  return {
    ok: true,
    request: { ...request, name },
    namespace: request.namespace,
    pod,
    containerName: name,
    adjustments: adjustmentsFor(request),
    warnings: [...warningsFor(request, pod.spec.containers[0], undefined, deps), ...chrootWarning(request, pod.spec.containers[0], deps)],
  };
}

/**
 * `chroot` needs root (CAP_SYS_CHROOT as uid 0): an image that runs as
 * another user, or a security context that says so, makes the container exit
 * at once with "chroot: Operation not permitted" (exit code 125). Said before
 * the start rather than discovered after it.
 */
function chrootWarning(request: NodeRequest, container: Container, deps: BuildDeps): Warning[] {
  if (!request.chroot || !container.image) return [];
  const context = container.securityContext;
  const user = context?.runAsUser ?? (deps.imageUsers ? imageUserOf(container.image, deps.imageUsers) : undefined);
  const why =
    user !== undefined && user !== 0
      ? `${container.image} runs as user ${user}`
      : context?.runAsNonRoot
        ? 'the security context says runAsNonRoot'
        : undefined;
  if (!why) return [];
  return [
    {
      code: 'chrootNeedsRoot',
      message: `chroot /host needs root, but ${why}: the container would exit at once (chroot: Operation not permitted). Pick an image that runs as root, with a profile that allows it, or leave chroot off and use /host.`,
    },
  ];
}
