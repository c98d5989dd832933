// The words of a plan: each change is one difference between intent and kernel (drift) with what fixes it; foreign
// state is what nsdeck did not put there, shown and never removed.

/** One difference between intent and kernel. `expected` is '' when the object should not exist, `seen` when it is missing. */
export type Change = {
	readonly op: '+' | '-' | '~';
	/** the kind of object: netns, link, rule, route, neigh, fdb, vrouter, address, sysctl, process, app */
	readonly what: string;
	/** one line, as `reconcile` prints it */
	readonly detail: string;
	/** which object: a namespace, `namespace/dev`, `table T dst` */
	readonly object: string;
	readonly expected: string;
	readonly seen: string;
	/** the app it concerns, if any (its drift in the apps view) */
	readonly app?: string;
	/** the network (VRF) it concerns, if any */
	readonly network?: string;
};

/** State in nsdeck's namespaces or tables that nsdeck did not put there. */
export type Foreign = {
	readonly kind: 'route' | 'rule' | 'link' | 'address' | 'netns';
	readonly namespace: string;
	readonly object: string;
	readonly detail: string;
	readonly app?: string;
	readonly network?: string;
};

export type ChangeInput = Omit<Change, 'detail'> & {readonly detail?: string};

/** A change with its one-line text (by default: object, then seen -> expected). */
export function change(c: ChangeInput): Change {
	const detail = c.detail ?? (c.op === '+' ? `${c.object}${c.expected ? ` ${c.expected}` : ''}` : c.op === '-' ? `${c.object}${c.seen ? ` ${c.seen}` : ''}` : `${c.object}: ${c.seen || 'missing'} -> ${c.expected || 'none'}`);
	return {...c, detail};
}
