from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from articles.sitemaps import SITEMAPS, robots_txt
from articles.views import share_card
from newsroom import views

admin.site.site_header = _("Newsroom desk")
admin.site.site_title = _("Newsroom desk")
admin.site.index_title = _("Reports, sections and people")

# A lost database is a 503, not a 500, wherever it is met (newsroom/outage.py).
# /healthz and /readyz are answered before URL routing (newsroom/health.py).
handler500 = "newsroom.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", views.choose_language, name="choose_language"),
    # Sitemaps and robots.txt at the root, where crawlers look (articles/sitemaps.py).
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/index.xml", "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/urlset.xml"},
        name="sitemap_section",
    ),
    # Generated share cards, outside the language prefix: the page cache keeps pages, not pictures.
    re_path(r"^cards/(?P<pk>\d+)-(?P<language>[a-z-]+)-(?P<digest>[0-9a-f]{12})\.png$", share_card, name="share_card"),
]

# Uploaded pictures, in development only (DEBUG): production serves MEDIA_ROOT from the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
)
