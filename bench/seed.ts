// The seed's way, as the benchmarks' naive baseline: one `ip` process per step, the same objects as nsdeck's bind
// (a vrouter with table 1001, and per app a namespace, a veth, its rule, its /32 route, the inside's address, default
// route and rp_filter), and their removal.
import {execFileSync} from 'node:child_process';

export const ip = (...args: string[]) => execFileSync('ip', args, {stdio: ['ignore', 'pipe', 'pipe']});

export function seedVrouter(prefix: string): void {
	const vr = `${prefix}vr`;
	ip('netns', 'add', vr);
	ip('-n', vr, 'link', 'set', 'lo', 'up');
	ip('netns', 'exec', vr, 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0');
	ip('-n', vr, 'addr', 'add', '169.254.1.1/32', 'dev', 'lo');
	ip('-n', vr, 'route', 'replace', 'unreachable', 'default', 'metric', '4278198272', 'table', '1001', 'proto', '77');
}

/** App `a<i>` with address `addr`, in the vrouter seedVrouter(prefix) made. */
export function seedBind(prefix: string, i: number, addr: string): void {
	const vr = `${prefix}vr`;
	const ns = `${prefix}ns-a${i}`;
	const host = `vi-a${i}`;
	ip('netns', 'add', ns);
	ip('-n', vr, 'link', 'add', host, 'group', '77', 'type', 'veth', 'peer', 'name', 'veth0', 'netns', ns);
	ip('-n', vr, 'link', 'set', host, 'up');
	ip('-n', vr, 'rule', 'add', 'iif', host, 'lookup', '1001', 'pref', '100', 'protocol', '77');
	ip('-n', vr, 'route', 'add', `${addr}/32`, 'dev', host, 'table', '1001', 'proto', '77');
	ip('-n', ns, 'link', 'set', 'lo', 'up');
	ip('-n', ns, 'addr', 'add', `${addr}/32`, 'dev', 'veth0');
	ip('-n', ns, 'link', 'set', 'veth0', 'up');
	ip('-n', ns, 'route', 'add', 'default', 'via', '169.254.1.1', 'dev', 'veth0', 'onlink');
	ip('netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.veth0.rp_filter=2');
}

/** Per app: `ip rule del`, `ip link del`, `ip netns del`. */
export function seedUnbind(prefix: string, i: number): void {
	const vr = `${prefix}vr`;
	ip('-n', vr, 'rule', 'del', 'iif', `vi-a${i}`, 'lookup', '1001', 'pref', '100');
	ip('-n', vr, 'link', 'del', `vi-a${i}`);
	ip('netns', 'del', `${prefix}ns-a${i}`);
}
