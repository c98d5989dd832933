/** Bad input: the CLI prints the message on one line and exits 2; nothing has changed. */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** A failure while applying (kernel, process, I/O): exit 1. */
export class OperationError extends Error {
	override name = 'OperationError';
}

export function fail(message: string): never {
	throw new UsageError(message);
}
