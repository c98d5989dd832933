// `explain APP PEER`: both legs between an app and a peer, as the resolver decides them and as the kernel itself
// answers (`ip route get` inside the namespace, and in the vrouter with the interface the packet arrives on, which
// walks the real rules and tables). The two side by side: a disagreement is drift.
import {fail} from '../core/errors.js';
import {parseIpv4} from '../core/ipv4.js';
import {Reach, type Leg} from '../core/legs.js';
import {APP_IF, checkName} from '../core/names.js';
import {routingModel} from '../control/local.js';
import {vxlanIf} from '../core/overlay.js';
import {run} from '../dataplane/run.js';
import type {App} from '../store/intent.js';
import type {Context} from './context.js';

/** What the kernel says for one step of a leg. */
export type KernelAnswer = {readonly where: string; readonly query: string; readonly answer: string; readonly expected: string; readonly agrees: boolean};
export type LegView = Leg & {readonly kernel: readonly KernelAnswer[]};
export type PeerExplanation = {
	readonly app: string;
	readonly peer: string;
	readonly address: string;
	readonly reachable: boolean;
	/** true when the kernel was asked and agrees with the resolver on every step */
	readonly kernelAgrees: boolean | null;
	readonly legs: readonly LegView[];
	readonly lines: readonly string[];
};

type JRouteGet = {dst?: string; dev?: string; gateway?: string; prefsrc?: string; type?: string};

/** `ip route get` in a namespace: the device (and next hop) the kernel would use, or its refusal. */
async function routeGet(namespace: string, args: readonly string[]): Promise<{dev?: string; text: string}> {
	const r = await run('ip', ['-n', namespace, '-j', 'route', 'get', ...args]);
	if (r.exitCode !== 0) return {text: r.stderr.trim().replace(/^RTNETLINK answers: /, '') || `exit ${r.exitCode}`};
	try {
		const g = (JSON.parse(r.stdout) as JRouteGet[])[0] ?? {};
		if (g.type && g.type !== 'unicast' && !g.dev) return {text: g.type};
		return {...(g.dev ? {dev: g.dev} : {}), text: `${g.gateway ? `via ${g.gateway} ` : ''}dev ${g.dev ?? '?'}${g.prefsrc ? ` src ${g.prefsrc}` : ''}`};
	} catch {
		return {text: r.stdout.trim()};
	}
}

function peerAddress(apps: readonly App[], peer: string): string {
	const text = peer.trim();
	if (/^[\d.]+$/.test(text)) {
		parseIpv4(text, 'peer address');
		return text;
	}
	checkName('app', text);
	const other = apps.find(a => a.name === text);
	if (!other) fail(`'${peer}' is neither an IPv4 address nor a bound app`);
	return other.ifaces.find(i => i.role === 'in')!.address;
}

/** The device the resolver's route leaves the vrouter by: an app's host interface, the gateway's, or a VXLAN device. */
function expectedDev(ctx: Context, apps: readonly App[], leg: Leg): string {
	const o = leg.route?.origin;
	if (!o) return 'unreachable';
	if (o.kind === 'external') return ctx.names.gatewayIf;
	if (o.kind === 'remote') return vxlanIf(ctx.names.prefix, o.label);
	const app = apps.find(a => a.name === o.app)!;
	return ctx.names.hostIf(app, o.role);
}

/** Both legs between an app and a peer (an app's name or an address), and the kernel's own answer for each step. */
export async function explainPeer(ctx: Context, app: string, peer: string): Promise<PeerExplanation> {
	checkName('app', app);
	const intent = ctx.store.load();
	const me = intent.apps.find(a => a.name === app);
	if (!me) fail(`unknown app '${app}' (see 'nsdeck status')`);
	const address = peerAddress(intent.apps, peer);
	const {legs, reachable} = new Reach(routingModel(intent)).legs(app, address);
	const root = process.getuid?.() === 0;
	const views: LegView[] = [];
	for (const leg of legs) {
		const kernel: KernelAnswer[] = [];
		const sender = leg.from.app ? intent.apps.find(a => a.name === leg.from.app) : undefined;
		if (root && sender && leg.from.role) {
			const ns = ctx.names.appNamespace(sender.name);
			const inner = APP_IF[leg.from.role];
			const inside = await routeGet(ns, [leg.to.address]);
			kernel.push({where: ns, query: `ip route get ${leg.to.address}`, answer: inside.text, expected: `dev ${inner}`, agrees: inside.dev === inner});
			const hostIf = ctx.names.hostIf(sender, leg.from.role);
			const want = expectedDev(ctx, intent.apps, leg);
			const vr = await routeGet(ctx.names.vrouter, [leg.to.address, 'from', leg.from.address, 'iif', hostIf]);
			kernel.push({where: ctx.names.vrouter, query: `ip route get ${leg.to.address} from ${leg.from.address} iif ${hostIf}`, answer: vr.text, expected: want === 'unreachable' ? 'no route' : `dev ${want}`, agrees: want === 'unreachable' ? vr.dev === undefined : vr.dev === want});
		}
		views.push({...leg, kernel});
	}
	const asked = views.some(v => v.kernel.length > 0);
	const kernelAgrees = asked ? views.every(v => v.kernel.every(k => k.agrees)) : null;
	const verdict = reachable ? 'reachable both ways' : 'NOT reachable';
	const lines: string[] = [`${app} -> ${peer === address ? address : `${peer} (${address})`}: ${verdict}${kernelAgrees === false ? ` by intent, but the kernel disagrees (drift): run 'nsdeck reconcile'` : ''}`];
	for (const v of views) {
		lines.push(`  ${v.ok ? 'ok ' : 'NO '} ${v.text}`);
		for (const k of v.kernel) lines.push(`       kernel in ${k.where}: ${k.answer}${k.agrees ? '' : `  (expected ${k.expected}: drift, run 'nsdeck reconcile')`}`);
	}
	if (kernelAgrees === null) lines.push('  (the kernel was not asked: needs root)');
	return {app, peer, address, reachable, kernelAgrees, legs: views, lines};
}
