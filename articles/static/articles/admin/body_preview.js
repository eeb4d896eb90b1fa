'use strict';
{
    // The body preview: a button under each body this person writes posts its
    // text to the admin (with the form's CSRF token), which renders it as
    // readers will see it, or says why it cannot; shown below the field.
    // The HTML comes from the site's own renderer, sanitized by nh3.
    function addPreview(textarea) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button body-preview__button';
        button.textContent = textarea.dataset.bodyPreviewLabel;
        const output = document.createElement('div');
        output.className = 'body-preview';
        output.hidden = true;
        output.setAttribute('aria-live', 'polite');
        output.lang = textarea.dataset.bodyPreviewLanguage;
        textarea.after(button, output);

        function showErrors(errors) {
            const list = document.createElement('ul');
            list.className = 'errorlist';
            for (const error of errors) {
                const item = document.createElement('li');
                item.textContent = error;
                list.append(item);
            }
            output.replaceChildren(list);
        }

        button.addEventListener('click', async function() {
            const data = new FormData();
            data.append('language', textarea.dataset.bodyPreviewLanguage);
            data.append('text', textarea.value);
            const token = textarea.form.querySelector('input[name=csrfmiddlewaretoken]').value;
            button.disabled = true;
            output.hidden = false;
            try {
                const response = await fetch(textarea.dataset.bodyPreviewUrl, {
                    method: 'POST',
                    body: data,
                    headers: {'X-CSRFToken': token},
                    credentials: 'same-origin',
                });
                const answer = await response.json();
                if (answer.errors) {
                    showErrors(answer.errors);
                } else {
                    output.innerHTML = answer.html;
                }
            } catch (error) {
                showErrors([textarea.dataset.bodyPreviewFailed]);
            } finally {
                button.disabled = false;
            }
        });
    }

    document.addEventListener('DOMContentLoaded', function() {
        for (const textarea of document.querySelectorAll('textarea[data-body-preview-url]')) {
            addPreview(textarea);
        }
    });
}
