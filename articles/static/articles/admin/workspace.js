'use strict';
{
    // The report form, for everyone: language tabs named by the languages'
    // own names (日本語, Bahasa Indonesia) rather than their codes, and a
    // warning before leaving the form with unsaved changes.

    // modeltranslation builds its tabs when the page is ready; each tab
    // links to "#tab_<id of the field>", whose field carries the name.
    function nameLanguageTabs() {
        document.querySelectorAll('.ui-tabs-nav a[href^="#tab_"]').forEach(function(tab) {
            const field = document.getElementById(tab.getAttribute('href').slice('#tab_'.length));
            if (field && field.dataset.languageName) {
                tab.textContent = field.dataset.languageName;
                tab.lang = field.lang;
            }
        });
        // The switch above the form lists the languages in the tabs' order.
        const firstTabs = document.querySelectorAll('.ui-tabs-nav')[0];
        const mainSwitch = document.getElementById('modeltranslation-main-switch');
        if (firstTabs && mainSwitch) {
            const names = firstTabs.querySelectorAll('a');
            mainSwitch.querySelectorAll('option').forEach(function(option) {
                const tab = names[Number(option.value)];
                if (tab) {
                    option.textContent = tab.textContent;
                }
            });
        }
    }

    function warnBeforeLeavingChanges(form) {
        let changed = false;
        const remember = function() { changed = true; };
        form.addEventListener('input', remember);
        form.addEventListener('change', remember);
        // Saving is leaving on purpose.
        form.addEventListener('submit', function() { changed = false; });
        window.addEventListener('beforeunload', function(event) {
            if (changed) {
                event.preventDefault();
                event.returnValue = '';
            }
        });
    }

    function start() {
        const form = document.getElementById('article_form');
        if (!form) {
            return;
        }
        warnBeforeLeavingChanges(form);
        // After modeltranslation's own ready handler, which this file follows.
        const jQuery = window.django && window.django.jQuery;
        if (jQuery) {
            jQuery(nameLanguageTabs);
        } else {
            nameLanguageTabs();
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}
