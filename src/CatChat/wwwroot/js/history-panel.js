// The history panel: searches the stored chat history (GET /api/history) and pages back through it
// with "Load older"; a chat line can be deleted (POST /api/history/{id}/redact) after a second, inline
// "Delete? Yes / No". Nicknames and texts come from chat users, so they are only ever set as text.

import { ApiError } from './api.js';
import { el, showMessage, timeElement } from './dom.js';

const DEFAULT_PAGE_SIZE = 50;
const KINDS = new Set(['message', 'action', 'notice', 'private']);
/** The kinds of line that can be taken back: what users said in a room. */
const DELETABLE = new Set(['message', 'action']);

export class HistoryPanel {
    #api;
    #section;
    #form;
    #search;
    #status;
    #table;
    #body;
    #empty;
    #more;
    #onUnauthorized;
    /** The search whose lines are shown, and the server's cursor for its next page (null: no more pages). */
    #query = '';
    #next = null;
    /** Changes with every new search and on clear(), so late answers for an older one are dropped. */
    #generation = 0;
    #loading = false;

    /** `onUnauthorized()` is called when the server says the session has ended. */
    constructor(api, section, onUnauthorized) {
        this.#api = api;
        this.#section = section;
        this.#form = section.querySelector('#history-form');
        this.#search = section.querySelector('#history-search');
        this.#status = section.querySelector('#history-status');
        this.#table = section.querySelector('#history-table');
        this.#body = this.#table.tBodies[0];
        this.#empty = section.querySelector('#history-empty');
        this.#more = section.querySelector('#history-more');
        this.#onUnauthorized = onUnauthorized;

        // A form submit: the Search button and Enter in the search box both land here.
        this.#form.addEventListener('submit', (submit) => {
            submit.preventDefault();
            this.search(this.#search.value.trim());
        });
        this.#more.addEventListener('click', () => this.#loadOlder());
    }

    /** The number of lines shown. */
    get rowCount() {
        return this.#body.rows.length;
    }

    /** Shows the newest lines matching `query` (all lines when empty), replacing what is shown. */
    async search(query) {
        const mine = ++this.#generation;
        this.#query = query;
        this.#next = null;
        this.#setBusy(true);
        showMessage(this.#status, '');
        try {
            const page = await this.#fetch(null);
            if (mine !== this.#generation) {
                return;
            }
            this.#body.replaceChildren(...page.lines.map((line) => this.#row(line)));
            this.#showPaging(page.next);
        } catch (error) {
            if (mine === this.#generation) {
                this.#body.replaceChildren();
                this.#showPaging(null);
                this.#report(error);
            }
        } finally {
            if (mine === this.#generation) {
                this.#setBusy(false);
            }
        }
    }

    /** Empties the panel (on sign-out); answers still on their way are dropped. */
    clear() {
        this.#generation++;
        this.#query = '';
        this.#next = null;
        this.#search.value = '';
        this.#body.replaceChildren();
        this.#table.hidden = true;
        this.#empty.hidden = true;
        this.#more.hidden = true;
        showMessage(this.#status, '');
        this.#setBusy(false);
    }

    async #loadOlder() {
        if (this.#loading || this.#next === null) {
            return;
        }
        const mine = this.#generation;
        this.#setBusy(true);
        showMessage(this.#status, '');
        try {
            const page = await this.#fetch(this.#next);
            if (mine !== this.#generation) {
                return;
            }
            this.#body.append(...page.lines.map((line) => this.#row(line)));
            this.#showPaging(page.next);
        } catch (error) {
            if (mine === this.#generation) {
                this.#report(error); // The button stays, so the same page can be tried again.
            }
        } finally {
            if (mine === this.#generation) {
                this.#setBusy(false);
            }
        }
    }

    /** A page of the shown search: the newest lines, or those after `cursor` (the server's `next`). */
    #fetch(cursor) {
        return this.#api.history({ limit: this.#pageSize(), cursor, search: this.#query });
    }

    /** The page size: the section's data-page-size, or 50. */
    #pageSize() {
        const size = Number.parseInt(this.#section.dataset.pageSize ?? '', 10);
        return Number.isInteger(size) && size > 0 ? size : DEFAULT_PAGE_SIZE;
    }

    #showPaging(next) {
        this.#next = next ?? null;
        const any = this.#body.rows.length > 0;
        this.#table.hidden = !any;
        this.#empty.hidden = any;
        this.#empty.textContent = this.#query === ''
            ? 'No chat history is stored yet.'
            : `No lines match “${this.#query}”.`;
        this.#more.hidden = this.#next === null;
    }

    #setBusy(busy) {
        this.#loading = busy;
        this.#more.disabled = busy;
        this.#form.querySelector('button[type=submit]').disabled = busy;
        this.#section.setAttribute('aria-busy', busy ? 'true' : 'false');
    }

    #report(error) {
        if (error instanceof ApiError && error.isUnauthorized) {
            this.#onUnauthorized();
            return;
        }
        const text = error instanceof ApiError ? error.message : 'The server cannot be reached.';
        showMessage(this.#status, text, true);
    }

    #row(line) {
        const kind = KINDS.has(line.kind) ? line.kind : 'notice';
        const nick = line.nick ?? '';
        const actions = el('td', { className: 'history-actions' });
        const row = el('tr', { className: `history-${kind}`, attrs: { 'data-kind': kind, 'data-nick': nick } },
            el('td', { className: 'history-time', attrs: { 'data-label': 'Time' } }, timeElement(line.time)),
            el('td', { className: 'history-kind-cell', attrs: { 'data-label': 'Kind' } },
                el('span', { className: 'history-kind', text: kind })),
            el('td', { className: 'history-nick', text: nick === '' ? '—' : nick, attrs: { 'data-label': 'Nick' } }),
            el('td', { className: 'history-text', text: line.text ?? '', attrs: { 'data-label': 'Text' } }),
            actions);
        if (DELETABLE.has(kind) && typeof line.messageId === 'string' && line.messageId !== '') {
            this.#offerDelete(row, actions, line);
        }
        return row;
    }

    /** The row's Delete button; pressing it asks "Delete? Yes / No" in its place. */
    #offerDelete(row, actions, line, focus = false) {
        const remove = el('button', {
            className: 'button-secondary button-small',
            text: 'Delete',
            attrs: { type: 'button', 'aria-label': 'Delete this line' },
        });
        remove.addEventListener('click', () => this.#askDelete(row, actions, line));
        actions.replaceChildren(remove);
        if (focus) {
            remove.focus();
        }
    }

    // "No" takes the place of the Delete button (the cell is right-aligned), so a double click does not delete;
    // it also has the focus, and Escape answers it.
    #askDelete(row, actions, line) {
        const yes = el('button', {
            className: 'button-danger button-small',
            text: 'Yes',
            attrs: { type: 'button', 'aria-label': 'Yes, delete this line' },
        });
        const no = el('button', {
            className: 'button-secondary button-small',
            text: 'No',
            attrs: { type: 'button', 'aria-label': 'No, keep this line' },
        });
        const question = el('span', { className: 'history-confirm', attrs: { role: 'group', 'aria-label': 'Delete this line?' } },
            el('span', { text: 'Delete?', attrs: { 'aria-hidden': 'true' } }), yes, no);
        no.addEventListener('click', () => this.#offerDelete(row, actions, line, true));
        question.addEventListener('keydown', (key) => {
            if (key.key === 'Escape') {
                key.preventDefault();
                this.#offerDelete(row, actions, line, true);
            }
        });
        yes.addEventListener('click', () => this.#delete(row, actions, line, [yes, no]));
        actions.replaceChildren(question);
        no.focus();
    }

    async #delete(row, actions, line, buttons) {
        for (const button of buttons) {
            button.disabled = true;
        }
        showMessage(this.#status, '');
        try {
            await this.#api.redact(line.messageId, line.room);
            row.classList.add('history-deleted');
            row.dataset.deleted = 'true';
            row.querySelector('.history-text').textContent = '(deleted)';
            actions.replaceChildren();
            showMessage(this.#status, 'The line was deleted.');
        } catch (error) {
            this.#offerDelete(row, actions, line, row.isConnected);
            this.#report(error);
        }
    }
}
