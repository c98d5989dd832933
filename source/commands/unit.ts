import {checkName} from '../core/names.js';
import type {Context} from '../provision/context.js';
import {environment, nsdeckExec, quote} from './units.js';

/** What the original README did with upstart: bind before start, unbind after stop, run the daemon in the namespace. */
export function unitFile(ctx: Context, u: {app: string; network: string; outbound?: string | undefined; ip?: string | undefined; command: readonly string[]}): string {
	checkName('app', u.app);
	checkName('network', u.network);
	if (u.outbound) checkName('network', u.outbound);
	const bind = ['bind', u.app, '--network', u.network, ...(u.outbound ? ['--outbound', u.outbound] : []), ...(u.ip ? ['--ip', u.ip] : [])];
	return [
		'[Unit]',
		`Description=${u.app} in network namespace ${ctx.names.appNamespace(u.app)} (nsdeck)`,
		// after the boot reconcile (nsdeck unit --boot) when the host has one
		'After=network-online.target nsdeck-boot.service',
		'Wants=network-online.target',
		'',
		'[Service]',
		...environment(ctx),
		// a stale binding from a crash would make bind refuse; clear it first ('-': its failure is fine)
		`ExecStartPre=-${nsdeckExec(['unbind', u.app])}`,
		`ExecStartPre=${nsdeckExec(bind)}`,
		`ExecStart=/usr/sbin/ip netns exec ${ctx.names.appNamespace(u.app)} ${u.command.map(quote).join(' ')}`,
		`ExecStopPost=${nsdeckExec(['unbind', u.app])}`,
		'Restart=on-failure',
		'',
		'[Install]',
		'WantedBy=multi-user.target',
	].join('\n');
}
