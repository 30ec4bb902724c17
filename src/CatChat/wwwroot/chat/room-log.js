// What the page remembers of each room: its lines, members and topic. A room's recent history arrives whenever the
// page enters it (at login, on switching, after a reconnect); lines already shown are recognised and not shown twice.

/** The identity of a line for recognising it again in a room's history: its kind, who, and what (not its time). */
export function keyOf(kind, nick, text) {
    return `${kind}|${nick ?? ''}|${text}`;
}

export class RoomLog {
    constructor(name) {
        this.name = name;
        this.entries = [];
        this.members = new Set();
        this.topic = '';
        this.unread = false;
    }

    add(entry) {
        this.entries.push(entry);
        const limit = 1000;
        if (this.entries.length > limit) {
            this.entries.splice(0, this.entries.length - limit);
        }
    }

    /**
     * Adds the history lines not shown yet, in order, and returns them. Each shown line can stand for one history
     * line of the same identity, so a line said twice is still shown twice.
     */
    merge(history) {
        const shown = new Map();
        for (const entry of this.entries) {
            if (entry.key) {
                shown.set(entry.key, (shown.get(entry.key) ?? 0) + 1);
            }
        }
        const added = [];
        for (const line of history) {
            const key = keyOf(line.kind, line.nick, line.text);
            const count = shown.get(key) ?? 0;
            if (count > 0) {
                shown.set(key, count - 1);
                continue;
            }
            const entry = { key, kind: line.kind, nick: line.nick, text: line.text, at: line.at };
            this.add(entry);
            added.push(entry);
        }
        return added;
    }
}
