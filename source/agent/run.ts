import type {Context} from '../provision/context.js';
import {Agent, type AgentOptions} from './agent.js';
import {makeLogger, type Level} from './log.js';

/** Runs the agent until SIGTERM or SIGINT. */
export async function runAgent(ctx: Context, opts: Omit<AgentOptions, 'log'> & {logLevel?: Level} = {}): Promise<void> {
	const {logLevel, ...rest} = opts;
	const log = makeLogger(logLevel ?? 'info');
	const agent = new Agent(ctx, {...rest, log});
	await agent.start();
	await new Promise<void>(resolve => {
		const stop = () => void agent.stop().then(resolve);
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	});
}
