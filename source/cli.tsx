// The entry: it loads only what argv asks for. Scripted commands, the console and shell completion are chunks of
// their own (dynamic imports), so `nsdeck --version` costs a Node start and scripted commands never load Ink or React.
import {readFileSync} from 'node:fs';

const argv = process.argv.slice(2);
const consoleFlags = new Set(['--readonly', '--view', '--host']);

if (argv[0] === '--version' || argv[0] === '-V') {
	// dist/cli.js and source/cli.tsx both sit one level below package.json, in a checkout and in an npm install
	const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	process.stdout.write(`nsdeck ${pkg.version}\n`);
} else if (argv.length === 0 || consoleFlags.has(argv[0]!.split('=')[0]!)) {
	// React's production build: the bundle fixes it at build time; this covers running the sources through tsx.
	const env = process.env;
	env.NODE_ENV ??= 'production';
	// Ink draws nothing until exit when CI is set (is-in-ci, read when Ink loads); the console is interactive by
	// definition (it refuses to start without a TTY), so a CI variable inherited by an operator's shell must not blank it.
	delete env.CI;
	delete env.CONTINUOUS_INTEGRATION;
	const {openConsole} = await import('./tui/open.js');
	process.exitCode = await openConsole(argv);
} else if (argv[0] === '__complete') {
	// what Tab runs (see commands/completion.ts): hidden from help
	const {completeCommand} = await import('./commands/complete.js');
	process.exitCode = completeCommand(argv.slice(1));
} else {
	const {runCommand} = await import('./commands/main.js');
	process.exitCode = await runCommand(argv);
}
