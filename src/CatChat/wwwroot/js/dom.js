// Small helpers for building the page. Everything that comes from the server is set as text
// (textContent, or strings passed to append), never parsed as HTML.

/** Finds an element by id and fails loudly when the page does not have it. */
export function byId(id) {
    const element = document.getElementById(id);
    if (!element) {
        throw new Error(`The page has no element #${id}.`);
    }
    return element;
}

/**
 * Creates an element. `options.text` becomes its text, `options.attrs` its attributes; children are
 * nodes or strings, and strings become text nodes.
 */
export function el(tag, options = {}, ...children) {
    const element = document.createElement(tag);
    if (options.className) {
        element.className = options.className;
    }
    if (options.text !== undefined && options.text !== null) {
        element.textContent = String(options.text);
    }
    for (const [name, value] of Object.entries(options.attrs ?? {})) {
        element.setAttribute(name, String(value));
    }
    for (const child of children) {
        if (child !== undefined && child !== null) {
            element.append(child);
        }
    }
    return element;
}

/** Shows a short message in a status element; an empty text clears it. */
export function showMessage(element, text, isError = false) {
    element.textContent = text;
    element.classList.toggle('message-error', isError);
    element.hidden = text === '';
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A <time> element: the time of day for today, the date as well for older moments. */
export function timeElement(value) {
    const moment = new Date(value);
    if (Number.isNaN(moment.getTime())) {
        return el('time', { text: '?' });
    }
    const today = moment.toDateString() === new Date().toDateString();
    return el('time', {
        text: today ? timeOfDay.format(moment) : dateAndTime.format(moment),
        attrs: { datetime: moment.toISOString(), title: dateAndTime.format(moment) },
    });
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatCount(value) {
    return integer.format(value);
}

export function formatRate(value) {
    return value === null || value === undefined ? '–' : decimal.format(value);
}
