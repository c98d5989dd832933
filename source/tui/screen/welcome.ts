// What an empty store opens on: what nsdeck is, and the next moves (create a network, the guided demo, the README).
import {existsSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import type {Line} from '../../provision/text.js';

/** The README next to the installed nsdeck (dist/cli.js → ../README.md), when it is there. */
export function readmePath(argv1 = process.argv[1]): string | undefined {
	if (!argv1) return undefined;
	const p = resolve(dirname(argv1), '..', 'README.md');
	return existsSync(p) ? p : existsSync(join(process.cwd(), 'README.md')) ? join(process.cwd(), 'README.md') : undefined;
}

export function welcomeLines(host: string, readonly: boolean): Line[] {
	const readme = readmePath();
	return [
		{text: `Welcome to nsdeck. This host (${host}) has no network and no app yet.`, tone: 'accent'},
		{text: ''},
		{text: 'nsdeck runs applications inside Linux network namespaces bound to virtual networks. Each network is a'},
		{text: 'VRF (a kernel routing table) whose routes leak into others by route targets; an app can have an inbound'},
		{text: 'network and a separate outbound one, and the targets its outbound network imports decide where its'},
		{text: 'traffic leaves. Every change is previewed before it is applied, and every screen is read from the kernel.'},
		{text: ''},
		{text: 'Next moves', tone: 'accent'},
		...(readonly
			? [{text: '  read-only console: start without --readonly to create networks and bind apps', tone: 'warn' as const}]
			: [
					{text: '  n        create a network (a name and a subnet), previewed before anything changes'},
					{text: '  b        bind an app to a network, once one exists'},
				]),
		{text: '  :demo    the guided demo: an inbound and an app\'s own outbound network, a web daemon, a client and'},
		{text: '           an uplink, built in a sandbox of its own and walked through step by step, each step proven'},
		{text: '           on the kernel (ping and HTTP, both ways); quitting it leaves nothing behind'},
		{text: '  ?        every key        q  quit'},
		{text: ''},
		{text: `README: ${readme ?? 'README.md of the nsdeck package'}   commands: nsdeck help`, tone: 'dim'},
	];
}
