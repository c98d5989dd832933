import {runCommand} from './commands/main.js';

const argv = process.argv.slice(2);
const consoleFlags = new Set(['--readonly', '--view', '--host']);
const demo = argv[0] === 'demo' && argv[1] !== 'clean' && !argv.includes('--help') && !argv.includes('-h');

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

if (argv.length === 0 || consoleFlags.has(argv[0]!.split('=')[0]!) || demo) {
	// The console loads Ink and React only here, so scripted commands start fast. React's production build: the
	// bundle fixes it at build time; this covers running the sources through tsx.
	const env = process.env;
	env.NODE_ENV ??= 'production';
	// Ink draws nothing until exit when CI is set (is-in-ci, read when Ink loads); the console is interactive by
	// definition (it refuses to start without a TTY), so a CI variable inherited by an operator's shell must not blank it.
	delete env.CI;
	delete env.CONTINUOUS_INTEGRATION;
	const {openConsole} = await import('./tui/open.js');
	process.exitCode = demo ? await openDemo(argv.slice(1), openConsole) : await openConsole(argv);
} else {
	process.exitCode = await runCommand(argv);
}
