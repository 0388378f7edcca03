from django.urls import path

from . import article_views, views

app_name = "knowledge"
urlpatterns = [
    path("", views.search, name="search"),
    path("check/", views.check, name="check"),
    path("articles/", article_views.drafts, name="drafts"),
    path("articles/search/", article_views.reply_search, name="reply_search"),
    path("articles/<int:pk>/", article_views.article, name="article"),
    path("articles/<int:pk>/publish/", article_views.publish, name="publish"),
]
