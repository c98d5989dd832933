import {fail, OperationError} from './errors.js';

/** Linux limits interface names to IFNAMSIZ-1 bytes. */
export const IFNAME_MAX = 15;
export const NAME_MAX = 32;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Names of apps and networks: they become namespace names and command arguments, so no shell or path characters. */
export function checkName(kind: 'app' | 'network', name: string): string {
	if (name.length === 0) fail(`invalid ${kind} name: empty`);
	if (name.length > NAME_MAX) fail(`invalid ${kind} name '${name}': longer than ${NAME_MAX} characters`);
	if (!NAME.test(name) || name.endsWith('.')) {
		fail(`invalid ${kind} name '${name}': use letters, digits, '.', '_' and '-', starting with a letter or digit`);
	}
	return name;
}

/** NSDECK_NS_PREFIX: short, so that prefixed interface names still fit in 15 bytes. */
export function checkPrefix(prefix: string): string {
	if (!/^[a-z0-9-]{0,8}$/.test(prefix)) {
		fail(`invalid NSDECK_NS_PREFIX '${prefix}': at most 8 characters of a-z, 0-9 and '-'`);
	}
	return prefix;
}

/** What names an app's host interfaces: its name, and the store's id for it when the name is too long. */
export type AppKey = {readonly name: string; readonly ifid: number};

export type Names = {
	prefix: string;
	vrouter: string;
	gateway: string;
	appNamespace(app: string): string;
	hostIf(app: AppKey, role: 'in' | 'out'): string;
	gatewayIf: string;
	/** Does a namespace name belong to an app of this prefix (and which)? */
	appOf(namespace: string): string | undefined;
};

/**
 * An interface name that fits Linux's 15 bytes and never collides: `HEAD-TAIL` when it fits, else `HEAD~ID` with a
 * unique number in base 36. Names of apps and networks cannot hold '~', so the two forms never meet, and ids are
 * unique where they are drawn from (the store's app ids, VNIs): the mapping is injective, not merely unlikely to
 * collide.
 */
export function ifName(head: string, tail: string, id: number): string {
	const readable = `${head}-${tail}`;
	if (Buffer.byteLength(readable) <= IFNAME_MAX) return readable;
	const short = `${head}~${id.toString(36)}`;
	if (Buffer.byteLength(short) > IFNAME_MAX) throw new OperationError(`interface name for '${tail}' does not fit in ${IFNAME_MAX} bytes (id ${id} with prefix '${head}'): use a shorter NSDECK_NS_PREFIX`);
	return short;
}

export function names(prefix: string): Names {
	const p = checkPrefix(prefix);
	const appHead = `${p}ns-`;
	return {
		prefix: p,
		vrouter: `${p}nsdeck-vr`,
		gateway: `${p}nsdeck-gw`,
		appNamespace: app => appHead + app,
		hostIf: (app, role) => ifName(`${p}${role === 'in' ? 'vi' : 'vo'}`, app.name, app.ifid),
		gatewayIf: `${p}gw0`,
		appOf: ns => (ns.startsWith(appHead) && ns.length > appHead.length ? ns.slice(appHead.length) : undefined),
	};
}

/** Interfaces inside an app namespace keep the original scripts' names. */
export const APP_IF = {in: 'veth0', out: 'veth1'} as const;
/** The gateway every app uses, held on the vrouter's loopback; the same in every network. */
export const APP_GATEWAY = '169.254.1.1';
