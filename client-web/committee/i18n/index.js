// i18n/index.js - the committee pages' strings (id.js, en.js) added to the
// administration pages' i18n module, so both share one language choice, the
// error sentences and the dialog's labels. Everything else is re-exported.
import { addStrings } from '../../admin/i18n/index.js';
import id from './id.js';
import en from './en.js';

addStrings({ id: id, en: en }, true);

export { t, label, hasText, loadLang, setLang, getLang, errorText, dateTime, longDate, toDate, applyStatic, DEFAULT_LANG } from '../../admin/i18n/index.js';
