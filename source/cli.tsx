// The entry: it loads only what argv asks for, so `nsdeck --version` costs a Node start and scripted commands never
// load Ink or React. Built as CommonJS (scripts/build.mjs): no top-level await here; the console, ES modules with
// top-level await of their own, is imported on demand.
import {readFileSync, realpathSync} from 'node:fs';
import {dirname, join} from 'node:path';

const consoleFlags = new Set(['--readonly', '--view', '--host']);

async function main(argv: readonly string[]): Promise<number> {
	if (argv[0] === '--version' || argv[0] === '-V') {
		// dist/cli.js and source/cli.tsx both sit one level below package.json, in a checkout and in an npm install
		const pkg = JSON.parse(readFileSync(join(dirname(realpathSync(process.argv[1]!)), '..', 'package.json'), 'utf8')) as {version: string};
		process.stdout.write(`nsdeck ${pkg.version}\n`);
		return 0;
	}
	if (argv.length === 0 || consoleFlags.has(argv[0]!.split('=')[0]!)) {
		// React's production build: the bundle fixes it at build time; this covers running the sources through tsx.
		const env = process.env;
		env.NODE_ENV ??= 'production';
		// Ink draws nothing until exit when CI is set (is-in-ci, read when Ink loads); the console is interactive by
		// definition (it refuses to start without a TTY), so a CI variable inherited by an operator's shell must not blank it.
		delete env.CI;
		delete env.CONTINUOUS_INTEGRATION;
		const {openConsole} = await import('./tui/open.js');
		return openConsole(argv);
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
