// Commands that print something for the operator's tools: shell completion, systemd units.
import {fail} from '../core/errors.js';
import {bind, unbind} from '../provision/apps.js';
import {reconcile} from '../provision/reconcile.js';
import {exclusive} from './args.js';
import {unitFile} from './unit.js';
import {completionScript} from './completion.js';
import {agentUnit, bootUnit} from './units.js';
import {type Command, print} from './command.js';

export const TOOLS: Record<string, Command> = {
	completion: {
		usage: 'nsdeck completion bash|zsh|fish',
		summary: 'print a script that completes commands, flags and this host\'s names in your shell',
		positionals: ['SHELL'],
		noContext: true,
		run(_ctx, p, out) {
			out.log(completionScript(p.args.SHELL!).trimEnd());
		},
	},
	unit: {
		usage: 'nsdeck unit APP --network NET [--outbound NET] [--ip ADDR] -- COMMAND... | nsdeck unit --agent | nsdeck unit --boot',
		summary: 'print a systemd unit: an app\'s (bind before start, unbind after stop), the agent\'s, or the reconcile at boot',
		positionals: ['APP'],
		optional: 1,
		flags: {network: {kind: 'value', short: 'n'}, outbound: {kind: 'value', short: 'o'}, ip: {kind: 'value'}, agent: {kind: 'bool'}, boot: {kind: 'bool'}},
		rest: true,
		run(ctx, p, out) {
			exclusive(p, 'agent', 'boot');
			if (p.flags.agent || p.flags.boot) {
				const extra = [p.args.APP, p.flags.network, p.flags.outbound, p.flags.ip, p.rest].some(x => x !== undefined);
				if (extra) fail(`--${p.flags.agent ? 'agent' : 'boot'} takes nothing else (usage: ${TOOLS.unit!.usage})`);
				return out.log(p.flags.agent ? agentUnit(ctx) : bootUnit(ctx));
			}
			if (!p.args.APP) fail(`give an app, --agent or --boot (usage: ${TOOLS.unit!.usage})`);
			if (!p.flags.network) fail('--network NET is required');
			if (!p.rest?.length) fail('give the command to run after --');
			out.log(unitFile(ctx, {app: p.args.APP, network: p.flags.network as string, outbound: p.flags.outbound as string | undefined, ip: p.flags.ip as string | undefined, command: p.rest}));
		},
	},
};
