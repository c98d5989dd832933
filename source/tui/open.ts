import {runCommand} from '../commands/main.js';

/** Until the console lands, `nsdeck` with no command shows the status summary. */
export async function openConsole(_argv: readonly string[]): Promise<number> {
	return runCommand(['status']);
}
