import {accessSync, constants, statSync} from 'node:fs';
import {isAbsolute} from 'node:path';
import {parseFingerprint} from '../core/certificate.js';
import {fail, OperationError} from '../core/errors.js';
import {parseIpv4} from '../core/ipv4.js';
import {parseLabelVni, parseVtep} from '../core/overlay.js';
import type {AgentRef, GatewayRef, HostSettings} from '../store/intent.js';
import type {Context} from './context.js';
import {operate} from './operation.js';

export {agentToken, agentTokenPath} from './credentials.js';

export type HostRequest = {name?: string; vtep?: string; control?: string; gobgp?: string; underlayNs?: string; agentPort?: string; peers?: readonly string[];
	/** other hosts' agents, `NAME=URL` (`NAME=` forgets one), merged into those known */
	agents?: readonly string[];
	/** `NAME=FILE`: the file holding that agent's bearer token */
	agentTokens?: readonly string[];
	/** `NAME=SHA256:…`: the certificate fingerprint an https agent must present, as the operator checked it */
	agentFingerprints?: readonly string[];
	/** fingerprints learned by connecting to https agents just now (trust on first use; a changed one is refused) */
	learned?: Readonly<Record<string, string>>;
	/** routers that are not nsdeck hosts, `NAME=NEXTHOP` (`NAME=` forgets one) */
	gateways?: readonly string[];
	/** `NAME=LABEL[:VNI]`: the VNI of the VXLAN leg that a gateway's VPN label stands for */
	gatewayVnis?: readonly string[];
};

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

/** Is this an address of the host itself (the token may travel unencrypted only there)? */
export function isLoopback(hostname: string): boolean {
	return hostname === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '[::1]' || hostname === '::1';
}

/**
 * An agent's address: https://A.B.C.D[:PORT] or a host name, nothing after the port; plain http:// only on loopback,
 * since the bearer token must never leave this host unencrypted.
 */
export function parseAgentUrl(text: string, name: string): string {
	let u: URL;
	try {
		u = new URL(text);
	} catch {
		fail(`invalid agent URL '${text}' for ${name}: expected https://HOST:PORT`);
	}
	if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || !u.hostname) {
		fail(`invalid agent URL '${text}' for ${name}: expected https://HOST:PORT`);
	}
	if (u.protocol === 'http:' && !isLoopback(u.hostname)) fail(`refusing plain http:// for agent ${name} at ${u.host}: the token would leave this host unencrypted; use https://${u.host}`);
	return `${u.protocol}//${u.host}`;
}

function pairs(list: readonly string[], what: string, value: string): Array<[string, string]> {
	return list.map(p => {
		const m = /^([^=]+)=(.*)$/.exec(p);
		if (!m || !HOST_NAME.test(m[1]!)) fail(`invalid ${what} '${p}': expected NAME=${value}`);
		return [m[1]!, m[2]!];
	});
}

/** Known agents after `--agent NAME=URL` / `--agent-token NAME=FILE`: merged, checked, the token files readable. */
function checkAgents(current: Readonly<Record<string, AgentRef>> | undefined, self: string | undefined, req: HostRequest, pins: boolean): Record<string, AgentRef> | undefined {
	if (req.agents === undefined && req.agentTokens === undefined && req.agentFingerprints === undefined) return current ? {...current} : undefined;
	const next: Record<string, {url?: string; tokenFile?: string; fingerprint?: string}> = {...current};
	for (const [name, url] of pairs(req.agents ?? [], 'agent', 'URL')) {
		if (name === self) fail(`agent '${name}' is this host: only other hosts' agents are listed`);
		if (url === '') delete next[name];
		else {
			const parsed = parseAgentUrl(url, name);
			// another address is another server: its pin is learned or given again
			next[name] = {...next[name], url: parsed, ...(next[name]?.url !== parsed ? {fingerprint: undefined} : {})};
		}
	}
	for (const [name, file] of pairs(req.agentTokens ?? [], 'agent token', 'FILE')) {
		if (!next[name]) fail(`--agent-token for '${name}', which has no --agent NAME=URL`);
		if (!isAbsolute(file)) fail(`invalid token file '${file}' for ${name}: an absolute path`);
		next[name] = {...next[name], tokenFile: file};
	}
	for (const [name, text] of pairs(req.agentFingerprints ?? [], 'agent fingerprint', 'SHA256:…')) {
		if (!next[name]) fail(`--agent-fingerprint for '${name}', which has no --agent NAME=URL`);
		const fp = parseFingerprint(text);
		if (!fp) fail(`invalid fingerprint '${text}' for ${name}: expected SHA256: and 32 bytes in hex (nsdeck host show on ${name} prints it)`);
		if (req.learned?.[name] && req.learned[name] !== fp) throw new OperationError(`agent ${name} at ${next[name].url} presents certificate ${req.learned[name]}, not the fingerprint given (${fp}): refusing`);
		next[name] = {...next[name], fingerprint: fp};
	}
	for (const [name, fp] of Object.entries(req.learned ?? {})) {
		const a = next[name];
		if (!a || (req.agentFingerprints ?? []).some(x => x.startsWith(`${name}=`))) continue;
		if (a.fingerprint && a.fingerprint !== fp) {
			throw new OperationError(`agent ${name} at ${a.url} presents certificate ${fp}, not the pinned ${a.fingerprint}: refusing. If its key was replaced on purpose, check the new one on ${name} (nsdeck host show) and give --agent-fingerprint ${name}=${fp}`);
		}
		next[name] = {...a, fingerprint: fp};
	}
	for (const [name, a] of Object.entries(next)) {
		if (a.fingerprint === undefined) delete a.fingerprint;
		if (pins && a.url?.startsWith('https:') && !a.fingerprint) fail(`agent '${name}' at ${a.url} has no pinned certificate: give --agent-fingerprint ${name}=SHA256:… (nsdeck host show on ${name} prints it)`);
		if (!a.tokenFile) fail(`agent '${name}' needs --agent-token ${name}=FILE (a copy of its <state dir>/agent.token)`);
		try {
			accessSync(a.tokenFile, constants.R_OK);
			if (!statSync(a.tokenFile).isFile()) throw new Error();
		} catch {
			fail(`token file '${a.tokenFile}' for ${name} is not a readable file`);
		}
	}
	return next as Record<string, AgentRef>;
}

/** Known gateways after `--gateway NAME=NEXTHOP` / `--gateway-vni NAME=LABEL[:VNI]`. */
function checkGateways(current: Readonly<Record<string, GatewayRef>> | undefined, req: HostRequest): Record<string, GatewayRef> | undefined {
	if (req.gateways === undefined && req.gatewayVnis === undefined) return current ? {...current} : undefined;
	const next: Record<string, {address: string; vnis: Record<string, number>}> = Object.fromEntries(Object.entries(current ?? {}).map(([k, g]) => [k, {address: g.address, vnis: {...g.vnis}}]));
	for (const [name, address] of pairs(req.gateways ?? [], 'gateway', 'NEXTHOP')) {
		if (address === '') {
			delete next[name];
			continue;
		}
		const a = parseVtep(address);
		const clash = Object.entries(next).find(([n, g]) => n !== name && g.address === a);
		if (clash) fail(`gateway '${name}' at ${a}: gateway '${clash[0]}' is already there`);
		next[name] = next[name]?.address === a ? next[name] : {address: a, vnis: {}};
	}
	for (const [name, text] of pairs(req.gatewayVnis ?? [], 'gateway VNI', 'LABEL[:VNI]')) {
		if (!next[name]) fail(`--gateway-vni for '${name}', which has no --gateway NAME=NEXTHOP`);
		const {label, vni} = parseLabelVni(text);
		next[name].vnis[String(label)] = vni;
	}
	return next;
}

/**
 * Validates a host settings change against the current settings, without writing. `pins: false` checks everything but
 * the certificates of https agents (before they are fetched).
 */
export function checkHost(current: HostSettings | undefined, req: HostRequest, {pins = true} = {}): HostSettings {
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
	const agents = checkAgents(current?.agents, name, req, pins);
	const gateways = checkGateways(current?.gateways, req);
	if (!name) fail('--name is required the first time');
	if (!vtep) fail('--vtep ADDR is required the first time');
	if (control === 'gobgp' && !gobgp) fail('--control gobgp needs --gobgp HOST:PORT (gobgpd\'s API)');
	return {name, vtep, control, ...(gobgp ? {gobgp} : {}), ...(underlayNs ? {underlayNs} : {}), ...(agentPort ? {agentPort} : {}), ...(peers && Object.keys(peers).length > 0 ? {peers} : {}), ...(agents && Object.keys(agents).length > 0 ? {agents} : {}), ...(gateways && Object.keys(gateways).length > 0 ? {gateways} : {})};
}

/** Sets this host's place among many: its name, tunnel address, control plane and where gobgpd listens. */
export async function setHost(ctx: Context, req: HostRequest) {
	const next = checkHost(ctx.store.host(), req);
	return operate(ctx, 'host set', {...req}, () => ctx.store.setHost(next));
}
