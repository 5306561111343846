// Workflow 4: a pod on the node, in the host's namespaces with the node's /
// at /host as the profile says, built exactly as kubectl v1.32's
// generateNodeDebugPod builds it. (v1.32 puts no labels on it.)
import type { NodeRequest } from './request';
import type { Adjustment, NodeRef, Pod, Refusal, Warning } from './types';
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
    warnings: warningsFor(request, pod.spec.containers[0], undefined, deps),
  };
}
