// The guided demo's scenario (the blog's: an app with its own outbound network), built in a prefix and a store of
// its own so it never touches the host's: an inbound network `front`, web's own outbound network `web-out`, an
// `office` network whose client reaches front, an uplink (an external default route with an import-only target), a
// web daemon bound to front and web-out, a client in office. Each step is proven on the kernel (HTTP and ping from
// inside the namespaces, both directions). `cleanDemo` removes everything in the demo's own store and prefix, and
// nothing else.
import {spawnSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {fail} from '../core/errors.js';
import {nthBlock} from '../core/overlay.js';
import {checkPrefix} from '../core/names.js';
import {run} from '../dataplane/run.js';
import {stateDir} from '../store/open.js';
import {bind, bindAll, unbindAll} from './apps.js';
import {openContext, type Context} from './context.js';
import {addExternalRoute, deleteExternalRoute} from './externals.js';
import {pingFrom} from './inspect.js';
import {createNetworks, deleteNetwork} from './networks.js';
import {teardown} from './setup.js';
import {editTarget} from './targets.js';

export const DEMO = {
	front: 'front',
	out: 'web-out',
	office: 'office',
	web: 'web',
	client: 'client',
	uplink: {prefix: '0.0.0.0/0', via: '203.0.113.1', rt: '64512:900'},
	port: 80,
} as const;

const SUBNETS: Record<string, string> = {front: '10.61.0.0/16', 'web-out': '10.62.0.0/16', office: '10.63.0.0/16'};

/** The demo's own prefix and state dir: NSDECK_DEMO_PREFIX / NSDECK_DEMO_DIR, else derived from the host's. */
export function demoEnv(env: NodeJS.ProcessEnv = process.env): {prefix: string; dir: string} {
	const base = env.NSDECK_NS_PREFIX ?? '';
	const prefix = env.NSDECK_DEMO_PREFIX ?? (base === '' ? 'demo-' : `${base}d-`);
	if (env.NSDECK_DEMO_PREFIX === undefined && prefix.length > 8) fail(`the demo's own prefix would be '${prefix}', longer than 8 characters: set NSDECK_DEMO_PREFIX`);
	checkPrefix(prefix);
	return {prefix, dir: env.NSDECK_DEMO_DIR ?? `${stateDir(env)}-demo`};
}

export function demoContext(env: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): Context {
	const e = demoEnv(env);
	return openContext({...env, NSDECK_STATE_DIR: e.dir, NSDECK_NS_PREFIX: e.prefix, ...extra});
}

/** Where the demo's apps live: one host's store for both, or web on one lab host and the client on another. */
export type DemoPlace = {readonly web: Context; readonly client: Context; readonly all: readonly Context[]};

export function autoTarget(ctx: Context, network: string): string {
	return ctx.store.load().networks.find(n => n.name === network)!.targets.find(t => t.auto)!.rt;
}

/** An app's address in the demo (its inbound one unless asked). */
export function demoAddress(place: DemoPlace, app: typeof DEMO.web | typeof DEMO.client, role: 'in' | 'out' = 'in'): string {
	return addressOf(app === DEMO.web ? place.web : place.client, app, role);
}

function addressOf(ctx: Context, app: string, role: 'in' | 'out' = 'in'): string {
	return ctx.store.load().apps.find(a => a.name === app)!.ifaces.find(i => i.role === role)!.address;
}

/** A tiny HTTP daemon: node, which is here wherever nsdeck runs. */
const daemon = (port: number) => [process.execPath, '-e', `require('http').createServer((q,s)=>s.end('hello from web\\n')).listen(${port},'0.0.0.0')`];

/**
 * Builds the scenario: networks on every host (a block of each subnet per host), office importing front's routes,
 * the uplink on web's host, web with its daemon, the client. Not yet: web-out importing office's or the uplink's
 * routes (the steps do those).
 */
export async function buildDemo(place: DemoPlace, progress: (line: string) => void = () => {}): Promise<void> {
	const many = place.all.length > 1;
	progress(`networks ${DEMO.front}, ${DEMO.out} and ${DEMO.office}${many ? ` on ${place.all.length} hosts` : ''}`);
	for (const [k, ctx] of place.all.entries()) {
		await createNetworks(ctx, Object.entries(SUBNETS).map(([name, subnet]) => ({name, subnet, block: nthBlock(subnet, 24, k)})));
		await editTarget(ctx, {network: DEMO.office, rt: autoTarget(ctx, DEMO.front), direction: 'import', remove: false});
	}
	progress(`the uplink: ${DEMO.uplink.prefix} via ${DEMO.uplink.via}, target ${DEMO.uplink.rt}`);
	await addExternalRoute(place.web, {prefix: DEMO.uplink.prefix, targets: [DEMO.uplink.rt], via: DEMO.uplink.via});
	progress(`${DEMO.web}: inbound ${DEMO.front}, outbound ${DEMO.out}, an HTTP daemon on port ${DEMO.port}`);
	await bind(place.web, {app: DEMO.web, network: DEMO.front, outbound: DEMO.out, command: daemon(DEMO.port)});
	progress(`${DEMO.client}: in ${DEMO.office}`);
	await bindAll(place.client, [{app: DEMO.client, network: DEMO.office}]);
}

export type Proof = {readonly what: string; readonly expect: boolean; readonly ok: boolean; readonly detail: string};

/** One HTTP GET from inside an app's namespace, 1 s to answer. */
export async function httpFrom(ctx: Context, app: string, address: string, port: number = DEMO.port): Promise<{ok: boolean; detail: string}> {
	const script = `require('http').get({host:${JSON.stringify(address)},port:${port},timeout:1000},r=>{let b='';r.on('data',d=>b+=d);r.on('end',()=>{console.log(r.statusCode+' '+b.trim());process.exit(0)})}).on('timeout',function(){console.log('no answer within 1 s');process.exit(1)}).on('error',e=>{console.log(e.code||e.message);process.exit(1)})`;
	const r = await run('ip', ['netns', 'exec', ctx.names.appNamespace(app), process.execPath, '-e', script]);
	return {ok: r.exitCode === 0, detail: (r.stdout.trim() || r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`).slice(0, 80)};
}

async function check(what: string, expect: boolean, probe: () => Promise<{ok: boolean; detail: string}>): Promise<Proof> {
	// routes learned from another host take a moment: an expected success is retried for a few seconds
	let r = await probe();
	for (let i = 0; expect && !r.ok && i < 6; i++) {
		await new Promise(res => setTimeout(res, 500));
		r = await probe();
	}
	return {what, expect, ok: r.ok === expect, detail: r.detail};
}

function defaultRoute(ctx: Context, app: string): {ok: boolean; detail: string} {
	const r = spawnSync('ip', ['-n', ctx.names.appNamespace(app), 'route', 'show', 'default'], {encoding: 'utf8'});
	const line = r.stdout.trim();
	return {ok: / dev veth1\b/.test(line), detail: line || 'no default route'};
}

export type StepId = 'look' | 'lost' | 'import' | 'uplink';

/** The kernel's answer for each step, as an operator would check it by hand. */
export async function prove(place: DemoPlace, step: StepId): Promise<Proof[]> {
	const {web, client} = place;
	const webIn = addressOf(web, DEMO.web);
	const webOut = addressOf(web, DEMO.web, 'out');
	const cli = addressOf(client, DEMO.client);
	const http = (from: Context, app: string, to: string) => () => httpFrom(from, app, to);
	const ping = (from: Context, app: string, to: string) => async () => pingFrom(from, app, to);
	if (step === 'look') {
		return [
			await check(`web's default route leaves by veth1 (${DEMO.out})`, true, async () => defaultRoute(web, DEMO.web)),
			await check(`web's daemon answers HTTP on ${webIn}:${DEMO.port}`, true, http(web, DEMO.web, webIn)),
		];
	}
	if (step === 'lost') {
		return [
			await check(`client → web: HTTP ${webIn} gets no answer (the request arrives, the reply is lost)`, false, http(client, DEMO.client, webIn)),
			await check(`client → web: ping ${webIn} gets no reply, for the same reason`, false, ping(client, DEMO.client, webIn)),
		];
	}
	if (step === 'import') {
		return [
			await check(`client → web: HTTP ${webIn} answers (request by ${DEMO.office}, reply by ${DEMO.out})`, true, http(client, DEMO.client, webIn)),
			await check(`client → web: ping ${webIn} answers`, true, ping(client, DEMO.client, webIn)),
			await check(`web → client: ping ${cli} from web's outbound address ${webOut} gets no reply (import-only: ${DEMO.office} does not import ${DEMO.out})`, false, ping(web, DEMO.web, cli)),
		];
	}
	return [
		await check(`web → uplink: ping ${DEMO.uplink.via} answers (and back by the gateway)`, true, ping(web, DEMO.web, DEMO.uplink.via)),
		await check(`client → uplink: ping ${DEMO.uplink.via} fails (office does not import ${DEMO.uplink.rt})`, false, ping(client, DEMO.client, DEMO.uplink.via)),
	];
}

/** Whether the change a step asks for is in place (on web's host). */
export function stepDone(place: DemoPlace, step: StepId): boolean {
	const out = place.web.store.load().networks.find(n => n.name === DEMO.out);
	if (!out) return false;
	if (step === 'import') return out.targets.some(t => t.import && t.rt === autoTarget(place.client, DEMO.office));
	if (step === 'uplink') return out.targets.some(t => t.import && t.rt === `target:${DEMO.uplink.rt}`);
	return true;
}

/** The changes the steps ask for, done for the operator who presses Enter. */
export async function doStep(place: DemoPlace, step: StepId): Promise<void> {
	if (step === 'import') await editTarget(place.web, {network: DEMO.out, rt: autoTarget(place.client, DEMO.office), direction: 'import', remove: false});
	if (step === 'uplink') await editTarget(place.web, {network: DEMO.out, rt: DEMO.uplink.rt, direction: 'import', remove: false});
}

/** Whether a demo store holds anything (an earlier demo that was not removed). */
export function demoLeftover(ctx: Context): boolean {
	const i = ctx.store.load();
	return i.apps.length > 0 || i.networks.length > 0 || i.externals.length > 0;
}

/**
 * Removes the demo from each of its stores: its apps (their processes stopped), its uplink and networks, then every
 * namespace of the demo's own prefix (the prefix is the demo's alone, so what a crash left goes too, and so does all
 * of it when an orderly step failed), and the state dir. Fails, after sweeping, with the first step that failed.
 */
export async function cleanDemo(ctxs: readonly Context[], opts: {removeDirs?: boolean} = {}): Promise<string[]> {
	const removed: string[] = [];
	let failed: unknown;
	for (const ctx of ctxs) {
		try {
			const intent = ctx.store.load();
			const apps = intent.apps.map(a => a.name);
			try {
				if (apps.length > 0) await unbindAll(ctx, apps);
				for (const e of intent.externals) await deleteExternalRoute(ctx, e.prefix);
				for (const n of intent.networks) await deleteNetwork(ctx, n.name);
			} catch (e) {
				failed ??= e;
			}
			removed.push(...apps.map(a => ctx.names.appNamespace(a)));
			removed.push(...(await teardown(ctx, {foreign: true, sandbox: true})).removed.filter(n => !removed.includes(n)));
		} catch (e) {
			failed ??= e;
		} finally {
			ctx.close();
		}
		if (opts.removeDirs !== false && existsSync(ctx.dir)) rmSync(ctx.dir, {recursive: true, force: true});
	}
	if (failed !== undefined) throw failed;
	return removed;
}
