"""Share links: a report read before it is published, by a person without an account."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

SALT = "articles.preview-link"


class PreviewLinkRefused(Exception):
    """A share link that opens nothing: ``gone`` when it was once good (expired, replaced, withdrawn)."""

    def __init__(self, gone):
        super().__init__("gone" if gone else "invalid")
        self.gone = gone


class PreviewKey(models.Model):
    """The key in a report's share link: a new one replaces it, and with it every link given out before.

    The link is signed (django.core.signing, keyed on SECRET_KEY), so it can
    be neither guessed nor altered; it expires PREVIEW_LINK_DAYS after it was
    issued, counted when it is opened, so shortening the setting shortens the
    links already given out.
    """

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("compiled report"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preview_key",
    )
    # Translators: the secret part of a share link.
    key = models.CharField(_("key"), max_length=64)
    # Translators: when a share link was made.
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return str(self.article_id)

    def get_absolute_url(self):
        """The share link in the active language."""
        return reverse("articles:shared_preview", kwargs={"token": self.token})

    @classmethod
    def issue(cls, article, user):
        """A new share link for ``article``; the links given out before stop working."""
        preview_key, _created = cls.objects.update_or_create(
            article=article, defaults={"key": secrets.token_urlsafe(24), "issued_at": timezone.now(), "issued_by": user}
        )
        return preview_key

    @classmethod
    def withdraw(cls, article):
        """Stop every share link of ``article``."""
        cls.objects.filter(article=article).delete()

    @classmethod
    def opened_by(cls, token):
        """The PreviewKey (with its report and section) that ``token`` opens, or PreviewLinkRefused."""
        try:
            article_id, key = signing.Signer(salt=SALT).unsign_object(token)
        except (signing.BadSignature, ValueError, TypeError):
            raise PreviewLinkRefused(gone=False) from None
        preview_key = cls.objects.select_related("article__section").filter(article_id=article_id).first()
        if preview_key is None or not constant_time_compare(preview_key.key, str(key)) or preview_key.has_expired:
            raise PreviewLinkRefused(gone=True)
        return preview_key

    @property
    def token(self):
        # No timestamp in it: the link stays the same until a new key replaces it, and issued_at dates it.
        return signing.Signer(salt=SALT).sign_object([self.article_id, self.key])

    @property
    def expires_at(self):
        return self.issued_at + timedelta(days=settings.PREVIEW_LINK_DAYS)

    @property
    def has_expired(self):
        return timezone.now() >= self.expires_at
