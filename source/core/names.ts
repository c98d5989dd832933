import {createHash} from 'node:crypto';
import {fail} from './errors.js';

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

export type Names = {
	prefix: string;
	vrouter: string;
	gateway: string;
	appNamespace(app: string): string;
	hostIf(app: string, role: 'in' | 'out'): string;
	gatewayIf: string;
	/** Does a namespace name belong to an app of this prefix (and which)? */
	appOf(namespace: string): string | undefined;
};

/** Shortens an interface name deterministically when prefix + role + app exceeds 15 bytes. */
export function fitIfName(head: string, tail: string): string {
	const full = head + tail;
	if (Buffer.byteLength(full) <= IFNAME_MAX) return full;
	const room = IFNAME_MAX - Buffer.byteLength(head);
	const hash = createHash('sha256').update(tail).digest('hex');
	const keep = Math.max(0, room - 5);
	return head + tail.slice(0, keep) + '~' + hash.slice(0, room - keep - 1);
}

export function names(prefix: string): Names {
	const p = checkPrefix(prefix);
	const appHead = `${p}ns-`;
	return {
		prefix: p,
		vrouter: `${p}nsdeck-vr`,
		gateway: `${p}nsdeck-gw`,
		appNamespace: app => appHead + app,
		hostIf: (app, role) => fitIfName(`${p}${role === 'in' ? 'vi' : 'vo'}-`, app),
		gatewayIf: `${p}gw0`,
		appOf: ns => (ns.startsWith(appHead) && ns.length > appHead.length ? ns.slice(appHead.length) : undefined),
	};
}

/** Interfaces inside an app namespace keep the original scripts' names. */
export const APP_IF = {in: 'veth0', out: 'veth1'} as const;
/** The gateway every app uses, held on the vrouter's loopback; the same in every network. */
export const APP_GATEWAY = '169.254.1.1';
