// The login banner and announcement cards: the banner shown now, the form that changes it, and the form that says
// something to everyone in the chat. The banner comes from the server, so it is only ever set as text.

import { ApiError } from './api.js';
import { byId, showMessage } from './dom.js';

export class BannerAndAnnouncement {
    #api;
    #onUnauthorized;
    #bannerCurrent = byId('banner-current');
    #bannerForm = byId('banner-form');
    #bannerText = byId('banner-text');
    #bannerStatus = byId('banner-status');
    #announceForm = byId('announce-form');
    #announceText = byId('announce-text');
    #announceStatus = byId('announce-status');
    /** The banner last shown: while the form still holds it, nobody is editing the form. */
    #shownBanner = '';

    /** `onUnauthorized()` is called when the server says the session has ended. */
    constructor(api, onUnauthorized) {
        this.#api = api;
        this.#onUnauthorized = onUnauthorized;

        this.#bannerForm.addEventListener('submit', async (submit) => {
            submit.preventDefault();
            await this.#runAction(this.#bannerForm, this.#bannerStatus, async () => {
                const answer = await this.#api.setBanner(this.#bannerText.value);
                this.#bannerText.value = answer.banner;
                this.showBanner(answer.banner);
                return 'Saved. New logins get this banner.';
            });
        });

        this.#announceForm.addEventListener('submit', async (submit) => {
            submit.preventDefault();
            const message = this.#announceText.value.trim();
            if (message === '') {
                showMessage(this.#announceStatus, 'Write something to announce first.', true);
                return;
            }
            await this.#runAction(this.#announceForm, this.#announceStatus, async () => {
                await this.#api.announce(message);
                this.#announceText.value = '';
                return 'Sent to everyone online.';
            });
        });
    }

    /** Shows the current banner; the form follows it unless someone is editing it. */
    showBanner(banner) {
        const editing = this.#bannerText.value !== this.#shownBanner;
        this.#bannerCurrent.textContent = banner;
        this.#bannerCurrent.classList.toggle('banner-empty', banner === '');
        if (banner === '') {
            this.#bannerCurrent.textContent = '(no banner)';
        }
        if (!editing) {
            this.#bannerText.value = banner;
        }
        this.#shownBanner = banner;
    }

    /** Empties both status lines and the banner form (on sign-in). */
    clear() {
        showMessage(this.#bannerStatus, '');
        showMessage(this.#announceStatus, '');
        this.#shownBanner = '';
        this.#bannerText.value = '';
    }

    /** Runs a form's request with its button disabled, and reports the outcome in its status line. */
    async #runAction(form, status, action) {
        const button = form.querySelector('button[type=submit]');
        button.disabled = true;
        showMessage(status, '');
        try {
            showMessage(status, await action());
        } catch (error) {
            if (error instanceof ApiError && error.isUnauthorized) {
                this.#onUnauthorized();
                return;
            }
            showMessage(status, error instanceof ApiError ? error.message : 'The server cannot be reached.', true);
        } finally {
            button.disabled = false;
        }
    }
}
