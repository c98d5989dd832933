// Where the settings live and what they are without a file: no conf needed for that, so a console without a
// settings file never loads conf (and its validator) at start.
import {existsSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type {ViewId} from './views.js';

export type ViewName = Exclude<ViewId, 'app'>;

export type Settings = {
	/** seconds between refreshes */
	readonly refreshInterval: number;
	readonly defaultView: ViewName;
	readonly colors: boolean;
};

export const DEFAULTS: Settings = {refreshInterval: 2, defaultView: 'apps', colors: true};

export function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'nsdeck-nodejs');
}

export type LoadedSettings = {settings: Settings; path: string; problem?: string};

/** The defaults, when there is no settings file (NO_COLOR still turns colours off); undefined when there is one. */
export function withoutFile(env: NodeJS.ProcessEnv = process.env): LoadedSettings | undefined {
	const path = join(settingsDir(env), 'config.json');
	return existsSync(path) ? undefined : {settings: {...DEFAULTS, colors: DEFAULTS.colors && !env.NO_COLOR}, path};
}
