import { describe, expect, it } from 'vitest';
import type { ContainerSpec, Pod } from '../types';
import { hostCapabilities, securitySettings, setprivArgs } from './security';

const pod = (securityContext?: Record<string, unknown>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [], ...(securityContext ? { securityContext } : {}) },
});
const container = (securityContext?: Record<string, unknown>): ContainerSpec => ({ name: 'c', image: 'busybox', securityContext });
const ROOT = { uid: 0, gid: 0 };
const DEFAULTS = ['chown', 'dac_override', 'fsetid', 'fowner', 'mknod', 'net_raw', 'setgid', 'setuid', 'setfcap', 'setpcap', 'net_bind_service', 'sys_chroot', 'kill', 'audit_write'];
const onHost = (caps: string[]) => caps.filter((c) => hostCapabilities().has(c));

describe('securitySettings: the profiles of kubectl debug, as the node applies them', () => {
  it('gives containerd\'s default capabilities without a securityContext (baseline)', () => {
    const s = securitySettings(pod(), container(), ROOT);
    expect(s.capabilities.sort()).toEqual(onHost(DEFAULTS).sort());
    expect(s).toMatchObject({ privileged: false, noNewPrivs: false, groups: [], notApplied: [] });
  });

  it('adds SYS_PTRACE (general) and NET_ADMIN, NET_RAW (netadmin), with or without the CAP_ prefix', () => {
    expect(securitySettings(pod(), container({ capabilities: { add: ['SYS_PTRACE'] } }), ROOT).capabilities).toContain('sys_ptrace');
    const net = securitySettings(pod(), container({ capabilities: { add: ['CAP_NET_ADMIN', 'NET_RAW'] } }), ROOT);
    expect(net.capabilities).toEqual(expect.arrayContaining(onHost(['net_admin', 'net_raw'])));
  });

  it('drops everything, sets no_new_privs and says seccomp is not applied (restricted)', () => {
    const s = securitySettings(
      pod(),
      container({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
      { uid: 65532, gid: 65532 },
    );
    expect(s.capabilities).toEqual([]);
    expect(s.noNewPrivs).toBe(true);
    expect(s.notApplied).toEqual(['seccompProfile RuntimeDefault']);
    expect(setprivArgs(s)).toEqual(['--reuid=65532', '--regid=65532', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--nnp', '--pdeathsig=KILL', '--']);
  });

  it('keeps every capability the node has for privileged (sysadmin), and names those it lacks', () => {
    const s = securitySettings(pod(), container({ privileged: true }), ROOT);
    expect(new Set(s.capabilities)).toEqual(hostCapabilities());
    expect(setprivArgs(s).some((a) => a.startsWith('--bounding-set'))).toBe(false);
    const lacking = ['sys_resource', 'sys_admin'].filter((c) => !hostCapabilities().has(c));
    if (lacking.length) expect(s.notApplied.join()).toContain(`CAP_${lacking[0].toUpperCase()}`);
  });

  it('takes ALL added, then drops, in containerd\'s order', () => {
    const s = securitySettings(pod(), container({ capabilities: { add: ['ALL'], drop: ['CHOWN'] } }), ROOT);
    expect(s.capabilities).not.toContain('chown');
    expect(s.capabilities).toContain('kill');
  });

  it('adds fsGroup and supplementalGroups to the process\'s groups', () => {
    const s = securitySettings(pod({ fsGroup: 1001, supplementalGroups: [1001, 2000] }), container(), { uid: 1001, gid: 1001 });
    expect(s.groups).toEqual([1001, 2000]);
    expect(setprivArgs(s).slice(0, 3)).toEqual(['--reuid=1001', '--regid=1001', '--groups=1001,2000']);
  });
});
