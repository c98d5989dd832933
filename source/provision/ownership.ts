// Which store may change this host's kernel. The vrouter carries a stamp (lo's alias) naming the store that made
// it; a store converges only a vrouter it made (or an unstamped one it already names objects in). A store that names
// nothing never converges over namespaces it finds with its prefix: that is a mistyped NSDECK_STATE_DIR, a lost or
// restored store, and converging would delete what the real store names. Nothing is guessed; the operator is told.
import {OperationError} from '../core/errors.js';
import type {Names} from '../core/names.js';
import type {KernelState} from '../dataplane/kernel.js';
import {ipShow} from '../dataplane/ip.js';
import {listNamespaces} from '../dataplane/read.js';
import type {Intent} from '../store/intent.js';
import type {Context} from './context.js';

const STAMP = /^nsdeck (\S+) (.*)$/;

/** lo's alias in the vrouter: `nsdeck <store id> <store path>` (the path only to tell the operator where it is). */
export function stampOf(id: string, path: string): string {
	return `nsdeck ${id} ${path.replace(/[\s"'\\]/g, '?')}`.slice(0, 250);
}

export function parseStamp(stamp: string | undefined): {id: string; path: string} | undefined {
	const m = stamp === undefined ? null : STAMP.exec(stamp);
	return m ? {id: m[1]!, path: m[2]!} : undefined;
}

export function namesNothing(intent: Intent): boolean {
	return intent.networks.length === 0 && intent.apps.length === 0 && intent.owned.length === 0 && intent.externals.length === 0;
}

/** Namespaces of this prefix that nsdeck would make: the vrouter, the gateway, apps'. */
export function prefixNamespaces(names: Names, namespaces: Iterable<string>): string[] {
	return [...namespaces].filter(ns => ns === names.vrouter || ns === names.gateway || names.appOf(ns) !== undefined).sort();
}

/** Why this store must not change the kernel, or undefined when it may. Pure: the caller reads. */
export function ownershipProblem(o: {intent: Intent; names: Names; namespaces: Iterable<string>; stamp: string | undefined; storeId: string; storePath: string}): string | undefined {
	const stamp = parseStamp(o.stamp);
	if (stamp && stamp.id !== o.storeId) {
		return `the vrouter ${o.names.vrouter} was made by the store at ${stamp.path} (id ${stamp.id}), not by ${o.storePath}: is NSDECK_STATE_DIR right? Nothing was changed`;
	}
	if (stamp || !namesNothing(o.intent)) return undefined;
	const found = prefixNamespaces(o.names, o.namespaces);
	if (found.length === 0) return undefined;
	const list = found.slice(0, 3).join(', ') + (found.length > 3 ? ', …' : '');
	return `the store at ${o.storePath} names nothing, but the kernel holds ${found.length} namespace${found.length === 1 ? '' : 's'} with prefix '${o.names.prefix}' (${list}): is NSDECK_STATE_DIR right? Nothing was changed (leftovers: 'nsdeck teardown --foreign' removes them)`;
}

/** The stamp as the vrouter has it now (undefined without a vrouter or a stamp). */
export async function readStamp(names: Names, namespaces: ReadonlySet<string>): Promise<string | undefined> {
	if (!namespaces.has(names.vrouter)) return undefined;
	const out = await ipShow(names.vrouter, ['link show dev lo']);
	return (out?.[0]?.[0] as {ifalias?: string} | undefined)?.ifalias;
}

/** Refuses, before anything changes, when this store may not change the kernel. */
export async function checkOwnership(ctx: Context, intent: Intent, kernel?: KernelState): Promise<void> {
	const namespaces = kernel?.namespaces ?? listNamespaces();
	const stamp = kernel ? kernel.vrouter?.stamp : await readStamp(ctx.names, namespaces);
	const problem = ownershipProblem({intent, names: ctx.names, namespaces, stamp, storeId: ctx.store.id(), storePath: ctx.store.path});
	if (problem) throw new OperationError(problem);
}

/** The stamp this store puts on the vrouter it converges. */
export function storeStamp(ctx: Context): string {
	return stampOf(ctx.store.id(), ctx.store.path);
}
