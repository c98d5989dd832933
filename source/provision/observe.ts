// One read of the host for a plan: the vrouter (links, rules, routes), and the inside of the namespaces the plan must
// compare (every live one for a full plan: status and reconcile; the touched ones otherwise), with the processes in
// them. status and reconcile --dry-run read and plan the same way, so what status calls drift is exactly what
// reconcile would change.
import type {Desired, Endpoint} from '../dataplane/desired.js';
import {readInside, type InsideState} from '../dataplane/inside.js';
import type {KernelState} from '../dataplane/kernel.js';
import {listNamespaces, readVrouter} from '../dataplane/read.js';
import type {Owned} from '../store/intent.js';
import {netnsOf} from './process.js';

export type Observation = {
	readonly kernel: KernelState;
	readonly inside: ReadonlyMap<string, InsideState | undefined>;
	readonly vrouterInside?: InsideState;
};

/** An attached app's process still has a network namespace to configure. */
export function processAlive(pid: number): boolean {
	return netnsOf(pid) !== undefined;
}

const nsPath = (namespace: string) => `/run/netns/${namespace}`;

/** Which namespaces to read inside: every live endpoint (full), or the touched ones; and owned ones about to go. */
function toRead(desired: Desired, namespaces: ReadonlySet<string>, owned: readonly Owned[], full: boolean, touched: ReadonlySet<string>): string[] {
	const live = (e: Endpoint) => namespaces.has(e.namespace) && (e.kind === 'netns' || (e.pid !== undefined && processAlive(e.pid)));
	const wanted = new Set(desired.endpoints.map(e => e.namespace));
	return [
		...desired.endpoints.filter(e => live(e) && (full || touched.has(e.key))).map(e => e.namespace),
		// namespaces a plan may delete: what still runs in them is stopped first
		...owned.filter(o => o.kind === 'netns' && !wanted.has(o.name) && namespaces.has(o.name)).map(o => o.name),
	];
}

export async function observe(desired: Desired, owned: readonly Owned[], {full = false, touched = new Set<string>(), overlay = false}: {full?: boolean; touched?: ReadonlySet<string>; overlay?: boolean} = {}): Promise<Observation> {
	const namespaces = listNamespaces();
	const hasVrouter = namespaces.has(desired.vrouter);
	const paths = toRead(desired, namespaces, owned, full, touched).map(nsPath);
	if (full && hasVrouter) paths.push(nsPath(desired.vrouter));
	const [vrouter, read] = await Promise.all([hasVrouter ? readVrouter(desired.vrouter, {overlay}) : undefined, readInside(paths, {procs: true})]);
	const inside = new Map([...read].map(([path, s]) => [path.slice('/run/netns/'.length), s]));
	const vrouterInside = inside.get(desired.vrouter);
	inside.delete(desired.vrouter);
	return {kernel: vrouter ? {namespaces, vrouter} : {namespaces}, inside, ...(vrouterInside ? {vrouterInside} : {})};
}
