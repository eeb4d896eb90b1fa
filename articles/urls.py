from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("section/<str:slug>/", views.section_page, name="section"),
    path("news/<int:pk>/", views.article_page, name="article_without_slug"),
    path("news/<int:pk>/<str:slug>/", views.article_page, name="article"),
    path("search/", views.search_page, name="search"),
]
