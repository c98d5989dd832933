import {runCommand} from './commands/main.js';

const argv = process.argv.slice(2);
const consoleFlags = new Set(['--readonly', '--view', '--host']);

if (argv.length === 0 || consoleFlags.has(argv[0]!.split('=')[0]!)) {
	// The console loads Ink and React only here, so scripted commands start fast. React's production build: the
	// bundle fixes it at build time; this covers running the sources through tsx.
	const env = process.env;
	env.NODE_ENV ??= 'production';
	// Ink draws nothing until exit when CI is set (is-in-ci, read when Ink loads); the console is interactive by
	// definition (it refuses to start without a TTY), so a CI variable inherited by an operator's shell must not blank it.
	delete env.CI;
	delete env.CONTINUOUS_INTEGRATION;
	const {openConsole} = await import('./tui/open.js');
	process.exitCode = await openConsole(argv);
} else {
	process.exitCode = await runCommand(argv);
}
