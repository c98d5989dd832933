import type {Plan} from '../dataplane/plan.js';

export function planText(plan: Plan): string {
	if (plan.changes.length === 0) return 'in sync: nothing to do';
	return plan.changes.map(c => `${c.op} ${c.what.padEnd(7)} ${c.detail}`).join('\n');
}
