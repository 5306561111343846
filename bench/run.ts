// Ephemera's browsing benchmarks (DESIGN.md, "Targets"): 10,000 pods in 50
// namespaces on the dev cluster, then
//   - the pods API from the shared cache vs `kubectl get pods -A -o json`;
//   - first paint of the pods page in Chromium;
//   - a status change reaching 50 open live streams.
// Prints one table. Figures, not assertions: nothing here fails a build.
//   tsx bench/run.ts [--pods 10000] [--namespaces 50] [--user ada]

import { parseArgs } from 'node:util';
import { benchFirstPaint } from './first-paint';
import { benchLiveStreams } from './live-streams';
import { benchPodsApi } from './pods-api';
import { signIn, startStack, withBrowser } from './stack';
import { table, type Figure } from './stats';

const { values } = parseArgs({
  options: { pods: { type: 'string', default: '10000' }, namespaces: { type: 'string', default: '50' }, user: { type: 'string', default: 'ada' } },
});
const pods = Number(values.pods);
const namespaces = Number(values.namespaces);

process.stdout.write(`Starting the dev cluster with ${pods} pods in ${namespaces} namespaces, the dev IdP and Ephemera…\n`);
const stack = await startStack({ pods, namespaces });
const figures: Figure[] = [];
try {
  await withBrowser(async (newContext) => {
    const context = await newContext();
    const cookie = await signIn(context, stack.url, values.user!);
    process.stdout.write(`Signed in as ${values.user}. Measuring the pods API…\n`);
    figures.push(...(await benchPodsApi(stack.url, cookie, stack.kubeconfig, pods)));
    process.stdout.write('Measuring first paint…\n');
    figures.push(...(await benchFirstPaint(context, stack.url, pods)));
    process.stdout.write('Measuring 50 live streams…\n');
    figures.push(...(await benchLiveStreams(stack.url, cookie, stack.kubeconfig)));
  });
} finally {
  await stack.stop();
}
process.stdout.write(`\nEphemera browsing benchmarks — ${pods} pods, ${namespaces} namespaces, user ${values.user}, ${new Date().toISOString()}\n\n${table(figures)}\n`);
