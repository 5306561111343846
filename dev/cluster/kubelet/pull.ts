// The kubelet's image manager (EnsureImageExists) over the catalogue: pull
// policy, the node's pulled images, pull back-off, and its events.
import type { ContainerSpec, Pod } from '../types';
import { Backoff } from './backoff';
import { defaultPullPolicy, lookupImage, parseReference, referenceError, type ResolvedImage } from './images';
import * as msg from './messages';

export type PullResult =
  | { image: ResolvedImage }
  | { reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName'; message: string; retryAt?: number };

export type RecordEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

export class ImagePuller {
  /** Images pulled per node (a node's containerd image store). */
  private readonly present = new Map<string, Set<string>>();
  private readonly backoff: Backoff;
  private readonly lastError = new Map<string, string>();

  constructor(
    private readonly pullDelayMs: number,
    backoffBaseMs: number,
  ) {
    this.backoff = new Backoff(backoffBaseMs, backoffBaseMs * 30);
  }

  async ensure(pod: Pod, container: ContainerSpec, record: RecordEvent): Promise<PullResult> {
    const image = container.image ?? '';
    const invalid = referenceError(image);
    if (invalid) {
      const message = msg.invalidImageName(image, invalid);
      record('Warning', 'InspectFailed', message);
      return { reason: 'InvalidImageName', message };
    }
    const node = pod.spec.nodeName ?? '';
    const resolved = lookupImage(image);
    const onNode = this.present.get(node) ?? new Set<string>();
    this.present.set(node, onNode);
    const isPresent = !!resolved && onNode.has(resolved.name);
    const policy = (container.imagePullPolicy as string | undefined) ?? defaultPullPolicy(image);

    if (policy === 'Never' || (policy === 'IfNotPresent' && isPresent)) {
      if (resolved && isPresent) {
        record('Normal', 'Pulled', msg.imagePresent(image));
        return { image: resolved };
      }
      const message = msg.imageNeverPull(image);
      record('Warning', 'ErrImageNeverPull', message);
      return { reason: 'ErrImageNeverPull', message };
    }

    const key = `${pod.metadata.uid}_${image}`;
    const waitUntil = this.backoff.inBackOffSinceUpdate(key, Date.now());
    if (waitUntil !== undefined) {
      const message = msg.backOffPullingImage(image);
      record('Normal', 'BackOff', message);
      // Since v1.32 the waiting message carries the last pull error.
      const previous = this.lastError.get(key);
      return { reason: 'ImagePullBackOff', message: previous ? `${message}: ${previous}` : message, retryAt: waitUntil };
    }
    this.lastError.delete(key);

    record('Normal', 'Pulling', msg.pullingImage(image));
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, this.pullDelayMs));
    if (!resolved) {
      const err = msg.imageNotFound(parseReference(image).normalized);
      record('Warning', 'Failed', msg.failedToPull(image, err));
      this.backoff.next(key, Date.now());
      this.lastError.set(key, `ErrImagePull: ${err}`);
      return { reason: 'ErrImagePull', message: err };
    }
    onNode.add(resolved.name);
    record('Normal', 'Pulled', msg.pulledImage(image, Date.now() - started, resolved.entry.sizeBytes));
    return { image: resolved };
  }

  forgetPod(uid: string): void {
    this.backoff.forget(`${uid}_`);
    for (const key of this.lastError.keys()) if (key.startsWith(`${uid}_`)) this.lastError.delete(key);
  }
}
