/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The client side of pm_base/models/pm_edit_version.py: a form sends the
// version of the record it loaded with its saves and its buttons, so that the
// server refuses a save over changes someone made since.
import {Record} from "@web/model/relational_model/record";
import {patch} from "@web/core/utils/patch";

// the field the server adds to the forms of the records it checks
export const VERSION_FIELD = "pm_edit_version";
// the context key the server reads
export const VERSION_KEY = "pm_loaded_version";

patch(Record.prototype, {
    /**
     * The record's context (its saves, its buttons' calls, its onchanges)
     * names the version of the record this form loaded; a version passed
     * down from another record (the form a wizard or a line was opened from)
     * is never this record's own.
     */
    get context() {
        const context = super.context;
        const version = this._pmLoadedVersion();
        if (version) {
            return {...context, [VERSION_KEY]: version};
        }
        if (context && VERSION_KEY in context) {
            const own = {...context};
            delete own[VERSION_KEY];
            return own;
        }
        return context;
    },

    _pmLoadedVersion() {
        // the record of the form itself, not a line of it (lines are saved
        // with their form's record, which carries the check)
        if (
            !this.config.isRoot ||
            this.isNew ||
            this._pmVersionUnknown ||
            !(VERSION_FIELD in this.activeFields)
        ) {
            return null;
        }
        const version = this._values[VERSION_FIELD];
        return version ? {model: this.resModel, id: this.resId, version} : null;
    },

    _setData() {
        // loaded, or reloaded after a save: the version is the server's
        this._pmVersionUnknown = false;
        return super._setData(...arguments);
    },

    async _save(options = {}) {
        const saved = await super._save(...arguments);
        if (saved && options.reload === false && !options.nextId) {
            // saved without reading the record back: its new version is not
            // known until it is loaded again, and the old one would refuse
            // the button that follows the save
            this._pmVersionUnknown = true;
        }
        return saved;
    },
});
