// The admin dashboard: signs in with the admin token, then follows the chat live through the
// Server-Sent Events of GET /api/events and offers the moderation actions of the REST API.

import { ActivityChart } from './activity-chart.js';
import { Api, ApiError } from './api.js';
import { BannerAndAnnouncement } from './banner-and-announcement.js';
import { ClusterPanel } from './cluster-panel.js';
import { byId, formatCount, formatRate, showMessage } from './dom.js';
import { EventFeed } from './event-feed.js';
import { EventStream } from './event-stream.js';
import { HistoryPanel } from './history-panel.js';
import { RoomsPanel } from './rooms-panel.js';
import { UsersTable } from './users-table.js';

/** Events after which the users table is out of date. */
const MEMBERSHIP_EVENTS = new Set(['join', 'leave', 'nick', 'kick']);

/** Chat lines: in the stream while the feed shows them or a room is picked. */
const CHAT_LINES = new Set(['message', 'action']);

/** How often the cluster panel asks again, at most (it asks on the stream's stats events). */
const CLUSTER_REFRESH_MS = 2000;

/**
 * How often the rooms panel asks again when nothing told it to: joins, leaves, nicks, kicks, topics and rooms joined
 * and parted make it ask at once; this only catches what a reconnecting stream missed.
 */
const ROOMS_REFRESH_MS = 15000;

/** Events that change a room's members or topic. */
const ROOM_EVENTS = new Set(['roomjoin', 'roompart', 'topic']);

const page = {
    loading: byId('loading'),
    signInView: byId('sign-in-view'),
    signInForm: byId('sign-in-form'),
    token: byId('token'),
    signInError: byId('sign-in-error'),
    dashboardView: byId('dashboard-view'),
    sessionBar: byId('session-bar'),
    signOut: byId('sign-out'),
    userCount: byId('user-count'),
    lineRate: byId('line-rate'),
    linesReceived: byId('lines-received'),
    includeChat: byId('include-chat'),
    kickDialog: byId('kick-dialog'),
    kickForm: byId('kick-form'),
    kickNick: byId('kick-nick'),
    kickReason: byId('kick-reason'),
    kickError: byId('kick-error'),
    kickCancel: byId('kick-cancel'),
};

const api = new Api();
const chart = new ActivityChart(byId('activity-chart'));
const feed = new EventFeed(byId('event-feed'), byId('feed-empty'));
const users = new UsersTable(byId('users-table'), byId('users-empty'), openKickDialog);
const cluster = new ClusterPanel(byId('cluster'));
const chatHistory = new HistoryPanel(api, byId('history'), () => sessionEnded());
const rooms = new RoomsPanel(api, byId('rooms'), () => sessionEnded(), () => stream.followChatLines());
const bannerAndAnnouncement = new BannerAndAnnouncement(api, () => sessionEnded());
const stream = new EventStream(api, byId('live-status'), {
    stats: onStats,
    chatEvent: onChatEvent,
    resumed() {
        // Events may have been missed while the stream was down or being reopened.
        refreshUsers();
        refreshBanner();
        refreshRooms();
    },
    lost(wasLive) {
        chart.breakLine();
        if (wasLive) {
            feed.note('The connection to the server was lost.');
        }
    },
    sessionEnded,
    wantsChatLines,
});

/** Changes on every sign-in and sign-out, so answers that arrive late for an old session are dropped. */
let generation = 0;
let lastLinesReceived = null;
let kickTarget = '';

// --- Signing in and out ---------------------------------------------------------------------------

async function start() {
    try {
        const session = await api.session();
        if (session.authenticated) {
            showDashboard();
        } else {
            showSignIn();
        }
    } catch {
        page.loading.textContent = 'The server cannot be reached. Reload the page to try again.';
    }
}

function showSignIn(message = '') {
    generation++;
    stream.stop();
    if (page.kickDialog.open) {
        page.kickDialog.close();
    }
    chatHistory.clear();
    cluster.clear();
    rooms.clear();
    page.loading.hidden = true;
    page.dashboardView.hidden = true;
    page.sessionBar.hidden = true;
    page.signInView.hidden = false;
    showMessage(page.signInError, message, message !== '');
    page.token.focus();
}

function showDashboard() {
    generation++;
    page.loading.hidden = true;
    page.signInView.hidden = true;
    page.dashboardView.hidden = false;
    page.sessionBar.hidden = false;
    feed.clear();
    chart.clear();
    users.clear();
    bannerAndAnnouncement.clear();
    lastLinesReceived = null;
    refreshBanner();
    refreshUsers();
    cluster.clear();
    lastClusterRefresh = 0;
    refreshCluster();
    rooms.clear();
    lastRoomsRefresh = 0;
    refreshRooms();
    chatHistory.clear();
    chatHistory.search('');
    stream.start();
}

function sessionEnded() {
    showSignIn('Your session has ended. Sign in again.');
}

page.signInForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const token = page.token.value.trim();
    if (token === '') {
        showMessage(page.signInError, 'Enter the admin token.', true);
        return;
    }

    const button = page.signInForm.querySelector('button[type=submit]');
    button.disabled = true;
    showMessage(page.signInError, '');
    try {
        await api.signIn(token);
        // The anti-forgery token is bound to the signed-in user: fetch a fresh one.
        const session = await api.session();
        if (!session.authenticated) {
            throw new Error('The sign-in did not stick. Does this browser block cookies?');
        }
        page.token.value = '';
        showDashboard();
    } catch (error) {
        showMessage(page.signInError, signInProblem(error), true);
        page.token.select();
    } finally {
        button.disabled = false;
    }
});

function signInProblem(error) {
    if (!(error instanceof ApiError)) {
        return error instanceof TypeError ? 'The server cannot be reached.' : error.message;
    }
    if (error.status === 401) {
        return 'That is not the admin token.';
    }
    if (error.status === 429) {
        return `Too many failed attempts. Try again in ${error.retryAfterSeconds ?? 60} seconds.`;
    }
    return error.message;
}

page.signOut.addEventListener('click', async () => {
    page.signOut.disabled = true;
    try {
        await api.signOut();
    } catch (error) {
        if (!(error instanceof ApiError && error.isUnauthorized)) {
            page.signOut.disabled = false;
            stream.showState('offline', `Signing out failed: ${error.message}`);
            return;
        }
    }
    page.signOut.disabled = false;
    showSignIn();
    try {
        await api.session(); // A fresh anti-forgery token for the signed-out browser.
    } catch {
        // The next sign-in fetches one anyway.
    }
});

// --- The live event stream ------------------------------------------------------------------------

function onStats(stats) {
    showUserCount(stats.users);
    page.lineRate.textContent = formatRate(chart.add(stats));
    page.linesReceived.textContent = formatCount(stats.linesReceived);
    // Refresh the table when its "lines sent" are behind, or when a join or leave went by unseen.
    const linesChanged = lastLinesReceived !== null && stats.linesReceived !== lastLinesReceived;
    lastLinesReceived = stats.linesReceived;
    if (linesChanged || stats.users !== users.rowCount) {
        refreshUsers();
    }
    if (Date.now() - lastClusterRefresh >= CLUSTER_REFRESH_MS) {
        refreshCluster();
    }
    if (Date.now() - lastRoomsRefresh >= ROOMS_REFRESH_MS) {
        refreshRooms();
    }
}

// --- Cluster --------------------------------------------------------------------------------------

let lastClusterRefresh = 0;

async function refreshCluster() {
    lastClusterRefresh = Date.now();
    const mine = generation;
    try {
        const answer = await api.cluster();
        if (mine === generation) {
            cluster.show(answer);
        }
    } catch (error) {
        if (mine === generation) {
            reportBackgroundError(error);
        }
    }
}

function onChatEvent(kind, event) {
    // The stream may carry chat lines for the rooms panel alone.
    if (!CHAT_LINES.has(kind) || page.includeChat.checked) {
        feed.add(kind, event);
    }
    rooms.onEvent(kind, event);
    if (typeof event.users === 'number') {
        showUserCount(event.users);
    }
    if (MEMBERSHIP_EVENTS.has(kind)) {
        refreshUsers();
    }
    if (MEMBERSHIP_EVENTS.has(kind) || ROOM_EVENTS.has(kind)) {
        refreshRooms();
    }
    if (kind === 'banner') {
        bannerAndAnnouncement.showBanner(event.text ?? '');
    }
}

function wantsChatLines() {
    return page.includeChat.checked || rooms.picked !== null;
}

page.includeChat.addEventListener('change', () => stream.followChatLines());

// --- Rooms ----------------------------------------------------------------------------------------

let lastRoomsRefresh = 0;

function refreshRooms() {
    lastRoomsRefresh = Date.now();
    rooms.refresh();
}

// --- Users ----------------------------------------------------------------------------------------

function showUserCount(count) {
    page.userCount.textContent = formatCount(count);
}

let usersRefresh = null;
let usersStale = false;

/** Reloads the users table; calls while a reload is running make it reload once more afterwards. */
function refreshUsers() {
    usersStale = true;
    if (usersRefresh) {
        return;
    }
    usersRefresh = (async () => {
        try {
            while (usersStale) {
                usersStale = false;
                const mine = generation;
                try {
                    const answer = await api.users();
                    if (mine !== generation) {
                        continue; // Signed out or in again meanwhile: this answer belongs to the old session.
                    }
                    if (!answer.connected) {
                        sessionEnded(); // The list is only given to a signed-in admin.
                        return;
                    }
                    users.show(answer.connected);
                    showUserCount(answer.users);
                } catch (error) {
                    if (mine === generation) {
                        reportBackgroundError(error);
                    }
                }
            }
        } finally {
            usersRefresh = null;
        }
    })();
}

function openKickDialog(nick) {
    kickTarget = nick;
    page.kickNick.textContent = nick;
    page.kickReason.value = '';
    showMessage(page.kickError, '');
    page.kickDialog.showModal();
    page.kickReason.focus();
}

page.kickCancel.addEventListener('click', () => page.kickDialog.close());

page.kickForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const button = byId('kick-confirm');
    button.disabled = true;
    try {
        await api.kick(kickTarget, page.kickReason.value.trim());
        page.kickDialog.close();
    } catch (error) {
        if (error instanceof ApiError && error.isUnauthorized) {
            sessionEnded();
            return;
        }
        const text = error instanceof ApiError && error.status === 404
            ? `${kickTarget} is not online any more.`
            : error.message;
        showMessage(page.kickError, text, true);
    } finally {
        button.disabled = false;
        refreshUsers();
    }
});

// --- Banner ---------------------------------------------------------------------------------------

async function refreshBanner() {
    const mine = generation;
    try {
        const answer = await api.banner();
        if (mine === generation) {
            bannerAndAnnouncement.showBanner(answer.banner);
        }
    } catch (error) {
        if (mine === generation) {
            reportBackgroundError(error);
        }
    }
}

// --- Shared ---------------------------------------------------------------------------------------

function reportBackgroundError(error) {
    if (error instanceof ApiError && error.isUnauthorized) {
        sessionEnded();
    } else {
        stream.showState(stream.state, `Last error: ${error.message}`);
    }
}

start();
