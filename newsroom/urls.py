from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsroom import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", views.choose_language, name="choose_language"),
]

urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
)
