// The host's own systemd units: nsdeck-boot.service (reconcile at boot, before the apps' units and the agent) and
// nsdeck-agent.service. unit.ts makes an app's unit from the same parts.
import type {Context} from '../provision/context.js';

/** Quotes one argument for a systemd Exec line (systemd does its own word splitting, no shell). */
export function quote(arg: string): string {
	// systemd expands %-specifiers and $VARIABLES in Exec lines, quoted or not: double them
	const text = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
	return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** This very nsdeck, as an Exec line runs it: node and the script by absolute path (node need not be on systemd's PATH). */
export function nsdeckExec(args: readonly string[], argv: readonly string[] = process.argv): string {
	return [argv[0]!, argv[1]!, ...args].map(quote).join(' ');
}

/** The store and namespace prefix this command runs with, so the unit acts on the same host state. */
export function environment(ctx: Context): string[] {
	return [
		...(process.env.NSDECK_STATE_DIR ? [`Environment=NSDECK_STATE_DIR=${quote(process.env.NSDECK_STATE_DIR)}`] : []),
		...(ctx.names.prefix ? [`Environment=NSDECK_NS_PREFIX=${ctx.names.prefix}`] : []),
	];
}

/**
 * Hardening that leaves nsdeck's namespace work intact (tested by running nsdeck under the same bounding set):
 * every option that gives the service a mount namespace of its own (ProtectSystem, ReadWritePaths, PrivateTmp,
 * ProtectHome, ProtectKernelTunables, PrivateDevices, ...) is left out on purpose: `ip netns add` bind-mounts the new
 * namespace under /run/netns, and a mount made inside a service's own mount namespace never reaches the host, so
 * the apps' namespaces would vanish for everyone else (and /proc/sys must stay writable for rp_filter).
 */
export const HARDENING = [
	'# namespaces: CAP_NET_ADMIN (links, addresses, routes, rules, sysctls), CAP_SYS_ADMIN (setns, unshare, the bind',
	'# mounts under /run/netns), CAP_NET_RAW (ping), CAP_SYS_PTRACE and CAP_KILL (find and stop an app\'s processes',
	'# when its daemon runs as another user). No mount namespace of its own (ProtectSystem=, ReadWritePaths=,',
	'# PrivateTmp=...): the namespaces nsdeck mounts under /run/netns would not be seen outside this service.',
	'CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW CAP_SYS_PTRACE CAP_KILL',
	'NoNewPrivileges=yes',
	'RestrictNamespaces=net mnt',
	'RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6',
	'RestrictSUIDSGID=yes',
	'RestrictRealtime=yes',
	'LockPersonality=yes',
	'SystemCallArchitectures=native',
	'UMask=0077',
];

/** `nsdeck agent` as a service: restarted on failure, after the network, gobgpd (with control gobgp) and the boot reconcile. */
export function agentUnit(ctx: Context): string {
	const gobgp = ctx.store.host()?.control === 'gobgp';
	return [
		'# /etc/systemd/system/nsdeck-agent.service',
		'[Unit]',
		`Description=nsdeck agent: this host's routes over BGP and its API for other hosts' consoles`,
		`After=network-online.target nsdeck-boot.service${gobgp ? ' gobgpd.service' : ''}`,
		`Wants=network-online.target${gobgp ? ' gobgpd.service' : ''}`,
		'',
		'[Service]',
		...environment(ctx),
		`ExecStart=${nsdeckExec(['agent'])}`,
		'Restart=on-failure',
		'RestartSec=2s',
		// an app's daemon started through the agent's API is its child: a restart of the agent must not take it down
		'KillMode=process',
		'# a daemon started through the agent (bind with a command) keeps only these capabilities; give it a unit of',
		'# its own (nsdeck unit APP ...) when it needs more, e.g. CAP_NET_BIND_SERVICE for a port below 1024',
		...HARDENING,
		'',
		'[Install]',
		'WantedBy=multi-user.target',
	].join('\n');
}

/** `nsdeck reconcile` once at boot: the kernel's namespaces, links and routes are gone after a reboot, the store is not. */
export function bootUnit(ctx: Context): string {
	return [
		'# /etc/systemd/system/nsdeck-boot.service',
		'[Unit]',
		'Description=nsdeck: rebuild the apps\' namespaces, links and routes from the store at boot',
		'After=network-online.target local-fs.target',
		'Wants=network-online.target',
		// the apps' units (nsdeck unit APP) and the agent order themselves after this one
		'Before=nsdeck-agent.service',
		`ConditionPathExists=${ctx.dir}/nsdeck.db`,
		'',
		'[Service]',
		'Type=oneshot',
		'RemainAfterExit=yes',
		...environment(ctx),
		`ExecStart=${nsdeckExec(['reconcile'])}`,
		// daemons that reconcile restarts (recorded by `bind -- COMMAND`) outlive this one-shot
		'KillMode=process',
		...HARDENING,
		'',
		'[Install]',
		'WantedBy=multi-user.target',
	].join('\n');
}
