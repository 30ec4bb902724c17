// What the page remembers of each room: its lines, members and topic. A room's recent history arrives whenever the
// page enters it (at login, on switching, after a reconnect); lines already shown are recognised and not shown twice.

/** Whether a tab is a room (its name starts with #) rather than a private conversation (named after the other user). */
export const isRoom = name => name?.startsWith('#') ?? false;

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
        this.limit = 1000; // Lines kept; earlier lines the visitor asks for raise it.
        this.earlier = undefined; // Where the page of earlier lines starts: not asked yet, a cursor, or null for none.
    }

    add(entry) {
        this.entries.push(entry);
        if (this.entries.length > this.limit) {
            this.entries.splice(0, this.entries.length - this.limit);
        }
    }

    /**
     * Marks the line with this id as taken back (its text goes; who took it back stays): true when it was here. A
     * multiline message's lines share one id and all go.
     */
    redact(id, by) {
        const taken = this.entries.filter(entry => entry.id === id && !entry.redacted);
        for (const entry of taken) {
            entry.redacted = true;
            entry.text = by === entry.nick ? '(message deleted)' : by ? `(message deleted by ${by})` : '(message deleted by an administrator)';
        }
        return taken.length > 0;
    }

    /** The time of the oldest line the server gave, if any: earlier lines are the ones before it. */
    oldestTime() {
        return this.entries.find(entry => typeof entry.at === 'number')?.at;
    }

    /**
     * Puts a page of earlier lines (oldest first) before the others; returns how many. A page asked for by time holds
     * the lines of that millisecond (`boundary`) too, and each shown one of those stands for one of them.
     */
    prepend(lines, boundary) {
        const entries = this.#unshown(lines, entry => boundary !== undefined && entry.at === boundary);
        this.entries.unshift(...entries);
        this.limit += entries.length;
        return entries.length;
    }

    /**
     * Adds the history lines not shown yet, in order, and returns them. Each shown line can stand for one history
     * line of the same identity, so a line said twice is still shown twice.
     */
    merge(history) {
        const added = this.#unshown(history, () => true);
        added.forEach(entry => this.add(entry));
        return added;
    }

    // The lines (as entries) not shown yet: among the lines and entries `counted` picks, each shown entry stands for one
    // line of its identity.
    #unshown(lines, counted) {
        const shown = new Map();
        for (const entry of this.entries) {
            if (entry.key && counted(entry)) {
                shown.set(entry.key, (shown.get(entry.key) ?? 0) + 1);
            }
        }
        const fresh = [];
        for (const line of lines) {
            const key = keyOf(line.kind, line.nick, line.text);
            const count = counted(line) ? shown.get(key) ?? 0 : 0;
            if (count > 0) {
                shown.set(key, count - 1);
                continue;
            }
            fresh.push({ key, kind: line.kind, nick: line.nick, text: line.text, at: line.at, id: line.id });
        }
        return fresh;
    }
}
