import {randomBytes} from 'node:crypto';
import {accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {isAbsolute, join} from 'node:path';
import {fail} from '../core/errors.js';
import {parseIpv4} from '../core/ipv4.js';
import {parseVtep} from '../core/overlay.js';
import type {AgentRef, HostSettings} from '../store/intent.js';
import type {Context} from './context.js';
import {operate} from './operation.js';

export type HostRequest = {name?: string; vtep?: string; control?: string; gobgp?: string; underlayNs?: string; agentPort?: string; peers?: readonly string[];
	/** other hosts' agents, `NAME=URL` (`NAME=` forgets one), merged into those known */
	agents?: readonly string[];
	/** `NAME=FILE`: the file holding that agent's bearer token */
	agentTokens?: readonly string[];
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

/** Where a host's agent token lives: its state dir. */
export function agentTokenPath(dir: string): string {
	return join(dir, 'agent.token');
}

/** The bearer token consoles on other hosts present to this host's agent: made once, 0600, in the state dir. */
export function agentToken(dir: string): string {
	const path = agentTokenPath(dir);
	mkdirSync(dir, {recursive: true, mode: 0o700});
	if (!existsSync(path)) {
		closeSync(openSync(path, 'a', 0o600));
		writeFileSync(path, randomBytes(24).toString('hex') + '\n', {mode: 0o600});
	}
	chmodSync(path, 0o600);
	return readFileSync(path, 'utf8').trim();
}

/** An agent's address: http(s)://A.B.C.D[:PORT] or a host name, nothing after the port. */
export function parseAgentUrl(text: string, name: string): string {
	let u: URL;
	try {
		u = new URL(text);
	} catch {
		fail(`invalid agent URL '${text}' for ${name}: expected http://HOST:PORT`);
	}
	if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || !u.hostname) {
		fail(`invalid agent URL '${text}' for ${name}: expected http://HOST:PORT`);
	}
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
function checkAgents(current: Readonly<Record<string, AgentRef>> | undefined, self: string | undefined, req: HostRequest): Record<string, AgentRef> | undefined {
	if (req.agents === undefined && req.agentTokens === undefined) return current ? {...current} : undefined;
	const next: Record<string, {url?: string; tokenFile?: string}> = {...current};
	for (const [name, url] of pairs(req.agents ?? [], 'agent', 'URL')) {
		if (name === self) fail(`agent '${name}' is this host: only other hosts' agents are listed`);
		if (url === '') delete next[name];
		else next[name] = {...next[name], url: parseAgentUrl(url, name)};
	}
	for (const [name, file] of pairs(req.agentTokens ?? [], 'agent token', 'FILE')) {
		if (!next[name]) fail(`--agent-token for '${name}', which has no --agent NAME=URL`);
		if (!isAbsolute(file)) fail(`invalid token file '${file}' for ${name}: an absolute path`);
		next[name] = {...next[name], tokenFile: file};
	}
	for (const [name, a] of Object.entries(next)) {
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
	const agents = checkAgents(current?.agents, name, req);
	if (!name) fail('--name is required the first time');
	if (!vtep) fail('--vtep ADDR is required the first time');
	if (control === 'gobgp' && !gobgp) fail('--control gobgp needs --gobgp HOST:PORT (gobgpd\'s API)');
	return {name, vtep, control, ...(gobgp ? {gobgp} : {}), ...(underlayNs ? {underlayNs} : {}), ...(agentPort ? {agentPort} : {}), ...(peers && Object.keys(peers).length > 0 ? {peers} : {}), ...(agents && Object.keys(agents).length > 0 ? {agents} : {})};
}

/** Sets this host's place among many: its name, tunnel address, control plane and where gobgpd listens. */
export async function setHost(ctx: Context, req: HostRequest) {
	const next = checkHost(ctx.store.host(), req);
	return operate(ctx, 'host set', {...req}, () => ctx.store.setHost(next));
}
