import {checkName} from '../core/names.js';
import type {Context} from '../provision/context.js';

/** Quotes one argument for a systemd Exec line (systemd does its own word splitting, no shell). */
function quote(arg: string): string {
	return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** What the original README did with upstart: bind before start, unbind after stop, run the daemon in the namespace. */
export function unitFile(ctx: Context, u: {app: string; network: string; outbound?: string | undefined; ip?: string | undefined; command: readonly string[]}): string {
	checkName('app', u.app);
	checkName('network', u.network);
	if (u.outbound) checkName('network', u.outbound);
	const nsdeck = process.argv[1] ?? 'nsdeck';
	const bind = ['bind', u.app, '--network', u.network, ...(u.outbound ? ['--outbound', u.outbound] : []), ...(u.ip ? ['--ip', u.ip] : [])];
	const env = [
		...(process.env.NSDECK_STATE_DIR ? [`Environment=NSDECK_STATE_DIR=${quote(process.env.NSDECK_STATE_DIR)}`] : []),
		...(ctx.names.prefix ? [`Environment=NSDECK_NS_PREFIX=${ctx.names.prefix}`] : []),
	];
	return [
		'[Unit]',
		`Description=${u.app} in network namespace ${ctx.names.appNamespace(u.app)} (nsdeck)`,
		'After=network-online.target',
		'',
		'[Service]',
		...env,
		// a stale binding from a crash would make bind refuse; clear it first ('-': its failure is fine)
		`ExecStartPre=-${[nsdeck, 'unbind', u.app].map(quote).join(' ')}`,
		`ExecStartPre=${[nsdeck, ...bind].map(quote).join(' ')}`,
		`ExecStart=/usr/sbin/ip netns exec ${ctx.names.appNamespace(u.app)} ${u.command.map(quote).join(' ')}`,
		`ExecStopPost=${[nsdeck, 'unbind', u.app].map(quote).join(' ')}`,
		'Restart=on-failure',
		'',
		'[Install]',
		'WantedBy=multi-user.target',
	].join('\n');
}
