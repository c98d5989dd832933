// What the console shows, read through the provisioning layer: one snapshot (intent + one vrouter read), the audit
// log, and, only while a view needs them, the interfaces of the app namespaces.
import type {Context} from '../provision/context.js';
import {inspectInterfaces, type InterfaceRow} from '../provision/inspect.js';
import {appDetail, auditLog, type AppDetail, type HostRef} from '../provision/reads.js';
import {snapshot, type Snapshot} from '../provision/snapshot.js';

/** One known host as last read: its snapshot, or why it could not be read; `pending` until the first read. */
export type HostState = {
	readonly ref: HostRef;
	readonly current: boolean;
	readonly snap?: Snapshot;
	readonly error?: string;
	/** the host's agent has its BGP session to gobgpd (null: not asked, as for this host) */
	readonly gobgp?: boolean | null;
	readonly pending?: boolean;
};

export type {AppDetail, InterfaceRow};
export type AuditEntry = ReturnType<typeof auditLog>[number];

export type Data = {
	readonly snap: Snapshot;
	readonly log: readonly AuditEntry[];
	/** every interface of every namespace; only loaded while the interfaces view is open */
	readonly ifaces?: readonly InterfaceRow[];
	/** one app's namespace, while its drill-down is open */
	readonly app?: AppDetail;
	/** when this was read (clock of the console, ms) */
	readonly loadedAt: number;
	/** every known host (this one, other hosts' agents); the others are read only while a view needs them */
	readonly hosts?: readonly HostState[];
};

export type Need = {readonly ifaces: boolean; readonly app?: string; readonly peers?: boolean};
export type Loader = (need: Need) => Promise<Data>;

export const LOG_LIMIT = 500;

export function contextLoader(ctx: Context, now: () => number = Date.now): Loader {
	return async need => {
		const [snap, ifaces, app] = await Promise.all([
			snapshot(ctx),
			need.ifaces ? inspectInterfaces(ctx) : undefined,
			need.app === undefined ? undefined : appDetail(ctx, need.app),
		]);
		return {snap, log: auditLog(ctx, LOG_LIMIT), ...(ifaces ? {ifaces} : {}), ...(app ? {app} : {}), loadedAt: now()};
	};
}
