// Events about one object, as `kubectl describe` lists them at its end. Pure.

import type { CoreV1Event } from '@kubernetes/client-node';
import { isoTime } from './duration';

export interface EventView {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** "kubelet", "default-scheduler", with the host when the source has one. */
  from: string;
  firstAt?: string;
  lastAt?: string;
}

/** Whether `event` is about the object with this namespace, kind, name and (when known) uid. */
export function isAbout(event: CoreV1Event, target: { namespace: string; kind: string; name: string; uid?: string }): boolean {
  const involved = event.involvedObject;
  if (!involved || involved.kind !== target.kind || involved.name !== target.name) return false;
  if ((involved.namespace ?? '') !== target.namespace) return false;
  // A pod recreated under the same name (a StatefulSet's) has a new uid; the old one's events are not about it.
  return !target.uid || !involved.uid || involved.uid === target.uid;
}

export function toEventView(event: CoreV1Event): EventView {
  const source = event.source?.component ?? event.reportingComponent ?? '';
  const host = event.source?.host ?? event.reportingInstance ?? '';
  const lastAt = isoTime(event.lastTimestamp) ?? isoTime(event.eventTime) ?? isoTime(event.metadata?.creationTimestamp);
  const firstAt = isoTime(event.firstTimestamp) ?? isoTime(event.eventTime) ?? lastAt;
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    count: event.count ?? event.series?.count ?? 1,
    from: host && source ? `${source}, ${host}` : source || host,
    ...(firstAt ? { firstAt } : {}),
    ...(lastAt ? { lastAt } : {}),
  };
}

/** Oldest first, as kubectl describe prints them. */
export function eventsAbout(events: readonly CoreV1Event[], target: Parameters<typeof isAbout>[1]): EventView[] {
  const time = (view: EventView) => Date.parse(view.lastAt ?? view.firstAt ?? '') || 0;
  return events.filter((event) => isAbout(event, target)).map(toEventView).sort((a, b) => time(a) - time(b));
}
