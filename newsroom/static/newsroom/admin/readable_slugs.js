'use strict';
{
    // Django's URLify drops combining marks (\p{M}) when it keeps Unicode,
    // which mangles Devanagari ("संस्कृतम्" becomes "सस्कृतम"). Prepopulated
    // slugs follow the server's make_slug instead: letters, marks and digits
    // of any script, everything else a dash. Installed once every script has
    // loaded, since the admin may place urlify.js after this file.
    function readableURLify(djangoURLify) {
        return function(text, maxLength, allowUnicode) {
            if (!allowUnicode) {
                return djangoURLify(text, maxLength, allowUnicode);
            }
            const slug = text.normalize('NFKC').toLowerCase()
                .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
                .replace(/^-+|-+$/g, '');
            return slug.substring(0, maxLength).replace(/-+$/g, '');
        };
    }
    document.addEventListener('DOMContentLoaded', function() {
        window.URLify = readableURLify(window.URLify);
    });
}
