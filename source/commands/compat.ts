import {fail} from '../core/errors.js';
import {bindOrRepair, unbind} from '../provision/apps.js';
import {openContext, type Context} from '../provision/context.js';
import {createNetwork, deleteNetwork, networkIdOrFail} from '../provision/networks.js';
import {editTarget} from '../provision/targets.js';
import {type CommandSpec, exclusive, type Parsed, parseArgs} from './args.js';
import {directionOf} from '../core/model.js';
import {intentOf} from '../provision/reads.js';
import {type Io, runWith, stdio} from './main.js';

/** The network netns-daemon-start uses without --network, as the original did. */
const DEFAULT_NETWORK = 'default-network';

/** The original scripts' controller flags: accepted so init scripts keep working, and ignored (the controller is local). */
const controller = {'api-server': {kind: 'value', short: 's'}, 'api-port': {kind: 'value', short: 'p'}, project: {kind: 'value'}} as const;

function noteIgnored(p: Parsed, prog: string, io: Io): void {
	const given = Object.keys(controller).filter(k => p.flags[k] !== undefined);
	if (given.length > 0) io.err(`${prog}: note: ${given.map(g => `--${g}`).join(', ')} ignored: nsdeck's embedded controller is local to this host`);
}

/** `default-domain:admin:blue` names the network `blue`, as the scripts' project-qualified names did. */
function shortName(name: string): string {
	return name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : name;
}

async function withCtx(argv: readonly string[], prog: string, spec: CommandSpec, io: Io, run: (ctx: Context, p: Parsed) => Promise<void>): Promise<number> {
	process.env.NSDECK_PROG = prog;
	return runWith(argv, io, async () => {
		const p = parseArgs(argv, spec);
		noteIgnored(p, prog, io);
		const ctx = openContext();
		try {
			await run(ctx, p);
		} finally {
			ctx.close();
		}
	});
}

const help = (argv: readonly string[], usage: string, io: Io) => (argv.includes('--help') || argv.includes('-h') ? (io.out(`usage: ${usage}`), true) : false);

export async function netnsDaemonStart(argv: readonly string[], io: Io = stdio): Promise<number> {
	const usage = 'netns-daemon-start [-s API_SERVER] [-p API_PORT] [-n NETWORK] [-o OUTBOUND] DAEMON';
	if (help(argv, usage, io)) return 0;
	const spec: CommandSpec = {usage, positionals: ['DAEMON'], flags: {...controller, network: {kind: 'value', short: 'n'}, outbound: {kind: 'value', short: 'o'}}, argparse: true};
	return withCtx(argv, 'netns-daemon-start', spec, io, async (ctx, p) => {
		const given = p.flags.network as string | undefined;
		const network = shortName(given ?? DEFAULT_NETWORK);
		if (given === undefined && !intentOf(ctx).networks.some(n => n.name === DEFAULT_NETWORK)) {
			fail(`no --network given and network '${DEFAULT_NETWORK}' does not exist: create it with 'network-manage create ${DEFAULT_NETWORK} --subnet CIDR', or give --network NET`);
		}
		const outbound = p.flags.outbound ? shortName(p.flags.outbound as string) : undefined;
		// the original reused what existed: a second start (after a crash or a reboot) repairs and succeeds
		await bindOrRepair(ctx, {app: p.args.DAEMON!, network, ...(outbound ? {outbound} : {})});
		io.out(ctx.names.appNamespace(p.args.DAEMON!));
	});
}

export async function netnsDaemonStop(argv: readonly string[], io: Io = stdio): Promise<number> {
	const usage = 'netns-daemon-stop [-s API_SERVER] [-p API_PORT] DAEMON';
	if (help(argv, usage, io)) return 0;
	return withCtx(argv, 'netns-daemon-stop', {usage, positionals: ['DAEMON'], flags: controller, argparse: true}, io, async (ctx, p) => {
		await unbind(ctx, p.args.DAEMON!);
	});
}

export async function networkManage(argv: readonly string[], io: Io = stdio): Promise<number> {
	const usage = 'network-manage [-s API_SERVER] [-p API_PORT] [--project P] [--subnet CIDR] [--rtarget ASN:N] [--import-only|--export-only] {create,delete,show,rtarget-add,rtarget-del} NETWORK';
	if (help(argv, usage, io)) return 0;
	const spec: CommandSpec = {
		usage,
		positionals: ['COMMAND', 'NETWORK'],
		flags: {...controller, subnet: {kind: 'value'}, rtarget: {kind: 'value'}, 'import-only': {kind: 'bool'}, 'export-only': {kind: 'bool'}},
		argparse: true,
	};
	return withCtx(argv, 'network-manage', spec, io, async (ctx, p) => {
		const network = shortName(p.args.NETWORK!);
		exclusive(p, 'import-only', 'export-only');
		const direction = p.flags['import-only'] ? 'import' : p.flags['export-only'] ? 'export' : 'both';
		switch (p.args.COMMAND) {
			case 'create':
				// without --subnet, as the original: the network exists, binds into it wait for a subnet (nsdeck net set)
				await createNetwork(ctx, {name: network, ...(p.flags.subnet ? {subnet: p.flags.subnet as string} : {})});
				return;
			case 'delete':
				await deleteNetwork(ctx, network);
				return;
			case 'show': {
				networkIdOrFail(ctx, network);
				const n = intentOf(ctx).networks.find(x => x.name === network)!;
				io.out(`name: ${n.name}\nsubnet: ${n.subnet ?? '(none: set one with nsdeck net set)'}`);
				for (const t of n.targets) io.out(`    ${t.rt} ${directionOf(t) === 'both' ? 'import-export' : directionOf(t)}${t.auto ? ' (automatic)' : ''}`);
				return;
			}
			case 'rtarget-add':
			case 'rtarget-del':
				if (!p.flags.rtarget) fail(`${p.args.COMMAND} needs --rtarget ASN:N`);
				await editTarget(ctx, {network, rt: p.flags.rtarget as string, direction, remove: p.args.COMMAND === 'rtarget-del'});
				return;
			default:
				fail(`unknown command '${p.args.COMMAND}' (choose from create, delete, show, rtarget-add, rtarget-del)`);
		}
	});
}
