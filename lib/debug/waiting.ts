// The kubelet's waiting (and start-failure) reasons turned into a sentence a
// person can act on: what happened and what to do. kubectl debug only prints
// the raw message while it waits; the reasons and messages are the kubelet's
// (v1.32) and containerd's (1.7), as the dev cluster reproduces them.

const NEW_CONTAINER = 'An ephemeral container cannot be changed or removed, so start a new one';

function createConfigError(message: string): string {
  if (message.includes('runAsNonRoot and image will run as root')) {
    return `The image runs as root, and the security context says runAsNonRoot, so the kubelet will not start it. ${NEW_CONTAINER} with runAsUser set to a non-root user (e.g. 65532), or with an image that runs as non-root.`;
  }
  if (message.includes("runAsUser breaks non-root policy")) {
    return `runAsUser is 0 (root) while runAsNonRoot is true, so the kubelet will not start it. ${NEW_CONTAINER} with a non-zero runAsUser (e.g. 65532).`;
  }
  const nonNumeric = /image has non-numeric user \(([^)]*)\)/.exec(message);
  if (nonNumeric) {
    return `The image names its user (${nonNumeric[1]}) instead of a number, so the kubelet cannot check runAsNonRoot and will not start it. ${NEW_CONTAINER} with a numeric runAsUser (e.g. 65532).`;
  }
  const missing = /(secret|configmap) "([^"]+)" not found/i.exec(message);
  if (missing) {
    return `The container refers to the ${missing[1] === 'secret' ? 'Secret' : 'ConfigMap'} "${missing[2]}", which does not exist. Create it, or remove the reference.`;
  }
  const missingKey = /couldn't find key (\S+) in (Secret|ConfigMap) (\S+)/.exec(message);
  if (missingKey) return `The ${missingKey[2]} ${missingKey[3]} has no key "${missingKey[1]}". Add the key, or change the reference.`;
  return `The kubelet could not prepare the container's configuration: ${message || 'no details given'}. Fix the spec and start a new container.`;
}

function pullError(reason: string, message: string): string {
  const retry = reason === 'ImagePullBackOff' ? ' Kubernetes keeps retrying, waiting longer each time.' : '';
  if (/not found|manifest unknown/i.test(message)) {
    return `The registry has no such image (check the name and the tag).${retry} ${NEW_CONTAINER} with an image that exists.`;
  }
  if (/unauthorized|authentication required|denied|forbidden/i.test(message)) {
    return `The registry refused to hand over the image (the node has no credentials for it).${retry} Use an image the cluster may pull, or add an image pull secret to the pod.`;
  }
  return `The node could not pull the image${message ? ` (${message})` : ''}.${retry} Check the image name and the registry, then start a new container.`;
}

function startError(message: string): string {
  const notInPath = /exec: "([^"]*)": executable file not found in \$PATH/.exec(message);
  if (notInPath) {
    return `The image has no "${notInPath[1]}" (minimal and distroless images often have no shell). Run a program the image has, or use a debug image that has it.`;
  }
  const noFile = /exec: "([^"]*)": stat [^:]*: no such file or directory/.exec(message);
  if (noFile) return `There is no ${noFile[1]} in the image. Check the path, or use a debug image that has it.`;
  return `The container could not start: ${message || 'no details given'}. Check its command.`;
}

/** One or two sentences: what the waiting reason means, and what to do. */
export function explainWaitingReason(reason: string, message = ''): string {
  switch (reason) {
    case 'CreateContainerConfigError':
      return createConfigError(message);
    case 'ErrImagePull':
    case 'ImagePullBackOff':
      return pullError(reason, message);
    case 'InvalidImageName':
      return `The image name is not a valid reference${message ? ` (${message})` : ''}. Use a name like registry.example.com/team/tool:1.2.`;
    case 'ErrImageNeverPull':
      return 'The image pull policy is Never and the image is not on the node. Use pull policy IfNotPresent, or an image the node already has.';
    case 'RunContainerError':
    case 'StartError':
    case 'CreateContainerError':
      return startError(message);
    case 'CrashLoopBackOff':
      return 'The container keeps exiting, and Kubernetes waits longer before each restart. Read its previous logs, or debug a copy of the pod with a different command.';
    case 'ContainerCreating':
    case 'PodInitializing':
      return 'The container is being created. Wait a moment.';
    default:
      return `The container is waiting (${reason}${message ? `: ${message}` : ''}).`;
  }
}
