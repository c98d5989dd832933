// Every command, declared once: usage, flags and handler. Each group lives in a module of its own; the order here is
// the order of `nsdeck help`.
import type {Command} from './command.js';
import {APPS} from './apps.js';
import {HOST} from './host.js';
import {INSPECT} from './inspect.js';
import {LAB} from './lab.js';
import {NETWORKS} from './networks.js';
import {TOOLS} from './tools.js';

export type {Command};

export const COMMANDS: Record<string, Command> = {...NETWORKS, ...APPS, ...INSPECT, ...HOST, ...LAB, ...TOOLS};
