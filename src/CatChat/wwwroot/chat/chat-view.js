// What the web chat page shows: the tab on view (its lines, topic and members), the tabs, the connection's status and
// the hello form. Everything from the server is set as text (textContent), never parsed as markup.
import { isRoom } from './room-log.js';

const $ = id => document.getElementById(id);

function timeOf(at) {
    const date = at ? new Date(at) : new Date();
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export class ChatView {
    #state;
    #tabPicked;
    #deleteAsked;

    /**
     * Draws the page's `state` (its rooms, and the tab on view, which showRoom sets); `tabPicked(name)` runs when the
     * visitor clicks a tab, `deleteAsked(room, entry)` when they ask to delete a line of theirs.
     */
    constructor(state, tabPicked, deleteAsked) {
        this.#state = state;
        this.#tabPicked = tabPicked;
        this.#deleteAsked = deleteAsked;
    }

    setStatus(text, stateName) {
        const status = $('status');
        status.textContent = text;
        status.dataset.state = stateName;
    }

    showHello() {
        $('chat').hidden = true;
        $('hello-form').hidden = false;
    }

    showHelloError(text) {
        const error = $('hello-error');
        error.textContent = text;
        error.hidden = false;
    }

    showRoom(name) {
        const state = this.#state;
        state.current = name;
        const room = name ? state.rooms.get(name) : null;
        const log = $('log');
        log.replaceChildren();
        if (room) {
            room.unread = false;
            room.entries.forEach(entry => this.appendEntry(entry));
            log.scrollTop = log.scrollHeight;
        }
        $('topic').textContent = isRoom(name) ? room?.topic ?? '' : name ? `Private conversation with ${name}` : '';
        $('part-button').textContent = isRoom(name) || !name ? 'Leave room' : 'Close conversation';
        this.renderEarlierButton(room);
        this.renderTabs();
        this.renderMembers();
    }

    /** Draws the room's lines again (earlier ones now above, or one taken back), keeping the view where it was. */
    redraw(room) {
        const log = $('log');
        const fromBottom = log.scrollHeight - log.scrollTop;
        log.replaceChildren();
        room.entries.forEach(entry => this.appendEntry(entry));
        log.scrollTop = log.scrollHeight - fromBottom;
    }

    appendEntry(entry) {
        const log = $('log');
        const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
        const item = document.createElement('li');
        item.dataset.kind = entry.kind === 'line' ? 'line' : entry.kind;
        const time = document.createElement('span');
        time.className = 'time';
        time.textContent = timeOf(entry.at);
        item.append(time);
        if (entry.nick && entry.kind !== 'notice') {
            const nick = document.createElement('span');
            nick.className = 'nick';
            nick.textContent = entry.kind === 'action' ? `* ${entry.nick}` : entry.kind === 'line' ? `<${entry.nick}>` : entry.nick;
            item.append(nick);
        }
        const text = document.createElement('span');
        text.className = 'text';
        text.textContent = entry.text ?? '';
        item.append(text);
        if (entry.redacted) {
            item.dataset.redacted = 'true';
        } else if (this.#isDeletable(entry)) {
            const remove = document.createElement('button');
            remove.type = 'button';
            remove.className = 'delete';
            remove.textContent = '×';
            remove.title = 'Delete this message';
            remove.setAttribute('aria-label', 'Delete this message');
            const room = this.#state.current;
            remove.addEventListener('click', () => this.#deleteAsked(room, entry));
            item.append(remove);
        }
        log.append(item);
        if (nearBottom) {
            log.scrollTop = log.scrollHeight;
        }
    }

    // The visitor's own lines in a room, while the server knows them by id (an operator may delete others' lines from
    // IRC; the page offers only one's own).
    #isDeletable(entry) {
        return entry.id && (entry.kind === 'line' || entry.kind === 'action') && entry.nick === this.#state.nick && isRoom(this.#state.current);
    }

    renderEarlierButton(room) {
        const button = $('earlier-button');
        button.hidden = !room || !isRoom(room.name);
        button.disabled = room?.earlier === null;
        button.textContent = room?.earlier === null ? 'No earlier lines' : 'Earlier lines';
    }

    renderTabs() {
        const state = this.#state;
        const tabs = $('room-tabs');
        tabs.replaceChildren(...[...state.rooms.values()].map(room => {
            const item = document.createElement('li');
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = room.name;
            button.dataset.room = room.name;
            button.setAttribute('aria-current', String(room.name === state.current));
            button.classList.toggle('unread', room.unread);
            button.classList.toggle('conversation', !isRoom(room.name));
            // The name at the click: a conversation's changes with its person's nickname.
            button.addEventListener('click', () => this.#tabPicked(room.name));
            item.append(button);
            return item;
        }));
    }

    renderMembers() {
        const room = this.#state.rooms.get(this.#state.current);
        const nicks = room ? [...room.members].sort((a, b) => a.localeCompare(b)) : [];
        $('member-count').textContent = String(nicks.length);
        $('members').replaceChildren(...nicks.map(nick => {
            const item = document.createElement('li');
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = nick;
            button.title = `Send ${nick} a private message`;
            button.addEventListener('click', () => {
                const input = $('message-input');
                input.value = `/msg ${nick} `;
                input.focus();
            });
            item.append(button);
            return item;
        }));
    }
}
