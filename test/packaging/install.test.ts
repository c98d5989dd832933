// What an operator installing the tarball gets: `npm pack` (its prepack builds dist/) then `npm install -g` into a
// fresh prefix, and the four commands run from there on a real store and real namespaces. The pack runs in a staged
// copy of this tree, so the suite's own dist/ is never rewritten under other tests.
// Time: better-sqlite3 compiles from source on a user's machine (~1 min on 2 cores). `npm ci` already proves that
// build in the same run, so here its install script finds the binary `npm ci` built as a local prebuild
// (prebuild-install's `local-prebuilds`, the documented way to install offline) and the install takes seconds.
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ROOT, sandbox} from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nsdeck-install-'));
const stage = join(dir, 'stage');
const prefix = join(dir, 'prefix');
const sb = sandbox();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string};

/** The environment of an operator's shell: nothing of the `npm test` that runs this file. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
	return {...env, PATH: `${join(prefix, 'bin')}:${env.PATH}`, ...extra};
}

function run(cmd: string, args: readonly string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): SpawnSyncReturns<string> {
	return spawnSync(cmd, args, {cwd: opts.cwd ?? dir, env: opts.env ?? userEnv(), encoding: 'utf8', timeout: 300_000});
}

function ok(r: SpawnSyncReturns<string>): string {
	if (r.status !== 0) throw new Error(`exit ${r.status ?? r.signal}: ${r.stderr}${r.stdout}`);
	return r.stdout;
}

let tarball = '';
let packed: string[] = [];

beforeAll(() => {
	// the tree as git sees it (tracked and new files), without node_modules and dist/
	const files = ok(run('git', ['ls-files', '-co', '--exclude-standard', '-z'], {cwd: ROOT})).split('\0').filter(Boolean);
	for (const f of files) if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f));
	symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'));
	// a chunk left by an earlier build must not ship: prepack's build removes it
	mkdirSync(join(stage, 'dist', 'chunks'), {recursive: true});
	writeFileSync(join(stage, 'dist', 'chunks', 'stale-0000.js'), '');

	const out = JSON.parse(ok(run('npm', ['pack', '--json', '--pack-destination', dir], {cwd: stage}))) as Array<{filename: string; files: Array<{path: string}>}>;
	tarball = join(dir, out[0]!.filename);
	packed = out[0]!.files.map(f => f.path).sort();

	const sqlite = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as {version: string};
	const prebuilds = join(dir, 'prebuilds');
	mkdirSync(prebuilds);
	const name = `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
	ok(run('tar', ['-C', join(ROOT, 'node_modules', 'better-sqlite3'), '-czf', join(prebuilds, name), 'build/Release/better_sqlite3.node']));
	// prebuild-install reads its settings from the nearest .prebuild-installrc above the package it installs
	writeFileSync(join(dir, '.prebuild-installrc'), `local-prebuilds=${prebuilds}\n`);
	// what the README tells an operator to run, offline when npm's cache has the packages (as after `npm ci`)
	ok(run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--allow-scripts=better-sqlite3', tarball]));
	// the binary came from the prebuild, not from a compiler (which would have left its object files)
	expect(existsSync(join(prefix, 'lib', 'node_modules', 'nsdeck', 'node_modules', 'better-sqlite3', 'build', 'Release', 'obj.target'))).toBe(false);
}, 300_000);

afterAll(() => {
	sb.cleanup();
	rmSync(dir, {recursive: true, force: true});
});

describe('npm pack, then npm install -g into a fresh prefix', () => {
	it('the tarball holds the build, the READMEs, the licence and the two pictures the README opens with, and no sources or tests', () => {
		expect(tarball).toMatch(new RegExp(`nsdeck-${pkg.version.replace(/\./g, '\\.')}\\.tgz$`));
		const top = [...new Set(packed.map(p => (p.startsWith('dist/') ? 'dist/' : p)))];
		expect(top).toEqual(['LICENSE', 'README-LAB.md', 'README.md', 'dist/', 'media/apps.png', 'media/preview.png', 'npm-shrinkwrap.json', 'package.json']);
		expect(packed).toContain('dist/cli.js');
		expect(packed).toContain('dist/THIRD-PARTY-LICENSES.txt');
		expect(packed.filter(p => p.includes('stale-'))).toEqual([]);
		expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
		// the pack left the tree as it was (the shrinkwrap exists only while packing)
		expect(existsSync(join(stage, 'npm-shrinkwrap.json'))).toBe(false);
	});

	it('installs the four commands, and none of the packages bundled into dist/', () => {
		expect(readdirSync(join(prefix, 'bin')).sort()).toEqual(['netns-daemon-start', 'netns-daemon-stop', 'network-manage', 'nsdeck']);
		const installed = readdirSync(join(prefix, 'lib', 'node_modules', 'nsdeck', 'node_modules'));
		expect(installed).toContain('better-sqlite3');
		expect(installed.filter(p => ['ink', 'react', 'conf', 'vitest', 'esbuild', 'typescript'].includes(p))).toEqual([]);
	});

	it('nsdeck --version and -V print the package version', () => {
		for (const flag of ['--version', '-V']) {
			const r = run('nsdeck', [flag]);
			expect([r.status, r.stdout, r.stderr]).toEqual([0, `nsdeck ${pkg.version}\n`, '']);
		}
	});

	it('the installed commands work on a real store and real namespaces', () => {
		const env = userEnv({NSDECK_STATE_DIR: sb.stateDir, NSDECK_NS_PREFIX: sb.prefix});
		ok(run('network-manage', ['create', 'blue', '--subnet', '10.77.0.0/24'], {env}));
		expect(ok(run('nsdeck', ['net', 'list'], {env}))).toMatch(/^blue\s+10\.77\.0\.0\/24\s/m);
		ok(run('netns-daemon-start', ['-n', 'blue', 'web'], {env}));
		const status = JSON.parse(ok(run('nsdeck', ['status', '--json'], {env}))) as {apps: Array<{name: string; namespace: string}>};
		expect(status.apps.map(a => [a.name, a.namespace])).toEqual([['web', sb.ns('web')]]);
		expect(sb.namespaces()).toContain(sb.ns('web'));
		ok(run('netns-daemon-stop', ['web'], {env}));
		expect(sb.namespaces()).not.toContain(sb.ns('web'));
	});
});
