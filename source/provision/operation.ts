import {OperationError, UsageError} from '../core/errors.js';
import {faultPoint} from '../dataplane/apply.js';
import type {Plan} from '../dataplane/plan.js';
import type {Context} from './context.js';
import {converge} from './converge.js';
import {checkOwnership} from './ownership.js';

export function message(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/** Changing the kernel needs root; say so plainly instead of failing half-way in `ip`. */
export function requireRoot(): void {
	if (process.getuid?.() !== 0) throw new OperationError('this changes network namespaces and needs root (try sudo)');
}

export type Outcome<T> = {readonly result: T; readonly plan: Plan};

/**
 * The shape of every operation: validation and the intent change in one transaction (with its audit row), then the
 * kernel converged. When applying fails, `undo` reverts intent and the kernel is converged back.
 */
export async function operate<T>(
	ctx: Context,
	op: string,
	args: Record<string, unknown>,
	change: () => T,
	opts: {touched?: string[]; undo?: (result: T) => void; before?: () => Promise<void>} = {},
): Promise<Outcome<T>> {
	requireRoot();
	await checkOwnership(ctx, ctx.store.load());
	await opts.before?.();
	faultPoint('validated');
	let auditId = 0;
	const result = ctx.store.tx(() => {
		const r = change();
		auditId = ctx.store.audit(op, args, 'pending');
		return r;
	});
	faultPoint('intent');
	try {
		const plan = await converge(ctx, opts.touched ? {touched: opts.touched} : {});
		ctx.store.finishAudit(auditId, 'ok');
		return {result, plan};
	} catch (error) {
		if (error instanceof UsageError) throw error;
		let undone = '';
		if (opts.undo) {
			ctx.store.tx(() => opts.undo!(result));
			try {
				await converge(ctx, opts.touched ? {touched: opts.touched} : {});
				undone = '; undone';
			} catch (again) {
				undone = `; undo failed too (${message(again)}), run 'nsdeck reconcile'`;
			}
		}
		ctx.store.finishAudit(auditId, 'error', message(error) + undone);
		throw new OperationError(message(error) + undone);
	}
}
