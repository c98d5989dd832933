// Issue 8, seen 2 (an empty agent.token serves POST /v1/bind to anyone: a command run as root) and the agent API's
// part of seen 9 (an object where a string belongs answers 500; every POST body is logged verbatim). The API is the
// real one, served in process over the sandbox's store; `nsdeck agent` itself is started for the refusal to start.
import {execFile} from 'node:child_process';
import {existsSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {CLI, ok, type Run, sandbox, storeDump} from '../helpers.js';
import {type Api, kernelView, startApi} from '../trust-helpers.js';

const sb = sandbox();
const tokenFile = join(sb.stateDir, 'agent.token');
let api: Api | undefined;
afterEach(async () => {
	await api?.close();
	api = undefined;
});
afterAll(() => sb.cleanup());

beforeAll(async () => {
	await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.162.0.0/24']));
	await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
});

/** `nsdeck agent` on a host set up for gobgp (nothing listens there: the agent retries), stopped after `ms`. */
function runAgent(ms: number): Promise<Run & {stillRunning: boolean}> {
	return new Promise(done => {
		let stillRunning = false;
		const port = String(41_000 + Math.floor(Math.random() * 8000));
		const child = execFile(process.execPath, [CLI, 'agent', '--port', port], {env: sb.env}, (_e, stdout, stderr) => {
			clearTimeout(timer);
			done({code: child.exitCode, signal: child.signalCode, stdout, stderr, stillRunning});
		});
		const timer = setTimeout(() => {
			stillRunning = true;
			child.kill('SIGKILL');
		}, ms);
	});
}

describe('the agent token (seen 2; spec 2)', () => {
	it('an empty agent.token: the API refuses to start, or refuses every request without the token; no command runs as root', async () => {
		writeFileSync(tokenFile, '', {mode: 0o600});
		const marker = join(sb.stateDir, 'pwned');
		const store = storeDump(sb.stateDir);
		const kernel = kernelView(sb);
		try {
			api = await startApi(sb);
		} catch (e) {
			expect(String((e as Error).message)).toContain('agent.token'); // refused to start, naming the file
			return;
		}
		for (const auth of [null, '', ' ']) {
			const r = await api.post('/v1/bind', {app: 'x', network: 'blue', command: ['touch', marker]}, auth);
			expect(r.status).toBe(401);
		}
		expect((await api.get('/v1/snapshot', null)).status).toBe(401);
		await new Promise(r => setTimeout(r, 300));
		expect(existsSync(marker)).toBe(false);
		expect(sb.namespaces()).not.toContain(sb.ns('x'));
		expect(storeDump(sb.stateDir)).toBe(store);
		expect(kernelView(sb)).toBe(kernel);
	});

	it('`nsdeck agent` with an empty or short token refuses to start: exit 1, one line naming the file', async () => {
		await ok(sb.nsdeck(['host', 'set', '--name', 'h1', '--vtep', '192.168.100.1', '--control', 'gobgp', '--gobgp', '127.0.0.1:1']));
		for (const token of ['', 'abc123\n', 'x'.repeat(31)]) {
			writeFileSync(tokenFile, token, {mode: 0o600});
			const r = await runAgent(4000);
			expect(r.stillRunning, `the agent served with token '${token.trim()}'`).toBe(false);
			expect(r.code).toBe(1);
			expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
			expect(r.stderr).toContain(tokenFile);
		}
		await ok(sb.nsdeck(['host', 'set', '--control', 'local']));
	});

	it('a missing token is made 0600, at least 32 characters, with no temporary file left beside it; requests without it get 401', async () => {
		const {rmSync} = await import('node:fs');
		rmSync(tokenFile, {force: true});
		api = await startApi(sb);
		expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
		expect(api.token.length).toBeGreaterThanOrEqual(32);
		expect(readdirSync(sb.stateDir).filter(f => f.startsWith('agent.token'))).toEqual(['agent.token']);
		expect((await api.get('/v1/snapshot', null)).status).toBe(401);
		expect((await api.get('/v1/snapshot', api.token.slice(0, -1))).status).toBe(401);
		expect((await api.get('/v1/snapshot', `${api.token}x`)).status).toBe(401);
		expect((await api.get('/v1/snapshot')).status).toBe(200);
	});
});

describe('the agent API\'s bodies (seen 9)', () => {
	it('POST /v1/bind with an array or an object where a string belongs answers 400, one line, and changes nothing', async () => {
		api = await startApi(sb);
		const store = storeDump(sb.stateDir);
		const kernel = kernelView(sb);
		for (const body of [{app: ['y'], network: 'blue'}, {app: {name: 'y'}, network: 'blue'}, {app: 'y', network: ['blue']}, {app: 'y', network: 'blue', ip: ['10.162.0.9']}]) {
			const r = await api.post('/v1/bind', body);
			expect(r.status, JSON.stringify(body)).toBe(400);
			expect(typeof r.body.error).toBe('string');
			expect(r.body.error).not.toContain('\n');
		}
		expect(sb.namespaces()).not.toContain(sb.ns('y'));
		expect(storeDump(sb.stateDir)).toBe(store);
		expect(kernelView(sb)).toBe(kernel);
	});

	it('the agent never logs request bodies (commands included)', async () => {
		api = await startApi(sb);
		const secret = `s3cret-${Date.now()}`;
		expect((await api.post('/v1/bind', {app: 'logged', network: 'blue', command: ['sh', '-c', `echo ${secret}`], dryRun: true})).status).toBe(200);
		expect((await api.post('/v1/targets', {network: 'blue', rt: '64512:4242', dryRun: true, note: secret})).status).toBeLessThan(500);
		expect((await api.post('/v1/bind', {app: 'x'.repeat(5000) + secret, network: 'blue'})).status).toBe(400);
		const all = api.logs.join('\n');
		expect(all).not.toContain(secret);
		expect(all).not.toContain('"network":"blue"');
		expect(Math.max(0, ...api.logs.map(l => l.length))).toBeLessThan(500);
	});
});
