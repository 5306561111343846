// Validate: what kubectl's Validate and the apiserver would refuse for each
// kind of debug session, checked against the pod (or node) before anything
// is built or sent.
import type { CopyRequest, DebugRequest, EphemeralRequest, NodeRequest } from './request';
import type { FieldError, NodeRef, Pod } from './types';
import { duplicate, forbidden, invalid, listOf, notFound, required } from './field-errors';
import { containerNames, dns1123LabelErrors, dns1123SubdomainErrors } from './names';
import { mountsHostRoot } from './profiles';
import { containerErrors, imageErrors } from './validate-container';

const NODE_DEBUG_POD_NAME_OVERHEAD = 'node-debugger-'.length + '-xxxxx'.length;

function namespaceErrors(request: DebugRequest): FieldError[] {
  return dns1123LabelErrors(request.namespace).map((e) => invalid('namespace', request.namespace, e));
}

/** The pod handed to the builder must be the one the request names. */
function podErrors(request: EphemeralRequest | CopyRequest, pod: Pod): FieldError[] {
  const errors: FieldError[] = [];
  if (pod.metadata.name !== request.pod) errors.push(invalid('pod', request.pod, `the pod read from the cluster is ${JSON.stringify(pod.metadata.name)}`, 'Read the pod the request names'));
  if (pod.metadata.namespace !== undefined && pod.metadata.namespace !== request.namespace) {
    errors.push(invalid('namespace', request.namespace, `the pod is in ${JSON.stringify(pod.metadata.namespace)}`, 'Read the pod from the namespace the request names'));
  }
  return errors;
}

const volumeNames = (pod: Pod) => (pod.spec.volumes ?? []).map((v) => v.name);
const regularNames = (pod: Pod) => pod.spec.containers.map((c) => c.name);

export function validateEphemeralRequest(request: EphemeralRequest, pod: Pod): FieldError[] {
  const errors = [...namespaceErrors(request), ...podErrors(request, pod), ...containerErrors(request, 'ephemeral', volumeNames(pod), true)];
  if (request.name !== undefined && containerNames(pod.spec).has(request.name)) {
    errors.push(
      duplicate('name', request.name, 'The pod already has a container by that name, and ephemeral containers can never be removed: choose another name, leave it empty for debugger-xxxxx, or attach to the existing one'),
    );
  }
  if (request.target !== undefined && !regularNames(pod).includes(request.target)) {
    errors.push(notFound('target', request.target, `Target one of the pod's containers: ${listOf(regularNames(pod))}`));
  }
  return errors;
}

export function validateNodeRequest(request: NodeRequest, node: NodeRef): FieldError[] {
  const errors = [...namespaceErrors(request)];
  if (node.metadata.name !== request.node) errors.push(invalid('node', request.node, `the node read from the cluster is ${JSON.stringify(node.metadata.name)}`, 'Read the node the request names'));
  const nodeErrors = dns1123SubdomainErrors(request.node);
  errors.push(...nodeErrors.map((e) => invalid('node', request.node, e)));
  const maxNode = 253 - NODE_DEBUG_POD_NAME_OVERHEAD;
  if (nodeErrors.length === 0 && request.node.length > maxNode) {
    errors.push(invalid('node', request.node, `must be no more than ${maxNode} characters to fit in node-debugger-<node>-xxxxx`, 'Debug this node with kubectl, which will fail the same way, or rename the node'));
  }
  const hostRoot = mountsHostRoot(request.profile);
  errors.push(...containerErrors(request, 'node', hostRoot ? ['host-root'] : [], true));
  if (request.chroot && !hostRoot) {
    errors.push(forbidden('chroot', `the ${request.profile} profile does not mount the node's / at /host`, 'Choose the general or sysadmin profile, or turn chroot off'));
  }
  return errors;
}

export function validateCopyRequest(request: CopyRequest, pod: Pod): FieldError[] {
  // A changed container keeps its variables unless env replaces them.
  const changed = pod.spec.containers.find((c) => c.name === request.name);
  const originalEnv = request.env.length > 0 || !changed ? request.env : (changed.env ?? []);
  const errors = [...namespaceErrors(request), ...podErrors(request, pod), ...containerErrors(request, 'copy', volumeNames(pod), false, originalEnv)];
  errors.push(...dns1123SubdomainErrors(request.copyTo).map((e) => invalid('copyTo', request.copyTo, e, 'Use lower case letters, digits, - and ., e.g. "checkout-debug"')));
  const hasCommand = request.command !== undefined || request.args !== undefined;
  const hasSetImages = Object.keys(request.setImages).length > 0;
  if (!request.image && !hasSetImages && !hasCommand) {
    errors.push(required('image', 'A copy needs an image (for a new debug container), setImages, or a command for one of its containers (kubectl: you must specify --image, --set-image or command arguments.)'));
  }
  if (hasCommand && request.name === undefined && !request.image) {
    errors.push(required('name', 'Name the container whose command changes, or give an image for a new one (kubectl: you must specify an existing container or a new image when specifying args.)'));
  }
  const regular = regularNames(pod);
  if (request.name !== undefined && (pod.spec.initContainers ?? []).some((c) => c.name === request.name)) {
    errors.push(invalid('name', request.name, 'is an init container', `Change one of the regular containers (${listOf(regular)}) or name a new debug container`));
  } else if (request.name !== undefined && !regular.includes(request.name) && !request.image) {
    errors.push(required('image', `${JSON.stringify(request.name)} is not a container of the pod, so it is a new one and needs an image (kubectl: you must specify image when creating new container)`));
  }
  for (const [container, image] of Object.entries(request.setImages)) {
    const field = `setImages[${container}]`;
    if (container !== '*' && !regular.includes(container)) errors.push(notFound(field, container, `Set the image of one of ${listOf(regular)}, or * for all`));
    errors.push(...imageErrors(field, image, true));
  }
  return errors;
}
