// The cluster part of the "Right now" card: whether this server's link to the others (the Redis
// backplane) is whole or split, and every server with its users. Hidden on a single server.

import { el, formatCount, timeElement } from './dom.js';

const STATES = {
    whole: 'Whole',
    split: 'Split: this server chats alone',
    connecting: 'Connecting…',
};

export class ClusterPanel {
    #panel;
    #state;
    #body;

    constructor(panel) {
        this.#panel = panel;
        this.#state = panel.querySelector('#cluster-state');
        this.#body = panel.querySelector('tbody');
    }

    /** Shows an answer of GET /api/cluster. */
    show(cluster) {
        this.#panel.hidden = !cluster.clustered;
        if (!cluster.clustered) {
            return;
        }
        this.#state.dataset.state = cluster.backplane;
        this.#state.textContent = STATES[cluster.backplane] ?? cluster.backplane;
        this.#body.replaceChildren(...cluster.nodes.map((node) => this.#row(node)));
    }

    clear() {
        this.#panel.hidden = true;
        this.#body.replaceChildren();
    }

    #row(node) {
        return el('tr', { attrs: { 'data-node': node.node } },
            el('th', { text: node.self ? `${node.node} (this one)` : node.node, attrs: { scope: 'row', 'data-label': 'Server' } }),
            el('td', { className: 'numeric', text: formatCount(node.users), attrs: { 'data-label': 'Users' } }),
            el('td', { attrs: { 'data-label': 'Last heard' } }, node.self ? 'now' : timeElement(node.lastSeen)));
    }
}
