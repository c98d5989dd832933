import type {Context} from '../provision/context.js';
import {Agent} from './agent.js';

/** Runs the agent until SIGTERM or SIGINT. */
export async function runAgent(ctx: Context, port?: number): Promise<void> {
	const agent = new Agent(ctx, port === undefined ? {} : {port});
	await agent.start();
	await new Promise<void>(resolve => {
		const stop = () => void agent.stop().then(resolve);
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	});
}
