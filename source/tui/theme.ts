// Colours, or none: `colors: false` in the settings or NO_COLOR in the environment. Inverse and bold are not
// colours, so the selected row stays visible either way.
import type {Tone} from '../provision/text.js';

export type Theme = {readonly color: (tone: Tone | 'title' | 'key' | undefined) => string | undefined};

const TONES: Record<Tone | 'title' | 'key', string> = {good: 'green', bad: 'red', warn: 'yellow', dim: 'gray', accent: 'cyan', title: 'cyan', key: 'magenta'};

export function theme(colors: boolean): Theme {
	return {color: tone => (colors && tone ? TONES[tone] : undefined)};
}
