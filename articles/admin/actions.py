"""The report list's actions: each calls the desk (articles/desk.py) once per report."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from articles import background, desk, roles
from articles.admin.filters import filtered_language
from articles.models import Edition


def _refusals(modeladmin, request, refused, message):
    if refused:
        modeladmin.message_user(request, message % {"reports": "; ".join(refused)}, messages.WARNING)


@admin.action(description=_("Publish the selected reports"), permissions=["publish"])
def publish_reports(modeladmin, request, queryset):
    published, refused = 0, []
    for article in queryset:
        try:
            desk.publish(request.user, article, comment=desk.note(gettext_noop("Published from the list of reports.")))
        except ValidationError:
            refused.append(str(article))
            continue
        published += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d report published.", "%(count)d reports published.", published) % {"count": published},
        messages.SUCCESS,
    )
    _refusals(modeladmin, request, refused, _("Not published, the text in its own language is incomplete: %(reports)s"))


@admin.action(description=_("Unpublish the selected reports"), permissions=["publish"])
def unpublish_reports(modeladmin, request, queryset):
    count = 0
    for article in queryset:
        desk.unpublish(request.user, article, comment=desk.note(gettext_noop("Unpublished from the list of reports.")))
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d report unpublished.", "%(count)d reports unpublished.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Publish the translations ready for review"), permissions=["change"])
def publish_reviewed_translations(modeladmin, request, queryset):
    """Every translation of the selected reports that waits for review and this person may publish."""
    only = filtered_language(request)
    published, refused = 0, []
    for article in queryset.prefetch_related("editions"):
        for edition in article.editions.all():
            if edition.state != Edition.State.REVIEW or (only and edition.language != only):
                continue
            if not roles.can_publish_language(request.user, article, edition.language):
                continue
            try:
                desk.publish_language(request.user, article, edition.language)
            except ValidationError:
                refused.append(f"{article} ({edition.language})")
                continue
            published += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d translation published.", "%(count)d translations published.", published)
        % {"count": published},
        messages.SUCCESS,
    )
    _refusals(modeladmin, request, refused, _("Not published, incomplete or not renderable: %(reports)s"))


def submit_action(language, name):
    def submit(modeladmin, request, queryset):
        submitted, refused = 0, []
        for article in queryset:
            try:
                desk.submit_for_review(request.user, article, language)
            except ValidationError:
                refused.append(str(article))
                continue
            submitted += 1
        modeladmin.message_user(
            request,
            ngettext(
                "The %(language)s translation of %(count)d report is submitted for review.",
                "The %(language)s translations of %(count)d reports are submitted for review.",
                submitted,
            )
            % {"language": name, "count": submitted},
            messages.SUCCESS,
        )
        _refusals(modeladmin, request, refused, _("Not submitted, the translation is incomplete: %(reports)s"))

    return submit


def confirm_action(language, name):
    def confirm(modeladmin, request, queryset):
        confirmed = sum(1 for article in queryset if desk.confirm(request.user, article, language))
        modeladmin.message_user(
            request,
            ngettext(
                "The %(language)s translation of %(count)d report is marked up to date.",
                "The %(language)s translations of %(count)d reports are marked up to date.",
                confirmed,
            )
            % {"language": name, "count": confirmed},
            messages.SUCCESS,
        )

    return confirm


def language_actions(request):
    """Submit and confirm actions for the languages this person works in.

    Editors may work in every language; fourteen of each would bury the list,
    so they get them for the language the list is filtered by.
    """
    languages = roles.editable_languages(request.user)
    if len(languages) == len(settings.LANGUAGES) or filtered_language(request):
        languages = [code for code in languages if code == filtered_language(request)]
    actions = {}
    names = dict(settings.LANGUAGES)
    for code in languages:
        name = names[code]
        actions[f"submit_translations_{code}"] = (
            submit_action(code, name),
            f"submit_translations_{code}",
            _("Submit the %(language)s translations for review") % {"language": name},
        )
        actions[f"confirm_translations_{code}"] = (
            confirm_action(code, name),
            f"confirm_translations_{code}",
            _("Confirm the outdated or machine-drafted %(language)s translations") % {"language": name},
        )
    return actions


@admin.action(description=_("Draft machine translations for missing languages"), permissions=["change"])
def draft_machine_translations(modeladmin, request, queryset):
    # Each report waits on the service, up to its timeout: the work runs in a
    # background worker (articles/background.py), never inside this request.
    try:
        job = background.start_machine_drafts(request.user, queryset.order_by("pk").values_list("pk", flat=True))
    except (PermissionDenied, ValidationError) as error:
        modeladmin.message_user(request, background.failure_message(error), messages.ERROR)
        return
    modeladmin.message_user(request, started_message(job), messages.SUCCESS)


def started_message(job):
    """“… is queued as background work”, with a link to the job's page, where its progress shows."""
    return format_html(
        _('{work} is queued as background work: its progress shows under <a href="{url}">Background work</a>.'),
        work=job.description,
        url=reverse("admin:articles_backgroundjob_change", args=[job.pk]),
    )
