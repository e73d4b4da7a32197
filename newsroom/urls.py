from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # ADMIN_URL_PATH moves the admin off the address every scanner tries first.
    path(settings.ADMIN_URL_PATH, admin.site.urls),
    path("tinymce/", include("tinymce.urls")),
    path("experts/", include("experts.urls")),
    path("sources/", include("sources.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage met outside a view still gets the 503 page (newsroom.resilience).
handler500 = "newsroom.resilience.server_error"

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"
