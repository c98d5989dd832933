// Small forms: text fields validated as you type (Tab completes from candidates) and choice fields picked with
// ←/→/space or by typing a letter. A form may reshape itself as values change (removing a target turns the target
// field into a pick from the network's own targets).
import {isChar, named, type Key} from './keys.js';

export type TextField = {
	readonly kind: 'text';
	readonly name: string;
	readonly label: string;
	readonly value: string;
	readonly optional?: boolean;
	readonly hint?: string;
	/** candidates for Tab completion, shown under the field while they match */
	readonly complete?: readonly string[];
	/** the value is a suggestion: the first character typed replaces it */
	readonly suggested?: boolean;
};
export type ChoiceField = {readonly kind: 'choice'; readonly name: string; readonly label: string; readonly options: readonly string[]; readonly value: string; readonly hint?: string};
export type Field = TextField | ChoiceField;

export type Values = Readonly<Record<string, string>>;
/** Returns the error of one field given every value, or undefined when it is fine. */
export type Validator = (name: string, values: Values) => string | undefined;

export type Form = {
	readonly title: string;
	readonly fields: readonly Field[];
	readonly focus: number;
	readonly validate: Validator;
	/** a line or two under the title: what the form acts on */
	readonly note?: string;
	/** what Enter does, in the footer of the form */
	readonly enter: string;
	/** a valid form's values, trimmed, and the form as it was: the action goes on (a preview, or at once) */
	readonly submit: (values: Values, form: Form) => void;
	/** reshapes the form after a value changed */
	readonly adapt?: (form: Form) => Form;
};

export function valuesOf(form: Form): Values {
	return Object.fromEntries(form.fields.map(f => [f.name, f.value]));
}

/** Each field's error as of now; an empty optional field has none. */
export function errorsOf(form: Form): Array<string | undefined> {
	const values = valuesOf(form);
	return form.fields.map(f => (f.kind === 'text' && f.optional && f.value.trim() === '' ? undefined : form.validate(f.name, values)));
}

function commonPrefix(list: readonly string[]): string {
	if (list.length === 0) return '';
	let p = list[0]!;
	for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
	return p;
}

/** The candidates a text still matches (all of them while it is empty). */
export function matchesOf(value: string, candidates: readonly string[]): string[] {
	return candidates.filter(c => c.startsWith(value) && c !== value);
}

/** Completes a text to the longest prefix common to the candidates it starts; undefined when nothing to add. */
export function completeText(value: string, candidates: readonly string[]): string | undefined {
	if (value === '') return undefined;
	const matches = matchesOf(value, candidates);
	if (matches.length === 0 || candidates.includes(value)) return undefined;
	const p = commonPrefix(matches);
	return p.length > value.length ? p : undefined;
}

export type FormStep = {form: Form} | {submit: Values} | {cancel: true} | {invalid: Form; error: string};

function setField(form: Form, i: number, value: string): Form {
	const next = {...form, fields: form.fields.map((f, j) => (j === i ? {...f, value, ...(f.kind === 'text' ? {suggested: false} : {})} : f))};
	return next.adapt ? next.adapt(next) : next;
}

/** One key in a form. Enter submits when every field is valid, else focuses the first bad one. */
export function formKey(form: Form, key: Key): FormStep {
	const field = form.fields[form.focus]!;
	const move = (d: number): Form => ({...form, focus: (form.focus + d + form.fields.length) % form.fields.length});
	if (named(key, 'esc')) return {cancel: true};
	if (named(key, 'enter')) {
		const errors = errorsOf(form);
		const bad = errors.findIndex(e => e !== undefined);
		if (bad >= 0) return {invalid: {...form, focus: bad}, error: `${form.fields[bad]!.label}: ${errors[bad]}`};
		return {submit: Object.fromEntries(form.fields.map(f => [f.name, f.value.trim()]))};
	}
	if (named(key, 'down') || named(key, 'tab')) {
		if (named(key, 'tab') && field.kind === 'text' && field.complete) {
			const done = completeText(field.value, field.complete);
			if (done !== undefined) return {form: setField(form, form.focus, done)};
		}
		return {form: move(1)};
	}
	if (named(key, 'up') || named(key, 'backtab')) return {form: move(-1)};
	if (field.kind === 'choice') {
		const i = Math.max(0, field.options.indexOf(field.value));
		const n = field.options.length;
		if (n === 0) return {form};
		if (named(key, 'right') || (isChar(key) && key.ch === ' ')) return {form: setField(form, form.focus, field.options[(i + 1) % n]!)};
		if (named(key, 'left')) return {form: setField(form, form.focus, field.options[(i - 1 + n) % n]!)};
		if (isChar(key)) {
			// typing picks the next option starting with that letter (or holding that digit sequence)
			const from = [...field.options.slice(i + 1), ...field.options.slice(0, i + 1)];
			const hit = from.find(o => o.toLowerCase().startsWith(key.ch.toLowerCase())) ?? from.find(o => o.includes(key.ch));
			if (hit) return {form: setField(form, form.focus, hit)};
		}
		return {form};
	}
	if (named(key, 'backspace')) return {form: setField(form, form.focus, field.suggested ? '' : field.value.slice(0, -1))};
	if (isChar(key)) return {form: setField(form, form.focus, (field.suggested ? '' : field.value) + key.ch)};
	return {form};
}
