import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NewAuditEvent } from './chain';
import { recordAudit, setAuditRecorder } from './record';

afterEach(() => {
  setAuditRecorder(undefined);
  vi.restoreAllMocks();
});

const event: NewAuditEvent = { actor: 'alice', action: 'session.attach', sessionId: null };

describe('recordAudit', () => {
  it('does nothing until a recorder is installed', async () => {
    await expect(recordAudit(event)).resolves.toBeUndefined();
  });

  it('hands the event to the installed recorder', async () => {
    const seen: NewAuditEvent[] = [];
    setAuditRecorder(async (e) => seen.push(e));
    await recordAudit(event);
    expect(seen).toEqual([event]);
  });

  it('never rejects: a failing recorder, even one that throws at once, is logged loudly on stderr', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => (written.push(String(line)), true));
    setAuditRecorder(async () => {
      throw new Error('the store is down');
    });
    await expect(recordAudit(event)).resolves.toBeUndefined();
    setAuditRecorder(() => {
      throw new Error('synchronously');
    });
    await expect(recordAudit(event)).resolves.toBeUndefined();
    expect(written).toEqual([
      'Ephemera: AUDIT EVENT NOT RECORDED (session.attach by alice): the store is down\n',
      'Ephemera: AUDIT EVENT NOT RECORDED (session.attach by alice): synchronously\n',
    ]);
  });
});
