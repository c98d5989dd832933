import {fail} from '../core/errors.js';
import {parseIpv4} from '../core/ipv4.js';
import {parseVtep} from '../core/overlay.js';
import type {HostSettings} from '../store/intent.js';
import type {Context} from './context.js';
import {operate} from './operation.js';

export type HostRequest = {name?: string; vtep?: string; control?: string; gobgp?: string; underlayNs?: string; agentPort?: string; peers?: readonly string[]};

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const NETNS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function parseEndpoint(text: string, what: string): string {
	const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
	if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) fail(`invalid ${what} '${text}': expected A.B.C.D:PORT`);
	parseIpv4(m[1]!, what);
	return text;
}

export function parsePort(text: string, what: string): number {
	if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) fail(`invalid ${what} '${text}': expected 1-65535`);
	return Number(text);
}

/** Validates a host settings change against the current settings, without writing. */
export function checkHost(current: HostSettings | undefined, req: HostRequest): HostSettings {
	if (req.name !== undefined && !HOST_NAME.test(req.name)) fail(`invalid host name '${req.name}': letters, digits, '.', '_' and '-', at most 32`);
	if (req.control !== undefined && req.control !== 'local' && req.control !== 'gobgp') fail(`invalid control '${req.control}': expected local or gobgp`);
	if (req.underlayNs !== undefined && req.underlayNs !== '' && !NETNS_NAME.test(req.underlayNs)) fail(`invalid underlay namespace '${req.underlayNs}'`);
	const vtep = req.vtep === undefined ? current?.vtep : parseVtep(req.vtep);
	const gobgp = req.gobgp === undefined ? current?.gobgp : parseEndpoint(req.gobgp, 'gobgp API address');
	const agentPort = req.agentPort === undefined ? current?.agentPort : parsePort(req.agentPort, 'agent port');
	const name = req.name ?? current?.name;
	const control = (req.control ?? current?.control ?? 'local') as HostSettings['control'];
	const underlayNs = req.underlayNs === undefined ? current?.underlayNs : req.underlayNs || undefined;
	let peers = current?.peers;
	if (req.peers !== undefined) {
		const map: Record<string, string> = {};
		for (const p of req.peers) {
			const m = /^([^=]+)=(.+)$/.exec(p);
			if (!m || !HOST_NAME.test(m[1]!)) fail(`invalid peer '${p}': expected NAME=VTEP`);
			map[parseVtep(m[2]!)] = m[1]!;
		}
		peers = map;
	}
	if (!name) fail('--name is required the first time');
	if (!vtep) fail('--vtep ADDR is required the first time');
	if (control === 'gobgp' && !gobgp) fail('--control gobgp needs --gobgp HOST:PORT (gobgpd\'s API)');
	return {name, vtep, control, ...(gobgp ? {gobgp} : {}), ...(underlayNs ? {underlayNs} : {}), ...(agentPort ? {agentPort} : {}), ...(peers && Object.keys(peers).length > 0 ? {peers} : {})};
}

/** Sets this host's place among many: its name, tunnel address, control plane and where gobgpd listens. */
export async function setHost(ctx: Context, req: HostRequest) {
	const next = checkHost(ctx.store.host(), req);
	return operate(ctx, 'host set', {...req}, () => ctx.store.setHost(next));
}
