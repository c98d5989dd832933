import {OperationError, UsageError} from '../core/errors.js';
import {openContext, type Context} from '../provision/context.js';
import {parseArgs} from './args.js';
import {COMMANDS, type Command} from './nsdeck.js';

export type Io = {out(text: string): void; err(text: string): void};
export const stdio: Io = {out: t => process.stdout.write(t + '\n'), err: t => process.stderr.write(t + '\n')};

export function usage(): string {
	const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${c.usage.replace(/^nsdeck /, '').padEnd(68)} ${c.summary}`);
	return [
		'nsdeck: apps in network namespaces on virtual networks (VRFs with route targets)',
		'',
		'usage: nsdeck                open the console',
		'       nsdeck COMMAND [...]  (every command takes --help; read commands take --json)',
		'       nsdeck --version      (or -V) the version',
		'',
		...rows,
		'',
		'exit codes: 0 ok, 1 failure, 2 bad input (nothing changed)',
		'environment: NSDECK_STATE_DIR (store location), NSDECK_NS_PREFIX (prefix of every namespace and link)',
	].join('\n');
}

function find(argv: readonly string[]): {command: Command; name: string; rest: readonly string[]} | undefined {
	const two = `${argv[0]} ${argv[1]}`;
	if (COMMANDS[two]) return {command: COMMANDS[two]!, name: two, rest: argv.slice(2)};
	const one = argv[0] ?? '';
	if (COMMANDS[one] && !one.includes(' ')) return {command: COMMANDS[one]!, name: one, rest: argv.slice(1)};
	return undefined;
}

let piped = false;

/** A reader that stops early (`nsdeck status --json | head`) is not an error: the output just ends, quietly. */
function quietOnClosedPipe(): void {
	if (piped) return;
	piped = true;
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', (e: NodeJS.ErrnoException) => {
			if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
			throw e;
		});
	}
}

/** Errors are one line on stderr; the exit code says which kind. */
export async function runWith(argv: readonly string[], io: Io, run: (io: Io) => Promise<void>): Promise<number> {
	quietOnClosedPipe();
	try {
		await run(io);
		return 0;
	} catch (error) {
		const text = error instanceof Error ? error.message : String(error);
		io.err(`${process.env.NSDECK_PROG ?? 'nsdeck'}: ${text.split('\n')[0]}`);
		if (error instanceof UsageError) return 2;
		if (!(error instanceof OperationError) && process.env.NSDECK_DEBUG) io.err(String((error as Error).stack));
		return 1;
	}
}

export async function runCommand(argv: readonly string[], io: Io = stdio): Promise<number> {
	if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
		const topic = argv[0] === 'help' ? find(argv.slice(1)) : undefined;
		io.out(topic ? `usage: ${topic.command.usage}\n\n${topic.command.summary}` : usage());
		return 0;
	}
	const found = find(argv);
	if (!found) {
		const group = Object.keys(COMMANDS).filter(k => k.startsWith(`${argv[0]} `));
		io.err(`nsdeck: ${group.length > 0 ? `'${argv[0]}' needs one of: ${group.map(g => g.split(' ')[1]).join(', ')}` : `unknown command '${argv[0]}'`} (see 'nsdeck help')`);
		return 2;
	}
	if (found.rest.includes('--help') && !found.rest.slice(0, found.rest.indexOf('--help')).includes('--')) {
		io.out(`usage: ${found.command.usage}\n\n${found.command.summary}`);
		return 0;
	}
	return runWith(argv, io, async () => {
		const parsed = parseArgs(found.rest, found.command);
		if (found.command.noContext) return void (await found.command.run(undefined as unknown as Context, parsed, {log: io.out}));
		const ctx = openContext();
		try {
			await found.command.run(ctx, parsed, {log: io.out});
		} finally {
			ctx.close();
		}
	});
}
