// User settings (conf 15): a JSON file under $XDG_CONFIG_HOME/nsdeck-nodejs/config.json, checked against a schema.
// A bad file never stops the console: it starts with the defaults and says what is wrong, on one line.
import {join} from 'node:path';
import Conf from 'conf';
import {DEFAULTS, settingsDir, type LoadedSettings, type Settings} from './settings-file.js';
import {TOP_VIEWS} from './views.js';

export {DEFAULTS, settingsDir, type LoadedSettings, type Settings};
export type {ViewName} from './settings-file.js';

/** The views the console can open in: every view with a number key (the registry's). */
export const VIEW_NAMES = TOP_VIEWS.map(v => v.id);

const schema = {
	refreshInterval: {type: 'number', minimum: 0.2, maximum: 3600, default: DEFAULTS.refreshInterval, description: 'seconds between refreshes'},
	defaultView: {type: 'string', enum: [...VIEW_NAMES], default: DEFAULTS.defaultView, description: 'the view the console opens in'},
	colors: {type: 'boolean', default: DEFAULTS.colors, description: 'false for a monochrome console (NO_COLOR does the same)'},
} as const;


/** Reads the settings; NO_COLOR (any non-empty value) turns colours off whatever the file says. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): LoadedSettings {
	const cwd = settingsDir(env);
	const path = join(cwd, 'config.json');
	const noColor = Boolean(env.NO_COLOR);
	try {
		// `schema` typing in conf wants a mutable JSONSchema map; the literal above is that at run time
		const conf = new Conf<Settings>({projectName: 'nsdeck', cwd, schema: schema as never, clearInvalidConfig: false});
		const store = conf.store;
		const settings: Settings = {
			refreshInterval: store.refreshInterval ?? DEFAULTS.refreshInterval,
			defaultView: store.defaultView ?? DEFAULTS.defaultView,
			colors: (store.colors ?? DEFAULTS.colors) && !noColor,
		};
		return {settings, path};
	} catch (error) {
		const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
		const why = error instanceof SyntaxError ? `not valid JSON (${reason})` : reason.replace(/^Config schema violation: /, '');
		return {settings: {...DEFAULTS, colors: DEFAULTS.colors && !noColor}, path, problem: `settings ${path}: ${why}; using defaults`};
	}
}
