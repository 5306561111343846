import { describe, expect, it } from 'vitest';
import { DEBUG_RESOURCES, rulesTable, type RulesRow } from './rules-table';

/** A row as "verb verb verb" of the verbs it grants, `name(…)` marking named-only grants. */
const granted = (row: RulesRow | undefined) =>
  row &&
  Object.entries(row.grants)
    .filter(([, grant]) => grant !== 'none')
    .map(([verb, grant]) => (grant === 'named' ? `${verb}(${row.names.join(',')})` : verb))
    .join(' ');

const find = (rows: RulesRow[], group: string, resource: string) => rows.find((row) => row.group === group && row.resource === resource);

describe('rulesTable', () => {
  // The demo's ephemera:debugger ClusterRole, as SelfSubjectRulesReview returns it for oncall in pxc.
  const debuggerRules = [
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log', 'events'] },
    { verbs: ['get', 'patch', 'update'], apiGroups: [''], resources: ['pods/ephemeralcontainers'] },
    { verbs: ['create', 'get'], apiGroups: [''], resources: ['pods/attach', 'pods/exec'] },
    { verbs: ['create', 'delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  ];

  it('puts the debug resources first, highlighted, then the rest by group and resource', () => {
    const table = rulesTable(debuggerRules);
    expect(table.rows.map((row) => [row.group, row.resource, row.debug])).toEqual([
      ...DEBUG_RESOURCES.map((resource) => ['', resource, true]),
      ['', 'events', false],
      ['authorization.k8s.io', 'selfsubjectaccessreviews', false],
      ['authorization.k8s.io', 'selfsubjectrulesreviews', false],
    ]);
  });

  it('unites the verbs of every rule that names a resource', () => {
    const { rows } = rulesTable(debuggerRules);
    expect(granted(find(rows, '', 'pods'))).toBe('get list watch create delete');
    expect(granted(find(rows, '', 'pods/ephemeralcontainers'))).toBe('get update patch');
    expect(granted(find(rows, '', 'pods/exec'))).toBe('get create');
  });

  it('shows the debug rows even when nothing grants them', () => {
    const { rows } = rulesTable([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }]);
    expect(rows.filter((row) => row.debug).map(granted)).toEqual(['', '', '', '', '']);
  });

  it('expands wildcards: cluster-admin fills every cell, with one * row', () => {
    const table = rulesTable([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['*'], nonResourceURLs: ['*'] }]);
    expect(table.verbs).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']);
    expect(table.rows.every((row) => Object.values(row.grants).every((grant) => grant === 'all'))).toBe(true);
    expect(table.rows.map((row) => `${row.group}/${row.resource}`).slice(DEBUG_RESOURCES.length)).toEqual(['*/*']);
    expect(table.nonResource).toEqual([{ urls: ['*'], verbs: ['*'] }]);
  });

  it('matches pods/* to every pod subresource, and not to pods itself', () => {
    const { rows } = rulesTable([{ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] }]);
    expect(granted(find(rows, '', 'pods/exec'))).toBe('create');
    expect(granted(find(rows, '', 'pods'))).toBe('');
  });

  it('marks grants limited to named objects, and keeps a grant to all over a named one', () => {
    const { rows } = rulesTable([
      { verbs: ['get', 'patch'], apiGroups: [''], resources: ['pods'], resourceNames: ['cluster1-pxc-0', 'cluster1-haproxy-0'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    ]);
    const pods = find(rows, '', 'pods');
    expect(granted(pods)).toBe('get patch(cluster1-haproxy-0,cluster1-pxc-0)');
  });

  it('adds the unusual verbs a rule names as columns', () => {
    expect(rulesTable([{ verbs: ['impersonate'], apiGroups: [''], resources: ['users', 'groups'] }]).verbs.slice(-1)).toEqual(['impersonate']);
  });
});
