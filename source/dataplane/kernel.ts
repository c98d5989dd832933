/** The kernel state nsdeck owns, as read back from the vrouter namespace (and /run/netns). */

export type KLink = {
	readonly name: string;
	readonly ifindex: number;
	readonly group: string;
	readonly up: boolean;
	readonly operUp: boolean;
	/** The namespace of a veth's peer, when the kernel told us its id. */
	readonly peerNamespace?: string;
};

export type KRule = {
	readonly pref: number;
	readonly iif?: string;
	readonly table: string;
	readonly protocol?: string;
	/** what else it matches (from, to, oif, fwmark), as `ip rule` prints it; empty for nsdeck's own iif rules */
	readonly selector?: string;
};

export type KRoute = {
	readonly table: string;
	/** Always A.B.C.D/N ("default" is 0.0.0.0/0). */
	readonly dst: string;
	readonly type: 'unicast' | 'unreachable';
	readonly dev?: string;
	readonly via?: string;
	readonly metric: number;
};

export type VrouterState = {
	readonly links: readonly KLink[];
	/** rules and routes carrying nsdeck's tag */
	readonly rules: readonly KRule[];
	readonly routes: readonly KRoute[];
	/** what is in the vrouter without nsdeck's tag (not the kernel's own): foreign, shown, never removed */
	readonly foreignRules: readonly KRule[];
	readonly foreignRoutes: ReadonlyArray<KRoute & {readonly proto: string}>;
	readonly loAddresses: readonly string[];
	/** permanent neighbours, as `dev address mac` */
	readonly neighs: readonly string[];
	/** VXLAN forwarding entries with a destination, as `dev mac dst` (read only when asked) */
	readonly fdb: readonly string[];
	/** lo's alias: which store made this vrouter (see provision/ownership.ts) */
	readonly stamp?: string;
};

export type KernelState = {
	/** Every namespace name under /run/netns (not only ours: the caller filters by prefix). */
	readonly namespaces: ReadonlySet<string>;
	/** Undefined when the vrouter namespace does not exist. */
	readonly vrouter?: VrouterState;
};

/** Tags: every route and rule nsdeck creates carries protocol 77, every host-side link group 77. */
export const TAG = 77;
export const UNREACHABLE_METRIC = 4278198272;
export const RULE_PREF = 100;
/** The kernel's own rules in every namespace: local (0), main (32766), default (32767). */
export const KERNEL_RULE_PREFS: ReadonlySet<number> = new Set([0, 32766, 32767]);

export function normalizeDst(dst: string): string {
	if (dst === 'default') return '0.0.0.0/0';
	return dst.includes('/') ? dst : `${dst}/32`;
}
