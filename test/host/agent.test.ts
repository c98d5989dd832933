// The agent as a local user or an attacker meets it: its token (atomic, refused when empty or short), its API
// (401 without the token, 400 for any body that does not fit, never a 500), its logs (method, path, status, duration;
// never a body or a token) and its log level. One host, the agent on loopback, no gobgpd needed.
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ok, sandbox, storeDump} from '../helpers.js';

const sb = sandbox();
const tokenFile = join(sb.stateDir, 'agent.token');
let agent: ChildProcess | undefined;
let log = '';
let port = 0;
afterAll(() => {
	agent?.kill('SIGKILL');
	sb.cleanup();
});

function freePort(): Promise<number> {
	return new Promise(r => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const p = (s.address() as {port: number}).port;
			s.close(() => r(p));
		});
	});
}

/** `nsdeck agent` until it says it listens (or exits): its exit code and output. */
function startAgent(args: string[] = []): Promise<{code: number | null; out: string}> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [CLI, 'agent', '--port', String(port), '--address', '127.0.0.1', ...args], {env: sb.env, stdio: ['ignore', 'pipe', 'pipe']});
		let out = '';
		const onData = (b: Buffer) => {
			out += b.toString();
			log += b.toString();
			if (out.includes('event=sync.start')) {
				agent = child;
				resolve({code: null, out});
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', code => resolve({code, out}));
	});
}

/** A request with the token (or another one, or none: null). */
const call = (path: string, init: RequestInit = {}, token: string | null = readFileSync(tokenFile, 'utf8').trim()) =>
	fetch(`http://127.0.0.1:${port}${path}`, {...init, headers: {...(token !== null ? {authorization: `Bearer ${token}`} : {}), 'content-type': 'application/json'}});

beforeAll(async () => {
	port = await freePort();
	const dead = await freePort();
	await ok(sb.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--control', 'gobgp', '--gobgp', `127.0.0.1:${dead}`]));
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.140.0.0/24']));
});

describe('the agent token', () => {
	it('an empty token file refuses to start the agent: exit 1, one line naming the file', async () => {
		writeFileSync(tokenFile, '', {mode: 0o600});
		const r = await startAgent();
		expect(r.code).toBe(1);
		const lines = r.out.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(new RegExp(`^nsdeck: agent token ${tokenFile} is empty`));
	});

	it('a short token refuses it too', async () => {
		writeFileSync(tokenFile, 'abc123\n', {mode: 0o600});
		const r = await startAgent();
		expect(r.code).toBe(1);
		expect(r.out).toContain('is too short (6 characters, at least 32)');
	});

	it('a missing token is made at start: 48 characters, mode 0600, no temp file left', async () => {
		const {rmSync, readdirSync} = await import('node:fs');
		rmSync(tokenFile);
		const r = await startAgent(['--log-level', 'info']);
		expect(r.code, r.out).toBeNull();
		expect(readFileSync(tokenFile, 'utf8').trim()).toMatch(/^[0-9a-f]{48}$/);
		expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
		expect(readdirSync(sb.stateDir).filter(f => f.endsWith('.tmp'))).toEqual([]);
	});
});

describe('the agent API refuses what it must', () => {
	it('401 without a token, with an empty bearer, with a wrong one, and with the token as a prefix', async () => {
		const token = readFileSync(tokenFile, 'utf8').trim();
		expect((await call('/v1/health', {}, null)).status).toBe(401);
		expect((await call('/v1/bind', {method: 'POST', body: '{}'}, '')).status).toBe(401);
		expect((await call('/v1/health', {}, 'x'.repeat(48))).status).toBe(401);
		expect((await call('/v1/health', {}, token.slice(0, 24))).status).toBe(401);
		expect((await call('/v1/health')).status).toBe(200);
	});

	const BAD: Array<[string, string, unknown, string]> = [
		['an object where the app name belongs', '/v1/bind', {app: {x: 1}, network: 'blue'}, "field 'app' must be a string, not a object"],
		['a number as the network', '/v1/bind', {app: 'a', network: 7}, "field 'network' must be a string"],
		['a command that is not a list of strings', '/v1/bind', {app: 'a', network: 'blue', command: ['sleep', 1]}, "field 'command' must be a list of strings"],
		['a field the endpoint does not know', '/v1/bind', {app: 'a', network: 'blue', sudo: true}, "unknown field 'sudo'"],
		['a missing app', '/v1/unbind', {}, "missing field 'app'"],
		['dryRun as a string', '/v1/targets', {network: 'blue', rt: '64512:1', dryRun: 'yes'}, "field 'dryRun' must be a boolean"],
		['a bad direction', '/v1/targets', {network: 'blue', rt: '64512:1', direction: 'sideways'}, "invalid direction 'sideways'"],
		['a bad route target', '/v1/targets', {network: 'blue', rt: 'banana'}, "invalid route target 'banana'"],
		['a list as the body', '/v1/ping', [1, 2], 'request body must be a JSON object'],
		['a ping target that is an object', '/v1/ping', {app: 'a', target: {}}, "field 'target' must be a string"],
	];

	it.each(BAD)('400 for %s, state untouched', async (_what, path, body, message) => {
		const before = storeDump(sb.stateDir);
		const r = await call(path, {method: 'POST', body: JSON.stringify(body)});
		expect(r.status).toBe(400);
		expect(((await r.json()) as {error: string}).error).toContain(message);
		expect(storeDump(sb.stateDir)).toBe(before);
	});

	it('a GET on a POST endpoint is 405, an unknown path 404, neither a 500', async () => {
		expect((await call('/v1/bind')).status).toBe(405);
		expect((await call('/v1/nope')).status).toBe(404);
	});
});

describe('the agent log', () => {
	it('says method, path, status and duration of each API call, and never a body or the token', async () => {
		const secret = 'do-not-log-this-command-line';
		await call('/v1/bind', {method: 'POST', body: JSON.stringify({app: 'x', network: 'blue', command: [secret], dryRun: 7})});
		await new Promise(r => setTimeout(r, 100));
		const line = log.split('\n').find(l => l.includes('event=api') && l.includes('path=/v1/bind') && l.includes('status=400'));
		expect(line).toMatch(/^time=\S+ level=warn event=api method=POST path=\/v1\/bind status=400 ms=\d+ remote=\S+$/);
		expect(log).not.toContain(secret);
		expect(log).not.toContain(readFileSync(tokenFile, 'utf8').trim());
	});

	it('--log-level warn keeps warnings and drops info lines', async () => {
		agent?.kill('SIGTERM');
		await new Promise(r => setTimeout(r, 300));
		log = '';
		const child = spawn(process.execPath, [CLI, 'agent', '--port', String(port), '--address', '127.0.0.1', '--log-level', 'warn'], {env: sb.env, stdio: ['ignore', 'pipe', 'pipe']});
		agent = child;
		child.stdout.on('data', (b: Buffer) => (log += b.toString()));
		const end = Date.now() + 10_000;
		while (Date.now() < end) {
			try {
				if ((await call('/v1/health')).status === 200) break;
			} catch {}
			await new Promise(r => setTimeout(r, 50));
		}
		await call('/v1/health', {}, 'wrong');
		await new Promise(r => setTimeout(r, 100));
		expect(log).toMatch(/level=warn event=api method=GET path=\/v1\/health status=401/);
		expect(log).not.toContain('level=info');
		const bad = await new Promise<{code: number | null; stderr: string}>(r => {
			const c = execFile(process.execPath, [CLI, 'agent', '--log-level', 'loud'], {env: sb.env}, (_e, _o, stderr) => r({code: c.exitCode, stderr}));
		});
		expect(bad.code).toBe(2);
		expect(bad.stderr.trim()).toBe("nsdeck: invalid --log-level 'loud': error, warn, info or debug");
	});
});
