import { describe, expect, it } from 'vitest';
import { canonicalJson, chainNext, GENESIS_HASH, hashEvent, verifyChain, verifyEvents, type AuditEvent, type NewAuditEvent } from './chain';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 27, 7, 0, 0, ms));

function chainOf(count: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    events.push(chainNext({ actor: i % 2 ? 'alice' : null, action: 'session.start', cluster: 'dev', details: { n: i, nested: { b: 1, a: [2, 'x'] } } }, events.at(-1), at(i)));
  }
  return events;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, writes dates as ISO and leaves out undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined, t: at(5) })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1,"t":"2026-11-27T07:00:00.005Z"}',
    );
  });

  it('gives the same text whatever order the keys were written in', () => {
    expect(canonicalJson({ x: 'é"\n', y: [1.5, true] })).toBe(canonicalJson({ y: [1.5, true], x: 'é"\n' }));
  });
});

describe('the chain', () => {
  it('starts from 64 zeros, counts seq from 1 and links each event to the one before', () => {
    const events = chainOf(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(events[2].prevHash).toBe(events[1].hash);
    for (const event of events) expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the canonical form of every field but the hash (a known value)', () => {
    const event = chainNext({ actor: 'alice', action: 'auth.signin' }, undefined, at(0));
    expect(event.hash).toBe(hashEvent({ ...event }));
    // Pinned (checked with sha256sum over the JSON text), so a change to the serialisation is seen: it would break every stored chain.
    expect(event.hash).toBe('9469c8237040fe933ae1c27a2e7ab0a63b96c58ccef3f3ed1bc21aa853a0c5aa');
  });

  it('verifies an intact chain, and an empty one', () => {
    const events = chainOf(5);
    expect(verifyChain(events)).toEqual({ ok: true, events: 5, lastHash: events[4].hash });
    expect(verifyChain([])).toEqual({ ok: true, events: 0, lastHash: GENESIS_HASH });
  });

  it('verifies page after page by passing the position on', () => {
    const events = chainOf(6);
    const first = verifyEvents(events.slice(0, 4));
    expect('ok' in first).toBe(false);
    expect(verifyEvents(events.slice(4), first as never)).toEqual({ events: 6, lastSeq: 6, lastHash: events[5].hash });
  });

  it('finds an edited event by its hash', () => {
    const events = chainOf(4);
    events[2] = { ...events[2], details: { n: 99 } };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3, reason: 'hash' });
    const retimed = chainOf(4);
    retimed[1] = { ...retimed[1], at: at(500) };
    expect(verifyChain(retimed)).toMatchObject({ ok: false, brokenAt: 2, reason: 'hash' });
  });

  it('finds a deleted event as a gap, and a re-numbered one as a broken link', () => {
    const events = chainOf(4);
    expect(verifyChain([events[0], events[2], events[3]])).toMatchObject({ ok: false, brokenAt: 3, reason: 'gap' });
    // Whoever deletes event 2 and renumbers event 3 as 2 (re-hashing it) still cannot make it point at event 1.
    const renumbered = { ...events[2], seq: 2 };
    const rehashed = { ...renumbered, hash: hashEvent(renumbered) };
    expect(verifyChain([events[0], rehashed])).toMatchObject({ ok: false, brokenAt: 2, reason: 'link' });
  });

  it('finds a deleted first event as a gap at the new first one', () => {
    expect(verifyChain(chainOf(3).slice(1))).toMatchObject({ ok: false, brokenAt: 2, reason: 'gap' });
  });
});

describe('the chain after a retention cut', () => {
  /** Five events, then a retention.run event (seq 6) that names `through` and that event's hash, then two more. */
  function cutChain(through: number, lastHash?: (events: AuditEvent[]) => string): AuditEvent[] {
    const events = chainOf(5);
    const run: NewAuditEvent = {
      actor: null,
      action: 'retention.run',
      details: { auditDeletedThrough: through, auditLastDeletedHash: lastHash?.(events) ?? events[through - 1].hash },
    };
    events.push(chainNext(run, events.at(-1), at(5)));
    for (let i = 6; i < 8; i += 1) events.push(chainNext({ actor: 'alice', action: 'auth.signin' }, events.at(-1), at(i)));
    return events;
  }

  it('is intact when a retention.run event names the last removed seq and its hash', () => {
    const events = cutChain(3);
    expect(verifyChain(events.slice(3))).toEqual({ ok: true, events: 5, lastHash: events[7].hash, removedThrough: 3 });
  });

  it('is intact when checked a page at a time, the vouching event on a later page', () => {
    const events = cutChain(3);
    const first = verifyEvents(events.slice(3, 5));
    expect(first).toMatchObject({ cut: { through: 3, vouched: false } });
    expect(verifyChain(events.slice(3))).toMatchObject({ ok: true });
  });

  it('is broken when one event more than the retention run named is missing', () => {
    expect(verifyChain(cutChain(3).slice(4))).toMatchObject({ ok: false, brokenAt: 5, reason: 'gap' });
  });

  it('is broken when the retention run names another hash for the last removed event', () => {
    expect(verifyChain(cutChain(3, () => 'f'.repeat(64)).slice(3))).toMatchObject({ ok: false, brokenAt: 4, reason: 'gap' });
  });

  it("is broken when a retention run's details are edited to fit a different cut", () => {
    const events = cutChain(3);
    const forged = { ...events[5], details: { auditDeletedThrough: 4, auditLastDeletedHash: events[3].hash } };
    expect(verifyChain([...events.slice(4, 5), forged, ...events.slice(6)])).toMatchObject({ ok: false, brokenAt: 6, reason: 'hash' });
  });

  it('is broken when an event after the cut is edited', () => {
    const events = cutChain(3).slice(3);
    events[1] = { ...events[1], actor: 'mallory' };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 5, reason: 'hash' });
  });

  it('does not accept a retention.run event that removed nothing as vouching for a cut', () => {
    const events = chainOf(3);
    events.push(chainNext({ actor: null, action: 'retention.run', details: { sessionsDeleted: 0 } }, events.at(-1), at(3)));
    expect(verifyChain(events.slice(1))).toMatchObject({ ok: false, brokenAt: 2, reason: 'gap' });
  });
});
