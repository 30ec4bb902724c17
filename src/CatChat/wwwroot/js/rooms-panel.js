// The rooms panel: every room with its number of members, and for the room picked its topic, its members and
// the lines said in it from then on (from the live event stream). Topics, nicknames and lines come from chat
// users, so they are only ever set as text.

import { ApiError } from './api.js';
import { el, formatCount, showMessage, timeElement } from './dom.js';

/** Lines kept for the picked room; older ones are dropped. */
const MAX_LINES = 200;

/** What each event kind that names a room says among that room's lines. */
const LINES = {
    message: (e) => ({ who: e.nick, quote: e.text }),
    action: (e) => ({ who: `* ${e.nick ?? ''}`, quote: e.text }),
    topic: (e) => ({ who: e.by, text: 'set the topic:', quote: e.text }),
    announce: (e) => ({ who: e.by, text: 'announced:', quote: e.text }),
    kick: (e) => ({ who: e.nick, text: `was removed by ${e.by ?? 'an administrator'}`, quote: e.reason }),
    roomjoin: (e) => ({ who: e.nick, text: 'joined' }),
    roompart: (e) => ({ who: e.nick, text: e.reason ? `left (${e.reason})` : 'left' }),
};

/** Room names compare without regard to case, as the server compares them. */
function sameRoom(a, b) {
    return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

export class RoomsPanel {
    #api;
    #onUnauthorized;
    #onPick;
    #list;
    #empty;
    #status;
    #detail;
    #title;
    #gone;
    #topic;
    #memberCount;
    #members;
    #form;
    #topicText;
    #topicStatus;
    #lines;
    #linesEmpty;
    /** The picked room's name as the server spells it, or null. */
    #picked = null;
    /** The list last drawn, as JSON: an unchanged answer (the usual one) is not drawn again. */
    #drawn = '';
    /** Changes on clear(), so answers for a signed-out session are dropped. */
    #generation = 0;
    #loading = null;
    #stale = false;

    /**
     * `onUnauthorized()` is called when the server says the session has ended; `onPick(name)` when a room is
     * picked or, with null, put down (the dashboard then wants chat lines in its stream, or no longer does).
     */
    constructor(api, section, onUnauthorized, onPick) {
        this.#api = api;
        this.#onUnauthorized = onUnauthorized;
        this.#onPick = onPick;
        const part = (id) => section.querySelector(`#${id}`);
        this.#list = part('rooms-list');
        this.#empty = part('rooms-empty');
        this.#status = part('rooms-status');
        this.#detail = part('room-detail');
        this.#title = part('room-title');
        this.#gone = part('room-gone');
        this.#topic = part('room-topic');
        this.#memberCount = part('room-member-count');
        this.#members = part('room-members');
        this.#form = part('room-topic-form');
        this.#topicText = part('room-topic-text');
        this.#topicStatus = part('room-topic-status');
        this.#lines = part('room-lines');
        this.#linesEmpty = part('room-lines-empty');

        this.#form.addEventListener('submit', (submit) => {
            submit.preventDefault();
            this.#setTopic();
        });
    }

    /** The picked room's name, or null. */
    get picked() {
        return this.#picked;
    }

    /** Asks for the list (and the picked room) again; calls while it asks make it ask once more afterwards. */
    refresh() {
        this.#stale = true;
        if (this.#loading) {
            return;
        }
        this.#loading = (async () => {
            try {
                while (this.#stale) {
                    this.#stale = false;
                    await this.#load();
                }
            } finally {
                this.#loading = null;
            }
        })();
    }

    /** Empties the panel and puts the picked room down (on sign-in and sign-out). */
    clear() {
        this.#generation++;
        this.#stale = false;
        this.#drawn = '';
        this.#list.replaceChildren();
        this.#empty.hidden = false;
        showMessage(this.#status, '');
        this.#putDown();
    }

    /** Takes one event of the stream: those naming the picked room are added to its lines. */
    onEvent(kind, event) {
        const describe = LINES[kind];
        if (!describe || this.#picked === null || !sameRoom(event.room, this.#picked)) {
            return;
        }
        const { who, text, quote } = describe(event);
        const line = el('p', { className: 'event-line' });
        if (who) {
            line.append(el('strong', { className: 'event-who', text: who }), ' ');
        }
        if (text) {
            line.append(el('span', { className: 'event-text', text }), ' ');
        }
        if (quote !== undefined && quote !== null) {
            line.append(el('span', { className: 'event-quote', text: quote }));
        }
        this.#lines.prepend(el('li', { className: `event room-line event-${kind}`, attrs: { 'data-kind': kind } },
            timeElement(event.time), line));
        while (this.#lines.childElementCount > MAX_LINES) {
            this.#lines.lastElementChild.remove();
        }
        this.#linesEmpty.hidden = true;
        if (kind === 'topic') {
            this.#showTopic(event.text ?? '');
        }
    }

    async #load() {
        const mine = this.#generation;
        const picked = this.#picked;
        const [list, detail] = await Promise.allSettled([
            this.#api.rooms(),
            picked === null ? Promise.resolve(null) : this.#api.room(picked),
        ]);
        if (mine !== this.#generation) {
            return;
        }
        if (list.status === 'fulfilled') {
            showMessage(this.#status, '');
            this.#showList(list.value.rooms ?? []);
        } else if (!this.#report(list.reason, this.#status)) {
            return;
        }
        if (picked !== null && picked === this.#picked) {
            if (detail.status === 'fulfilled') {
                this.#showDetail(detail.value);
            } else if (detail.reason instanceof ApiError && detail.reason.status === 404) {
                this.#showGone(picked);
            } else {
                this.#report(detail.reason, this.#status);
            }
        }
    }

    #showList(rooms) {
        const json = JSON.stringify(rooms);
        if (json === this.#drawn) {
            return;
        }
        this.#drawn = json;
        this.#list.replaceChildren(...rooms.map((room) => this.#item(room)));
        this.#empty.hidden = rooms.length > 0;
    }

    #item(room) {
        const isPicked = sameRoom(room.name, this.#picked);
        const button = el('button', {
            className: 'room-button',
            attrs: { type: 'button', 'aria-pressed': isPicked ? 'true' : 'false' },
        },
        el('span', { className: 'room-name', text: room.name }),
        // A topic in the list is shown when the server gives one.
        typeof room.topic === 'string' && room.topic !== '' ? el('span', { className: 'room-list-topic', text: room.topic }) : null,
        el('span', { className: 'room-count' },
            el('span', { className: 'room-count-figure', text: formatCount(room.members) }),
            el('span', { className: 'visually-hidden', text: room.members === 1 ? ' member' : ' members' })));
        button.addEventListener('click', () => this.#toggle(room.name));
        return el('li', { attrs: { 'data-room': room.name } }, button);
    }

    /** Picks the room, or puts it down when it is the one picked. */
    #toggle(name) {
        if (sameRoom(name, this.#picked)) {
            this.#putDown();
            this.#onPick(null);
            return;
        }
        this.#picked = name;
        this.#markPicked();
        this.#title.textContent = name;
        this.#topic.textContent = '';
        this.#members.replaceChildren();
        this.#memberCount.textContent = '';
        this.#gone.hidden = true;
        this.#topicText.value = '';
        showMessage(this.#topicStatus, '');
        this.#lines.replaceChildren();
        this.#linesEmpty.hidden = false;
        this.#detail.hidden = false;
        this.#onPick(name);
        this.refresh();
    }

    #putDown() {
        this.#picked = null;
        this.#markPicked();
        this.#detail.hidden = true;
        this.#lines.replaceChildren();
        this.#members.replaceChildren();
    }

    #markPicked() {
        for (const item of this.#list.children) {
            const button = item.querySelector('button');
            button?.setAttribute('aria-pressed', sameRoom(item.dataset.room, this.#picked) ? 'true' : 'false');
        }
    }

    #showDetail(room) {
        this.#gone.hidden = true;
        this.#title.textContent = room.name;
        this.#showTopic(room.topic ?? '');
        const members = room.members ?? [];
        this.#memberCount.textContent = `(${formatCount(members.length)})`;
        this.#members.replaceChildren(...members.map((nick) => el('li', { text: nick, attrs: { 'data-nick': nick } })));
    }

    #showGone(name) {
        this.#gone.textContent = `Nobody is in ${name} now.`;
        this.#gone.hidden = false;
        this.#members.replaceChildren();
        this.#memberCount.textContent = '(0)';
    }

    #showTopic(topic) {
        this.#topic.textContent = topic === '' ? '(no topic)' : topic;
        this.#topic.classList.toggle('room-topic-none', topic === '');
    }

    async #setTopic() {
        const room = this.#picked;
        const topic = this.#topicText.value.trim();
        if (room === null) {
            return;
        }
        if (topic === '') {
            showMessage(this.#topicStatus, 'Write a topic first.', true);
            return;
        }
        const button = this.#form.querySelector('button[type=submit]');
        button.disabled = true;
        showMessage(this.#topicStatus, '');
        try {
            await this.#api.setTopic(room, topic);
            if (room === this.#picked) {
                this.#topicText.value = '';
                showMessage(this.#topicStatus, `Set. The members of ${room} are told.`);
            }
        } catch (error) {
            if (room === this.#picked) {
                const text = error instanceof ApiError && error.status === 404 ? `Nobody is in ${room} now.` : null;
                this.#report(error, this.#topicStatus, text);
            }
        } finally {
            button.disabled = false;
            // The server cleans the topic: show the one it keeps, not the one typed.
            this.refresh();
        }
    }

    /** Shows an error in `status`; false when the session has ended (and the dashboard was told). */
    #report(error, status, text = null) {
        if (error instanceof ApiError && error.isUnauthorized) {
            this.#onUnauthorized();
            return false;
        }
        showMessage(status, text ?? (error instanceof ApiError ? error.message : 'The server cannot be reached.'), true);
        return true;
    }
}
