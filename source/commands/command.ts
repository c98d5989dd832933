// What every command module shares: the shape of a command, and the small helpers their handlers use.
import {fail} from '../core/errors.js';
import {type Direction} from '../core/model.js';
import type {Context} from '../provision/context.js';
import {type CommandSpec, exclusive, type Parsed} from './args.js';

export type Out = {log(text: string): void};
export type Handler = (ctx: Context, p: Parsed, out: Out) => Promise<void> | void;
export type Command = CommandSpec & {readonly summary: string; readonly run: Handler; /** needs no store of its own (the lab) */ readonly noContext?: boolean};

export const json = {json: {kind: 'bool'}} as const;
export const print = (out: Out, value: unknown) => out.log(JSON.stringify(value, null, 2));

export function direction(p: Parsed): Direction {
	exclusive(p, 'import-only', 'export-only');
	return p.flags['import-only'] ? 'import' : p.flags['export-only'] ? 'export' : 'both';
}

export function pid(text: string | undefined): number {
	if (!text || !/^\d{1,9}$/.test(text)) fail(`invalid pid '${text ?? ''}'`);
	return Number(text);
}

