from django.urls import path

from . import corrections_log, feeds, preview, search_views, sitemaps, views, watching

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("share/<uuid:uuid>/<slug:shape>/<slug:digest>.png", views.share_card, name="share-card"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    # Editorial trust (issue 10): what we watch and how it turned out; our corrections.
    path("watching/", watching.WatchingView.as_view(), name="watching"),
    path("topics/<slug:slug>/watching/", watching.WatchingView.as_view(), name="topic-watching"),
    path("feeds/resolutions/<str:format>/", watching.resolutions_feed, name="resolutions-feed"),
    path("corrections/", corrections_log.CorrectionsView.as_view(), name="corrections"),
    path(
        "feeds/corrections/<str:format>/",
        corrections_log.corrections_feed,
        name="corrections-feed",
    ),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    # Feeds: the site's, and each category's, topic's, author's and expert's.
    path("feeds/<str:format>/", feeds.feed_view, name="feed"),
    path("feeds/<str:kind>/<slug:slug>/<str:format>/", feeds.feed_view, name="subject-feed"),
    # Sitemaps and robots.txt.
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path("sitemap-<str:section>.xml", sitemaps.sitemap_page, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("search/", search_views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", preview.shared_preview, name="preview"),
]
