// The entry: it loads only what argv asks for, so `nsdeck --version` costs a Node start and scripted commands never
// load Ink or React. Built as CommonJS (scripts/build.mjs): no top-level await here; the console, ES modules with
// top-level await of their own, is imported on demand.
import {readFileSync, realpathSync} from 'node:fs';
import {dirname, join} from 'node:path';

const consoleFlags = new Set(['--readonly', '--view', '--host']);

/**
 * `nsdeck demo [--hosts N]`: the console, straight into the guided demo. With --hosts the lab and the scenario are
 * built first (commands/demo.ts, progress on stderr), then the console runs inside h1's namespace (where the other
 * hosts' agents are reachable, as on a real h1), as a child of this process; a lab it did not remove goes after it.
 */
async function openDemo(args: readonly string[], open: typeof import('./tui/open.js').openConsole): Promise<number> {
	const demo = await import('./commands/demo.js');
	let hosts: number;
	try {
		hosts = demo.demoHosts(args);
	} catch (e) {
		process.stderr.write(`nsdeck: ${(e as Error).message}\n`);
		return 2;
	}
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write("nsdeck: the demo runs in the console, which needs a terminal (stdin and stdout a TTY); 'nsdeck demo clean' removes a demo\n");
		return 2;
	}
	if (hosts === 0) return open([], {demo: {}});
	try {
		if (process.env.NSDECK_DEMO_ATTACHED === '1') return await open([], {demo: {prepared: demo.attachDemoHosts()}});
		const prepared = await demo.prepareDemoHosts(hosts, process.argv[1]!, line => process.stderr.write(line + '\n'));
		for (const ctx of prepared.place.all) ctx.close();
		const {spawn} = await import('node:child_process');
		const child = spawn('ip', ['netns', 'exec', prepared.consoleNs, process.execPath, process.argv[1]!, 'demo', ...args], {stdio: 'inherit', env: {...process.env, NSDECK_DEMO_ATTACHED: '1'}});
		const code = await new Promise<number>(done => child.on('exit', (c, signal) => done(c ?? (signal ? 1 : 0))));
		if (demo.demoLabUp()) await demo.cleanDemoHosts(() => {});
		return code;
	} catch (e) {
		process.stderr.write(`nsdeck: demo: ${(e as Error).message.split('\n')[0]}\n`);
		return 1;
	}
}

async function main(argv: readonly string[]): Promise<number> {
	if (argv[0] === '--version' || argv[0] === '-V') {
		// dist/cli.js and source/cli.tsx both sit one level below package.json, in a checkout and in an npm install
		const pkg = JSON.parse(readFileSync(join(dirname(realpathSync(process.argv[1]!)), '..', 'package.json'), 'utf8')) as {version: string};
		process.stdout.write(`nsdeck ${pkg.version}\n`);
		return 0;
	}
	const demo = argv[0] === 'demo' && argv[1] !== 'clean' && !argv.includes('--help') && !argv.includes('-h');
	if (argv.length === 0 || consoleFlags.has(argv[0]!.split('=')[0]!) || demo) {
		// React's production build: the bundle fixes it at build time; this covers running the sources through tsx.
		const env = process.env;
		env.NODE_ENV ??= 'production';
		// Ink draws nothing until exit when CI is set (is-in-ci, read when Ink loads); the console is interactive by
		// definition (it refuses to start without a TTY), so a CI variable inherited by an operator's shell must not blank it.
		delete env.CI;
		delete env.CONTINUOUS_INTEGRATION;
		const {openConsole} = await import('./tui/open.js');
		return demo ? openDemo(argv.slice(1), openConsole) : openConsole(argv);
	}
	if (argv[0] === '__complete') {
		// what Tab runs (see commands/completion.ts): hidden from help
		const {completeCommand} = await import('./commands/complete.js');
		return completeCommand(argv.slice(1));
	}
	const {runCommand} = await import('./commands/main.js');
	return runCommand(argv);
}

void main(process.argv.slice(2)).then(code => {
	process.exitCode = code;
});
