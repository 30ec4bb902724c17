// The live events feed: newest first, at most MAX_ENTRIES. Nicknames, messages, banners and reasons
// come from chat users, so they are only ever set as text.

import { el, timeElement } from './dom.js';

const MAX_ENTRIES = 200;

/**
 * What each event kind says, in the dashboard's words. `quote` is user-supplied text shown verbatim:
 * on the same line for chat lines, below the line for the rest.
 */
const DESCRIPTIONS = {
    join: (e) => ({ who: e.nick, text: 'joined the chat' }),
    leave: (e) => ({ who: e.nick, text: e.reason ? `left (${e.reason})` : 'left' }),
    nick: (e) => ({ who: e.nick, text: `is now known as ${e.newNick}` }),
    kick: (e) => ({
        who: e.nick,
        text: e.room ? `was removed from ${e.room} by ${e.by ?? 'an administrator'}` : `was kicked by ${e.by ?? 'an administrator'}`,
        quote: e.reason,
    }),
    topic: (e) => ({ who: e.by, text: `set the topic of ${e.room}`, quote: e.text }),
    roomjoin: (e) => ({ who: e.nick, text: `joined ${e.room}` }),
    roompart: (e) => ({ who: e.nick, text: e.reason ? `left ${e.room} (${e.reason})` : `left ${e.room}` }),
    banner: (e) => ({ who: e.by, text: 'changed the login banner', quote: e.text || '(empty)' }),
    announce: (e) => ({ who: e.by, text: 'announced', quote: e.text }),
    message: (e) => ({ who: e.nick, quote: e.text, inline: true }),
    action: (e) => ({ who: e.nick, quote: e.text, inline: true }),
    note: (e) => ({ text: e.text }),
};

export class EventFeed {
    #list;
    #empty;

    constructor(list, empty) {
        this.#list = list;
        this.#empty = empty;
    }

    /** Adds one event ({kind, time, nick?, newNick?, text?, reason?, by?, room?}) at the top. */
    add(kind, event) {
        const describe = DESCRIPTIONS[kind] ?? ((e) => ({ who: e.nick, text: kind }));
        const { who, text, quote, inline } = describe(event);
        const hasQuote = quote !== undefined && quote !== null;
        const quoteElement = (tag) => (hasQuote ? el(tag, { className: 'event-quote', text: quote }) : null);

        const line = el('p', { className: 'event-line' });
        if (who) {
            line.append(el('strong', { className: 'event-who', text: who }), ' ');
        }
        if (text) {
            line.append(el('span', { className: 'event-text', text }));
        }
        if (inline && hasQuote) {
            line.append(quoteElement('span'));
        }

        // Lines and announcements of a room say which (topic and kick say it in their text); whole-chat events have no room.
        if (event.room && !['topic', 'kick', 'roomjoin', 'roompart'].includes(kind)) {
            line.prepend(el('span', { className: 'event-room', text: event.room }), ' ');
        }

        const entry = el('li', { className: `event event-${kind}`, attrs: { 'data-kind': kind } },
            timeElement(event.time),
            el('span', { className: 'event-kind', text: kind }),
            line,
            inline ? null : quoteElement('p'));

        this.#list.prepend(entry);
        while (this.#list.childElementCount > MAX_ENTRIES) {
            this.#list.lastElementChild.remove();
        }
        this.#empty.hidden = true;
    }

    /** Adds a line of the dashboard's own, such as a lost connection. */
    note(text) {
        this.add('note', { time: new Date().toISOString(), text });
    }

    clear() {
        this.#list.replaceChildren();
        this.#empty.hidden = false;
    }
}
