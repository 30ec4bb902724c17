// What the visitor typed in the message box, as the message for the server: a line (to the room, or to the person of
// the conversation on view), or a command (/me, /msg, /join, …).
import { isRoom } from './room-log.js';

/**
 * The message to send for `text`, or null when there is none. The tab on view comes from `state`; `page.show(entry)`
 * answers the visitor there, `page.closeConversation()` closes it, `page.stopReconnecting()` runs on /quit.
 */
export function commandFor(text, state, page) {
    if (!text.startsWith('/') || text.startsWith('//')) {
        const line = text.startsWith('//') ? text.slice(1) : text;
        return state.current && !isRoom(state.current) ? { type: 'msg', to: state.current, text: line } : { type: 'say', text: line };
    }
    const [name, ...rest] = text.slice(1).split(' ');
    const argument = rest.join(' ').trim();
    const inConversation = state.current && !isRoom(state.current);
    switch (name.toLowerCase()) {
        case 'me':
            if (inConversation) {
                page.show({ kind: 'error', text: '/me works in rooms; here, just write.' });
                return null;
            }
            return { type: 'me', text: argument };
        case 'join': return { type: 'join', room: argument };
        case 'part':
            if (inConversation) {
                page.closeConversation();
                return null;
            }
            return { type: 'part', reason: argument };
        case 'nick': return { type: 'nick', nick: argument };
        case 'rooms': return { type: 'rooms' };
        case 'who': return { type: 'who', room: argument || undefined };
        case 'topic': {
            const room = isRoom(state.current) ? state.rooms.get(state.current) : null;
            if (!argument) {
                page.show({ kind: 'notice', text: !room ? 'Topics belong to rooms.' : room.topic ? `Topic of ${room.name}: ${room.topic}` : `${room.name} has no topic.` });
                return null;
            }
            return room ? { type: 'topic', room: room.name, text: argument } : { type: 'topic', text: argument };
        }
        case 'quit':
            page.stopReconnecting();
            return { type: 'quit', reason: argument };
        case 'undo': {
            // One's last line in the room on view, as the page knows it (the server checks it may still be taken back).
            const room = isRoom(state.current) ? state.rooms.get(state.current) : null;
            const last = room?.entries.findLast(entry => entry.id && !entry.redacted && entry.nick === state.nick && (entry.kind === 'line' || entry.kind === 'action'));
            if (!last) {
                page.show({ kind: 'error', text: room ? `Nothing of yours to take back in ${room.name}.` : '/undo works in rooms.' });
                return null;
            }
            return { type: 'redact', room: room.name, id: last.id };
        }
        case 'msg': {
            const space = argument.indexOf(' ');
            return space < 0 ? { type: 'msg', to: argument, text: '' } : { type: 'msg', to: argument.slice(0, space), text: argument.slice(space + 1) };
        }
        default:
            page.show({ kind: 'error', text: `Unknown command /${name}: try /me, /msg, /join, /part, /topic, /nick, /rooms, /who, /undo or /quit.` });
            return null;
    }
}
