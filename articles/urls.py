from django.urls import path, re_path
from django.views.decorators.http import require_safe

from articles import feeds, previews, views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("section/<str:slug>/", views.section_page, name="section"),
    path("news/<int:pk>/", views.article_page, name="article_without_slug"),
    path("news/<int:pk>/<str:slug>/", views.article_page, name="article"),
    path("feeds/rss.xml", require_safe(feeds.LatestReportsFeed()), name="feed_rss"),
    path("feeds/atom.xml", require_safe(feeds.LatestReportsAtomFeed()), name="feed_atom"),
    path("section/<str:slug>/feeds/rss.xml", require_safe(feeds.SectionFeed()), name="section_feed_rss"),
    path("section/<str:slug>/feeds/atom.xml", require_safe(feeds.SectionAtomFeed()), name="section_feed_atom"),
    path("topic/<str:slug>/", views.topic_page, name="topic"),
    path("topic/<str:slug>/feeds/rss.xml", require_safe(feeds.TopicFeed()), name="topic_feed_rss"),
    path("topic/<str:slug>/feeds/atom.xml", require_safe(feeds.TopicAtomFeed()), name="topic_feed_atom"),
    path("preview/<int:pk>/", previews.preview, name="preview"),
    path("preview/shared/<str:token>/", previews.shared_preview, name="shared_preview"),
    path("source/<path:name>/", views.source_page, name="source"),
    path("compiler/<path:name>/", views.compiler_page, name="compiler"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$", views.day_page, name="day"),
    path("search/", views.search_page, name="search"),
]
