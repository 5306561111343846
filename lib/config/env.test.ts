import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, type ConfigHost } from './env';

const TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function host(files: string[] = []): ConfigHost {
  return { homedir: '/home/op', cwd: '/srv/ephemera', exists: (file) => files.includes(file) };
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('defaults to 127.0.0.1:3000 and reports where it looked when nothing is configured', () => {
    expect(parseConfig({}, host())).toEqual({
      port: 3000,
      host: '127.0.0.1',
      contexts: null,
      clusterAuth: { default: 'impersonate', contexts: {} },
      configFile: { path: '/srv/ephemera/ephemera.yaml', explicit: false, shownAs: 'ephemera.yaml' },
      store: { kind: 'pglite', dataDir: '/srv/ephemera/.ephemera/data' },
      clusterSource: {
        kind: 'none',
        searched: [
          'EPHEMERA_KUBECONFIG (not set)',
          'KUBECONFIG (not set)',
          '/home/op/.kube/config (no such file)',
          'in-cluster service account (KUBERNETES_SERVICE_HOST not set)',
        ],
      },
    });
  });

  it('reads PORT and HOST, treating empty values as unset', () => {
    expect(parseConfig({ PORT: '8080', HOST: '0.0.0.0' }, host())).toMatchObject({ port: 8080, host: '0.0.0.0' });
    expect(parseConfig({ PORT: '', HOST: '' }, host())).toMatchObject({ port: 3000, host: '127.0.0.1' });
  });

  it.each([
    ['abc', 'PORT must be a TCP port number (got "abc")'],
    ['70000', 'PORT must be between 1 and 65535 (got "70000")'],
    ['0', 'PORT must be between 1 and 65535 (got "0")'],
  ])('rejects PORT=%s naming the variable', (value, message) => {
    expect(configError(() => parseConfig({ PORT: value }, host()))).toContain(message);
  });

  it('reads EPHEMERA_CLUSTER_AUTH, and names it when it is malformed', () => {
    expect(parseConfig({ EPHEMERA_CLUSTER_AUTH: 'passthrough,dev=impersonate' }, host()).clusterAuth).toEqual({
      default: 'passthrough',
      contexts: { dev: 'impersonate' },
    });
    expect(configError(() => parseConfig({ EPHEMERA_CLUSTER_AUTH: 'oidc' }, host()))).toContain(
      'EPHEMERA_CLUSTER_AUTH: "oidc" is not a mode; use impersonate or passthrough, or context=mode (got "oidc")',
    );
  });

  it('takes the configuration file from EPHEMERA_CONFIG, relative to the working directory', () => {
    expect(parseConfig({ EPHEMERA_CONFIG: 'dev/demo/ephemera.yaml' }, host()).configFile).toEqual({
      path: '/srv/ephemera/dev/demo/ephemera.yaml',
      explicit: true,
      shownAs: 'dev/demo/ephemera.yaml',
    });
  });

  it('lists every invalid variable at once', () => {
    const message = configError(() => parseConfig({ PORT: 'x', KUBERNETES_SERVICE_PORT: 'y' }, host()));
    expect(message).toContain('PORT must be a TCP port number');
    expect(message).toContain('KUBERNETES_SERVICE_PORT must be a TCP port number');
  });

  it('prefers EPHEMERA_KUBECONFIG over KUBECONFIG and ~/.kube/config, resolving it against the working directory', () => {
    const config = parseConfig(
      { EPHEMERA_KUBECONFIG: 'demo/kubeconfig', KUBECONFIG: '/etc/kube/a' },
      host(['/srv/ephemera/demo/kubeconfig', '/etc/kube/a', '/home/op/.kube/config']),
    );
    expect(config.clusterSource).toEqual({ kind: 'kubeconfig', paths: ['/srv/ephemera/demo/kubeconfig'], from: 'EPHEMERA_KUBECONFIG' });
  });

  it('fails when EPHEMERA_KUBECONFIG points at no file', () => {
    expect(configError(() => parseConfig({ EPHEMERA_KUBECONFIG: '/nope' }, host()))).toMatch(
      /^EPHEMERA_KUBECONFIG points to \/nope, which does not exist/,
    );
  });

  it('takes KUBECONFIG as a list, skipping missing files like kubectl', () => {
    const config = parseConfig({ KUBECONFIG: '/a:/missing:/b' }, host(['/a', '/b']));
    expect(config.clusterSource).toEqual({ kind: 'kubeconfig', paths: ['/a', '/b'], from: 'KUBECONFIG' });
  });

  it('fails when no file in KUBECONFIG exists', () => {
    expect(configError(() => parseConfig({ KUBECONFIG: '/x:/y' }, host()))).toMatch(/^KUBECONFIG lists \/x:\/y, and none of those files exists/);
  });

  it('falls back to ~/.kube/config', () => {
    expect(parseConfig({}, host(['/home/op/.kube/config'])).clusterSource).toEqual({
      kind: 'kubeconfig',
      paths: ['/home/op/.kube/config'],
      from: 'default',
    });
  });

  it('detects a pod from KUBERNETES_SERVICE_HOST plus the mounted service-account token', () => {
    expect(parseConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, host([TOKEN])).clusterSource).toEqual({
      kind: 'in-cluster',
      server: 'https://10.96.0.1:443',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      tokenFile: TOKEN,
      namespaceFile: '/var/run/secrets/kubernetes.io/serviceaccount/namespace',
    });
    expect(parseConfig({ KUBERNETES_SERVICE_HOST: 'fd00::1' }, host([TOKEN])).clusterSource).toMatchObject({
      server: 'https://[fd00::1]:443',
    });
  });

  it('is not in-cluster without the token, and says so', () => {
    const config = parseConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }, host());
    expect(config.clusterSource).toMatchObject({ kind: 'none' });
    expect(config.clusterSource.kind === 'none' && config.clusterSource.searched.at(-1)).toBe(`in-cluster service account (no token at ${TOKEN})`);
  });

  it('parses EPHEMERA_CONTEXTS as a trimmed, de-duplicated list', () => {
    expect(parseConfig({ EPHEMERA_CONTEXTS: ' prod-eu, prod-us,,prod-eu ' }, host()).contexts).toEqual(['prod-eu', 'prod-us']);
    expect(configError(() => parseConfig({ EPHEMERA_CONTEXTS: ' , ' }, host()))).toContain('EPHEMERA_CONTEXTS must name at least one context');
  });

  it('keeps sessions in PGlite under EPHEMERA_DATA_DIR, relative to the working directory, or in memory', () => {
    expect(parseConfig({ EPHEMERA_DATA_DIR: 'state/db' }, host()).store).toEqual({ kind: 'pglite', dataDir: '/srv/ephemera/state/db' });
    expect(parseConfig({ EPHEMERA_DATA_DIR: '/var/lib/ephemera' }, host()).store).toEqual({ kind: 'pglite', dataDir: '/var/lib/ephemera' });
    expect(parseConfig({ EPHEMERA_DATA_DIR: 'memory://' }, host()).store).toEqual({ kind: 'pglite', dataDir: 'memory://' });
  });

  it('uses PostgreSQL when EPHEMERA_DATABASE_URL is set, whatever EPHEMERA_DATA_DIR says', () => {
    const url = 'postgresql://ephemera:s3cret@db.example.com:5432/ephemera?sslmode=require';
    expect(parseConfig({ EPHEMERA_DATABASE_URL: url, EPHEMERA_DATA_DIR: 'x' }, host()).store).toEqual({ kind: 'postgres', url });
    expect(parseConfig({ EPHEMERA_DATABASE_URL: 'postgres://db/ephemera' }, host()).store).toMatchObject({ kind: 'postgres' });
  });

  it('rejects a malformed EPHEMERA_DATABASE_URL without echoing it (it may hold a password)', () => {
    const noScheme = configError(() => parseConfig({ EPHEMERA_DATABASE_URL: 'db.example.com:5432 s3cret' }, host()));
    expect(noScheme).toContain('EPHEMERA_DATABASE_URL must start with postgres:// or postgresql://, e.g. postgres://');
    expect(noScheme).not.toContain('s3cret');
    const mysql = configError(() => parseConfig({ EPHEMERA_DATABASE_URL: 'mysql://root:s3cret@db/ephemera' }, host()));
    expect(mysql).toContain('EPHEMERA_DATABASE_URL must start with postgres:// or postgresql:// (it starts with mysql://)');
    expect(mysql).not.toContain('s3cret');
    const broken = configError(() => parseConfig({ EPHEMERA_DATABASE_URL: 'postgres://ephemera:s3cret@db:port/ephemera' }, host()));
    expect(broken).toContain('EPHEMERA_DATABASE_URL is not a valid URL');
    expect(broken).not.toContain('s3cret');
  });
});
