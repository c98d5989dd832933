import {runCommand} from './commands/main.js';

const argv = process.argv.slice(2);
const consoleFlags = new Set(['--readonly', '--view', '--host']);
const demo = argv[0] === 'demo' && argv[1] !== 'clean' && !argv.includes('--help') && !argv.includes('-h');

/**
 * `nsdeck demo [--hosts N]`: the console, straight into the guided demo. With --hosts the lab and the scenario are
 * built first (commands/demo.ts, progress on stderr) and the console opens on h1.
 */
async function openDemo(args: readonly string[], open: typeof import('./tui/open.js').openConsole): Promise<number> {
	const {demoHosts, prepareDemoHosts} = await import('./commands/demo.js');
	let hosts: number;
	try {
		hosts = demoHosts(args);
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
		const prepared = await prepareDemoHosts(hosts, process.argv[1]!, line => process.stderr.write(line + '\n'));
		return await open([], {demo: {prepared}});
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
