import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './env';
import { DEFAULT_POLICY } from '@/lib/policy';
import { DEFAULT_FILE_CONFIG, fieldName, loadConfigFile, parseConfigFile } from './file';

function problems(text: string): string {
  try {
    parseConfigFile(text, 'ephemera.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('parseConfigFile', () => {
  it('reads a complete file', () => {
    const text = yaml(
      'auth:',
      '  claims:',
      '    username: email',
      '    groups: roles',
      '  groupsPrefix: "oidc:"',
      '  accessContact: "#platform-access on Slack"',
      '  roles:',
      '    viewer: [support]',
      '    debugger: [oncall, sre]',
      '    lead:',
      '      - team-leads',
      '    admin: [platform-admins]',
    );
    expect(parseConfigFile(text, 'ephemera.yaml')).toEqual({
      auth: {
        claims: { username: 'email', groups: 'roles' },
        groupsPrefix: 'oidc:',
        accessContact: '#platform-access on Slack',
        roles: { viewer: ['support'], debugger: ['oncall', 'sre'], lead: ['team-leads'], admin: ['platform-admins'] },
      },
      policy: DEFAULT_POLICY,
      retention: {},
      audit: {},
    });
  });

  it('defaults every field: preferred_username, groups, no prefix, no roles', () => {
    const expected = {
      auth: {
        claims: { username: 'preferred_username', groups: 'groups' },
        groupsPrefix: '',
        roles: { viewer: [], debugger: [], lead: [], admin: [] },
      },
      policy: DEFAULT_POLICY,
      retention: {},
      audit: {},
    };
    expect(DEFAULT_FILE_CONFIG).toEqual(expected);
    expect(parseConfigFile('', 'ephemera.yaml')).toEqual(expected);
    expect(parseConfigFile('# nothing yet\n', 'ephemera.yaml')).toEqual(expected);
    expect(parseConfigFile(yaml('auth:', '  roles:', '    admin: [ops]'), 'x.yaml').auth.roles).toEqual({ viewer: [], debugger: [], lead: [], admin: ['ops'] });
  });

  it('names line and field for a wrong type inside a list', () => {
    const text = yaml('auth:', '  roles:', '    debugger:', '      - oncall', '      - 12');
    expect(problems(text)).toBe('ephemera.yaml:5: auth.roles.debugger[1]: expected a string, got a number');
  });

  it('says a list was expected when a role is given one string', () => {
    expect(problems(yaml('auth:', '  roles:', '    lead: team-leads'))).toBe('ephemera.yaml:3: auth.roles.lead: expected a list, got a string');
  });

  it('says a mapping was expected where a section is a scalar or empty', () => {
    expect(problems(yaml('auth: yes'))).toBe('ephemera.yaml:1: auth: expected a mapping, got a string');
    expect(problems(yaml('auth:', '  roles:'))).toBe('ephemera.yaml:2: auth.roles: expected a mapping, got an empty value');
    expect(problems(yaml('- auth'))).toBe('ephemera.yaml:1: (the file): expected a mapping, got a list');
  });

  it('names an unknown role and lists the real ones', () => {
    const text = yaml('auth:', '  roles:', '    viewer: [support]', '    superuser: [root]');
    expect(problems(text)).toBe(
      `ephemera.yaml:4: auth.roles.superuser: unknown role "superuser"; Ephemera's roles are viewer, debugger, lead, admin`,
    );
  });

  it('names an unknown key at any level, on the key’s own line', () => {
    expect(problems(yaml('auth:', '  roles: {}', 'polcy: {}'))).toBe('ephemera.yaml:3: polcy: unknown key "polcy"; expected one of auth, policy, retention, audit');
    expect(problems(yaml('auth:', '  groupPrefix: "oidc:"'))).toBe(
      'ephemera.yaml:2: auth.groupPrefix: unknown key "groupPrefix"; expected one of claims, groupsPrefix, roles, accessContact',
    );
    expect(problems(yaml('auth:', '  claims:', '    name: email'))).toBe(
      'ephemera.yaml:3: auth.claims.name: unknown key "name"; expected one of username, groups',
    );    expect(problems(yaml('auth:', '  roles: {}', 'policy:', '  recording:', '    keystrokes: true'))).toBe(
      'ephemera.yaml:5: policy.recording.keystrokes: unknown key "keystrokes"; expected one of input, onStoreFailure',
    );
  });

  it('refuses empty strings', () => {
    expect(problems(yaml('auth:', '  claims:', '    username: ""'))).toBe('ephemera.yaml:3: auth.claims.username: must not be empty');
    expect(problems(yaml('auth:', '  roles:', '    admin: ["  "]'))).toBe('ephemera.yaml:3: auth.roles.admin[0]: must not be empty');
  });

  it('lists every problem at once, each on its line', () => {
    const text = yaml('auth:', '  groupsPrefix: 3', '  roles:', '    admin: [1]', '  extra: true');
    expect(problems(text).split('\n')).toEqual([
      'ephemera.yaml:2: auth.groupsPrefix: expected a string, got a number',
      'ephemera.yaml:4: auth.roles.admin[0]: expected a string, got a number',
      'ephemera.yaml:5: auth.extra: unknown key "extra"; expected one of claims, groupsPrefix, roles, accessContact',
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(problems(yaml('auth:', '  roles:', '    debugger: [oncall', '  claims: {}'))).toMatch(
      /^ephemera\.yaml:4: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    );
    expect(problems(yaml('auth:', '  roles: {}', '  roles: {}'))).toBe('ephemera.yaml:3: YAML syntax error: Map keys must be unique');
    expect(problems(yaml('auth:', '\tclaims: {}'))).toMatch(/^ephemera\.yaml:2: YAML syntax error: /);
  });

  it('reports an alias to nothing', () => {
    expect(problems(yaml('auth:', '  groupsPrefix: *nowhere'))).toMatch(/^ephemera\.yaml: YAML error: .*nowhere/);
  });
});

describe('fieldName', () => {
  it('writes paths the way a person points at a field', () => {
    expect(fieldName(['auth', 'roles', 'debugger', 0])).toBe('auth.roles.debugger[0]');
    expect(fieldName([])).toBe('');
  });
});

describe('loadConfigFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemera-config-'));

  it('uses the defaults when the default file does not exist', () => {
    expect(loadConfigFile({ path: path.join(dir, 'ephemera.yaml'), explicit: false, shownAs: 'ephemera.yaml' })).toEqual({
      config: DEFAULT_FILE_CONFIG,
      found: false,
    });
  });

  it('fails when the file EPHEMERA_CONFIG names does not exist', () => {
    expect(() => loadConfigFile({ path: '/nope/e.yaml', explicit: true, shownAs: '/nope/e.yaml' })).toThrow(
      'EPHEMERA_CONFIG points to /nope/e.yaml, which does not exist',
    );
  });

  it('reads and validates the file, naming it as shown', () => {
    const file = path.join(dir, 'team.yaml');
    fs.writeFileSync(file, yaml('auth:', '  roles:', '    admin: [ops]'));
    expect(loadConfigFile({ path: file, explicit: true, shownAs: 'team.yaml' }).config.auth.roles.admin).toEqual(['ops']);
    fs.writeFileSync(file, yaml('auth:', '  roles:', '    root: [ops]'));
    expect(() => loadConfigFile({ path: file, explicit: true, shownAs: 'team.yaml' })).toThrow(/^team\.yaml:3: auth\.roles\.root: unknown role/);
  });
});

describe('the shipped files', () => {
  const root = path.resolve(import.meta.dirname, '..', '..');
  it.each(['ephemera.example.yaml', 'dev/demo/ephemera.yaml'])('%s is valid', (file) => {
    const config = parseConfigFile(fs.readFileSync(path.join(root, file), 'utf8'), file);
    expect(config.auth.roles).toMatchObject({ viewer: ['support'], lead: ['team-leads'], admin: ['platform-admins'] });
    expect(config.auth.roles.debugger).toContain('oncall');
  });
});

describe('the policy section', () => {
  it('is the default policy when absent', () => {
    expect(parseConfigFile(yaml('auth:', '  roles:', '    admin: [ops]'), 'ephemera.yaml').policy).toEqual(DEFAULT_POLICY);
  });

  it('reads durations and fills in what is not written', () => {
    const policy = parseConfigFile(yaml('policy:', '  sessions:', '    maxDuration: 1h30m', '  namespaces:', '    disabled: [kube-*]'), 'ephemera.yaml').policy;
    expect(policy.sessions).toEqual({ maxDuration: 5400, idleTimeout: 900, stdinOnce: true, reconnectGrace: 60 });
    expect(policy.namespaces.disabled).toEqual(['kube-*']);
    expect(policy.images).toEqual(DEFAULT_POLICY.images);
  });

  it.each([
    [yaml('policy:', '  images:', '    default: foo:1'), 'ephemera.yaml:3: policy.images.default: foo:1 is not matched by any images.approved pattern'],
    [yaml('policy:', '  profiles:', '    byRole:', '      wizard: [general]'), 'ephemera.yaml:4: policy.profiles.byRole.wizard: unknown role "wizard"'],
    [
      yaml('policy:', '  images:', '    default: busybox:1.36', '    approved:', '      - pattern: "busybox:1.*"', '        colour: red'),
      'ephemera.yaml:6: policy.images.approved[0].colour: unknown key "colour"; expected one of pattern, requireDigest, profiles, user',
    ],
    [yaml('policy:', '  sessions:', '    maxDuration: soon'), 'ephemera.yaml:3: policy.sessions.maxDuration: expected a duration like 90s, 15m, 1h30m or 90d'],
    [yaml('policy:', '  namespace: {}'), 'ephemera.yaml:2: policy.namespace: unknown key "namespace"; expected one of images, profiles, breakGlass, namespaces, sessions'],
    [yaml('policy:', '  breakGlass:', '    reason:', '      pattern: "[A-Z"'), 'ephemera.yaml:4: policy.breakGlass.reason.pattern: not a regular expression'],
  ])('names file, line and field: %#', (text, message) => {
    expect(problems(text)).toContain(message);
  });

  it('the demo policy: debug images approved, restricted first, sysadmin for admins, reasons with a ticket', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const { policy } = parseConfigFile(fs.readFileSync(path.join(root, 'dev/demo/ephemera.yaml'), 'utf8'), 'dev/demo/ephemera.yaml');
    expect(policy.images.default).toBe('ghcr.io/ephemera/debug-tools:1.0');
    expect(policy.images.approved.map((rule) => rule.pattern)).toEqual(expect.arrayContaining(['busybox:1.36', 'nicolaka/netshoot:v0.13']));
    expect(policy.profiles.byRole.debugger?.[0]).toBe('restricted');
    expect(policy.profiles.byRole.debugger).not.toContain('sysadmin');
    expect(policy.profiles.byRole.admin).toContain('sysadmin');
    expect(policy.namespaces.disabled).toContain('kube-system');
    expect(policy.breakGlass.reason.pattern).toBeDefined();
  });
});
