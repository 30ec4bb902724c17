// The connected users table, with a Kick button per row. On narrow screens the style sheet turns each
// row into a card and labels each cell from its data-label attribute.

import { el, formatCount, timeElement } from './dom.js';

export class UsersTable {
    #body;
    #empty;
    #onKick;

    /** `onKick(nick)` is called when the Kick button of a row is pressed. */
    constructor(table, empty, onKick) {
        this.#body = table.tBodies[0];
        this.#empty = empty;
        this.#onKick = onKick;
    }

    get rowCount() {
        return this.#body.rows.length;
    }

    /**
     * Replaces the rows with this list of {nick, address, door, connectedSince, linesSent, node}; `door` is the front door
     * they came through (netcat or irc). In a cluster
     * `node` names each user's server and the Server column is shown; `linesSent` is known only for users
     * of the server the dashboard talks to.
     */
    show(users) {
        this.#body.replaceChildren(...users.map((user) => this.#row(user)));
        this.#empty.hidden = users.length > 0;
        this.#body.closest('table').classList.toggle('clustered', users.some((user) => user.node));
    }

    clear() {
        this.show([]);
    }

    #row(user) {
        const kick = el('button', {
            className: 'button-danger button-small',
            text: 'Kick',
            attrs: { type: 'button', 'aria-label': `Kick ${user.nick}` },
        });
        kick.addEventListener('click', () => this.#onKick(user.nick));

        return el('tr', { attrs: { 'data-nick': user.nick } },
            el('th', { className: 'nick', text: user.nick, attrs: { scope: 'row', 'data-label': 'Nickname' } }),
            el('td', { className: 'address', text: user.address, attrs: { 'data-label': 'Address' } }),
            el('td', { className: 'door', text: user.door ?? 'netcat', attrs: { 'data-label': 'Via' } }),
            el('td', { attrs: { 'data-label': 'Connected since' } }, timeElement(user.connectedSince)),
            el('td', { className: 'numeric', text: user.linesSent == null ? '–' : formatCount(user.linesSent), attrs: { 'data-label': 'Lines sent' } }),
            el('td', { className: 'server', text: user.node ?? '', attrs: { 'data-label': 'Server' } }),
            el('td', { className: 'actions' }, kick));
    }
}
